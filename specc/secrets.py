"""Keeping passwords out of every message: database URLs are shown with the password masked.

A URL may be malformed (that is often why it is shown), so masking does not rely on parsing it: everything
between `scheme://user:` and the last `@` is the password as far as showing the URL goes (masking a little
too much is harmless; showing a password is not). Messages that may quote a URL given to a driver are also
scrubbed of the password itself, wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"


_KEY_VALUE = re.compile(r"(?i)\b(password|passwd|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s;]*)")
"""A password given as a key-value pair: `?password=…` in a URL's query, `password=…` in libpq's keyword
form (`host=… user=… password=…`), quoted or not."""
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/*")
"""A URL's scheme and the slashes after it (any number: `postgresql:/user:pw@host` is malformed but still
holds a password)."""


def redact_url(url: str) -> str:
    """`url` with its passwords replaced by `***`: the one in `scheme://user:…@` (any text that looks like a
    URL with user information is treated as one, well-formed or not) and any `password=…` pair."""
    text = _KEY_VALUE.sub(lambda m: m.group(1) + m.group(2) + MASK, url)
    scheme = _SCHEME.match(text)
    if scheme is None:
        return text
    start = scheme.end()
    at = text.rfind("@")
    if at < start:
        return text
    colon = text.find(":", start, at)
    if colon < 0:
        return text
    return text[: colon + 1] + MASK + text[at:]


def url_password(url: str) -> str | None:
    """The password of `url`'s user information as `redact_url` sees it, or None."""
    scheme = _SCHEME.match(url)
    at = url.rfind("@")
    if scheme is None or at < scheme.end():
        return None
    colon = url.find(":", scheme.end(), at)
    if colon < 0 or colon + 1 == at:
        return None
    return url[colon + 1 : at]


def url_secrets(url: str) -> list[str]:
    """Every password `url` holds (user information and `password=` pairs), to scrub from messages."""
    found = [m.group(3).strip("'") for m in _KEY_VALUE.finditer(url) if m.group(3).strip("'")]
    password = url_password(url)
    return [*([password] if password else []), *found]


def unencoded_at(url: str) -> bool:
    """True when the user or password part of `url` holds a raw `@` (drivers then split the URL elsewhere
    than its writer meant, and part of the password would be shown as a host name)."""
    scheme_end = url.find("://")
    at = url.rfind("@")
    return scheme_end >= 0 and at > scheme_end + 3 and "@" in url[scheme_end + 3 : at]


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-empty secret, and its percent-decoded form, replaced by `***`."""
    from urllib.parse import unquote

    for secret in secrets:
        for form in {secret, unquote(secret)}:
            if form:
                text = text.replace(form, MASK)
    return text
