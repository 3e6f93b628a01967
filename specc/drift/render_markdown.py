"""A drift report as Markdown for a pull-request comment: a ✅/❌ heading, a table per source with
findings, the sources that match or were skipped, and the number of ignored findings.

Text from the document or the user's code is escaped for GitHub-flavoured Markdown: HTML special
characters become entities, Markdown punctuation (the table's `|` among it) is backslash-escaped and
invisible characters are shown escaped, so a message can neither break the table nor inject HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from specc.drift.model import DriftReport, Finding
from specc.drift.present import SourceGroup, known, position, source_groups, summary_text
from specc.report import plural, visible

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
"""What Markdown (with GitHub's tables, strikethrough and math) could read as syntax."""


def markdown_text(text: str) -> str:
    """`text` as literal Markdown inline text, one line, safe inside a table cell."""
    shown = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", shown)


def _link(text: str, file: str, line: int | None) -> str:
    """A relative link to `file` (at `#L<line>` when known): the path percent-encoded, so no `)`, space or
    scheme (`javascript:`) can end or redirect it."""
    target = quote(file.replace("\\", "/"), safe="/") + (f"#L{line}" if line is not None else "")
    return f"[{markdown_text(text)}]({target})"


def _spec_cell(finding: Finding, document: str) -> str:
    spec = finding.spec
    if spec.file is None:
        return markdown_text(spec.logical) if spec.logical is not None else _link(document, document, None)
    link = _link(position(spec), spec.file, spec.line)
    return link if spec.logical is None else f"{link} {markdown_text(f'({spec.logical})')}"


def _row(finding: Finding, document: str) -> str:
    actual = markdown_text(finding.actual.shown()) if known(finding.actual) else "—"
    message = markdown_text(finding.message)
    if finding.hint:
        message += f"<br>hint: {markdown_text(finding.hint)}"
    cells = (finding.severity.value, finding.code, _spec_cell(finding, document), actual, message)
    return "| " + " | ".join(cells) + " |"


def _section(group: SourceGroup, document: str) -> list[str]:
    if group.findings:
        return [
            f"### {group.name}: {plural(len(group.findings), 'finding')}",
            "",
            "| Severity | Code | Spec | Actual | Message |",
            "| --- | --- | --- | --- | --- |",
            *(_row(finding, document) for finding in group.findings),
            "",
        ]
    if group.status is not None and group.status.state == "compared":
        return [f"✅ **{group.name}** matches the spec ({markdown_text(group.status.detail)})", ""]
    return []


def render_markdown(report: DriftReport, sources: Mapping[str, str]) -> str:
    icon = "❌" if report.findings else "✅"
    out = [f"## {icon} specc drift: {summary_text(report)}", "", f"Spec: {markdown_text(report.spec)}", ""]
    groups = source_groups(report)
    for group in groups:
        out += _section(group, report.spec)
    skipped = [
        f"{g.name} ({markdown_text(g.status.detail)})"
        for g in groups
        if g.status is not None and g.status.state == "skipped"
    ]
    if skipped:
        out += [f"**Skipped:** {', '.join(skipped)}", ""]
    if report.ignored:
        count = plural(len(report.ignored), "finding")
        out += [f"**Ignored:** {count} (by `[tool.specc.drift] ignore`)", ""]
    return "\n".join(out).rstrip("\n") + "\n"
