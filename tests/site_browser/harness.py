"""The pieces of the real-browser harness: a local static server, a page watcher and colour arithmetic.

The fixtures in ``conftest.py`` wrap these; a test uses the fixtures. Nothing here mocks a browser: the pages
load in Debian's Chromium, driven by Playwright, from a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Error,
    Page,
    Request,
    Response,
    Route,
    WebSocketRoute,
)

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (apt package `chromium`): Playwright drives it and never downloads a browser."""

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts a page may reach; a request to any other host is aborted and recorded as a violation."""

LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
"""Schemes that name no host: they never reach the network."""

SETTLE_QUIET_S = 0.2
"""How long a visited page must have no request in flight to count as settled."""
SETTLE_POLL_MS = 50
SETTLE_TIMEOUT_S = 30.0


def is_local_url(url: str) -> bool:
    """True when loading `url` stays on this machine (loopback host, or a scheme without a host)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


def html_pages(folder: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths relative to the site's root, sorted.

    ``guide/ci/index.html`` becomes ``guide/ci/`` (the address a link uses), ``404.html`` stays as it is.
    """
    pages: list[str] = []
    for path in folder.rglob("*.html"):
        relative = path.relative_to(folder).as_posix()
        if relative == "index.html":
            relative = ""
        elif relative.endswith("/index.html"):
            relative = relative.removesuffix("index.html")
        pages.append(relative)
    return sorted(pages)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like `python -m http.server`, without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access log: the page watcher reports what matters (failed requests)."""


@dataclass
class SiteServer:
    """A built site served from 127.0.0.1 on a free port, in a daemon thread."""

    folder: Path
    url: str = field(init=False)
    _server: http.server.ThreadingHTTPServer = field(init=False, repr=False)
    _thread: threading.Thread = field(init=False, repr=False)

    def __post_init__(self) -> None:
        handler = functools.partial(_QuietHandler, directory=str(self.folder))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"site-{port}", daemon=True)
        self._thread.start()

    def url_for(self, path: str) -> str:
        """The absolute URL of `path` (relative to the site's root, e.g. ``guide/ci/``)."""
        return urljoin(self.url, path)

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass
class PageWatch:
    """A fresh browser page (own context) that records everything that makes a page load not clean.

    - ``console_errors``: console messages of type ``error`` (with their source location),
    - ``page_errors``: uncaught exceptions in the page,
    - ``failed_requests``: requests that failed on the network, and responses with status 400 or more,
    - ``outside_requests``: every request (and WebSocket) to a host other than 127.0.0.1/localhost/::1;
      they are aborted before they leave the machine,
    - ``dialogs``: every ``alert``/``confirm``/``prompt``/``beforeunload`` dialog (dismissed at once).

    ``problems()`` lists all of them; a clean load has none. ``clear()`` empties the records, so one page can
    visit many addresses and each visit is judged on its own.
    """

    context: BrowserContext = field(repr=False)
    page: Page = field(init=False, repr=False)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    _in_flight: set[Request] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        # Routes first: nothing may load before the guard is in place.
        self.context.route("**/*", self._guard_request)
        self.context.route_web_socket(re.compile(r".*"), self._guard_websocket)
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)
        self.page.on("dialog", self._on_dialog)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_request_finished)

    def _guard_request(self, route: Route) -> None:
        request = route.request
        if is_local_url(request.url):
            route.fallback()
            return
        self.outside_requests.append(f"{request.method} {request.url}")
        route.abort("blockedbyclient")

    def _guard_websocket(self, websocket: WebSocketRoute) -> None:
        if is_local_url(websocket.url):
            websocket.connect_to_server()
            return
        self.outside_requests.append(f"WEBSOCKET {websocket.url}")
        websocket.close()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            self.console_errors.append(f"{message.text} ({location['url']}:{location['lineNumber']})")

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    def _on_request(self, request: Request) -> None:
        self._in_flight.add(request)

    def _on_request_finished(self, request: Request) -> None:
        self._in_flight.discard(request)

    def _on_request_failed(self, request: Request) -> None:
        self._in_flight.discard(request)
        # An outside request fails because the guard aborted it: it is recorded there, not here.
        if is_local_url(request.url):
            self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.request.method} {response.url}: HTTP {response.status}")

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str) -> None:
        """Load `url`, then wait until the page settles (its scripts ran, its workers fetched what they read).

        Settled means: no request of the page or its workers in flight for ``SETTLE_QUIET_S``. Like
        Playwright's ``networkidle``, with a shorter quiet window (a static site served from this machine
        answers in milliseconds); a page that never settles fails with the requests still open.
        """
        self.page.goto(url, wait_until="load")
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        quiet_since = time.monotonic()
        while True:
            self.page.wait_for_timeout(SETTLE_POLL_MS)  # the browser's events arrive while this waits
            now = time.monotonic()
            if self._in_flight:
                quiet_since = now
            elif now - quiet_since >= SETTLE_QUIET_S:
                return
            if now > deadline:
                open_urls = sorted(request.url for request in self._in_flight)
                raise TimeoutError(f"{url} did not settle in {SETTLE_TIMEOUT_S} s; in flight: {open_urls}")

    def problems(self) -> list[str]:
        """Everything recorded, each line prefixed with its kind; empty for a clean load."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"outside request: {m}" for m in self.outside_requests]
            + [f"dialog: {m}" for m in self.dialogs]
        )

    def clear(self) -> None:
        """Forget what was recorded so far."""
        for records in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.outside_requests,
            self.dialogs,
        ):
            records.clear()


_CSS_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)")


@dataclass(frozen=True)
class Rgba:
    """A computed CSS colour: channels 0–255, alpha 0–1."""

    red: float
    green: float
    blue: float
    alpha: float = 1.0

    @classmethod
    def parse(cls, css: str) -> Rgba:
        """Read ``rgb(r, g, b)`` or ``rgba(r, g, b, a)``, the form `getComputedStyle` returns."""
        match = _CSS_RGB.fullmatch(css.strip())
        if match is None:
            raise ValueError(f"not a computed rgb()/rgba() colour: {css!r}")
        red, green, blue, alpha = match.groups()
        return cls(float(red), float(green), float(blue), 1.0 if alpha is None else float(alpha))

    def over(self, background: Rgba) -> Rgba:
        """This colour composited over an opaque `background` (what the eye sees)."""
        a = self.alpha
        return Rgba(
            self.red * a + background.red * (1 - a),
            self.green * a + background.green * (1 - a),
            self.blue * a + background.blue * (1 - a),
        )

    def luminance(self) -> float:
        """WCAG relative luminance, 0 (black) to 1 (white); alpha is ignored (composite first)."""

        def linear(channel: float) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class PngSize:
    """A PNG image's size in pixels."""

    width: int
    height: int


def png_size(data: bytes) -> PngSize:
    """The size of a PNG from its IHDR chunk; ValueError when `data` is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return PngSize(int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
