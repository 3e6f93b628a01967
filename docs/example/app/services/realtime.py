"""Open WebSocket connections per room, and the push of new messages to them."""

import logging
from typing import Any

from fastapi import WebSocket

logger = logging.getLogger(__name__)


class RoomHub:
    """The WebSockets open on each room (one instance per app process, on `app.state.hub`)."""

    def __init__(self) -> None:
        self._sockets: dict[int, set[WebSocket]] = {}

    def connect(self, room_id: int, socket: WebSocket) -> None:
        self._sockets.setdefault(room_id, set()).add(socket)

    def disconnect(self, room_id: int, socket: WebSocket) -> None:
        sockets = self._sockets.get(room_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[room_id]

    def count(self, room_id: int) -> int:
        return len(self._sockets.get(room_id, ()))

    async def broadcast(self, room_id: int, event: dict[str, Any]) -> None:
        """Send `event` as JSON to every socket open on the room; a socket that fails is dropped."""
        for socket in list(self._sockets.get(room_id, ())):
            try:
                await socket.send_json(event)
            except (RuntimeError, OSError) as exc:  # closed meanwhile: forget it
                logger.info("dropping a closed WebSocket of room %s: %s", room_id, exc)
                self.disconnect(room_id, socket)
