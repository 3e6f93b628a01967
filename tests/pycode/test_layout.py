"""Line layout of generated Python (`specc.pycode.layout`): one line when it fits, else split as ruff does."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.pycode.layout import (
    Call,
    Expr,
    Split,
    call,
    flat,
    keyword,
    layout,
    layout_text,
    splittable,
    statement_lines,
    strings,
    text_width,
    too_long,
)

RUFF = Path(sys.executable).parent / "ruff"
NAMES = st.text("abcdefghij_", min_size=1, max_size=12).map(lambda s: "n" + s)
EXPRS: st.SearchStrategy[Expr] = st.recursive(
    NAMES,
    lambda inner: st.builds(
        lambda name, args, split: Call(f"{name}(", tuple(args), split=split),
        NAMES,
        st.lists(inner, max_size=4),
        st.sampled_from(Split),
    ),
    max_leaves=12,
)


def test_layout_call_fits_on_one_line_when_short() -> None:
    # Arrange
    expr = Call("f(", ("a", "b"))

    # Act
    lines = layout("x = ", expr, "", 0)

    # Assert
    assert lines == ["x = f(a, b)"]


def test_layout_arguments_stay_on_one_indented_line_when_they_fit_there() -> None:
    # Arrange
    expr = Call("f(", ("a" * 40, "b" * 40))

    # Act
    lines = layout("x = ", expr, "", 0, width=88)

    # Assert
    assert lines == ["x = f(", "    " + "a" * 40 + ", " + "b" * 40, ")"]


def test_layout_call_splits_arguments_one_per_line_when_body_too_long() -> None:
    # Arrange
    expr = Call("f(", ("a" * 60, "b" * 60))

    # Act
    lines = layout("x = ", expr, "", 0)

    # Assert
    assert lines == ["x = f(", "    " + "a" * 60 + ",", "    " + "b" * 60 + ",", ")"]


def test_layout_same_call_is_one_line_at_110_and_split_at_88_when_line_is_100_long() -> None:
    # Arrange
    expr = Call("function(", ("a" * 40, "b" * 40))
    prefix = "value = "  # 8 + 9 + 40 + 2 + 40 + 1 = 100 characters

    # Act
    wide = layout(prefix, expr, "", 0, width=110)
    narrow = layout(prefix, expr, "", 0, width=88)

    # Assert
    assert wide == ["value = function(" + "a" * 40 + ", " + "b" * 40 + ")"]
    assert narrow == ["value = function(", "    " + "a" * 40 + ", " + "b" * 40, ")"]


def test_layout_elements_never_keeps_split_elements_on_one_line() -> None:
    # Arrange
    expr = Call("(", ("a" * 55, "b" * 55), split=Split.ELEMENTS)

    # Act
    lines = layout("t = ", expr, "", 0)

    # Assert
    assert lines == ["t = (", "    " + "a" * 55 + ",", "    " + "b" * 55 + ",", ")"]


def test_layout_elements_hugs_sole_element_without_comma_when_it_fits_indented() -> None:
    # Arrange
    expr = Call("{", ("k" * 104,), "}", split=Split.ELEMENTS)

    # Act
    lines = layout("return ", expr, "", 0)

    # Assert
    assert lines == ["return {", "    " + "k" * 104, "}"]


def test_layout_magic_comma_puts_sole_argument_on_its_own_line_with_comma_when_split() -> None:
    # Arrange
    expr = Call("op.execute(", ("s" * 100,), split=Split.MAGIC_COMMA)

    # Act
    lines = layout("", expr, "", 1)

    # Assert
    assert lines == ["    op.execute(", "        " + "s" * 100 + ",", "    )"]


def test_layout_sole_argument_is_split_itself_without_comma_when_too_long_for_one_line() -> None:
    # Arrange
    expr = Call("f(", (Call("g(", ("a" * 60, "b" * 60)),))

    # Act
    lines = layout("", expr, "", 0)

    # Assert
    assert lines == ["f(", "    g(", "        " + "a" * 60 + ",", "        " + "b" * 60 + ",", "    )", ")"]


def test_flat_single_element_tuple_keeps_its_comma_when_trailing_comma_when_flat() -> None:
    # Arrange
    expr = Call("(", ("x",), trailing_comma_when_flat=True, split=Split.ELEMENTS)

    # Act
    text = flat(expr)

    # Assert
    assert text == "(x,)"


def test_call_leaves_out_none_arguments_and_prefixes_keywords() -> None:
    # Arrange / Act
    expr = call("op.f", "a", None, name=strings(("x",)), unique=None, create_type="False")

    # Assert
    assert flat(expr) == 'op.f(a, name=["x"], create_type=False)'
    assert expr.split is Split.MAGIC_COMMA


def test_keyword_prefixes_head_of_call_when_value_is_call() -> None:
    # Arrange / Act
    expr = keyword("server_default", Call("sa.text(", ("'0'",)))

    # Assert
    assert isinstance(expr, Call)
    assert flat(expr) == "server_default=sa.text('0')"


def test_statement_lines_parenthesises_right_hand_side_when_first_line_too_long() -> None:
    # Arrange
    prefix = "a" * 60 + ": Mapped[int] = "
    expr = Call("mapped_column(", ("x",))

    # Act
    lines = statement_lines(prefix, expr, 1, width=88)

    # Assert
    assert lines == ["    " + prefix + "(", "        mapped_column(x)", "    )"]


def test_statement_lines_splits_annotation_subscript_when_parenthesised_line_too_long() -> None:
    # Arrange
    prefix = "a" * 80 + ": Mapped[int] = "
    expr = Call("mapped_column(", ("x",))

    # Act
    lines = statement_lines(prefix, expr, 1, width=88)

    # Assert
    assert lines == ["    " + "a" * 80 + ": Mapped[", "        int", "    ] = mapped_column(x)"]


def test_splittable_turns_long_call_text_into_nested_calls() -> None:
    # Arrange
    code = 'sa.Enum("first_value", "second_value", "third_value", name="users_status_enum_type")'

    # Act
    expr = splittable(code)

    # Assert
    assert isinstance(expr, Call)
    assert expr.head == "sa.Enum("
    assert expr.args[-1] == 'name="users_status_enum_type"'
    assert flat(expr) == code


def test_text_width_counts_wide_characters_twice_and_combining_marks_not_at_all() -> None:
    # Arrange
    text = "ab状态e\u0301"

    # Act
    width = text_width(text)

    # Assert
    assert width == 7


def test_layout_splits_call_when_wide_characters_make_it_too_wide_though_len_fits() -> None:
    # Arrange: `value = f("状…状", xxxxxx)` is 41 characters but 61 columns
    expr = Call("f(", ('"' + "状" * 20 + '"', "x" * 6))

    # Act
    lines = layout("value = ", expr, "", 0, width=56)

    # Assert
    assert lines == ["value = f(", '    "' + "状" * 20 + '", ' + "x" * 6, ")"]


def test_too_long_reports_line_when_wide_characters_exceed_limit() -> None:
    # Arrange
    line = "x = " + "状 " * 10

    # Act / Assert
    assert len(line) <= 30
    assert too_long(line, 30)


def test_too_long_ignores_line_when_it_is_one_word() -> None:
    # Arrange
    line = "        " + '"' + "s" * 120 + '",'

    # Act / Assert
    assert not too_long(line, 88)


def test_too_long_ignores_line_when_it_ends_with_url_starting_within_limit() -> None:
    # Arrange
    line = "# see https://example.com/" + "p" * 100

    # Act / Assert
    assert not too_long(line, 88)


@settings(max_examples=60, deadline=None)
@given(EXPRS, st.sampled_from([79, 88, 110]))
def test_layout_text_means_the_same_code_as_flat_for_any_expression(expr: Expr, width: int) -> None:
    # Arrange
    expected = ast.dump(ast.parse(flat(expr)))

    # Act
    text = layout_text("", expr, 0, width)

    # Assert
    assert ast.dump(ast.parse(text)) == expected


def test_layout_text_is_what_ruff_format_writes_at_88_and_110(tmp_path: Path) -> None:
    # Arrange
    exprs = [
        Call("function(", ("a" * 40, "b" * 40)),
        Call("f(", (Call("g(", ("a" * 60, "b" * 60)),)),
        Call("value = (", ("a" * 55, "b" * 55), split=Split.ELEMENTS),
        call("op.create_table", '"t"', call("sa.Column", '"id"', "sa.Integer()", nullable="False")),
        Call("op.execute(", ('"' + "s" * 90 + '"',), split=Split.MAGIC_COMMA),
        Call("sa.Enum(", tuple(f'"{"状态" * 6}{n}"' for n in range(4))),
        Call("sa.Enum(", tuple(f'"{"状态" * 9}{n}"' for n in range(4))),
    ]
    for width in (88, 110):
        path = tmp_path / f"w{width}.py"
        path.write_text("\n".join(layout_text("", e, 0, width) for e in exprs) + "\n")

        # Act
        result = subprocess.run(
            [str(RUFF), "format", "--isolated", "--check", "--diff", f"--line-length={width}", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )

        # Assert
        assert result.returncode == 0, result.stdout + result.stderr
