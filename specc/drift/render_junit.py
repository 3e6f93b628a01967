"""A drift report as JUnit XML, for CI systems that show test results.

One `testsuite` per source in report order. A finding is a failing `testcase` (`failure` with the message,
`type` = the code, and both locations and the hint as text); an ignored finding is a skipped one; a compared
source without findings has one passing case, `<source> matches the spec`; a skipped source one skipped
case saying why.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from specc.drift.model import DriftReport, Finding
from specc.drift.present import SourceGroup, ignored_note, known, source_groups, spec_shown
from specc.report import visible

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, not even as a character reference (control characters, lone
surrogates, U+FFFE and U+FFFF)."""


def _xml(text: str) -> str:
    """`text` without the characters XML cannot hold, and with the ones a viewer would act on or hide
    (bidi overrides, zero-width characters) shown escaped; line breaks stay."""
    return visible(_XML_INVALID.sub("", text), keep_line_breaks=True)


def _case(suite: ET.Element, source: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"classname": f"specc.drift.{source}", "name": _xml(name)})


def _failure_text(finding: Finding, document: str) -> str:
    lines = [f"{finding.severity.value} {finding.code}", f"spec: {spec_shown(finding, document)}"]
    if known(finding.actual):
        lines.append(f"actual: {finding.actual.shown()}")
    if finding.hint:
        lines.append(f"hint: {finding.hint}")
    return _xml("\n".join(lines))


_COUNTS = ("tests", "failures", "errors", "skipped")


def _suite(root: ET.Element, group: SourceGroup, document: str) -> None:
    suite = ET.SubElement(root, "testsuite", {"name": group.name})
    state = group.status.state if group.status is not None else None
    matches = f"{group.name} matches the spec"
    if group.status is not None and state == "skipped":
        ET.SubElement(_case(suite, group.name, matches), "skipped", {"message": _xml(group.status.detail)})
    for finding in group.findings:
        case = _case(suite, group.name, f"{finding.code} {finding.subject}")
        failure = ET.SubElement(case, "failure", {"message": _xml(finding.message), "type": finding.code})
        failure.text = _failure_text(finding, document)
    for ignored in group.ignored:
        case = _case(suite, group.name, f"{ignored.finding.code} {ignored.finding.subject}")
        ET.SubElement(case, "skipped", {"message": _xml(f"ignored: {ignored_note(ignored)}")})
    if state == "compared" and not group.findings:
        _case(suite, group.name, matches)
    counts = (len(suite), len(group.findings), 0, len(group.ignored) + (1 if state == "skipped" else 0))
    suite.attrib.update({key: str(n) for key, n in zip(_COUNTS, counts, strict=True)})


def render_junit(report: DriftReport, sources: Mapping[str, str]) -> str:
    root = ET.Element("testsuites", {"name": "specc drift"})
    for group in source_groups(report):
        _suite(root, group, report.spec)
    root.attrib.update({key: str(sum(int(suite.attrib[key]) for suite in root)) for key in _COUNTS})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
