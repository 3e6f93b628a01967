"""The Relationships list: `users → rooms: one-to-many (why)`, `users ↔ rooms: many-to-many through x`."""

from __future__ import annotations

import re

from specc.ir.model import Relationship, RelationshipKind, construct
from specc.parse import codes
from specc.parse.document import Document, plain

_LINE = re.compile(
    r"^`?(?P<from>[A-Za-z_][\w.]*)`?\s*(?:\((?:1|N|M|\*|many|one)\)\s*)?"
    r"(?P<arrow>→|->|<->|↔|⟷|⇄|<=>|=>|—|--|-)\s*"
    r"(?:\((?:1|N|M|\*|many|one)\)\s*)?`?(?P<to>[A-Za-z_][\w.]*)`?\s*[:,\-–—]?\s*(?P<rest>.*)$"
)
_KINDS: list[tuple[re.Pattern[str], RelationshipKind]] = [
    (re.compile(r"(?i)\b(many[\s-]to[\s-]many|n\s*:\s*m|m\s*:\s*n|n\s*:\s*n|\*\s*:\s*\*)"), "many-to-many"),
    (re.compile(r"(?i)\b(one[\s-]to[\s-]many|1\s*:\s*n|1\s*:\s*\*|1\s*-\s*n\b|1\s*to\s*n)"), "one-to-many"),
    (re.compile(r"(?i)\b(many[\s-]to[\s-]one|n\s*:\s*1|\*\s*:\s*1)"), "many-to-one"),
    (re.compile(r"(?i)\b(one[\s-]to[\s-]one|1\s*:\s*1)"), "one-to-one"),
]
_THROUGH = re.compile(r"(?i)\b(?:through|via|using|junction(?: table)?:?)\s+`?([A-Za-z_][\w.]*)`?")
_DESCRIPTION = re.compile(r"\(([^()]*)\)\s*$")


def read_relationship(doc: Document, text: str, line0: int) -> Relationship | None:
    line = plain(text)
    m = _LINE.match(line)
    if m is None:
        doc.report(
            codes.UNRECOGNISED_RELATIONSHIP,
            f"relationship not understood: {line!r}",
            line0,
            doc.line_column(line0),
        )
        return None
    rest = m.group("rest")
    kind: RelationshipKind | None = None
    for pattern, candidate in _KINDS:
        if pattern.search(rest):
            kind = candidate
            break
    if kind is None:
        kind = "many-to-many" if m.group("arrow") in ("↔", "<->", "⟷", "⇄", "<=>") else "one-to-many"
    through_match = _THROUGH.search(rest)
    through = through_match.group(1).rsplit(".", 1)[-1].lower() if through_match else None
    desc_match = _DESCRIPTION.search(rest)
    description = desc_match.group(1).strip() or None if desc_match else None
    return construct(
        Relationship,
        from_=m.group("from").rsplit(".", 1)[-1].lower(),
        to=m.group("to").rsplit(".", 1)[-1].lower(),
        kind=kind,
        through=through if kind == "many-to-many" else None,
        description=description,
        span=doc.span(line0, doc.line_column(line0)),
    )
