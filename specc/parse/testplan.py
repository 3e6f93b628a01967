"""TESTPLAN.md: `## Feature: <name>` with Happy Path / Error / Edge / Security / Performance bullet lists."""

from __future__ import annotations

import re

from specc.diagnostics import Reporter
from specc.ir.model import CaseCategory, Feature, TestCase, TestPlan, construct
from specc.parse.document import Document, plain

_FEATURE = re.compile(r"(?i)^(feature|фича|funcionalidad|característica)\s*[:\-–—]\s*(.+)$")
_CATEGORIES: list[tuple[re.Pattern[str], CaseCategory]] = [
    (re.compile(r"(?i)happy|success|positive|main"), "happy_path"),
    (re.compile(r"(?i)error|failure|negative|invalid"), "error"),
    (re.compile(r"(?i)edge|boundary|corner"), "edge"),
    (re.compile(r"(?i)security|auth|permission"), "security"),
    (re.compile(r"(?i)performance|load|speed|scale"), "performance"),
]
_SLUG = re.compile(r"[^a-z0-9]+")
_CATEGORY_SLUG: dict[CaseCategory, str] = {
    "happy_path": "happy-path",
    "error": "error",
    "edge": "edge",
    "security": "security",
    "performance": "performance",
}


def slug(text: str, limit: int = 60) -> str:
    s = _SLUG.sub("-", text.lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "case"


def case_id(feature: str, category: CaseCategory, text: str, taken: set[str]) -> str:
    """Stable id: feature slug / category / text slug; changes only when the case text changes."""
    base = f"{slug(feature)}/{_CATEGORY_SLUG[category]}/{slug(text)}"
    candidate = base
    n = 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def category_of(heading: str) -> CaseCategory | None:
    for pattern, category in _CATEGORIES:
        if pattern.search(heading):
            return category
    return None


def parse_testplan(text: str, file: str, reporter: Reporter) -> TestPlan:
    doc = Document(text, file, reporter)
    features: list[Feature] = []
    taken: set[str] = set()
    name: str | None = None
    name_span = None
    feature_level = 0
    cases: list[TestCase] = []
    category: CaseCategory | None = None
    tokens = doc.tokens
    depth = 0

    def flush() -> None:
        if name is not None:
            features.append(construct(Feature, name=name, cases=tuple(cases), span=name_span))

    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type == "heading_open" and tok.map is not None:
            level = int(tok.tag[1:])
            heading = plain(tokens[i + 1].content)
            m = _FEATURE.match(heading)
            if m is not None:
                flush()
                name = m.group(2).strip()
                name_span = doc.span(tok.map[0], doc.line_column(tok.map[0]))
                feature_level = level
                cases = []
                category = None
            elif name is not None and level > feature_level:
                category = category_of(heading)
            elif name is not None and level <= feature_level:
                flush()
                name = None
                category = None
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline" and depth == 1 and name is not None and category is not None:
            assert tok.map is not None
            case_text = plain(tok.content)
            if case_text:
                cases.append(
                    construct(
                        TestCase,
                        id=case_id(name, category, case_text, taken),
                        category=category,
                        text=case_text,
                        span=doc.span(tok.map[0], doc.line_column(tok.map[0])),
                    )
                )
        i += 1
    flush()
    return construct(TestPlan, features=tuple(features), source=file)
