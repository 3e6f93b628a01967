"""The example project's design site (`specc docs --build`) in a real Chromium: every page loads clean with no
request leaving 127.0.0.1, a table page shows its ER diagram with the table names as text, searching a column
name finds its table page, the dark scheme renders, a hostile document's strings show as text and run
nothing, and three screenshots are kept."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.site.test_mkdocs_build import HOSTILE, MARK
from tests.site_browser.harness import PageWatch, SiteServer, html_pages, png_size
from tests.site_browser.test_docs_site import DARK_BELOW, LIGHT_ABOVE, pages_with_word, shades

ROOT = Path(__file__).resolve().parents[2]
SPECC = str(Path(sys.executable).with_name("specc"))

SEARCH_COLUMN = "token_hash"
"""A column only the refresh_tokens table has."""
SCREENSHOTS = {"design-home": "", "design-table-rooms": "tables/rooms/", "design-api-rooms": "api/rooms/"}


def _built(document: Path | None, out: Path) -> Path:
    """`specc docs [DOCUMENT] --out OUT --build` from the project root; the built site's folder."""
    command = [SPECC, "docs", *([str(document)] if document else []), "--out", str(out), "--build"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"specc docs --build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return out / "site"


@pytest.fixture(scope="module")
def design_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(None, tmp_path_factory.mktemp("design-site") / "out")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-site")
    document = folder / "ARCHITECTURE.md"
    document.write_text(HOSTILE, encoding="utf-8")
    return _built(document, folder / "out")


def test_design_site_every_page_loads_clean_when_served_locally(
    design_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(design_site)
    pages = html_pages(design_site)
    problems: dict[str, list[str]] = {}

    # Act
    for path in pages:
        page_watch.clear()
        page_watch.visit(site.url_for(path))
        if page_watch.problems():
            problems[path] = page_watch.problems()

    # Assert: the home, a page per table, the API pages, the ER overview, the plan and the diagnostics
    assert {"", "tables/rooms/", "tables/users/", "api/rooms/", "er/", "testplan/", "diagnostics/"} <= set(
        pages
    )
    assert problems == {}


def test_design_site_table_page_shows_its_er_diagram_with_table_names_as_text(
    design_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(design_site)

    # Act
    page_watch.visit(site.url_for("tables/rooms/"))
    names = page_watch.page.locator("svg text.e-name").all_text_contents()

    # Assert: rooms, the table it references, and the tables referencing it
    assert {"rooms", "users", "room_members", "messages"} <= set(names)
    assert page_watch.page.locator("svg text.e-name", has_text="rooms").first.is_visible()
    assert page_watch.problems() == []


def test_design_site_search_for_a_column_name_finds_its_table_page(
    design_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    assert "tables/refresh_tokens/" in pages_with_word(design_site, SEARCH_COLUMN)
    site = serve(design_site)
    page_watch.visit(site.url)
    box = page_watch.page.locator("input.md-search__input")

    # Act
    box.click()
    box.press_sequentially(SEARCH_COLUMN)
    links = page_watch.page.locator(".md-search-result__list a.md-search-result__link")
    expect(links.first).to_be_visible()
    hrefs: list[str] = links.evaluate_all("links => links.map(link => link.href)")

    # Assert
    assert "/tables/refresh_tokens/" in {urlsplit(href).path for href in hrefs}
    assert page_watch.problems() == []


def test_design_site_dark_scheme_renders_the_table_page_readably(
    design_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(design_site)
    page_watch.visit(site.url_for("tables/rooms/"))
    page = page_watch.page

    # Act
    page.locator("form[data-md-component=palette] label[title='Switch to dark mode']").click()

    # Assert
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    after = shades(page)
    assert after.background < DARK_BELOW and after.text > LIGHT_ABOVE
    assert page_watch.problems() == []


def test_design_site_hostile_strings_show_as_text_and_run_nothing(
    hostile_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(hostile_site)
    shown: dict[str, bool] = {}
    problems: dict[str, list[str]] = {}

    # Act: every page, in both schemes' default (the dialog hook is on from the first load)
    for path in html_pages(hostile_site):
        page_watch.clear()
        page_watch.visit(site.url_for(path))
        shown[path] = f'<script>alert("{MARK}")</script>' in page_watch.page.inner_text("body")
        if page_watch.problems():
            problems[path] = page_watch.problems()

    # Assert: the home page and the users table page show the script as text; no alert, error or request
    assert shown[""] and shown["tables/users/"]
    assert problems == {}
    assert page_watch.dialogs == []


def test_design_site_screenshots_saved_as_png_when_pages_render(
    design_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch, artifacts: Path
) -> None:
    # Arrange
    site = serve(design_site)
    folder = artifacts / "design-site"
    folder.mkdir(parents=True, exist_ok=True)

    # Act
    for name, path in SCREENSHOTS.items():
        page_watch.visit(site.url_for(path))
        page_watch.page.screenshot(path=folder / f"{name}.png")

    # Assert
    for name in SCREENSHOTS:
        data = (folder / f"{name}.png").read_bytes()
        assert png_size(data).width == 1280, name
        assert len(data) > 10_000, name
    assert page_watch.problems() == []
