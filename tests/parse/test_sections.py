"""Section-by-section parsing with a cache gives exactly what reading the whole document gives.

The generator mixes the constructs that can make a cut at a column-0 heading wrong (unclosed fences and HTML
blocks, tables, setext and quoted headings, indented heading markers) with the ones the walker carries across
headings (tables continued under sub-headings, diagram and overview sections, suppression comments).
"""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.diagnostics import Reporter
from specc.ir.model import Span, Spec
from specc.parse import ParseResult, parse_spec
from specc.parse.codec import CodecError, decoder, encode
from specc.parse.document import Document, markdown
from specc.parse.effects import SectionDiagnostic, SectionEffects
from specc.parse.reading import LeftOpen, OpenHeading, Reading, SuppressionComment
from specc.parse.sectioncache import SectionCache, cache_file, signing_key
from specc.parse.sections import cut, tokenize
from specc.parse.walker import Entangled, Walker
from tests.conftest import corpus_documents

HEADINGS = [
    "# Title",
    "## Database Schema",
    "### users",
    "### orders (renamed from purchases)",
    "### Table: `items`",
    "#### Columns",
    "## API Contracts",
    "### GET /api/users",
    "### POST /api/orders/{order_id}",
    "## System Diagram",
    "## Relationships",
    "### Indexes",
    "## System Overview",
    "#",
    "###### deep",
    "#no-space is a paragraph",
]
BLOCKS = [
    "| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n| name | TEXT | NOT NULL |",
    "| Column | Type |\n| --- | --- |\n| user_id | BIGINT FK → users.id |",
    "| Table | Column(s) | Type |\n| --- | --- | --- |\n| users | name | UNIQUE |",
    "| a | b |\n| - |",
    "```\ncode\n```",
    "```mermaid\ngraph TD\n```",
    "```\n# inside an unclosed fence",
    "<!-- an HTML comment left open",
    "<!-- specc: ignore P005 -->",
    "<!-- specc: ignore-file L001 -->",
    "<div>\nan HTML block",
    "- **Auth:** Required",
    '- **Request Body:**\n  ```json\n  {"name": "x", "n": 1}\n  ```',
    '- **Success Response (201):**\n  ```json\n  {"id": 1}\n  ```\n'
    "- **Error Responses:**\n  - 404: Not found",
    "- users has many orders (1:N)",
    "- **Check:** amount >= 0",
    "#### Notes\n\n- **Check:** name <> ''",
    "**Indexes:**\n- name (unique)",
    "A paragraph of prose.",
    "Setext heading\n===",
    "> # quoted heading",
    "    # indented code, not a heading",
    "  ## an indented heading",
    "| id | BIGINT | PK |",
    "",
]
FRAGMENTS = HEADINGS + BLOCKS
_documents = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(
    lambda parts: "\n\n".join(parts) if len(parts) % 3 else "\n".join(parts)
)


def _edit(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines)))
    kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    piece = data.draw(st.sampled_from(FRAGMENTS)).split("\n")
    if kind == "insert":
        lines[at:at] = piece
    elif kind == "delete":
        del lines[at : at + data.draw(st.integers(1, 3))]
    else:
        lines[at : at + 1] = piece
    return "\n".join(lines)


def _outcome(result: ParseResult, reporter: Reporter) -> tuple[Spec, list[tuple[object, ...]], object]:
    diagnostics = sorted((*d.sort_key, d.hint or "") for d in reporter.diagnostics)
    return result.spec, diagnostics, result.suppressions


def _classic(text: str) -> tuple[Spec, list[tuple[object, ...]], object]:
    reporter = Reporter()
    return _outcome(parse_spec(text, "doc.md", reporter), reporter)


def _cached(text: str, cache: SectionCache) -> tuple[Spec, list[tuple[object, ...]], object]:
    reporter = Reporter()
    return _outcome(parse_spec(text, "doc.md", reporter, cache), reporter)


def _carry(cache: SectionCache) -> SectionCache:
    """A cache holding what `cache` would have written (the next build's view), without touching disk."""
    following = SectionCache()
    following.previous = dict(cache.current)
    return following


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_parse_spec_with_cold_cache_equals_whole_document_parse(text: str) -> None:
    # Arrange
    expected = _classic(text)
    # Act
    actual = _cached(text, SectionCache())
    # Assert: same IR (spans included), same diagnostics, same suppressions
    assert actual == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents, st.data())
