"""Indented JSON text for files specc writes (openapi.json, the manifest, `specc ir`).

The standard library only uses its C encoder without `indent`; with `indent=2` it falls back to pure Python,
which took a second for the 13 MB openapi.json of a 1,000-table spec. orjson writes the same layout (2-space
indent, `": "`, non-ASCII kept, keys sorted on request) about 25 times faster, and the same bytes except
one spelling: float exponents are not zero-padded (`1e-7` where Python writes `1e-07`; the value is the
same, and the output is still deterministic). Values orjson refuses (integers beyond 64 bits, which JSON
examples in a document may hold) fall back to the standard library. tests/test_jsontext.py pins all of this.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps_indented(value: Any, *, sort_keys: bool = False) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)`, fast (see the module note
    on float exponents)."""
    option = orjson.OPT_INDENT_2 | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(value, option=option).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)


def dumps_compact(value: Any, *, sort_keys: bool = False) -> str:
    """`json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)`, fast, with the
    same float spelling difference. Raises TypeError/ValueError for values that are not JSON data."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)
