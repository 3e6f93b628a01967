"""Table and column names are read as written or reported (P030–P032), never silently replaced by another
name (the document title, an enclosing heading, the first word of a cell)."""

from __future__ import annotations

import pytest

from specc.diagnostics import Diagnostic, Reporter
from specc.ir.model import Spec
from specc.parse import parse_spec

HEADER = "| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK, auto-increment |\n"


def _parse(text: str) -> tuple[Spec, list[Diagnostic]]:
    reporter = Reporter()
    spec = parse_spec(text, "spec.md", reporter).spec
    return spec, reporter.sorted()


def _codes(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in diagnostics if d.code.startswith("P03")]


@pytest.mark.parametrize("heading", ["user-accounts", "пользователи", "ﬁles", "orders$2024"])
def test_table_name_from_heading_is_read_as_written_when_heading_is_one_name(heading: str) -> None:
    # Arrange
    text = f"# Doc Title\n\n## Database Schema\n\n### {heading}\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == [heading.lower()]
    assert _codes(diagnostics) == []


def test_table_name_from_heading_reports_p030_at_the_character_when_heading_has_zero_width_space() -> None:
    # Arrange
    text = f"# Doc Title\n\n### us\u200bers\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P030", 3, 7)]
    assert "U+200B" in diagnostics[0].message
    assert [t.name for t in spec.tables] == ["us\u200bers"]


def test_table_name_from_heading_reports_p032_instead_of_enclosing_name_when_heading_is_not_a_name() -> None:
    # Arrange
    text = f"# Doc Title\n\n## users\n\n### users?\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P032", 5, 5)]
    assert spec.tables == ()


def test_table_name_from_heading_still_uses_enclosing_heading_when_sub_heading_is_generic() -> None:
    # Arrange
    text = f"# Doc Title\n\n## users\n\n### Columns\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == ["users"]
    assert _codes(diagnostics) == []


def test_table_name_from_heading_drops_portuguese_table_prefix_when_heading_says_tabela() -> None:
    # Arrange
    text = f"# Doc Title\n\n## Modelo de dados\n\n### Tabela `sessoes_pilates`\n\n{HEADER}"

    # Act
    spec, _ = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == ["sessoes_pilates"]


@pytest.mark.parametrize(
    ("cell", "name", "message"),
    [
        ("first name", "first name", "several words"),
        ("created_at, updated_at c", "created_at, updated_at c", "several names"),
        ("`motivo` `diagnostico` y más", "motivo diagnostico y más", "several names"),
    ],
)
def test_column_name_reports_p031_and_keeps_the_cell_text_when_cell_holds_several_words(
    cell: str, name: str, message: str
) -> None:
    # Arrange
    text = f"# Doc\n\n### people\n\n{HEADER}| {cell} | TEXT | NOT NULL |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P031", 8, 3)]
    assert message in diagnostics[0].message
    assert [c.name for c in spec.tables[0].columns] == ["id", name]


@pytest.mark.parametrize(
    ("cell", "names", "columns"),
    [
        ("created_at, updated_at", ["created_at", "updated_at"], [3, 15]),
        ("`createdAt` / `updatedAt`", ["createdAt", "updatedAt"], [4, 18]),
        ("`motivo` `diagnostico`", ["motivo", "diagnostico"], [4, 13]),
        ("a;b", ["a", "b"], [3, 5]),
    ],
)
def test_column_name_listing_several_names_gives_one_column_each(
    cell: str, names: list[str], columns: list[int]
) -> None:
    # Arrange (corpus documents 16, 35 and 41 list `created_at, updated_at` on one row)
    text = f"# Doc\n\n### people\n\n{HEADER}| {cell} | TIMESTAMPTZ | NOT NULL |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    listed = spec.tables[0].columns[1:]
    assert [(c.name, c.type, c.nullable) for c in listed] == [(n, "TIMESTAMPTZ", False) for n in names]
    assert [c.span.column if c.span else 0 for c in listed] == columns
    assert _codes(diagnostics) == []


def test_column_name_reports_p030_at_the_character_when_cell_has_bidi_override() -> None:
    # Arrange
    text = f"# Doc\n\n### people\n\n{HEADER}| na\u202eme | TEXT | NOT NULL |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P030", 8, 5)]
    assert [c.name for c in spec.tables[0].columns] == ["id", "na\u202eme"]


@pytest.mark.parametrize(
    ("cell", "name"),
    [("status (enum)", "status"), ("`email` — login address", "email"), ("user_id (FK)", "user_id")],
)
def test_column_name_takes_the_name_without_report_when_cell_adds_a_note(cell: str, name: str) -> None:
    # Arrange
    text = f"# Doc\n\n### people\n\n{HEADER}| {cell} | TEXT | NOT NULL |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == []
    assert [c.name for c in spec.tables[0].columns] == ["id", name]


@pytest.mark.parametrize(("cell", "char"), [("user's_id", "'"), ("a;b!", ";"), ('x"y', '"'), ("a.b,", ",")])
def test_column_name_reports_p033_at_the_character_when_name_has_punctuation(cell: str, char: str) -> None:
    # Arrange
    text = f"# Doc\n\n### people\n\n{HEADER}| {cell} | TEXT | NOT NULL |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P033", 8, 3 + cell.index(char))]
    assert [c.name for c in spec.tables[0].columns] == ["id", cell]


def test_column_name_is_accepted_without_report_when_name_is_a_nested_path() -> None:
    # Arrange
    text = f"# Doc\n\n### people\n\n{HEADER}| history[].sent_at | TEXT | NOT NULL |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == []
    assert [c.name for c in spec.tables[0].columns] == ["id", "history[].sent_at"]


def test_table_name_from_heading_reports_p032_when_heading_is_symbols_only() -> None:
    # Arrange
    text = f"# Doc Title\n\n### -\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P032", 3, 5)]
    assert spec.tables == ()


def test_table_name_from_heading_uses_enclosing_heading_when_heading_is_a_section_number() -> None:
    # Arrange
    text = f"# Doc Title\n\n## users\n\n### 2.1\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == ["users"]
    assert _codes(diagnostics) == []


def test_table_name_from_heading_reads_the_old_name_when_renamed_from_a_hyphenated_name() -> None:
    # Arrange
    text = f"# Doc\n\n### accounts (renamed from user-accounts)\n\n{HEADER}"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert [(t.name, t.renamed_from) for t in spec.tables] == [("accounts", "user-accounts")]
    assert _codes(diagnostics) == []
