"""markdown → IR. One pass over markdown-it block tokens; one module per construct.

Entry points: `parse_spec` (ARCHITECTURE.md) and `parse_testplan` (TESTPLAN.md). Neither raises for document
problems: they report diagnostics (P-codes, `specc.parse.codes`) and return what they could read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specc.diagnostics import Reporter, Suppression
from specc.ir.model import Spec
from specc.parse import codes
from specc.parse.assembly import assemble, suppressions
from specc.parse.document import Document
from specc.parse.incremental import read_sections
from specc.parse.reading import Reading
from specc.parse.sectioncache import SectionCache
from specc.parse.tableshapes import broken_tables
from specc.parse.testplan import parse_testplan
from specc.parse.walker import Walker

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
    reading: Reading | None = None
    if cache is not None:
        reading = read_sections(text, file, reporter, cache)
    if reading is None:
        doc = Document(text, file, reporter)
        reading = Walker(doc).walk()
        broken_tables(doc)
    spec = assemble(reading, file, reporter)
    if not (
        spec.tables
        or spec.endpoints
        or spec.relationships
        or spec.decisions
        or spec.tech_stack
        or spec.overview
    ):
        reporter.report(codes.EMPTY_DOCUMENT, "no tables, endpoints or sections found", file, 1, 1)
    return ParseResult(spec=spec, suppressions=suppressions(reading, file, text.count("\n") + 1))
