"""Text placed into generated Python: literals are exact, docstrings and comments can never break out."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.pycode.literals import comment_text, docstring_text, py_str

# Every code point, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=40)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_py_str_literal_evaluates_to_the_text_for_any_string(text: str) -> None:
    # Arrange / Act
    literal = py_str(text)

    # Assert
    assert ast.literal_eval(literal) == text
    assert literal.isprintable()
    literal.encode("utf-8")  # no lone surrogate left in the source text


@settings(max_examples=200)
@given(ANY_TEXT)
def test_py_str_ascii_only_is_ascii_and_exact_for_any_string(text: str) -> None:
    # Arrange / Act
    literal = py_str(text, ascii_only=True)

    # Assert
    assert literal.isascii()
    assert ast.literal_eval(literal) == text


def test_py_str_escapes_nul_and_line_separators_when_text_has_them() -> None:
    # Arrange
    text = "x\x00y\u2028z\u202e"

    # Act
    literal = py_str(text)

    # Assert
    assert literal == '"x\\x00y\\u2028z\\u202e"'


def test_py_str_prefers_single_quotes_like_ruff_when_more_double_quotes() -> None:
    # Arrange
    text = 'a"b"c\'d'

    # Act
    literal = py_str(text, ascii_only=True)

    # Assert
    assert literal == "'a\"b\"c\\'d'"


@settings(max_examples=300)
@given(ANY_TEXT)
def test_docstring_text_compiles_as_docstring_and_keeps_its_value_for_any_string(text: str) -> None:
    # Arrange
    body = docstring_text(text)
    source = f'class A:\n    """{body}"""\n'

    # Act
    namespace: dict[str, object] = {}
    exec(compile(source, "<generated>", "exec"), namespace)

    # Assert
    assert namespace["A"].__doc__ == body  # type: ignore[attr-defined]
    assert body.isprintable()


@settings(max_examples=300)
@given(ANY_TEXT)
def test_comment_text_stays_one_comment_for_any_string(text: str) -> None:
    # Arrange
    source = f"# {comment_text(text)}\nvalue = 1\n"

    # Act
    tree = ast.parse(source)

    # Assert
    assert [type(node) for node in tree.body] == [ast.Assign]
    source.encode("utf-8")
