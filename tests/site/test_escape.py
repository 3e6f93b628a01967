"""Text from the document on the site (`specc.site.escape`): rendered by Python-Markdown with the site's own
extensions, any string shows as written and makes no element."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.report import visible
from specc.site.escape import (
    code,
    fenced,
    inline,
    json_text,
    line_start,
    paragraphs,
    preformatted,
    slug,
    text,
)

EXTENSIONS = [
    "admonition",
    "attr_list",
    "def_list",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
]
"""The markdown extensions of the generated mkdocs.yml (specc/site/mkdocs_config.py)."""

MARKUP = [*"<>&\"'`*_[](){}#!|\\~:-+.=?^$%@/; \n\t", "!!! ", "??? ", "1. ", "- ", "> ", "    ", "```"]
HOSTILE = st.lists(
    st.sampled_from(MARKUP)
    | st.sampled_from(["a", "b", "1", "é", "\u202e", "\x1b", "\x02", "\xa0"])
    | st.text(max_size=3),
    max_size=25,
).map("".join)


class _Tree(HTMLParser):
    """The elements (tag names, in order) and the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markdown.markdown(markup, extensions=EXTENSIONS))
    tree.close()
    return tree


def _shown(value: str) -> str:
    """What `text` promises to show: white space runs as one space, ends stripped, invisible characters as
    escapes."""
    return visible(re.sub(r"[\t\n\r\f\v ]+", " ", value).strip())


@settings(max_examples=150)
@given(HOSTILE)
def test_text_shows_any_string_as_one_paragraph_of_text_when_rendered_at_a_line_start(value: str) -> None:
    # Arrange
    escaped = line_start(text(value))

    # Act
    tree = _parse(escaped)

    # Assert
    if _shown(value):
        assert tree.tags == ["p"]
        assert tree.text == _shown(value)
    else:
        assert tree.tags == []


@settings(max_examples=150)
@given(HOSTILE)
def test_text_shows_any_string_as_the_text_of_one_cell_when_rendered_in_a_table(value: str) -> None:
    # Arrange
    table = f"| head |\n| --- |\n| {text(value) or ' '} |"

    # Act
    tree = _parse(table)

    # Assert
    assert tree.tags == ["table", "thead", "tr", "th", "tbody", "tr", "td"]
    assert tree.text.split("head", 1)[1].strip() == _shown(value)


@settings(max_examples=100)
@given(HOSTILE)
def test_text_shows_any_string_as_a_heading_when_rendered_after_a_hash(value: str) -> None:
    # Arrange
    heading = f"# {line_start(text(value))}"

    # Act
    tree = _parse(heading)

    # Assert
    assert tree.tags == ["h1"]
    assert tree.text == _shown(value)


@settings(max_examples=100)
@given(HOSTILE)
def test_paragraphs_make_only_paragraphs_lists_and_code_when_given_any_prose(value: str) -> None:
    # Arrange
    escaped = paragraphs(value)

    # Act
    tree = _parse(escaped)

    # Assert
    assert set(tree.tags) <= {"p", "ul", "li", "code"}


def test_inline_shows_code_spans_as_code_elements_when_the_text_has_backticks() -> None:
    # Arrange
    value = "use `a <b>` then *not* `c`"

    # Act
    tree = _parse(inline(value))

    # Assert
    assert tree.tags == ["p", "code", "code"]
    assert tree.text == "use a <b> then *not* c"


def test_code_is_empty_when_the_value_is_blank() -> None:
    # Arrange
    value = "  "

    # Act
    result = code(value)

    # Assert
    assert result == ""


def test_text_keeps_an_underscore_between_letters_and_escapes_one_at_a_word_edge() -> None:
    # Arrange
    value = "created_at _private_"

    # Act
    result = text(value)

    # Assert
    assert result == "created_at &#95;private&#95;"


def test_preformatted_keeps_lines_and_shows_markup_as_text_when_rendered() -> None:
    # Arrange
    diagram = "[A] -> <script>alert(1)</script>\n\n    *B*  </pre>"

    # Act
    tree = _parse(preformatted(diagram))

    # Assert
    assert tree.tags == ["pre", "code"]
    assert tree.text == diagram + "\n"


def test_fenced_holds_text_with_backtick_fences_as_one_code_block() -> None:
    # Arrange
    body = 'x = "```"\n````\n</code><script>alert(1)</script>'

    # Act
    tree = _parse(fenced(body))

    # Assert
    assert "script" not in tree.tags
    assert tree.tags.count("pre") == 1
    assert tree.text.strip() == body


def test_json_text_writes_bidi_characters_as_escapes_inside_strings() -> None:
    # Arrange
    value = {"name": "a\u202eb", "n": 1}

    # Act
    result = json_text(value)

    # Assert
    assert result == '{\n  "name": "a\\u202eb",\n  "n": 1\n}'


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("users", "users"),
        ("room-members", "room-members"),
        ("index", "index-e540cdd132"),
        ("Users", "users-57f2b181d0"),
        ("../etc/passwd", "etc-passwd-e96c47eabf"),
    ],
)
def test_slug_is_the_name_when_plain_else_its_words_and_a_hash(name: str, expected: str) -> None:
    # Arrange
    taken: set[str] = set()

    # Act
    result = slug(name, taken)

    # Assert
    assert result == expected
    assert taken == {expected}


@settings(max_examples=150)
@given(st.lists(st.text(max_size=12), max_size=12))
def test_slug_gives_distinct_file_safe_slugs_when_names_differ(names: list[str]) -> None:
    # Arrange
    taken: set[str] = set()

    # Act
    slugs = [slug(name, taken) for name in names]

    # Assert
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", s) and len(s) <= 100 for s in slugs)
    assert all(s.split("-")[0] not in {"index", "readme", "con", "nul"} or "-" in s for s in slugs)
