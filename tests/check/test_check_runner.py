"""The rule registry and the runner: duplicate refusal, phase order, locations, codes reference."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.check import all_rules, codes_markdown, write_codes_doc
from specc.check.codes_doc import REFRESH_COMMAND
from specc.check.registry import Finding, check_rule
from specc.check.runner import UNKNOWN_FILE, locate
from specc.diagnostics import Severity, registered_codes
from specc.ir.model import Column, ForeignKey, Index, Relationship, Spec, Table
from tests.check.check_builders import FILE, check, endpoint, fk_col, pk, spec, table, users
from tests.strategies import schemas

ROOT = Path(__file__).resolve().parents[2]


def test_check_rule_refuses_an_already_registered_code() -> None:
    # Arrange
    existing = next(iter(all_rules()))
    # Act / Assert
    with pytest.raises(ValueError, match=f"rule {existing} is registered twice"):
        check_rule(existing, Severity.ERROR, "again", "explanation", "example")


def test_check_rule_refuses_a_code_outside_s_r_and_l() -> None:
    # Act / Assert
    with pytest.raises(ValueError, match=r"must start with S \(safety\), R \(resolution\) or L \(lint\)"):
        check_rule("X001", Severity.ERROR, "x", "explanation", "example")


def test_registered_rules_have_explanation_and_example() -> None:
    # Arrange
    rules = all_rules()
    # Act
    incomplete = [
        code for code, rule in rules.items() if len(rule.code.explanation) < 80 or not rule.code.example
    ]
    # Assert
    assert len(rules) >= 27
    assert incomplete == []


def test_run_checks_reports_resolution_before_lint() -> None:
    # Arrange: an unknown FK target (R003) and a missing ON DELETE (L006) on the same column
    s = spec(table("posts", pk(), fk_col("author_id", "user", on_delete=None)))
    # Act
    codes = [d.code for d in check(s)]
    # Assert
    assert codes.index("R003") < codes.index("L006")


def test_locate_falls_back_to_line_one_of_the_source() -> None:
    # Arrange
    finding = Finding("m", (None, None))
    # Act
    where = locate(finding, Spec(source="docs/X.md"))
    unknown = locate(finding, Spec())
    # Assert
    assert (where.file, where.line, where.column) == ("docs/X.md", 1, 1)
    assert unknown.file == UNKNOWN_FILE


def test_run_checks_uses_table_span_when_column_has_none() -> None:
    # Arrange
    s = spec(table("logs", Column(name="at", type="TIMESTAMP"), line=9))
    # Act
    lines = {d.code: d.line for d in check(s)}
    # Assert
    assert lines["L003"] == 9


def test_clean_spec_reports_nothing() -> None:
    # Arrange
    s = spec(
        users(),
        table("posts", pk(line=11), fk_col("author_id", "users", line=12), line=10),
        endpoints=(endpoint("GET", "/api/posts/{id}", 200, 401, 404),),
    )
    # Act / Assert
    assert check(s) == []


_names = st.sampled_from(["users", "posts", "rooms", "user", "id", "email", "author_id", "x"])
_types = st.sampled_from(
    ["BIGINT", "INTEGER", "UUID", "VARCHAR", "TIMESTAMP", "TEXT", "DOUBLE PRECISION", "???"]
)
_fks = st.builds(ForeignKey, table=_names, column=st.none() | _names)
_columns = st.builds(
    Column,
    name=_names,
    type=_types,
    primary_key=st.booleans(),
    unique=st.booleans(),
    autoincrement=st.booleans(),
    foreign_key=st.none() | _fks,
)
_tables = st.builds(
    Table,
    name=_names,
    columns=st.lists(_columns, max_size=4).map(tuple),
    indexes=st.lists(
        st.builds(Index, columns=st.lists(_names, min_size=1, max_size=2).map(tuple)), max_size=2
    ).map(tuple),
)
_relationships = st.builds(
    Relationship,
    from_=_names,
    to=_names,
    kind=st.sampled_from(["one-to-many", "many-to-many"]),
    through=st.none() | _names,
)
_specs = st.builds(
    Spec,
    source=st.just(FILE),
    tables=st.lists(_tables, max_size=4).map(tuple),
    relationships=st.lists(_relationships, max_size=2).map(tuple),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_specs)
def test_run_checks_never_raises_and_locates_every_diagnostic(s: Spec) -> None:
    # Act
    diagnostics = check(s)
    # Assert
    known = registered_codes()
    assert all(d.code in known and d.file == FILE and d.line >= 1 and d.column >= 1 for d in diagnostics)


@settings(max_examples=30, deadline=None)
@given(_specs)
def test_run_checks_is_deterministic(s: Spec) -> None:
    # Act / Assert
    assert check(s) == check(s)


def test_codes_markdown_has_an_anchored_section_per_registered_code() -> None:
    # Act
    text = codes_markdown()
    # Assert
    missing = [code for code in registered_codes() if f'<a id="{code}"></a>\n\n## {code}: ' not in text]
    assert missing == []


def test_codes_reference_file_is_current() -> None:
    # Arrange
    path = ROOT / "docs" / "reference" / "codes.md"
    # Act
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    # Assert
    assert current == codes_markdown(), f"{path} is stale; refresh with: {REFRESH_COMMAND}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas())
def test_run_checks_finds_no_resolution_errors_in_valid_generated_schemas(s: Spec) -> None:
    # Act
    errors = [d for d in check(s) if d.code.startswith("R") and d.severity == Severity.ERROR]
    # Assert
    assert errors == []


def test_write_codes_doc_writes_then_check_detects_staleness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    monkeypatch.chdir(tmp_path)
    # Act
    missing = write_codes_doc.main(["--check"])
    written = write_codes_doc.main([])
    fresh = write_codes_doc.main(["--check"])
    (tmp_path / "docs" / "reference" / "codes.md").write_text("old\n", encoding="utf-8")
    stale = write_codes_doc.main(["--check"])
    # Assert
    assert (missing, written, fresh, stale) == (1, 0, 0, 1)
