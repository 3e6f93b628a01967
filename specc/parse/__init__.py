"""markdown → IR. One pass over markdown-it block tokens; one module per construct.

Entry points: `parse_spec` (ARCHITECTURE.md) and `parse_testplan` (TESTPLAN.md). Neither raises for document
problems: they report diagnostics (P-codes, `specc.parse.codes`) and return what they could read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specc.diagnostics import Reporter, Suppression
from specc.ir.model import Spec
from specc.parse import codes
from specc.parse.document import Document
from specc.parse.sectioncache import SectionCache
from specc.parse.testplan import parse_testplan
from specc.parse.walker import Walker, broken_tables

__all__ = ["ParseResult", "parse_spec", "parse_testplan"]


@dataclass
class ParseResult:
    spec: Spec
    suppressions: list[Suppression] = field(default_factory=list)


def parse_spec(text: str, file: str, reporter: Reporter, cache: SectionCache | None = None) -> ParseResult:
    """Read an architecture document. Never raises for document content.

    With a `cache`, the document is read section by section and sections seen in an earlier parse are not
    read again (`specc.parse.incremental`); the result is the same as without one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    walker: Walker | None = None
    if cache is not None:
        from specc.parse.incremental import walk_sections

        walker = walk_sections(text, file, reporter, cache)
    if walker is None:
        doc = Document(text, file, reporter)
        walker = Walker(doc)
        walker.walk()
        broken_tables(doc)
    spec = walker.spec()
    if not (
        spec.tables
        or spec.endpoints
        or spec.relationships
        or spec.decisions
        or spec.tech_stack
        or spec.overview
    ):
        walker.doc.report(codes.EMPTY_DOCUMENT, "no tables, endpoints or sections found", 0, 1)
    return ParseResult(spec=spec, suppressions=walker.suppressions())