def test_parse_spec_after_edit_with_warm_cache_equals_whole_document_parse(
    text: str, data: st.DataObject
) -> None:
    # Arrange: parse once to fill the cache, then edit the document the way a user does
    first = SectionCache()
    _cached(text, first)
    edited = _edit(text, data)
    expected = _classic(edited)
    # Act
    actual = _cached(edited, _carry(first))
    # Assert
    assert actual == expected


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_sections_tokenize_like_the_whole_document_or_refuse(text: str) -> None:
    # Arrange
    whole = markdown().parse(text)
    sections = cut(text)
    # Act
    pieces = [tokenize(section) for section in sections]
    # Assert: when every cut holds, the sections' tokens are the document's, lines shifted
    if any(p is None for p in pieces[:-1]):
        return
    joined = []
    for section, tokens in zip(sections, pieces, strict=True):
        assert tokens is not None
        for token in tokens:
            shifted = (
                None if token.map is None else [token.map[0] + section.start, token.map[1] + section.start]
            )
            joined.append((token.type, token.tag, token.level, token.content, shifted))
    assert joined == [(t.type, t.tag, t.level, t.content, t.map) for t in whole]


def test_tokenize_refuses_a_cut_inside_an_unclosed_fence() -> None:
    # Arrange
    text = "# A\n\n```\n# not a heading\n\n# still code\n"
    sections = cut(text)
    # Act
    first = tokenize(sections[0])
    # Assert
    assert len(sections) == 3
    assert first is None


def test_parse_spec_reuses_unchanged_sections_after_an_edit() -> None:
    # Arrange
    text = "# Shop\n\n## Database Schema\n\n" + "".join(
        f"### t{i}\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n\n"
        for i in range(20)
    )
    first = SectionCache()
    _cached(text, first)
    edited = text.replace("### t0\n", "### t0\n\nA line added above every later table.\n")
    following = _carry(first)
    # Act
    actual = _cached(edited, following)
    # Assert: only the edited section was read again, and the moved tables carry their new lines
    assert (following.hits, following.misses) == (21, 1)
    assert actual == _classic(edited)
    moved = edited.split("\n").index("### t19") + 1
    assert actual[0].tables[19].span == Span(file="doc.md", line=moved, column=5)
    assert moved == text.split("\n").index("### t19") + 1 + 2


def test_parse_spec_reads_whole_document_when_a_section_extends_an_earlier_table() -> None:
    # Arrange: columns under a generic sub-heading belong to the table of the heading above
    text = (
        "### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n\n"
        "#### Columns\n\n| Column | Type |\n| --- | --- |\n| email | TEXT |\n"
    )
    cache = SectionCache()
    # Act
    actual = _cached(text, cache)
    # Assert
    assert [c.name for c in actual[0].tables[0].columns] == ["id", "email"]
    assert actual == _classic(text)
    assert cache.current == {}


def test_parse_spec_reads_whole_document_when_a_section_adds_a_check_to_an_earlier_table() -> None:
    # Arrange: a check under a sub-heading belongs to the table of the heading above
    text = (
        "### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n\n"
        "#### Rules\n\n- **Check:** id > 0\n"
    )
    cache = SectionCache()
    # Act
    actual = _cached(text, cache)
    # Assert
    assert [c.expression for c in actual[0].tables[0].checks] == ["id > 0"]
    assert actual == _classic(text)
    assert cache.current == {}


def test_section_cache_ignores_corrupt_and_foreign_files(tmp_path: Path) -> None:
    # Arrange
    path = cache_file(tmp_path, "docs/ARCHITECTURE.md")
    path.write_bytes(b"\x00not marshal data")
    corrupt = SectionCache(path)
    path.write_bytes(marshal.dumps(("another specc", {b"k": (1,)})))
    foreign = SectionCache(path)
    # Act
    outcome = _cached("# T\n\n### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n", foreign)
    # Assert
    assert corrupt.previous == {} and foreign.previous == {}
    assert outcome == _classic("# T\n\n### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n")


def test_section_cache_save_writes_gitignored_folder_and_reads_back(tmp_path: Path) -> None:
    # Arrange
    folder = tmp_path / ".specc_cache"
    cache = SectionCache(cache_file(folder, "ARCHITECTURE.md"))
    _cached("# T\n\n### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n", cache)
    # Act
    cache.save()
    again = SectionCache(cache_file(folder, "ARCHITECTURE.md"))
    # Assert
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert again.previous == cache.current and len(again.previous) == 2


