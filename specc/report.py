"""Render diagnostics for people and machines: text (with source line and caret), JSON, GitHub, SARIF.

The JSON report is the pydantic model `CheckReport`; its JSON Schema is checked in at
`schemas/specc-check.schema.json` (refresh: `.venv/bin/python -m specc.report`).

The helpers (`visible`, excerpts, GitHub escaping, the SARIF models, schema refresh) serve `specc drift`'s
renderers too (`specc.drift.render`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from specc import __version__
from specc.diagnostics import Code, Diagnostic, Severity, count, registered_codes

Format = Literal["text", "json", "github", "sarif"]

CHECK_SCHEMA_PATH = Path("schemas/specc-check.schema.json")
CODES_DOC_URI = "docs/reference/codes.md"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


# --- text ---------------------------------------------------------------------------------------------


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return "no problems found"
    return ", ".join(
        plural(count(diagnostics, severity), severity.value)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )


_INVISIBLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
"""Characters a terminal or a web page would act on or hide instead of showing: control characters (ESC
starts terminal escape sequences; tab excepted), format characters (bidi overrides and isolates, zero-width
characters), line and paragraph separators, and lone surrogates. Unicode categories Cc, Cf, Zl, Zp and Cs;
tests/test_report.py checks this set against `unicodedata`."""


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, keep_line_breaks: bool = False) -> str:
    """`text` with every character of `_INVISIBLE` written as a Python-style escape (`\\x1b`, `\\u202e`),
    so that text from a document can neither drive the terminal nor hide or reorder what is shown.
    `keep_line_breaks`: CR and LF stay (a format that encodes them itself)."""
    if keep_line_breaks:
        return _INVISIBLE.sub(lambda m: m.group() if m.group() in "\r\n" else _escape(m.group()), text)
    return _INVISIBLE.sub(lambda m: _escape(m.group()), text)


EXCERPT_WIDTH = 160
"""Characters of a source line shown around the column in a text excerpt; longer lines are cut (`…`)."""


def excerpt(source: str, line: int, column: int) -> list[str]:
    """`  12 | text` and a caret under `column` (tabs kept so the caret lines up). Invisible characters are
    shown escaped; a long line is cut to `EXCERPT_WIDTH` characters around the column."""
    gutter = str(line)
    col = min(max(column, 1), len(source) + 1)
    start = 0
    end = len(source)
    if end > EXCERPT_WIDTH:
        start = max(0, min(col - 1 - EXCERPT_WIDTH // 2, end - EXCERPT_WIDTH))
        end = start + EXCERPT_WIDTH
    before = source[start : col - 1]
    shown = visible(source[start:end])
    pad = "".join("\t" if ch == "\t" else " " * len(visible(ch)) for ch in before)
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(source) else ""
    return [f" {gutter} | {lead}{shown}{tail}".rstrip(), f" {' ' * len(gutter)} | {' ' * len(lead)}{pad}^"]


class SourceLines:
    """The lines of each document in `sources` (split once, on first use), for excerpts."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self._sources = sources
        self._split: dict[str, list[str]] = {}

    def excerpt(self, file: str, line: int, column: int) -> list[str]:
        """`excerpt` of line `line` of `file`; no lines when the file or the line is not known."""
        if file not in self._split and file in self._sources:
            self._split[file] = LINE_BREAK_RE.split(self._sources[file])  # the parser's: \n, \r\n or \r
        lines = self._split.get(file)
        if lines is None or not 1 <= line <= len(lines):
            return []
        return excerpt(lines[line - 1], line, column)


def render_text(diagnostics: list[Diagnostic], sources: Mapping[str, str]) -> str:
    out: list[str] = []
    lines = SourceLines(sources)
    for d in diagnostics:
        out.append(
            f"{visible(d.file)}:{d.line}:{d.column}: {d.severity.value}[{d.code}]: {visible(d.message)}"
        )
        out += lines.excerpt(d.file, d.line, d.column)
        if d.hint:
            out.append(f"  = hint: {visible(d.hint)}")
    out.append(summary_line(diagnostics))
    return "\n".join(out) + "\n"


_SURROGATES = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """`text` with lone surrogates escaped: JSON and SARIF keep every other character as data, but a lone
    surrogate cannot be written as UTF-8."""
    return _SURROGATES.sub(lambda m: _escape(m.group()), text)


