"""Types of the factory fixtures in conftest.py, for the tests' annotations."""

from collections.abc import Awaitable, Callable

from generated.models import Message, Room, RoomMember, User

UserFactory = Callable[..., Awaitable[User]]
RoomFactory = Callable[..., Awaitable[Room]]
MemberFactory = Callable[..., Awaitable[RoomMember]]
MessageFactory = Callable[..., Awaitable[Message]]
RefreshTokenFactory = Callable[..., Awaitable[str]]
HeadersFor = Callable[[User], dict[str, str]]
