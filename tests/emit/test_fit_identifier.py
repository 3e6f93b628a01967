"""`fit_identifier`: every derived SQL name fits PostgreSQL's 63 bytes, and different names stay different."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.db.conventions import check_constraint_name, check_label, index_name, unique_name
from specc.db.identifiers import fit_identifier
from specc.db.names import enum_type_name

NAME_TEXT = st.text(
    st.characters(min_codepoint=1, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=90
)


@settings(max_examples=300)
@given(NAME_TEXT)
def test_fit_identifier_fits_63_bytes_and_keeps_names_that_fit_for_any_name(name: str) -> None:
    # Arrange / Act
    fitted = fit_identifier(name)

    # Assert
    assert len(fitted.encode("utf-8")) <= 63
    assert (fitted == name) == (len(name.encode("utf-8")) <= 63)
    if fitted != name:
        assert name.startswith(fitted[:-9])


def test_fit_identifier_keeps_the_issue_constraint_names_distinct_when_they_share_63_bytes() -> None:
    # Arrange
    table = "orders_" + "h" * 43

    # Act
    names = {
        unique_name(table, ("external_reference_1",)),
        unique_name(table, ("external_reference_2",)),
        index_name(table, ("lookup_key_1",)),
        index_name(table, ("lookup_key_2",)),
    }

    # Assert
    assert len(names) == 4
    assert all(len(n.encode()) == 63 for n in names)


def test_fit_identifier_cuts_at_a_character_boundary_when_name_is_multibyte() -> None:
    # Arrange
    name = "ck_" + "я" * 40  # 83 bytes

    # Act
    fitted = fit_identifier(name)

    # Assert
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    assert fitted == "ck_" + "я" * 25 + "_" + digest  # 3 + 50 bytes of prefix, then 9
    assert len(fitted.encode()) == 62


def test_enum_type_name_is_unchanged_when_ascii_name_is_long() -> None:
    # Arrange
    table, column = "t" * 60, "status"
    whole = f"{table}_{column}"

    # Act
    name = enum_type_name(table, column)

    # Assert
    assert name == f"{whole[:54]}_{hashlib.sha1(whole.encode()).hexdigest()[:8]}"


def test_enum_type_name_fits_63_bytes_when_name_is_multibyte() -> None:
    # Arrange
    table, column = "заказы_покупателей", "статус_заказа_клиента"  # 39 characters, 74 bytes

    # Act
    name = enum_type_name(table, column)

    # Assert
    assert len(name.encode()) <= 63
    assert name != f"{table}_{column}"


def test_check_label_gives_back_the_ir_name_when_database_name_fits() -> None:
    # Arrange
    table = "products"

    # Act
    label = check_label(table, check_constraint_name(table, "price_positive"))

    # Assert
    assert label == "price_positive"