# --- json ---------------------------------------------------------------------------------------------


class ReportDiagnostic(BaseModel):
    """One diagnostic in the JSON report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="Stable diagnostic code, documented in docs/reference/codes.md.")
    severity: Severity
    message: str
    file: str
    line: int = Field(ge=1, description="1-based line.")
    column: int = Field(ge=1, description="1-based column.")
    hint: str | None = None


class ReportSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)
    infos: int = Field(ge=0)


class CheckReport(BaseModel):
    """The `specc check --format json` report."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="specc check report")

    diagnostics: list[ReportDiagnostic]
    summary: ReportSummary


def check_report(diagnostics: list[Diagnostic]) -> CheckReport:
    return CheckReport(
        diagnostics=[
            ReportDiagnostic(
                code=d.code,
                severity=d.severity,
                message=encodable(d.message),
                file=encodable(d.file),
                line=max(d.line, 1),
                column=max(d.column, 1),
                hint=encodable(d.hint) if d.hint is not None else None,
            )
            for d in diagnostics
        ],
        summary=ReportSummary(
            errors=count(diagnostics, Severity.ERROR),
            warnings=count(diagnostics, Severity.WARNING),
            infos=count(diagnostics, Severity.INFO),
        ),
    )


def render_json(diagnostics: list[Diagnostic], sources: Mapping[str, str]) -> str:
    return check_report(diagnostics).model_dump_json(indent=2) + "\n"


def model_schema_text(model: type[BaseModel]) -> str:
    """The JSON Schema of a report model as checked in under `schemas/`: the 2020-12 dialect, keys sorted."""
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT, **model.model_json_schema()}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check_report_schema() -> str:
    """The JSON Schema of `CheckReport`, as checked in at `schemas/specc-check.schema.json`."""
    return model_schema_text(CheckReport)


# --- github -------------------------------------------------------------------------------------------

GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_github_data(text: str) -> str:
    """Escape a workflow-command message: `%`, CR and LF are percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_github_property(text: str) -> str:
    """Escape a workflow-command property value: as data, plus `:` and `,`."""
    return escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(severity: Severity, properties: Sequence[tuple[str, str]], message: str) -> str:
    """One workflow command (`::error file=…,line=…::message`, no line break) with every property value and
    the message shown `visible` and escaped."""
    props = ",".join(f"{key}={escape_github_property(visible(value))}" for key, value in properties)
    # line breaks are percent-encoded as the workflow-command format wants; other invisibles are escaped
    data = escape_github_data(visible(message, keep_line_breaks=True))
    return f"::{GITHUB_LEVEL[severity]} {props}::{data}"


def render_github(diagnostics: list[Diagnostic], sources: Mapping[str, str]) -> str:
    lines: list[str] = []
    for d in diagnostics:
        properties = (("file", d.file), ("line", str(d.line)), ("col", str(d.column)), ("title", d.code))
        message = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
        lines.append(github_annotation(d.severity, properties, message))
    return "".join(line + "\n" for line in lines)


# --- sarif --------------------------------------------------------------------------------------------


class _Sarif(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class SarifText(_Sarif):
    text: str


class SarifConfiguration(_Sarif):
    level: Literal["error", "warning", "note", "none"]


class SarifRule(_Sarif):
    id: str
    name: str
    short_description: SarifText = Field(alias="shortDescription")
    full_description: SarifText = Field(alias="fullDescription")
    help: SarifText
    default_configuration: SarifConfiguration = Field(alias="defaultConfiguration")


class SarifDriver(_Sarif):
    name: str
    version: str
    rules: list[SarifRule]


class SarifTool(_Sarif):
    driver: SarifDriver


class SarifArtifactLocation(_Sarif):
    uri: str


class SarifRegion(_Sarif):
    start_line: int = Field(alias="startLine")
    start_column: int | None = Field(default=None, alias="startColumn")


class SarifPhysicalLocation(_Sarif):
    artifact_location: SarifArtifactLocation = Field(alias="artifactLocation")
    region: SarifRegion | None = None


class SarifLogicalLocation(_Sarif):
    fully_qualified_name: str = Field(alias="fullyQualifiedName")


class SarifLocation(_Sarif):
    """A place in a file, a logical place (a database object), or both. Unset fields are left out of the
    log (`render_sarif` dumps with `exclude_none`)."""

    id: int | None = None
    physical_location: SarifPhysicalLocation | None = Field(default=None, alias="physicalLocation")
    logical_locations: list[SarifLogicalLocation] | None = Field(default=None, alias="logicalLocations")
    message: SarifText | None = None


class SarifSuppression(_Sarif):
    kind: Literal["inSource", "external"]
    justification: str | None = None


class SarifResult(_Sarif):
    rule_id: str = Field(alias="ruleId")
    rule_index: int = Field(alias="ruleIndex")
    level: Literal["error", "warning", "note", "none"]
    message: SarifText
    locations: list[SarifLocation]
    related_locations: list[SarifLocation] | None = Field(default=None, alias="relatedLocations")
    partial_fingerprints: dict[str, str] | None = Field(default=None, alias="partialFingerprints")
    suppressions: list[SarifSuppression] | None = None


class SarifRun(_Sarif):
    tool: SarifTool
    results: list[SarifResult]


class SarifLog(_Sarif):
    schema_uri: str = Field(alias="$schema")
    version: Literal["2.1.0"]
    runs: list[SarifRun]


SARIF_LEVEL: dict[Severity, Literal["error", "warning", "note"]] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def _rule_name(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in title.replace("-", " ").split() if word.isalnum())


def sarif_uri(file: str) -> str:
    """A file path as a SARIF artifact URI: forward slashes, percent-encoded, lone surrogates escaped."""
    return quote(encodable(file).replace("\\", "/"), safe="/:")


def sarif_rule(code: str, known: Mapping[str, Code], fallback: Severity) -> SarifRule:
    entry = known.get(code)
    title = entry.title if entry else code
    return SarifRule(
        id=code,
        name=_rule_name(title) or code,
        short_description=SarifText(text=title),
        full_description=SarifText(text=entry.explanation if entry else title),
        help=SarifText(text=f"See {CODES_DOC_URI}#{code} in the specc documentation."),
        default_configuration=SarifConfiguration(level=SARIF_LEVEL[entry.severity if entry else fallback]),
    )


def sarif_log(diagnostics: list[Diagnostic]) -> SarifLog:
    known = registered_codes()
    severities = {d.code: d.severity for d in diagnostics}
    codes = sorted(severities)
    rules = [sarif_rule(code, known, severities[code]) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = [
        SarifResult(
            rule_id=d.code,
            rule_index=index[d.code],
            level=SARIF_LEVEL[d.severity],
            message=SarifText(text=encodable(d.message if not d.hint else f"{d.message} (hint: {d.hint})")),
            locations=[
                SarifLocation(
                    physical_location=SarifPhysicalLocation(
                        artifact_location=SarifArtifactLocation(uri=sarif_uri(d.file)),
                        region=SarifRegion(start_line=max(d.line, 1), start_column=max(d.column, 1)),
                    )
                )
            ],
        )
        for d in diagnostics
    ]
    driver = SarifDriver(name="specc", version=__version__, rules=rules)
    return SarifLog(
        schema_uri=SARIF_SCHEMA_URI,
        version="2.1.0",
        runs=[SarifRun(tool=SarifTool(driver=driver), results=results)],
    )


def render_sarif(diagnostics: list[Diagnostic], sources: Mapping[str, str]) -> str:
    return sarif_log(diagnostics).model_dump_json(indent=2, by_alias=True, exclude_none=True) + "\n"


# --- entry point --------------------------------------------------------------------------------------

Renderer = Callable[[list[Diagnostic], Mapping[str, str]], str]

RENDERERS: Mapping[Format, Renderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def render(diagnostics: list[Diagnostic], fmt: Format, sources: Mapping[str, str]) -> str:
    """Render `diagnostics` (already filtered and sorted) in `fmt`; `sources` maps file → document text."""
    return RENDERERS[fmt](diagnostics, sources)


def refresh_schema_file(path: Path, text: str, argv: list[str], module: str) -> int:
    """Write the JSON Schema `text` to `path`; with `--check` in `argv` only compare (exit 1 when stale,
    naming the refresh command `python -m <module>`)."""
    if "--check" in argv:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path} is stale; run .venv/bin/python -m {module}", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    return refresh_schema_file(CHECK_SCHEMA_PATH, check_report_schema(), argv, "specc.report")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
