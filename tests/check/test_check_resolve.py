"""Resolution rules R001–R013: one failing and one passing case each."""

from __future__ import annotations

from specc.diagnostics import Severity
from specc.ir.model import Index, Relationship
from tests.check.check_builders import col, endpoint, fk_col, found, pk, span, spec, table, users


def test_r001_duplicate_table_reported_at_second_definition() -> None:
    # Arrange
    s = spec(users(line=1), users(line=30))
    # Act
    result = found(s, "R001")
    # Assert
    assert [(d.line, d.severity) for d in result] == [(30, Severity.ERROR)]
    assert "first defined on line 1" in result[0].message


def test_r001_duplicate_table_silent_for_distinct_names() -> None:
    # Arrange
    s = spec(users(), table("rooms", pk(), line=10))
    # Act / Assert
    assert found(s, "R001") == []


def test_r002_duplicate_column_reported_at_repeated_row() -> None:
    # Arrange
    s = spec(table("users", pk(line=2), col("email", line=3), col("email", line=4)))
    # Act
    result = found(s, "R002")
    # Assert
    assert [(d.line, d.message) for d in result] == [
        (4, 'column "email" appears more than once in table "users" (first defined on line 3)')
    ]


def test_r002_duplicate_column_silent_for_same_name_in_two_tables() -> None:
    # Arrange
    s = spec(table("a", pk(line=2)), table("b", pk(line=12), line=11))
    # Act / Assert
    assert found(s, "R002") == []


def test_r003_fk_unknown_table_reported_at_fk_span_with_suggestion() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(line=11), fk_col("author_id", "user", line=12), line=10))
    # Act
    result = found(s, "R003")
    # Assert
    assert [(d.line, d.column) for d in result] == [(12, 20)]
    assert result[0].hint == 'did you mean "users"?'


def test_r003_fk_unknown_table_silent_when_table_exists() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users"), line=10))
    # Act / Assert
    assert found(s, "R003") == []


def test_r004_fk_unknown_column_names_the_column() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", column="uid"), line=10))
    # Act
    result = found(s, "R004")
    # Assert
    assert len(result) == 1
    assert 'unknown column "uid" of table "users"' in result[0].message


def test_r004_fk_unknown_column_silent_for_implicit_target() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", column=None), line=10))
    # Act / Assert
    assert found(s, "R004") == []


def test_r005_implicit_fk_target_reported_for_composite_primary_key() -> None:
    # Arrange
    members = table("members", pk("user_id", line=2), pk("room_id", line=3))
    badges = table("badges", pk(line=11), fk_col("member", "members", column=None, line=12), line=10)
    s = spec(members, badges)
    # Act
    result = found(s, "R005")
    # Assert
    assert [d.line for d in result] == [12]
    assert "composite primary key" in result[0].message


def test_r005_implicit_fk_target_silent_for_single_column_primary_key() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", column=None), line=10))
    # Act / Assert
    assert found(s, "R005") == []


def test_r006_fk_to_non_unique_column_reported() -> None:
    # Arrange
    target = table("users", pk(), col("nick", "VARCHAR(50)"))
    s = spec(
        target, table("posts", pk(), fk_col("nick", "users", column="nick", type_="VARCHAR(50)"), line=10)
    )
    # Act
    result = found(s, "R006")
    # Assert
    assert len(result) == 1
    assert "users.nick, which is neither the primary key nor unique" in result[0].message


def test_r006_fk_to_column_with_unique_index_silent() -> None:
    # Arrange
    target = table(
        "users", pk(), col("nick", "VARCHAR(50)"), indexes=(Index(columns=("nick",), unique=True),)
    )
    s = spec(
        target, table("posts", pk(), fk_col("nick", "users", column="nick", type_="VARCHAR(50)"), line=10)
    )
    # Act / Assert
    assert found(s, "R006") == []


def test_r007_fk_type_mismatch_is_a_warning_naming_both_types() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", type_="INTEGER"), line=10))
    # Act
    result = found(s, "R007")
    # Assert
    assert [d.severity for d in result] == [Severity.WARNING]
    assert (
        result[0].message == "foreign key posts.author_id is INTEGER but references users.id, which is BIGINT"
    )


