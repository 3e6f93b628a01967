"""Real-browser fixtures for the documentation sites: Debian's Chromium, driven by Playwright.

No mocks and no network: a site is built to a folder, served from 127.0.0.1 and loaded in a real headless
Chromium (``/usr/bin/chromium``, apt package ``chromium``; Playwright never downloads a browser). Every
request to another host is aborted and recorded. Without Chromium the tests skip; with ``CI`` set they fail.

Fixtures
--------
``browser``
    One headless Chromium, shared by the tests of this package (package scope, not session scope: while
    Playwright's sync API is running it marks its event loop as the thread's running loop, which would break
    ``asyncio.run`` in the other tests of the same xdist worker; pytest closes it after this package's last
    test). Sandboxed unless running as root, where Chromium refuses its sandbox;
    ``SPECC_BROWSER_NO_SANDBOX=1`` turns the sandbox off for a non-root account that has none.
``serve(folder) -> SiteServer``
    Serves a built site from ``http://127.0.0.1:<free port>/`` in a thread (quiet, stopped after the test).
    ``server.url`` is the root, ``server.url_for("guide/ci/")`` a page. ``html_pages(folder)`` (in
    ``harness``) lists every page of a built site as such relative paths.
``page_watch -> PageWatch``
    A fresh browser context and page that records console errors, uncaught page errors, failed requests
    (network failures and HTTP status >= 400), every request to a non-local host (aborted, so nothing leaves
    the machine) and every dialog (dismissed). ``watch.visit(url)`` loads a page and waits until no request
    of it or its workers has been in flight for 0.2 s; ``watch.problems()`` lists what was recorded (empty
    when clean); ``watch.clear()`` starts over, so one page can walk a whole site; ``watch.page`` is the
    Playwright ``Page``.
``artifacts -> Path``
    Where screenshots go: ``$SPECC_ARTIFACTS`` or ``<pytest basetemp>/artifacts``.
``docs_site -> Path``
    specc's own user guide, built once per session with ``mkdocs build --strict``.

Testing another site (the example project's design site from ``specc docs``)
----------------------------------------------------------------------------
Put the test in this package (e.g. ``tests/site_browser/test_design_site.py``) so it gets these fixtures.
Build the site with the real ``specc docs`` command into a session-scoped temporary folder (a fixture like
``docs_site``), then, with ``site = serve(folder)`` and ``watch = page_watch``, assert:

1. Every page loads clean::

       problems = {}
       for path in html_pages(folder):
           watch.clear()
           watch.visit(site.url_for(path))
           if watch.problems():
               problems[path] = watch.problems()
       assert problems == {}

   (no console error, page error, failed request, request to another host or dialog on any page).
2. A table page's inline SVG ER diagram shows table names as text: on the page of a table with foreign
   keys, ``watch.page.locator("svg text.e-name").all_text_contents()`` holds the table's name and the names
   of the tables it references (inline ``<svg>``, not an ``<img>``: the names are text in the DOM; SVG has
   no ``innerText``, so ``all_inner_texts()`` gives ``None``).
3. Searching a column name finds its table page: type a column name that only one table has into the
   site's search box (``locator.press_sequentially``), wait for the result links (``expect(...)
   .to_be_visible()``: the search may answer from a worker) and assert their paths are that table's page.
4. Injection strings appear as text and run nothing: with a spec whose names, comments or examples hold
   ``<script>alert(1)</script>`` (and ``<img src=x onerror=alert(1)>``), visit the pages that show them and
   assert the string is in ``watch.page.inner_text("body")`` and ``watch.dialogs == []``: the watcher hooks
   ``page.on("dialog")`` before the first load, so an ``alert`` that ran is recorded there (and dismissed).
   ``watch.page_errors == []`` and ``watch.outside_requests == []`` cover the ``onerror`` variant.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from playwright.sync_api import Browser, ViewportSize, sync_playwright

from tests.site_browser.harness import CHROMIUM, PageWatch, SiteServer

ROOT = Path(__file__).resolve().parents[2]
IN_CI = bool(os.environ.get("CI"))

VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
"""A desktop window: mkdocs-material shows the header's search box and palette toggle at this width."""

NO_NAME_RESOLUTION = (
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1"
)
"""Belt and braces beside the request guard: Chromium resolves no host name (nor maps an address) but the
loopback ones, so not even a DNS query (a prefetch, a preconnect) leaves the machine."""


def _missing_browser(reason: str) -> NoReturn:
    """Skip (locally) or fail (in CI) when the browser cannot run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: the browser tests must run; .ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium for this package's tests."""
    if not os.access(CHROMIUM, os.X_OK):
        _missing_browser(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    as_root = os.geteuid() == 0
    sandbox = not as_root and os.environ.get("SPECC_BROWSER_NO_SANDBOX") != "1"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            chromium_sandbox=sandbox,
            args=[NO_NAME_RESOLUTION],
        )
    except BaseException:  # a browser that is there but does not start is an error, not a skip
        playwright.stop()
        raise
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture
def serve() -> Iterator[Callable[[Path], SiteServer]]:
    """`serve(folder)` serves a built site from 127.0.0.1 until the test ends."""
    servers: list[SiteServer] = []

    def start(folder: Path) -> SiteServer:
        if not (folder / "index.html").is_file():
            raise FileNotFoundError(f"{folder} holds no built site (no index.html)")
        server = SiteServer(folder)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def page_watch(browser: Browser) -> Iterator[PageWatch]:
    """A fresh context and page that records every problem of the pages it visits."""
    # Service workers would serve requests the guard does not see: block them.
    context = browser.new_context(viewport=VIEWPORT, service_workers="block", locale="en-US")
    watch = PageWatch(context)
    yield watch
    context.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder for screenshots: $SPECC_ARTIFACTS, else `artifacts` under pytest's base temp folder."""
    configured = os.environ.get("SPECC_ARTIFACTS")
    folder = Path(configured) if configured else tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """specc's user guide (mkdocs.yml, docs/), built once with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("docs-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return out
