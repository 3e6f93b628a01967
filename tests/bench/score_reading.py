"""Score specc's reading of the real-world corpora against the expectation files written by reading them.

    .venv/bin/python -m tests.bench.score_reading [--per-document]

For `../shared/corpus` (tests/data/corpus/expected.json) and `../shared/corpus-2`
(tests/data/corpus-2/expected.json) it prints:

* table recall (expected tables found by name) and precision (tables found that are expected);
* column recall: the columns read in the tables found, capped at the expected count per document, over the
  expected columns; and, over the hand-checked `facts` sample, the sampled columns found by name;
* attribute accuracy over the sampled columns found: type (strict: the PostgreSQL type; loose: its family,
  so `varchar` for `text` counts), nullability (only where the expectation says), primary key, single-column
  unique, and the referenced table;
* endpoint recall (headings read as endpoints over those counted, capped per document).

The expectations are judgements written in NOTES.md beside them; a figure here is only as good as those.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc.diagnostics import Reporter
from specc.ir.model import Column, Spec
from specc.ir.types import sql_type
from specc.parse import parse_spec

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPORA = (
    ("corpus", SHARED / "corpus", ROOT / "tests" / "data" / "corpus" / "expected.json"),
    ("corpus-2", SHARED / "corpus-2", ROOT / "tests" / "data" / "corpus-2" / "expected.json"),
)

_FAMILY = {
    "smallint": "integer",
    "integer": "integer",
    "bigint": "integer",
    "numeric": "number",
    "real": "number",
    "double precision": "number",
    "text": "string",
    "varchar": "string",
    "char": "string",
    "enum": "string",
    "timestamp": "timestamp",
    "timestamptz": "timestamp",
    "json": "json",
    "jsonb": "json",
}
_ATTRIBUTES = ("type", "type_loose", "nullable", "primary_key", "unique", "references")


def column_type(column: Column) -> str:
    """The expectation files' type word for a column specc read (`other` for what has no such word)."""
    sql = sql_type(column.type)
    if sql.array_dims:
        return "array"
    base = sql.base.lower()
    known = {
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
        "boolean",
        "text",
        "varchar",
        "char",
        "uuid",
        "date",
        "time",
        "timestamp",
        "timestamptz",
        "interval",
        "json",
        "jsonb",
        "bytea",
        "inet",
        "enum",
    }
    return base if sql.known and base in known else "other"


@dataclass
class Score:
    tables_expected: int = 0
    tables_found: int = 0
    tables_matched: int = 0
    columns_expected: int = 0
    columns_matched: int = 0
    sample_columns: int = 0
    sample_found: int = 0
    endpoints_expected: int = 0
    endpoints_matched: int = 0
    right: Counter[str] = field(default_factory=Counter)
    judged: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for name in (
            "tables_expected",
            "tables_found",
            "tables_matched",
            "columns_expected",
            "columns_matched",
            "sample_columns",
            "sample_found",
            "endpoints_expected",
            "endpoints_matched",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.right.update(other.right)
        self.judged.update(other.judged)


def score_document(spec: Spec, expected: dict[str, Any]) -> Score:
    score = Score()
    names = list(expected["table_names"])
    found = Counter(t.name for t in spec.tables)
    wanted = Counter(names)
    score.tables_expected = len(names)
    score.tables_found = len(spec.tables)
    score.tables_matched = sum((found & wanted).values())
    matched_columns = sum(len(t.columns) for t in spec.tables if t.name in wanted)
    score.columns_expected = expected["columns"]
    score.columns_matched = min(matched_columns, expected["columns"])
    score.endpoints_expected = expected.get("endpoints", 0)
    score.endpoints_matched = min(len(spec.endpoints), score.endpoints_expected)
    by_name = {t.name: t for t in spec.tables}
    for table_name, columns in expected.get("facts", {}).items():
        table = by_name.get(table_name)
        read = {c.name: c for c in table.columns} if table is not None else {}
        for column_name, facts in columns.items():
            score.sample_columns += 1
            column = read.get(column_name)
            if column is None:
                continue
            score.sample_found += 1
            got = {
                "type": column_type(column),
                "nullable": column.nullable,
                "primary_key": column.primary_key,
                "unique": column.unique,
                "references": column.foreign_key.table if column.foreign_key else None,
            }
            for attribute in _ATTRIBUTES:
                want = facts.get("type" if attribute == "type_loose" else attribute)
                if attribute == "nullable" and want is None:
                    continue
                score.judged[attribute] += 1
                if attribute == "type_loose":
                    have = got["type"]
                    ok = _FAMILY.get(str(have), have) == _FAMILY.get(str(want), want)
                elif attribute == "references" and isinstance(want, str):
                    ok = got["references"] is not None and str(got["references"]) == want.rsplit(".", 1)[-1]
                else:
                    ok = got[attribute] == want
                score.right[attribute] += ok
    return score


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _line(label: str, score: Score) -> str:
    attributes = " ".join(f"{a}={_pct(score.right[a], score.judged[a])}" for a in _ATTRIBUTES)
    return (
        f"{label:<10} tables {score.tables_matched}/{score.tables_expected} "
        f"(recall {_pct(score.tables_matched, score.tables_expected)}, "
        f"precision {_pct(score.tables_matched, score.tables_found)}); "
        f"columns {_pct(score.columns_matched, score.columns_expected)}; "
        f"sampled columns found {score.sample_found}/{score.sample_columns}; "
        f"endpoints {_pct(score.endpoints_matched, score.endpoints_expected)}\n"
        f"{'':<10} attributes: {attributes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-document", action="store_true", help="print a line per document")
    args = parser.parse_args()
    total = Score()
    for label, directory, expected_path in CORPORA:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        corpus = Score()
        for name in sorted(expected):
            text = (directory / name).read_text(encoding="utf-8")
            spec = parse_spec(text, name, Reporter()).spec
            score = score_document(spec, expected[name])
            if args.per_document:
                print(_line(name[:2], score))
            corpus.add(score)
        print(_line(label, corpus))
        total.add(corpus)
    print(_line("both", total))


if __name__ == "__main__":
    main()