def test_r007_fk_type_mismatch_ignores_varchar_length() -> None:
    # Arrange
    target = table("codes", pk("code", "VARCHAR(10)"))
    s = spec(
        target, table("items", pk(), fk_col("code", "codes", column="code", type_="VARCHAR(20)"), line=10)
    )
    # Act / Assert
    assert found(s, "R007") == []


def test_r008_index_unknown_column_reported_at_index_span() -> None:
    # Arrange
    idx = Index(columns=("email", "nmae"), span=span(60))
    s = spec(table("users", pk(), col("email"), col("name", line=4), indexes=(idx,)))
    # Act
    result = found(s, "R008")
    # Assert
    assert [(d.line, d.hint) for d in result] == [(60, 'did you mean "name"?')]


def test_r008_index_known_columns_silent() -> None:
    # Arrange
    s = spec(table("users", pk(), col("email"), indexes=(Index(columns=("email", "id")),)))
    # Act / Assert
    assert found(s, "R008") == []


def test_r009_relationship_unknown_table_reports_each_side() -> None:
    # Arrange
    rel = Relationship.model_validate({"from": "user", "to": "post", "kind": "one-to-many", "span": span(70)})
    s = spec(users(), relationships=(rel,))
    # Act
    result = found(s, "R009")
    # Assert
    assert sorted(d.message for d in result) == [
        'relationship user → post names unknown table "post" (to side)',
        'relationship user → post names unknown table "user" (from side)',
    ]


def test_r009_relationship_known_tables_silent() -> None:
    # Arrange
    rel = Relationship.model_validate({"from": "users", "to": "users", "kind": "one-to-many"})
    s = spec(users(), relationships=(rel,))
    # Act / Assert
    assert found(s, "R009") == []


def test_r010_many_to_many_through_unknown_table_reported() -> None:
    # Arrange
    rel = Relationship.model_validate(
        {"from": "users", "to": "rooms", "kind": "many-to-many", "through": "room_member", "span": span(71)}
    )
    s = spec(
        users(), table("rooms", pk(), line=10), table("room_members", pk(), line=20), relationships=(rel,)
    )
    # Act
    result = found(s, "R010")
    # Assert
    assert [(d.line, d.hint) for d in result] == [(71, 'did you mean "room_members"?')]


def test_r010_many_to_many_through_existing_table_silent() -> None:
    # Arrange
    rel = Relationship.model_validate(
        {"from": "users", "to": "users", "kind": "many-to-many", "through": "users"}
    )
    s = spec(users(), relationships=(rel,))
    # Act / Assert
    assert found(s, "R010") == []


def test_r011_duplicate_endpoint_compares_path_parameters_by_position() -> None:
    # Arrange
    first = endpoint("GET", "/api/rooms/{id}", 200, 401, line=40)
    second = endpoint("GET", "/api/rooms/{room_id}", 200, 401, line=80)
    # Act
    result = found(spec(endpoints=(first, second)), "R011")
    # Assert
    assert [(d.line, d.column) for d in result] == [(80, 5)]
    assert "on line 40" in result[0].message


def test_r011_same_path_different_method_silent() -> None:
    # Arrange
    eps = (endpoint("GET", "/api/rooms/{id}", 200), endpoint("DELETE", "/api/rooms/{id}", 204, line=80))
    # Act / Assert
    assert found(spec(endpoints=eps), "R011") == []


def test_r012_autoincrement_in_composite_key_warned() -> None:
    # Arrange
    s = spec(
        table(
            "members",
            pk("room_id", line=2),
            fk_col("user_id", "users", line=3).model_copy(update={"primary_key": True}),
        )
    )
    # Act
    result = found(s, "R012")
    # Assert
    assert [(d.line, d.severity) for d in result] == [(2, Severity.WARNING)]


def test_r012_autoincrement_single_key_silent() -> None:
    # Arrange / Act / Assert
    assert found(spec(users()), "R012") == []


def test_r013_autoincrement_uuid_reported_with_default_hint() -> None:
    # Arrange
    s = spec(table("users", pk("id", "UUID")))
    # Act
    result = found(s, "R013")
    # Assert
    assert [d.hint for d in result] == ["use DEFAULT gen_random_uuid() instead"]


def test_r013_autoincrement_bigint_silent() -> None:
    # Arrange / Act / Assert
    assert found(spec(users()), "R013") == []
