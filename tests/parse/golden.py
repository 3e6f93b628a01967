"""Golden data for the parser: `tests/data/parse/<case>.md` and its expected `<case>.json` side by side.

Refresh every expected file after an intended change (then read the diff!):

    SPECC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/parse/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from specc.diagnostics import Reporter
from specc.parse import parse_spec, parse_testplan

DATA = Path(__file__).resolve().parent.parent / "data" / "parse"
UPDATE = os.environ.get("SPECC_UPDATE_GOLDEN") == "1"


def cases() -> list[Path]:
    return sorted(DATA.glob("*.md"))


def parse_case(path: Path) -> dict[str, Any]:
    """What the parser makes of a case file: the IR JSON (empty fields dropped) and the diagnostics."""
    reporter = Reporter()
    text = path.read_text(encoding="utf-8")
    if path.stem.startswith("testplan"):
        ir: dict[str, Any] = parse_testplan(text, path.name, reporter).model_dump(
            mode="json", exclude_none=True
        )
    else:
        ir = parse_spec(text, path.name, reporter).spec.model_dump(mode="json", exclude_none=True)
    diagnostics = [f"{d.line}:{d.column} {d.code} {d.message}" for d in reporter.sorted()]
    return {"ir": ir, "diagnostics": diagnostics}


def expected_path(case: Path) -> Path:
    return case.with_suffix(".json")


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
