"""Settings of this app beyond the generated `Settings` (which covers what every app on the stack needs)."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AppSettings(BaseSettings):
    """Tunables of the reference app, read from the environment (or `.env`)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # bcrypt cost factor: the architecture document asks for 12; tests lower it to keep the suite fast.
    BCRYPT_ROUNDS: int = Field(default=12, ge=4, le=31)


@lru_cache
def get_app_settings() -> AppSettings:
    """The app settings (cached; a test overrides this dependency instead of the environment)."""
    return AppSettings()
