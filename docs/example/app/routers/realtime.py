"""WebSocket /ws/rooms/{room_id}: members of a room receive its new messages as they are sent.

Browsers cannot set headers on a WebSocket, so the access token comes as the `token` query parameter.
Events are JSON objects: `{"type": "message.created", "message": <MessageResponse>}`.
WebSocket routes are not part of the OpenAPI document.
"""

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

from app.dependencies.auth import load_user_from_token
from app.services import realtime_service
from app.services.realtime import RoomHub
from generated.database import DbSession

router = APIRouter()


@router.websocket("/ws/rooms/{room_id}")
async def room_events(websocket: WebSocket, room_id: int, db: DbSession, token: str = "") -> None:
    user = await load_user_from_token(db, token) if token else None
    allowed = user is not None and await realtime_service.may_listen(db, user, room_id)
    # The check is done: end the session's transaction now, the socket may stay open for hours.
    await db.close()
    if not allowed:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    hub: RoomHub = websocket.app.state.hub
    await websocket.accept()
    hub.connect(room_id, websocket)
    try:
        while True:  # the client sends nothing the server needs; reading detects the disconnect
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        hub.disconnect(room_id, websocket)
