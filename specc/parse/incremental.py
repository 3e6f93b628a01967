"""Read a document section by section, reusing sections an earlier parse already read.

A section (`specc.parse.sections`) is read by a walker of its own that starts from what the sections before
it leave behind: the enclosing headings (their level, text, kind and whether a table was defined under
them). That, the section's text and the heading line after it decide everything the walker produces, so they
are the cache key. What it produces — tables, index rows, relationships, endpoints, prose, suppression
comments, diagnostics, and the headings it leaves open — is stored with section-relative lines
(`specc.parse.codec`) and replayed at the section's new place.

A cut that is not a real heading (a fence or HTML block left open across it) makes the rest of the document
one section. A section that adds to a table defined in an earlier section (`Entangled`) sends the whole
document back to the whole-document walk. Both are always exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from specc.diagnostics import Code, Reporter, registered_codes
from specc.ir.model import Decision, Endpoint, Relationship, TechChoice
from specc.parse.codec import CodecError, decoder, encode
from specc.parse.document import Document
from specc.parse.indexes import IndexRow
from specc.parse.sectioncache import SectionCache
from specc.parse.sections import Section, cut, rest, tokenize
from specc.parse.tables import RawTable
from specc.parse.walker import Entangled, Heading, Walker, broken_tables

Context = tuple[tuple[int, str, str | None, bool], ...]
"""The enclosing headings a section starts under: (level, raw text, section kind, has a table)."""


@dataclass
class _Effects:
    """Everything reading one section produced; lines in `heading_lines`, `comments` and `diagnostics` are
    relative to the section, spans inside the objects are the document's."""

    tables: list[RawTable]
    index_rows: list[IndexRow]
    relationships: list[Relationship]
    endpoints: list[Endpoint]
    decisions: list[Decision]
    tech: list[TechChoice]
    overview: list[str]
    diagram: str | None
    title: str | None
    heading_lines: list[int]
    comments: list[tuple[int, str, tuple[str, ...]]]
    diagnostics: list[tuple[str, str, int, int, str | None]]
    kept: int
    """How many of the enclosing headings are still open at the section's end."""
    opened: Context
    """Headings the section opened that are still open at its end."""

    def encoded(self, start: int) -> Any:
        return (
            encode(self.tables, -start),
            encode(self.index_rows, -start),
            encode(self.relationships, -start),
            encode(self.endpoints, -start),
            encode(self.decisions, -start),
            encode(self.tech, -start),
            tuple(self.overview),
            self.diagram,
            self.title,
            tuple(self.heading_lines),
            tuple(self.comments),
            tuple(self.diagnostics),
            self.kept,
            self.opened,
        )

    @classmethod
    def decoded(cls, data: Any, file: str, start: int) -> _Effects:
        decode = decoder(file, start)
        return cls(
            tables=decode(data[0]),
            index_rows=decode(data[1]),
            relationships=decode(data[2]),
            endpoints=decode(data[3]),
            decisions=decode(data[4]),
            tech=decode(data[5]),
            overview=list(data[6]),
            diagram=data[7],
            title=data[8],
            heading_lines=list(data[9]),
            comments=[(line, kind, tuple(found)) for line, kind, found in data[10]],
            diagnostics=[tuple(d) for d in data[11]],
            kept=data[12],
            opened=tuple(tuple(h) for h in data[13]),
        )


def _key(context: Context, section: Section) -> bytes:
    digest = hashlib.blake2b(repr(context).encode("utf-8"), digest_size=20)
    digest.update(b"\x00")
    digest.update(section.text.encode("utf-8"))
    digest.update(b"\x00" if section.follower is None else b"\x01" + section.follower.encode("utf-8"))
    return digest.digest()


