"""Fuzzing `specc docs` with the hostile documents of the build fuzzer: no traceback, a site, and every link
specc writes between its pages leads to a page and an anchor that exist (what `mkdocs build --strict`
checks, without running mkdocs for each document)."""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from specc.cli import main
from tests.test_build_fuzz import documents

_LINK = re.compile(r"\]\(([^()#\s]*)(?:#([^()\s]+))?\)")
_ANCHOR = re.compile(r'\{#([^}\s]+)\}|<span id="([^"]+)"></span>')


def _broken_links(pages: Path) -> list[str]:
    texts = {p.relative_to(pages).as_posix(): p.read_text(encoding="utf-8") for p in pages.rglob("*.md")}
    anchors = {rel: {a or b for a, b in _ANCHOR.findall(text)} for rel, text in texts.items()}
    broken: list[str] = []
    for rel, text in texts.items():
        for target, anchor in _LINK.findall(text):
            normal = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)) if target else rel
            if normal not in texts or (anchor and anchor not in anchors[normal]):
                broken.append(f"{rel}: {target}#{anchor}")
    return broken


@pytest.mark.slow
@settings(max_examples=60)
@given(documents())
def test_docs_answers_every_document_with_a_site_whose_links_resolve(text: str) -> None:
    # Arrange
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        spec = Path(folder) / "ARCHITECTURE.md"
        spec.write_text(text, encoding="utf-8")

        # Act
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["docs", str(spec), "--out", "site", "--no-cache"])

        # Assert
        assert code == 0
        pages = Path(folder) / "site" / "docs"
        assert (pages / "index.md").is_file()
        assert _broken_links(pages) == []
