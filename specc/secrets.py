"""Keeping passwords out of every message: database URLs are shown with the password masked.

A URL may be malformed (that is often why it is shown), so masking does not rely on parsing it: everything
between `scheme://user:` and the last `@` is the password as far as showing the URL goes (masking a little
too much is harmless; showing a password is not). Messages that may quote a URL given to a driver are also
scrubbed of the password itself, wherever it appears.
"""

from __future__ import annotations

from collections.abc import Iterable

MASK = "***"


def redact_url(url: str) -> str:
    """`url` with its password replaced by `***` (any text with `://user:…@` is treated as a URL)."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        return url
    start = scheme_end + 3
    at = url.rfind("@")
    if at < start:
        return url
    colon = url.find(":", start, at)
    if colon < 0:
        return url
    return url[: colon + 1] + MASK + url[at:]


def url_password(url: str) -> str | None:
    """The password part of `url` as `redact_url` sees it, or None."""
    scheme_end = url.find("://")
    at = url.rfind("@")
    if scheme_end < 0 or at < scheme_end + 3:
        return None
    colon = url.find(":", scheme_end + 3, at)
    if colon < 0 or colon + 1 == at:
        return None
    return url[colon + 1 : at]


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