def _read(section: Section, context: Context, file: str) -> _Effects | None:
    """Walk one section from its enclosing headings; None when its cut is not a real heading."""
    tokens = tokenize(section)
    if tokens is None:
        return None
    local = Reporter()
    doc = Document(section.text, file, local, line_offset=section.start, tokens=tokens)
    walker = Walker(doc)
    walker.stack = [
        Heading(level=level, text=text, line0=-1, section=kind, inherited=True, has_table=has_table)
        for level, text, kind, has_table in context
    ]
    walker.walk()
    broken_tables(doc)
    kept = sum(1 for heading in walker.stack if heading.inherited)
    opened = tuple(
        (h.level, h.text, h.section, h.line0 in walker.tables_by_heading)
        for h in walker.stack
        if not h.inherited
    )
    return _Effects(
        tables=walker.tables,
        index_rows=walker.index_rows,
        relationships=walker.relationships,
        endpoints=walker.endpoints,
        decisions=walker.decisions,
        tech=walker.tech,
        overview=walker.overview,
        diagram=walker.diagram,
        title=walker.title,
        heading_lines=walker.heading_lines,
        comments=[(line, kind, tuple(sorted(found))) for line, kind, found in walker.comments],
        diagnostics=[
            (d.code, d.message, d.line - 1 - section.start, d.column, d.hint) for d in local.diagnostics
        ],
        kept=kept,
        opened=opened,
    )


def _reuse(cache: SectionCache, key: bytes, file: str, start: int, codes: dict[str, Code]) -> _Effects | None:
    """The stored effects for `key`, moved to `start`; None when absent or not decodable."""
    stored = cache.get(key)
    if stored is None:
        return None
    try:
        effects = _Effects.decoded(stored, file, start)
    except (CodecError, IndexError, KeyError, TypeError, ValueError):
        return None
    if any(d[0] not in codes for d in effects.diagnostics):
        return None
    return effects


def _reuse_or_read(
    cache: SectionCache, section: Section, context: Context, file: str, codes: dict[str, Code]
) -> _Effects | None:
    """The section's effects from the cache, else read (and stored); None when its cut is not real."""
    key = _key(context, section)
    effects = _reuse(cache, key, file, section.start, codes)
    if effects is None:
        effects = _read(section, context, file)
        if effects is not None:
            cache.put(key, effects.encoded(section.start))
    return effects


def walk_sections(text: str, file: str, reporter: Reporter, cache: SectionCache) -> Walker | None:
    """A walker holding what the whole document produces, read section by section through `cache`; None
    when the document must be read whole (nothing is reported then)."""
    codes: dict[str, Code] = registered_codes()
    sections = cut(text)
    context: Context = ()
    found: list[tuple[int, _Effects]] = []
    k = 0
    while k < len(sections):
        section = sections[k]
        try:
            effects = _reuse_or_read(cache, section, context, file, codes)
            if effects is None:
                section = rest(sections, k)
                k = len(sections) - 1
                effects = _reuse_or_read(cache, section, context, file, codes)
                if effects is None:
                    raise AssertionError("the last section of a document always tokenizes")
        except (Entangled, CodecError):
            cache.forget()
            return None
        found.append((section.start, effects))
        context = context[: effects.kept] + effects.opened
        k += 1
    return _merge(text, file, reporter, found, codes)


def _merge(
    text: str, file: str, reporter: Reporter, found: list[tuple[int, _Effects]], codes: dict[str, Code]
) -> Walker:
    walker = Walker(Document(text, file, reporter, tokens=[]))
    for start, effects in found:
        walker.tables.extend(effects.tables)
        walker.index_rows.extend(effects.index_rows)
        walker.relationships.extend(effects.relationships)
        walker.endpoints.extend(effects.endpoints)
        walker.decisions.extend(effects.decisions)
        walker.tech.extend(effects.tech)
        walker.overview.extend(effects.overview)
        if walker.diagram is None:
            walker.diagram = effects.diagram
        if walker.title is None:
            walker.title = effects.title
        walker.heading_lines.extend(start + line for line in effects.heading_lines)
        walker.comments.extend((start + line, kind, frozenset(f)) for line, kind, f in effects.comments)
        for code, message, line, column, hint in effects.diagnostics:
            reporter.report(codes[code], message, file, start + line + 1, column, hint)
    return walker
