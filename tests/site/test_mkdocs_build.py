"""The generated sites build with `mkdocs build --strict` (every link and anchor specc writes resolves): the
example's, every check-clean corpus document's, and a hostile document's, whose markup shows as text.

The corpus documents are built in one mkdocs run: each document's site is written by `specc docs` as usual,
then its pages are put into a section of one combined mkdocs project (the pages link relatively, so a site's
pages work in a sub-folder), whose configuration is the generated one with each site's navigation as a
section. Each site's own mkdocs.yml is loaded by mkdocs' configuration reader too, so it is checked as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from specc.cli import main
from specc.config import Config
from specc.frontend import load
from specc.site.command import DocsRequest, docs
from specc.site.layout import PAGES
from specc.site.settings import DocsSettings
from tests.conftest import ROOT, corpus_documents

MARK = "SPECC_INJECTED"
HOSTILE = f"""# Evil </title><script>alert("{MARK}")</script> &amp; Co

## System Overview

<script>alert("{MARK}")</script> and <img src=x onerror=alert("{MARK}")> `<b>code</b>` {{: onclick="{MARK}"}}

## Tech Stack

| Layer | Technology | Why |
| --- | --- | --- |
| Backend | <script>alert("{MARK}")</script> | <img src=x onerror=alert("{MARK}")> |

## Database Schema

### users

| Column | Type | Constraints | Description |
| --- | --- | --- | --- |
| id | BIGINT | PK, auto-increment | <script>alert("{MARK}")</script> |
| email | VARCHAR(255) | NOT NULL, UNIQUE | <img src=x onerror=alert("{MARK}")> |
| role | ENUM('a<b>','</code><script>{MARK}</script>') | NOT NULL | [x](javascript:alert(1)) |

## API Contracts

### GET /api/users

- **Auth:** Required (Bearer token)
- **Success Response (200):**
  ```json
  {{ "name": "</code><script>alert('{MARK}')</script>", "tick": "```" }}
  ```
- **Error Responses:**
  - 401: <img src=x onerror=alert("{MARK}")>
"""


def _mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    return subprocess.run(
        command,
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def _write(document: Path, out: Path) -> int:
    config = Config(root=document.parent)
    request = DocsRequest(document, None, out, config, DocsSettings(), cache=False, durable=False)
    return docs(request, echo=lambda _: None, echo_err=lambda _: None).exit_code


class _Elements(HTMLParser):
    """Every element with its attributes, the text of each `<script>`, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_cli_docs_build_builds_the_example_with_mkdocs_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    monkeypatch.chdir(ROOT)
    out = tmp_path / "example-site"

    # Act
    code = main(["docs", "--out", str(out), "--build"])

    # Assert
    assert code == 0
    home = _parse(out / "site" / "index.html")
    assert "Chatter — Architecture" in "".join(home.text)
    assert (out / "site" / "tables" / "rooms" / "index.html").is_file()
    assert (out / "site" / "search" / "search_index.json").is_file()
    plan = "".join(_parse(out / "site" / "testplan" / "index.html").text)
    assert "171/171 implemented" in plan


def _check_clean() -> list[Path]:
    return [path for path in corpus_documents() if load(path, None, Config(root=path.parent)).errors == 0]


def test_docs_sites_of_every_check_clean_corpus_document_build_with_mkdocs_strict(tmp_path: Path) -> None:
    # Arrange
    from mkdocs.config import load_config as load_mkdocs_config

    documents = _check_clean()
    combined = tmp_path / "combined"
    nav: list[dict[str, object]] = []
    not_in_nav: list[str] = []
    settings: dict[str, object] = {}
    for number, document in enumerate(documents):
        out = tmp_path / "sites" / f"d{number:02d}"
        assert _write(document, out) == 0, document.name
        load_mkdocs_config(config_file=str(out / "mkdocs.yml"))  # raises on an invalid configuration
        settings = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
        shutil.copytree(out / PAGES, combined / PAGES / out.name)
        pages = [{title: f"{out.name}/{page}"} for entry in settings["nav"] for title, page in entry.items()]
        nav.append({document.stem[:40]: pages})
        not_in_nav += [f"/{out.name}{pattern}" for pattern in settings["not_in_nav"].split()]
    (combined / PAGES / "index.md").write_text("# Corpus sites\n", encoding="utf-8")
    settings.update(
        site_name="corpus",
        nav=[{"Home": "index.md"}, *nav],
        not_in_nav="\n".join(not_in_nav),
        extra_css=[],
    )
    (combined / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")

    # Act
    built = _mkdocs(combined / "mkdocs.yml", tmp_path / "built")

    # Assert
    assert len(documents) >= 20
    assert built.returncode == 0, built.stdout + built.stderr
    assert len(list((tmp_path / "built").rglob("index.html"))) > 10 * len(documents)


def test_docs_site_shows_hostile_document_text_as_text_and_runs_none_of_it(tmp_path: Path) -> None:
    # Arrange
    document = tmp_path / "ARCHITECTURE.md"
    document.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "site-src"
    assert _write(document, out) == 0

    # Act
    built = _mkdocs(out / "mkdocs.yml", out / "site")

    # Assert
    assert built.returncode == 0, built.stdout + built.stderr
    pages = sorted((out / "site").rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        parsed = _parse(page)
        assert not any(MARK in script for script in parsed.scripts), page
        for tag, attributes in parsed.elements:
            assert tag != "img", page
            assert not any(name.startswith("on") for name in attributes), (page, tag, attributes)
            for name in ("href", "src", "action", "formaction"):
                value = (attributes.get(name) or "").lower()
                assert "javascript:" not in value and value != "x", (page, tag, attributes)
    users = "".join(_parse(out / "site" / "tables" / "users" / "index.html").text)
    assert f'<script>alert("{MARK}")</script>' in users
    assert f'<img src=x onerror=alert("{MARK}")>' in users
    assert f"</code><script>{MARK}</script>" in users
    api = "".join(_parse(out / "site" / "api" / "users" / "index.html").text)
    assert f"</code><script>alert('{MARK}')</script>" in api
    home = _parse(out / "site" / "index.html")
    assert f'Evil </title><script>alert("{MARK}")</script> &amp; Co' in "".join(home.text)
