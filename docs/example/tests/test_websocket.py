"""Send Message's push: a new message reaches every WebSocket open on its room (/ws/rooms/{room_id}).

httpx has no WebSocket client and Starlette's TestClient runs the app on another event loop (it could not use
the test's database connection), so these tests speak the ASGI WebSocket protocol to the app directly: the
same messages a server such as uvicorn exchanges with it.
"""

import asyncio
import json
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import pytest
from chatter_support import HeadersFor, MemberFactory, RoomFactory, UserFactory
from fastapi import FastAPI
from httpx import AsyncClient

from generated.models import Room, User

pytestmark = pytest.mark.anyio
TIMEOUT = 5.0


class Socket:
    """One client WebSocket connection to the app, spoken in ASGI messages."""

    def __init__(self, app: FastAPI, path: str, token: str) -> None:
        self.incoming: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        self.outgoing: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "http_version": "1.1",
            "server": ("test", 80),
            "client": ("127.0.0.1", 50000),
            "root_path": "",
            "path": path,
            "raw_path": path.encode(),
            "query_string": f"token={token}".encode(),
            "headers": [(b"host", b"test")],
            "subprotocols": [],
            "state": {},
        }
        self.task = asyncio.create_task(app(scope, self.outgoing.get, self._send))

    async def _send(self, message: MutableMapping[str, Any]) -> None:
        await self.incoming.put(message)

    async def handshake(self) -> str:
        """ "websocket.accept" or "websocket.close" (refused)."""
        await self.outgoing.put({"type": "websocket.connect"})
        message = await asyncio.wait_for(self.incoming.get(), TIMEOUT)
        return str(message["type"])

    async def receive_json(self) -> Any:
        message = await asyncio.wait_for(self.incoming.get(), TIMEOUT)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def close(self) -> None:
        await self.outgoing.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(self.task, TIMEOUT)


@asynccontextmanager
async def open_socket(app: FastAPI, room: Room, token: str) -> AsyncIterator[Socket]:
    socket = Socket(app, f"/ws/rooms/{room.id}", token)
    try:
        yield socket
    finally:
        if not socket.task.done():
            await socket.close()


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


@pytest.mark.spec("send-message-pushed")
async def test_websocket_member_receives_a_message_sent_to_the_room(
    application: FastAPI,
    client: AsyncClient,
    user: User,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    listener = await user_factory()
    await member_factory(room, listener)
    async with open_socket(application, room, _token(headers_for(listener))) as socket:
        assert await socket.handshake() == "websocket.accept"

        # Act
        sent = await client.post(
            f"/api/rooms/{room.id}/messages", json={"content": "pushed"}, headers=headers_for(user)
        )
        event = await socket.receive_json()

    # Assert
    assert sent.status_code == 201
    assert event["type"] == "message.created"
    assert event["message"] == sent.json()


@pytest.mark.spec("send-message-pushed")
async def test_websocket_every_open_socket_of_the_room_receives_the_message(
    application: FastAPI,
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
) -> None:
    # Arrange: two tabs of the same user (opened one after the other: they share the test's connection)
    room = await room_factory(user)
    async with open_socket(application, room, _token(auth_headers)) as first:
        assert await first.handshake() == "websocket.accept"
        async with open_socket(application, room, _token(auth_headers)) as second:
            assert await second.handshake() == "websocket.accept"

            # Act
            await client.post(
                f"/api/rooms/{room.id}/messages", json={"content": "to all"}, headers=auth_headers
            )
            events = [await first.receive_json(), await second.receive_json()]

    # Assert
    assert [event["message"]["content"] for event in events] == ["to all", "to all"]


async def test_websocket_refuses_a_non_member(
    application: FastAPI, user_factory: UserFactory, headers_for: HeadersFor, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(await user_factory(), is_private=True)
    outsider = await user_factory()

    # Act
    async with open_socket(application, room, _token(headers_for(outsider))) as socket:
        outcome = await socket.handshake()

    # Assert
    assert outcome == "websocket.close"


async def test_websocket_refuses_an_invalid_token(
    application: FastAPI, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    async with open_socket(application, room, "not-a-token") as socket:
        outcome = await socket.handshake()

    # Assert
    assert outcome == "websocket.close"


async def test_websocket_closed_socket_no_longer_receives_and_does_not_break_sending(
    application: FastAPI,
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    async with open_socket(application, room, _token(auth_headers)) as socket:
        assert await socket.handshake() == "websocket.accept"
    assert application.state.hub.count(room.id) == 0

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "later"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 201
    assert socket.incoming.empty()
