"""What reading one section of a document produced, as the section cache keeps it (`specc.parse.incremental`,
encoded by `specc.parse.codec`)."""

from __future__ import annotations

from dataclasses import dataclass

from specc.parse.reading import LeftOpen, Reading


@dataclass(frozen=True)
class SectionDiagnostic:
    """A diagnostic reported while reading a section, at a line relative to the section."""

    code: str
    message: str
    line0: int
    """0-based line in the section."""
    column: int
    hint: str | None


@dataclass(frozen=True)
class SectionEffects:
    """Everything reading one section produced. Lines in the reading's `heading_lines` and `comments` and in
    `diagnostics` are relative to the section; spans inside the reading's records are the document's (the
    codec makes them relative on the way into the cache and moves them back on the way out)."""

    reading: Reading
    diagnostics: tuple[SectionDiagnostic, ...]
    left_open: LeftOpen
    """The headings open at the section's end, from those it started under and its own."""
