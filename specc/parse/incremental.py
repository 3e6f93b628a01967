"""Read a document section by section, reusing sections an earlier parse already read.

A section (`specc.parse.sections`) is read by a walker of its own that continues the walk over the sections
before it through the walker's one hook (`specc.parse.walker`): it starts under the headings they leave open
(`OpenHeading`: level, text, kind and whether a table was defined under it). Those, the section's text and the
heading line after it decide everything the walker produces, so they are the cache key. What it produces
(`SectionEffects`: a `Reading`, the section's diagnostics and the headings it leaves open) is stored with
section-relative lines (`specc.parse.codec`) and replayed at the section's new place.

A cut that is not a real heading (a fence or HTML block left open across it) makes the rest of the document
one section. A section that adds to a table defined in an earlier section (`Entangled`) sends the whole
document back to the whole-document walk. Both are always exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from specc.diagnostics import Code, Reporter, registered_codes
from specc.parse.codec import CodecError, decoder, encode
from specc.parse.document import Document
from specc.parse.effects import SectionDiagnostic, SectionEffects
from specc.parse.reading import OpenHeading, Reading, SuppressionComment
from specc.parse.sectioncache import SectionCache
from specc.parse.sections import Section, cut, rest, tokenize
from specc.parse.tableshapes import broken_tables
from specc.parse.walker import Entangled, Walker

Context = tuple[OpenHeading, ...]
"""The enclosing headings a section starts under, outermost first."""


@dataclass(frozen=True)
class _Placed:
    """A section's effects and the document line (0-based) the section starts at."""

    start: int
    effects: SectionEffects


def _key(context: Context, section: Section) -> bytes:
    digest = hashlib.blake2b(repr(context).encode("utf-8"), digest_size=20)
    digest.update(b"\x00")
    digest.update(section.text.encode("utf-8"))
    digest.update(b"\x00" if section.follower is None else b"\x01" + section.follower.encode("utf-8"))
    return digest.digest()


def _read(section: Section, context: Context, file: str) -> SectionEffects | None:
    """Walk one section from its enclosing headings; None when its cut is not a real heading."""
    tokens = tokenize(section)
    if tokens is None:
        return None
    local = Reporter()
    doc = Document(section.text, file, local, line_offset=section.start, tokens=tokens)
    walker = Walker(doc, enclosing=context)
    reading = walker.walk()
    broken_tables(doc)
    return SectionEffects(
        reading=reading,
        diagnostics=tuple(
            SectionDiagnostic(
                code=d.code, message=d.message, line0=d.line - 1 - section.start, column=d.column, hint=d.hint
            )
            for d in local.diagnostics
        ),
        left_open=walker.left_open(),
    )


def _reuse(
    cache: SectionCache, key: bytes, file: str, start: int, codes: dict[str, Code]
) -> SectionEffects | None:
    """The stored effects for `key`, moved to `start`; None when absent or not decodable."""
    stored = cache.get(key)
    if stored is None:
        return None
    try:
        effects = decoder(file, start)(stored)
    except (CodecError, IndexError, KeyError, TypeError, ValueError):
        return None
    if type(effects) is not SectionEffects or any(d.code not in codes for d in effects.diagnostics):
        return None
    return effects


def _reuse_or_read(
    cache: SectionCache, section: Section, context: Context, file: str, codes: dict[str, Code]
) -> SectionEffects | None:
    """The section's effects from the cache, else read (and stored); None when its cut is not real."""
    key = _key(context, section)
    effects = _reuse(cache, key, file, section.start, codes)
    if effects is None:
        effects = _read(section, context, file)
        if effects is not None:
            cache.put(key, encode(effects, -section.start))
    return effects


def read_sections(text: str, file: str, reporter: Reporter, cache: SectionCache) -> Reading | None:
    """What the whole document reads, read section by section through `cache` (the sections' diagnostics
    are reported to `reporter`); None when the document must be read whole (nothing is reported then)."""
    codes: dict[str, Code] = registered_codes()
    sections = cut(text)
    context: Context = ()
    found: list[_Placed] = []
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
        found.append(_Placed(section.start, effects))
        context = context[: effects.left_open.kept] + effects.left_open.opened
        k += 1
    return _merge(file, reporter, found, codes)


def _merge(file: str, reporter: Reporter, found: list[_Placed], codes: dict[str, Code]) -> Reading:
    whole = Reading()
    for placed in found:
        start, effects = placed.start, placed.effects
        part = effects.reading
        whole.tables.extend(part.tables)
        whole.index_rows.extend(part.index_rows)
        whole.relationships.extend(part.relationships)
        whole.endpoints.extend(part.endpoints)
        whole.decisions.extend(part.decisions)
        whole.tech.extend(part.tech)
        whole.overview.extend(part.overview)
        if whole.diagram is None:
            whole.diagram = part.diagram
        if whole.title is None:
            whole.title = part.title
        whole.heading_lines.extend(start + line for line in part.heading_lines)
        whole.comments.extend(SuppressionComment(start + c.line0, c.kind, c.codes) for c in part.comments)
        for d in effects.diagnostics:
            reporter.report(codes[d.code], d.message, file, start + d.line0 + 1, d.column, d.hint)
    return whole
