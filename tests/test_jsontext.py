"""Indented and compact JSON through orjson: the standard library's layout, only faster."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.jsontext import dumps_compact, dumps_indented


def _json(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
        max_leaves=25,
    )


_NO_FLOATS = _json(st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text())
_FINITE_FLOATS = _json(st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=3))


@settings(max_examples=400)
@given(_NO_FLOATS, st.booleans())
def test_dumps_indented_equals_standard_library_bytes_without_floats(value: Any, sort_keys: bool) -> None:
    # Arrange: integers beyond 64 bits (orjson refuses them), any unicode text, nesting
    expected = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    # Act
    text = dumps_indented(value, sort_keys=sort_keys)
    # Assert
    assert text == expected


@settings(max_examples=300)
@given(_FINITE_FLOATS)
def test_dumps_indented_floats_read_back_to_the_same_values(value: Any) -> None:
    # Arrange: orjson spells exponents without padding (1e-7 where Python writes 1e-07)
    expected = json.dumps(value, indent=2, ensure_ascii=False)
    # Act
    text = dumps_indented(value)
    # Assert: same layout line for line, and every number reads back exactly
    assert json.loads(text) == json.loads(expected)
    assert text.count("\n") == expected.count("\n")


def test_dumps_indented_deterministic_float_spelling() -> None:
    # Arrange
    value = {"small": 1.192092896e-07, "large": 1e16, "plain": 0.1}
    # Act
    text = dumps_indented(value)
    # Assert
    assert text == '{\n  "small": 1.192092896e-7,\n  "large": 1e+16,\n  "plain": 0.1\n}'
    assert math.isclose(json.loads(text)["small"], 1.192092896e-07, rel_tol=0)


@settings(max_examples=400)
@given(_NO_FLOATS, st.booleans())
def test_dumps_compact_equals_standard_library_bytes_without_floats(value: Any, sort_keys: bool) -> None:
    # Arrange: the text behind OpenAPI unit digests and `$ref` scanning
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)
    # Act
    text = dumps_compact(value, sort_keys=sort_keys)
    # Assert
    assert text == expected


@settings(max_examples=200)
@given(_FINITE_FLOATS)
def test_dumps_compact_floats_read_back_to_the_same_values(value: Any) -> None:
    # Arrange
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    # Act
    text = dumps_compact(value)
    # Assert
    assert json.loads(text) == json.loads(expected)
