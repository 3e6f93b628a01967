"""Passwords masked in every spelling of a database URL a user may pass."""

from __future__ import annotations

import pytest

from specc.secrets import redact_url, url_secrets

SECRET = "S3cr3t-pw"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql://app:{SECRET}@db/app", "postgresql://app:***@db/app"),
        (
            f"postgresql+psycopg://app@db:5432/app?password={SECRET}",
            "postgresql+psycopg://app@db:5432/app?password=***",
        ),
        (f"postgresql+psycopg:/app:{SECRET}@db/app", "postgresql+psycopg:/app:***@db/app"),
        (f"host=db user=app password={SECRET} dbname=app", "host=db user=app password=*** dbname=app"),
        (f"host=db password='{SECRET} x' dbname=app", "host=db password=*** dbname=app"),
    ],
)
def test_redact_url_masks_the_password_in_each_spelling(url: str, shown: str) -> None:
    # Act
    redacted = redact_url(url)
    # Assert
    assert redacted == shown
    assert SECRET not in redacted


def test_url_secrets_lists_user_info_and_key_value_passwords() -> None:
    # Act
    found = url_secrets(f"postgresql://app:{SECRET}@db/app?password=other")
    # Assert: both, so messages are scrubbed of either
    assert found == [SECRET, "other"]
