"""A document cut into sections at column-0 ATX headings, each tokenized on its own.

Block parsing restarts from scratch at a top-level heading: nothing before it can change how the lines after
it are read (inline parsing, where link references would carry over, is off). So a document's tokens are its
sections' tokens, shifted, provided every cut really is a top-level heading in the whole document. A cut is
not one when the section before it leaves a block open that swallows the heading line: an unclosed code
fence, an HTML block, a table that takes the line as a row. That is checked rather than assumed: each section
is tokenized together with the heading line that follows it, and that line must come out as a top-level
heading. Where it does not, the rest of the document is read as one section, which is always exact.

This lets `specc build` reuse the parse of every section whose text did not change
(`specc.parse.incremental`, `specc.parse.sectioncache`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from specc.parse.document import markdown

_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")


@dataclass(frozen=True)
class Section:
    start: int
    """0-based line of the section's first line in the document."""
    text: str
    follower: str | None
    """The heading line after the section (None for the last section): part of what the section's tokens
    depend on, so part of its cache key."""


def cut(text: str) -> list[Section]:
    """Candidate sections: cut before every line that starts with an ATX heading marker at column 0."""
    lines = text.split("\n")
    starts = [0]
    for i in range(1, len(lines)):
        line = lines[i]
        if line.startswith("#") and _ATX.match(line):
            starts.append(i)
    sections: list[Section] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        follower = lines[end] if end < len(lines) else None
        sections.append(Section(start=start, text="\n".join(lines[start:end]), follower=follower))
    return sections


def rest(sections: list[Section], k: int) -> Section:
    """Sections k.. joined back into one (the exact fallback when a cut is not a real heading)."""
    first = sections[k]
    return Section(start=first.start, text="\n".join(s.text for s in sections[k:]), follower=None)


def tokenize(section: Section) -> list[Token] | None:
    """The section's tokens as the whole document would produce them, or None when the heading after it
    would be swallowed by a block the section leaves open (the cut is not a top-level heading)."""
    if section.follower is None:
        return markdown().parse(section.text)
    tokens = markdown().parse(section.text + "\n" + section.follower)
    last = section.text.count("\n") + 1
    if (
        len(tokens) >= 3
        and tokens[-3].type == "heading_open"
        and tokens[-3].level == 0
        and tokens[-3].map == [last, last + 1]
    ):
        return tokens[:-3]
    return None
