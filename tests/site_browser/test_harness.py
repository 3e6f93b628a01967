"""The harness itself: the watcher sees what it promises to see, the server serves, the helpers compute."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.site_browser.harness import (
    PageWatch,
    PngSize,
    Rgba,
    SiteServer,
    html_pages,
    is_local_url,
    png_size,
)

# Hosts under .invalid never resolve (RFC 2606): even a broken guard could not send these anywhere.
REMOTE_SCRIPT = "http://specc-test.invalid/remote.js"
REMOTE_DATA = "https://specc-worker.invalid/data.json"
REMOTE_SOCKET = "wss://specc-socket.invalid/live"


def write_site(folder: Path, files: dict[str, str]) -> Path:
    """A tiny static site: `files` maps relative paths to their text."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def html(body: str) -> str:
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"


def test_page_watch_aborts_and_records_outside_request_when_page_loads_remote_script(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(write_site(tmp_path, {"index.html": html(f'<script src="{REMOTE_SCRIPT}"></script>')}))

    # Act
    page_watch.visit(site.url)

    # Assert
    assert page_watch.outside_requests == [f"GET {REMOTE_SCRIPT}"]
    assert page_watch.failed_requests == []  # the aborted request is a violation, not also a failure
    assert "outside request: GET http://specc-test.invalid/remote.js" in page_watch.problems()


def test_page_watch_records_outside_request_when_worker_fetches_remote_url(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange: a dedicated worker, like mkdocs-material's search, fetching from another host
    files = {
        "index.html": html('<script>new Worker("worker.js")</script>'),
        "worker.js": f'fetch("{REMOTE_DATA}").catch(() => {{}});',
    }
    site = serve(write_site(tmp_path, files))

    # Act
    page_watch.visit(site.url)

    # Assert
    assert page_watch.outside_requests == [f"GET {REMOTE_DATA}"]


def test_page_watch_closes_and_records_outside_websocket_when_page_opens_one(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    script = (
        f'<script>const s = new WebSocket("{REMOTE_SOCKET}");'
        ' s.onclose = () => { document.title = "closed" }</script>'
    )
    site = serve(write_site(tmp_path, {"index.html": html(script)}))

    # Act
    page_watch.visit(site.url)
    page_watch.page.wait_for_function("document.title === 'closed'")

    # Assert
    assert page_watch.outside_requests == [f"WEBSOCKET {REMOTE_SOCKET}"]


def test_page_watch_loads_page_clean_when_addressed_as_localhost(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange: the browser resolves no host name but the loopback ones
    site = serve(write_site(tmp_path, {"index.html": html("<p>local</p>")}))
    port = urlsplit(site.url).port

    # Act
    page_watch.visit(f"http://localhost:{port}/")

    # Assert
    assert page_watch.page.inner_text("p") == "local"
    assert page_watch.problems() == []


def test_page_watch_records_console_and_page_errors_when_script_throws(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    script = '<script>console.error("specc-console"); throw new TypeError("specc-boom")</script>'
    site = serve(write_site(tmp_path, {"index.html": html(script)}))

    # Act
    page_watch.visit(site.url)

    # Assert
    assert [m.split(" (")[0] for m in page_watch.console_errors] == ["specc-console"]
    assert page_watch.page_errors == ["TypeError: specc-boom"]


def test_page_watch_records_failed_request_when_asset_is_missing(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(write_site(tmp_path, {"index.html": html('<img src="missing.png" alt="">')}))

    # Act
    page_watch.visit(site.url)

    # Assert
    assert page_watch.failed_requests == [f"GET {site.url}missing.png: HTTP 404"]
    assert page_watch.outside_requests == []


def test_page_watch_records_and_dismisses_dialog_when_script_alerts(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    script = '<script>alert("specc-dialog"); document.title = "after"</script>'
    site = serve(write_site(tmp_path, {"index.html": html(script)}))

    # Act
    page_watch.visit(site.url)

    # Assert
    assert page_watch.dialogs == ["alert: specc-dialog"]
    assert page_watch.page.title() == "after"  # dismissed: the script went on


def test_page_watch_clear_forgets_records_when_next_page_is_clean(
    tmp_path: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    files = {"index.html": html("<script>throw new Error('x')</script>"), "clean.html": html("<p>ok</p>")}
    site = serve(write_site(tmp_path, files))
    page_watch.visit(site.url)
    assert page_watch.page_errors == ["Error: x"]

    # Act
    page_watch.clear()
    page_watch.visit(site.url_for("clean.html"))

    # Assert
    assert page_watch.problems() == []


def test_serve_serves_folder_on_loopback_when_given_built_site(
    tmp_path: Path, serve: Callable[[Path], SiteServer]
) -> None:
    # Arrange
    write_site(tmp_path, {"index.html": html("<p>served</p>"), "guide/ci/index.html": html("<p>ci</p>")})

    # Act
    site = serve(tmp_path)
    with urllib.request.urlopen(site.url_for("guide/ci/"), timeout=5) as response:
        body = response.read().decode()

    # Assert
    assert site.url.startswith("http://127.0.0.1:")
    assert "<p>ci</p>" in body


def test_serve_refuses_folder_when_it_holds_no_site(
    tmp_path: Path, serve: Callable[[Path], SiteServer]
) -> None:
    # Arrange
    (tmp_path / "notes.txt").write_text("no site", encoding="utf-8")

    # Act / Assert
    with pytest.raises(FileNotFoundError, match=r"no index\.html"):
        serve(tmp_path)


def test_html_pages_lists_link_addresses_when_site_has_nested_index_files(tmp_path: Path) -> None:
    # Arrange
    write_site(
        tmp_path,
        {"index.html": "", "404.html": "", "guide/ci/index.html": "", "assets/app.js": "", "a/b.html": ""},
    )

    # Act
    pages = html_pages(tmp_path)

    # Assert
    assert pages == ["", "404.html", "a/b.html", "guide/ci/"]


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/x.js", True),
        ("http://localhost/x", True),
        ("http://[::1]:9/", True),
        ("data:image/png;base64,AA==", True),
        ("https://fonts.example.com/x.woff2", False),
        ("http://127.0.0.1.example.com/", False),
        ("ws://10.0.0.1/live", False),
    ],
)
def test_is_local_url_allows_only_loopback_when_given_url(url: str, local: bool) -> None:
    # Arrange / Act
    result = is_local_url(url)

    # Assert
    assert result is local


def test_rgba_luminance_composites_translucent_text_when_over_dark_background() -> None:
    # Arrange: mkdocs-material's slate scheme, as Chromium computes it
    background = Rgba.parse("rgb(30, 33, 41)")
    text = Rgba.parse("rgba(226, 228, 233, 0.82)")

    # Act
    seen = text.over(background)

    # Assert
    assert background.luminance() == pytest.approx(0.0152, abs=1e-3)
    assert seen.luminance() == pytest.approx(0.5323, abs=1e-3)
    assert Rgba.parse("rgb(255, 255, 255)").luminance() == pytest.approx(1.0)


def test_rgba_parse_rejects_keyword_when_colour_is_not_computed() -> None:
    # Arrange / Act / Assert
    with pytest.raises(ValueError, match="not a computed"):
        Rgba.parse("transparent")


def test_png_size_reads_header_when_data_is_png() -> None:
    # Arrange: the 8-byte signature, then an IHDR chunk for 3×2 pixels
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + (3).to_bytes(4, "big") + (2).to_bytes(4, "big")

    # Act
    size = png_size(header + b"\x08\x06\x00\x00\x00")

    # Assert
    assert size == PngSize(width=3, height=2)
    with pytest.raises(ValueError, match="not a PNG"):
        png_size(b"GIF89a")
