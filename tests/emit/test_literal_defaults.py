"""Literal column defaults copied into Pydantic fields: never a conversion that fails or a value Python cannot
write back (issue 9: a 5,000-digit default raised ValueError; a float default overflowing to inf generated
`= inf`, which is a NameError on import)."""

from __future__ import annotations

from specc.emit.schemas.plan import literal_default
from specc.emit.shapes import column_type
from specc.ir.model import Column


def test_literal_default_is_none_when_integer_default_is_longer_than_any_integer() -> None:
    # Arrange
    column = Column(name="n", type="INTEGER", default="9" * 5000)

    # Act
    value = literal_default(column, column_type(column))

    # Assert
    assert value is None


def test_literal_default_is_none_when_float_default_overflows_to_infinity() -> None:
    # Arrange
    column = Column(name="r", type="DOUBLE PRECISION", default="9" * 400)

    # Act
    value = literal_default(column, column_type(column))

    # Assert
    assert value is None


def test_literal_default_keeps_integer_and_float_defaults_in_range() -> None:
    # Arrange
    big = Column(name="n", type="BIGINT", default="-9223372036854775808")
    ratio = Column(name="r", type="DOUBLE PRECISION", default="1.5")

    # Act
    values = (literal_default(big, column_type(big)), literal_default(ratio, column_type(ratio)))

    # Assert
    assert values == ("-9223372036854775808", "1.5")