@pytest.mark.parametrize("path", corpus_documents(), ids=lambda p: p.name[:2])
def test_codec_round_trip_moves_every_span_of_corpus_document(path: Path) -> None:
    # Arrange
    name = path.name
    spec = parse_spec(path.read_text(encoding="utf-8"), name, Reporter()).spec
    parts = (spec.tables, spec.relationships, spec.endpoints, spec.decisions, spec.tech_stack)
    # Act
    moved = decoder(name, 7)(encode(parts, 0))
    back = decoder(name, -7)(encode(moved, 0))
    # Assert
    assert back == parts
    if spec.tables:
        first = spec.tables[0].span
        assert first is not None and moved[0][0].span == first.model_copy(update={"line": first.line + 7})


def test_codec_round_trip_keeps_section_effects_with_sorted_suppression_codes() -> None:
    # Arrange
    heading = OpenHeading(level=2, text="Database Schema", section=None, has_table=False)
    effects = SectionEffects(
        reading=Reading(
            overview=["prose"],
            title="T",
            heading_lines=[0, 4],
            comments=[SuppressionComment(line0=2, kind="ignore", codes=frozenset({"P039", "L001", "P017"}))],
        ),
        diagnostics=(SectionDiagnostic(code="P030", message="m", line0=3, column=2, hint=None),),
        left_open=LeftOpen(kept=1, opened=(heading,)),
    )
    # Act
    encoded = encode(effects, -10)
    back = decoder("ARCHITECTURE.md", 10)(marshal.loads(marshal.dumps(encoded)))
    # Assert
    assert back == effects
    assert ("P039" in repr(encoded)) and repr(encoded).index("L001") < repr(encoded).index("P017")


def test_walker_raises_entangled_when_a_section_adds_columns_to_an_enclosing_table() -> None:
    # Arrange
    text = "#### Columns\n\n| Column | Type |\n|---|---|\n| note | text |\n"
    enclosing = (OpenHeading(level=3, text="users", section=None, has_table=True),)
    walker = Walker(Document(text, "ARCHITECTURE.md", Reporter(), line_offset=20), enclosing=enclosing)
    # Act / Assert
    with pytest.raises(Entangled):
        walker.walk()


def test_walker_left_open_reports_kept_enclosing_and_opened_headings() -> None:
    # Arrange
    text = "### orders\n\n| Column | Type |\n|---|---|\n| id | uuid |\n"
    enclosing = (
        OpenHeading(level=1, text="Title", section=None, has_table=False),
        OpenHeading(level=2, text="Database Schema", section=None, has_table=False),
        OpenHeading(level=3, text="users", section=None, has_table=True),
    )
    walker = Walker(Document(text, "ARCHITECTURE.md", Reporter(), line_offset=20), enclosing=enclosing)
    # Act
    reading = walker.walk()
    left = walker.left_open()
    # Assert
    assert [t.name for t in reading.tables] == ["orders"] and reading.tables[0].span.line == 21
    assert left == LeftOpen(
        kept=2, opened=(OpenHeading(level=3, text="orders", section=None, has_table=True),)
    )


def test_codec_refuses_unknown_values() -> None:
    # Arrange
    value = [{"a": 1}]
    # Act / Assert
    with pytest.raises(CodecError):
        encode(value, 0)


def test_section_cache_trusts_no_file_signed_with_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a cache written on another machine (another key), e.g. force-added to the repository
    text = "# T\n\n### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n"
    path = cache_file(tmp_path / ".specc_cache", "ARCHITECTURE.md")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    signing_key.cache_clear()
    planted = SectionCache(path)
    _cached(text, planted)
    planted.save()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "here"))
    signing_key.cache_clear()
    # Act
    here = SectionCache(path)
    mine = SectionCache(path)
    _cached(text, mine)
    mine.save()
    again = SectionCache(path)
    signing_key.cache_clear()
    # Assert
    assert path.is_file() and planted.current
    assert here.previous == {}
    assert again.previous == mine.current
    assert (tmp_path / "here" / "specc" / "cache.key").stat().st_mode & 0o777 == 0o600
