"""Auth routes: register, login, refresh, logout, me."""

from fastapi import APIRouter, Depends

from app.dependencies.app_state import AppConfig, Config
from app.dependencies.rate_limit import limit_per_ip
from app.services import auth_service
from app.services.auth_service import TokenPair
from generated import contracts
from generated.database import DbSession
from generated.models import User
from generated.schemas import LoginRequest, LogoutRequest, RefreshRequest, UserCreate
from generated.security import CurrentUser

router = APIRouter()


@router.api_route(**contracts.post_auth_register)
async def register(
    body: UserCreate, db: DbSession, app_config: AppConfig, _: None = Depends(limit_per_ip("register", 5))
) -> User:
    return await auth_service.register(db, body, app_config.BCRYPT_ROUNDS)


@router.api_route(**contracts.post_auth_login)
async def login(
    body: LoginRequest,
    db: DbSession,
    config: Config,
    app_config: AppConfig,
    _: None = Depends(limit_per_ip("login", 10)),
) -> TokenPair:
    return await auth_service.login(db, body, config, app_config.BCRYPT_ROUNDS)


@router.api_route(**contracts.post_auth_refresh)
async def refresh(
    body: RefreshRequest, db: DbSession, config: Config, _: None = Depends(limit_per_ip("refresh", 20))
) -> TokenPair:
    return await auth_service.refresh(db, body.refresh_token, config)


@router.api_route(**contracts.post_auth_logout)
async def logout(body: LogoutRequest, user: CurrentUser, db: DbSession) -> None:
    await auth_service.logout(db, user, body.refresh_token)


@router.api_route(**contracts.get_auth_me)
async def me(user: CurrentUser) -> User:
    return user
