"""Accounts and tokens: registration, login, refresh-token rotation, logout, and access-token checks."""

import asyncio
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

import bcrypt
import jwt
from fastapi import HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from generated.config import Settings
from generated.models import RefreshToken, User
from generated.schemas import LoginRequest, UserCreate

JWT_ALGORITHM = "HS256"
INVALID_CREDENTIALS = "Invalid email or password"
INVALID_REFRESH = "Refresh token unknown, expired or revoked"
# bcrypt reads at most 72 bytes of a password; bcrypt >= 5 refuses longer input instead of cutting it.
BCRYPT_MAX_BYTES = 72


@dataclass(frozen=True)
class TokenPair:
    """What login and refresh return (validated into `LoginResponse` / `RefreshResponse` by the route)."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


def _password_bytes(password: str) -> bytes:
    return password.encode("utf-8")[:BCRYPT_MAX_BYTES]


def hash_password(password: str, rounds: int) -> str:
    """The bcrypt hash of `password` with cost factor `rounds`."""
    return bcrypt.hashpw(_password_bytes(password), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(_password_bytes(password), password_hash.encode("ascii"))


@lru_cache
def _dummy_hash(rounds: int) -> str:
    """A hash to check unknown emails against, so that they cost as much time as a wrong password."""
    return hash_password(secrets.token_urlsafe(16), rounds)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_refresh_token(token: str) -> str:
    """SHA-256 hex digest: only this is stored (refresh_tokens.token_hash)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_access_token(user_id: int, settings: Settings) -> str:
    now = datetime.datetime.now(datetime.UTC)
    claims = {
        "sub": str(user_id),
        "type": "access",
        "iat": now,
        "exp": now + datetime.timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),
    }
    return jwt.encode(claims, settings.SECRET_KEY.get_secret_value(), algorithm=JWT_ALGORITHM)


def user_id_from_access_token(token: str, settings: Settings) -> int | None:
    """The user id an access token names; None when the token is malformed, expired or not signed by us."""
    try:
        claims = jwt.decode(
            token,
            settings.SECRET_KEY.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            options={"require": ["exp", "sub"]},
        )
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    if claims.get("type") != "access" or not isinstance(subject, str) or not subject.isdigit():
        return None
    return int(subject)


async def load_active_user(db: AsyncSession, user_id: int) -> User | None:
    user = await db.get(User, user_id)
    return user if user is not None and user.is_active else None


async def register(db: AsyncSession, data: UserCreate, rounds: int) -> User:
    """Create an account; 409 when the email (compared lower-cased) is taken."""
    if not data.display_name.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "display_name must not be blank")
    email = normalize_email(data.email)
    taken = await db.scalar(select(User.id).where(User.email == email))
    if taken is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "Email already registered")
    password_hash = await asyncio.to_thread(hash_password, data.password, rounds)
    user = User(email=email, password_hash=password_hash, display_name=data.display_name)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:  # a concurrent registration of the same email won the race
        await db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "Email already registered") from None
    await db.refresh(user)
    return user


async def _issue_tokens(db: AsyncSession, user_id: int, settings: Settings) -> TokenPair:
    refresh_token = secrets.token_urlsafe(32)
    lifetime = datetime.timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS)
    expires_at = datetime.datetime.now(datetime.UTC) + lifetime
    db.add(RefreshToken(user_id=user_id, token_hash=hash_refresh_token(refresh_token), expires_at=expires_at))
    return TokenPair(
        access_token=create_access_token(user_id, settings),
        refresh_token=refresh_token,
        expires_in=settings.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
    )


async def login(db: AsyncSession, data: LoginRequest, settings: Settings, rounds: int) -> TokenPair:
    """Check the credentials and issue a token pair; one message for every failure (no user enumeration)."""
    user = await db.scalar(select(User).where(User.email == normalize_email(data.email)))
    if user is None:
        await asyncio.to_thread(verify_password, data.password, _dummy_hash(rounds))
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, INVALID_CREDENTIALS)
    valid = await asyncio.to_thread(verify_password, data.password, user.password_hash)
    if not valid or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, INVALID_CREDENTIALS)
    pair = await _issue_tokens(db, user.id, settings)
    await db.commit()
    return pair


async def refresh(db: AsyncSession, token: str, settings: Settings) -> TokenPair:
    """Rotate a refresh token; a revoked one presented again revokes all of its owner's tokens (theft)."""
    now = datetime.datetime.now(datetime.UTC)
    stored = await db.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(token)).with_for_update()
    )
    if stored is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, INVALID_REFRESH)
    if stored.revoked_at is not None:
        await db.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == stored.user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await db.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, INVALID_REFRESH)
    if stored.expires_at <= now or await load_active_user(db, stored.user_id) is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, INVALID_REFRESH)
    stored.revoked_at = now
    pair = await _issue_tokens(db, stored.user_id, settings)
    await db.commit()
    return pair


async def logout(db: AsyncSession, user: User, token: str) -> None:
    """Revoke `token` if it is the user's and still active; one UPDATE, silent otherwise."""
    await db.execute(
        update(RefreshToken)
        .where(
            RefreshToken.token_hash == hash_refresh_token(token),
            RefreshToken.user_id == user.id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.datetime.now(datetime.UTC))
    )
    await db.commit()
