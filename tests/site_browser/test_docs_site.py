"""specc's user guide (mkdocs-material) in a real Chromium: clean pages, search, dark scheme, screenshots."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.site_browser.harness import PageWatch, Rgba, SiteServer, html_pages, png_size

SEARCH_WORD = "leniently"
"""In one page only: the title of diagnostic P034, "Body read leniently: comments or trailing commas"."""
SEARCH_PAGE = "reference/codes/"
SEARCH_SECTION = "p034-body-read-leniently-comments-or-trailing-commas"

DARK_BELOW = 0.1
"""Relative luminance under which a background counts as dark (slate's is about 0.015, white's 1)."""
LIGHT_ABOVE = 0.4
"""Relative luminance over which text counts as light (slate's is about 0.54, the default scheme's 0.02)."""

SCREENSHOTS = {"home": "", "getting-started": "guide/getting-started/", "codes": "reference/codes/"}
BLANK_PNG_BYTES = 10_000
"""A blank 1280×800 screenshot compresses to a few kilobytes; a page of text is far larger."""


def pages_with_word(site: Path, word: str) -> set[str]:
    """The pages whose search index entries (page or section) contain `word`: what the search worker reads."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if word in (doc["title"] + " " + doc["text"]).lower()
    }


@dataclass(frozen=True)
class Shades:
    """Relative luminance of a page's background and of its body text as seen over that background."""

    background: float
    text: float


def shades(page: Page) -> Shades:
    """The computed colours of the page's body and of the article text, as luminance."""
    background_css, text_css = page.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector('.md-content .md-typeset')).color]"""
    )
    background = Rgba.parse(background_css)
    return Shades(background.luminance(), Rgba.parse(text_css).over(background).luminance())


def test_docs_site_every_page_loads_clean_when_served_locally(
    docs_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(docs_site)
    pages = html_pages(docs_site)
    problems: dict[str, list[str]] = {}
    titles: dict[str, str] = {}

    # Act: one page walks the whole site
    for path in pages:
        page_watch.clear()
        page_watch.visit(site.url_for(path))
        titles[path] = page_watch.page.title()
        if page_watch.problems():
            problems[path] = page_watch.problems()

    # Assert
    assert {"", "guide/getting-started/", "reference/codes/", "ARCHITECTURE/", "404.html"} <= set(pages)
    assert problems == {}
    assert titles["reference/codes/"] == "Diagnostic codes - specc"
    assert all(title.endswith("specc") for title in titles.values()), titles


def test_docs_site_search_lists_only_codes_page_when_word_is_unique_to_it(
    docs_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    assert pages_with_word(docs_site, SEARCH_WORD) == {SEARCH_PAGE}, "pick a word that is on one page only"
    site = serve(docs_site)
    page_watch.visit(site.url)
    box = page_watch.page.locator("input.md-search__input")

    # Act: type as a person would; the search worker answers asynchronously
    box.click()
    box.press_sequentially(SEARCH_WORD)
    links = page_watch.page.locator(".md-search-result__list a.md-search-result__link")
    expect(links.first).to_be_visible()
    hrefs: list[str] = links.evaluate_all("links => links.map(link => link.href)")

    # Assert
    assert {urlsplit(href).path for href in hrefs} == {f"/{SEARCH_PAGE}"}
    assert SEARCH_SECTION in {urlsplit(href).fragment for href in hrefs}
    assert page_watch.page.locator(".md-search-result__meta").inner_text() == "1 matching document"
    assert page_watch.problems() == []


def test_docs_site_palette_toggle_renders_dark_scheme_when_clicked(
    docs_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch
) -> None:
    # Arrange
    site = serve(docs_site)
    page_watch.visit(site.url)
    page = page_watch.page

    before = shades(page)
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    assert before.background > LIGHT_ABOVE and before.text < DARK_BELOW

    # Act: the header's palette toggle (the visible one of its two labels)
    page.locator("form[data-md-component=palette] label[title='Switch to dark mode']").click()

    # Assert
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    after = shades(page)
    assert after.background < DARK_BELOW
    assert after.text > LIGHT_ABOVE
    assert page_watch.problems() == []


def test_docs_site_screenshots_saved_as_png_when_pages_render(
    docs_site: Path, serve: Callable[[Path], SiteServer], page_watch: PageWatch, artifacts: Path
) -> None:
    # Arrange
    site = serve(docs_site)
    folder = artifacts / "docs-site"
    folder.mkdir(parents=True, exist_ok=True)
    viewport = page_watch.page.viewport_size
    assert viewport is not None

    # Act
    for name, path in SCREENSHOTS.items():
        page_watch.visit(site.url_for(path))
        page_watch.page.screenshot(path=folder / f"{name}.png")

    # Assert
    for name in SCREENSHOTS:
        data = (folder / f"{name}.png").read_bytes()
        size = png_size(data)
        assert (size.width, size.height) == (viewport["width"], viewport["height"]), name
        assert len(data) > BLANK_PNG_BYTES, name
    assert page_watch.problems() == []
