"""Golden tests for issue 15's reading patterns in each language of item 1: header words (name, type,
constraints, nullable, required, default, key, description), their value words (是/否, 예/아니오, Oui/Non,
Sí/No, ...), captions, facts written in notes, enums listed in notes, and the nullability rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from specc.cli import main
from specc.diagnostics import Reporter
from specc.ir.model import Column, Spec
from specc.parse import parse_spec


@dataclass(frozen=True)
class Language:
    code: str
    heading: str
    """A heading naming table `members` the way documents in the language do."""
    name: str
    type: str
    required: str
    """Header of a required column; its cells say yes or no."""
    yes: str
    no: str
    default: str
    notes: str
    caption: str
    """A caption labelling the field list (must not rename the table)."""
    pk_note: str
    """A notes cell saying primary key, with more words."""
    unique_note: str
    nullable: str
    """Header of a nullable column."""
    not_null_value: str
    """A nullable cell saying NOT NULL, in that language's words."""
    key: str
    """Header of a key-kind column (`PK`/`FK` values)."""


LANGUAGES = [
    Language("zh", "### 2.1 `members` 会员表", "字段", "类型", "必填", "是", "否", "默认值", "说明",
             "**字段**：", "主键，自增", "唯一", "可空", "否", "键"),
    Language("ko", "### 1.1 members (회원)", "컬럼명", "타입", "필수", "예", "아니오", "기본값", "설명",
             "**컬럼 목록**", "기본키 (자동 증가)", "유니크", "NULL 허용", "아니오", "구분"),
    Language("ja", "### members（会員）", "カラム名", "型", "必須", "○", "×", "デフォルト", "備考",
             "**カラム一覧**", "主キー（自動採番）", "ユニーク", "NULL許可", "いいえ", "キー"),
    Language("fr", "### 3.1 Membre — `members`", "Colonne", "Type", "Obligatoire", "Oui", "Non", "Défaut",
             "Remarques", "**Liste des champs :**", "Clé primaire, auto-incrément", "unique", "Nullable",
             "Non", "Key"),
    Language("es", "### 1.2 Tabla `members`", "Columna", "Tipo", "Obligatorio", "Sí", "No", "Predeterminado",
             "Descripción", "**Lista de campos:**", "Clave primaria; autoincrement", "Único", "Nullable",
             "No", "Key"),
    Language("de", "#### Tabelle: `members`", "Spalte", "Typ", "Pflicht", "Ja", "Nein", "Standardwert",
             "Beschreibung", "**Felder:**", "Primärschlüssel, auto-increment", "eindeutig", "Nullable",
             "Nein", "Key"),
    Language("pt", "### Tabela `members`", "Campo", "Tipo", "Obrigatório", "Sim", "Não", "Padrão",
             "Observações", "**Lista de campos:**", "Chave primária (auto-increment)", "único", "Nullable",
             "Não", "Key"),
    Language("ru", "### Таблица `members`", "Поле", "Тип", "Обязательное", "Да", "Нет", "По умолчанию",
             "Описание", "**Список полей:**", "Первичный ключ, автоинкремент", "уникальный", "Nullable",
             "Нет", "Key"),
]  # fmt: skip


def _parse(text: str) -> tuple[Spec, Reporter]:
    reporter = Reporter()
    return parse_spec(text, "doc.md", reporter).spec, reporter


def _columns(spec: Spec) -> dict[str, Column]:
    assert [t.name for t in spec.tables] == ["members"]
    return {c.name: c for c in spec.tables[0].columns}


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_languages_required_and_default_columns_read_under_caption(lang: Language) -> None:
    # Arrange
    text = (
        f"# Doc\n\n{lang.heading}\n\n{lang.caption}\n\n"
        f"| {lang.name} | {lang.type} | {lang.required} | {lang.default} | {lang.notes} |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| id | BIGINT | {lang.yes} | | {lang.pk_note} |\n"
        f"| email | VARCHAR(255) | {lang.yes} | | {lang.unique_note} |\n"
        f"| nickname | TEXT | {lang.no} | 'anon' | |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    columns = _columns(spec)
    assert columns["id"].primary_key and columns["id"].autoincrement and not columns["id"].nullable
    assert columns["email"].type == "VARCHAR(255)"
    assert columns["email"].unique and not columns["email"].nullable
    assert columns["nickname"].nullable and columns["nickname"].default == "'anon'"
    assert not [d for d in reporter.diagnostics if d.severity.value == "error"]


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_languages_nullable_and_key_columns_read(lang: Language) -> None:
    # Arrange
    text = (
        "# Doc\n\n### teams\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n\n"
        f"{lang.heading}\n\n"
        f"| {lang.key} | {lang.name} | {lang.type} | {lang.nullable} | {lang.notes} |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| PK | id | BIGINT | {lang.not_null_value} | |\n"
        f"| FK | team_id | BIGINT | {lang.not_null_value} | → teams.id |\n"
        f"| | bio | TEXT | {lang.yes} | |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    members = {c.name: c for c in spec.tables[1].columns}
    assert members["id"].primary_key
    assert members["team_id"].foreign_key is not None and members["team_id"].foreign_key.table == "teams"
    assert not members["team_id"].nullable
    assert members["bio"].nullable


@pytest.mark.parametrize(
    ("notes", "values"),
    [
        ("one of: draft, sent, paid", ("draft", "sent", "paid")),
        ("draft \\| sent \\| paid", ("draft", "sent", "paid")),
        ("`draft`, `sent` or `paid`", ("draft", "sent", "paid")),
        ("可选值：draft / sent / paid", ("draft", "sent", "paid")),
        ("Valeurs : draft, sent, paid", ("draft", "sent", "paid")),
    ],
)
def test_languages_enum_values_read_from_notes(notes: str, values: tuple[str, ...]) -> None:
    # Arrange
    text = (
        "# Doc\n\n### invoices\n\n| Column | Type | Notes |\n| --- | --- | --- |\n"
        f"| status | varchar (enum) | {notes} |\n| kind | enum | {notes} |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    expected = "ENUM(" + ",".join(f"'{v}'" for v in values) + ")"
    assert [c.type for c in spec.tables[0].columns] == [expected, expected]
    assert "P018" not in {d.code for d in reporter.diagnostics}


def test_languages_type_with_null_union_is_nullable_and_rest_not_null() -> None:
    # Arrange
    text = (
        "# Doc\n\n### cortes\n\n| Campo | Tipo | Descripcion |\n| --- | --- | --- |\n"
        "| id | UUID | Identificador |\n| total | NUMERIC \\| NULL | Total |\n| notas | null \\| text | |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    columns = {c.name: c for c in spec.tables[0].columns}
    assert (columns["total"].type, columns["total"].nullable) == ("NUMERIC", True)
    assert (columns["notas"].type, columns["notas"].nullable) == ("TEXT", True)
    assert columns["id"].nullable is False
    assert [d.code for d in reporter.diagnostics] == ["P041"]


def test_languages_nullability_rule_not_applied_when_a_column_says_not_null() -> None:
    # Arrange
    text = (
        "# Doc\n\n### users\n\n| Column | Type | Notes |\n| --- | --- | --- |\n"
        "| email | TEXT | required |\n| bio | TEXT | nullable |\n| name | TEXT | |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert [c.nullable for c in spec.tables[0].columns] == [False, True, True]
    assert "P041" not in {d.code for d in reporter.diagnostics}


@pytest.mark.parametrize(
    ("notes", "field", "value"),
    [
        ("Primary key; generated by the database.", "primary_key", True),
        ("Mandatory.", "nullable", False),
        ("Can be null", "nullable", True),
        ("Must be unique per tenant", "unique", False),
        ("Must be unique", "unique", True),
        ("Not unique: several rows may share it", "unique", False),
        ("Indexed for search", "indexed", True),
        ("Auto-increment", "autoincrement", True),
        ("Defaults to `false`", "default", "false"),
    ],
)
def test_languages_notes_facts_read_with_more_words(notes: str, field: str, value: object) -> None:
    # Arrange
    text = (
        "# Doc\n\n### accounts\n\n| Column | Type | Notes |\n| --- | --- | --- |\n"
        f"| flag | BOOLEAN | {notes} |\n| other | TEXT | NOT NULL |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    assert getattr(spec.tables[0].columns[0], field) == value


def test_languages_prose_reference_to_unknown_table_is_info_not_foreign_key() -> None:
    # Arrange
    text = (
        "# Doc\n\n### payments\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
        "| id | BIGINT | PK |\n"
        "| invoice_id | BIGINT | References the invoice this pays (see billing docs) |\n"
        "| memo | TEXT | Shown to customer when refunded |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert [c.foreign_key for c in spec.tables[0].columns] == [None, None, None]
    assert [(d.code, d.line, d.severity.value) for d in reporter.diagnostics if d.code == "P038"] == [
        ("P038", 8, "info")
    ]
    assert "R003" not in {d.code for d in reporter.diagnostics}


def test_languages_prose_reference_to_known_table_is_foreign_key() -> None:
    # Arrange
    text = (
        "# Doc\n\n### invoices\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n\n"
        "### payments\n\n| Column | Type | Notes |\n| --- | --- | --- |\n"
        "| invoice_id | BIGINT | References invoices this pays |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    fk = spec.tables[1].columns[0].foreign_key
    assert fk is not None and fk.table == "invoices"


@pytest.mark.parametrize(
    ("written", "canonical", "primary", "nullable"),
    [
        ("UUID (PK)", "UUID", True, False),
        ("FK uuid", "UUID", False, True),
        ("DateTime(tz)", "TIMESTAMPTZ", False, True),
        ("datetime_immutable", "TIMESTAMP", False, True),
        ("home_role NOT NULL", "home_role", False, False),
    ],
)
def test_languages_type_cell_with_keys_around_it_is_read(
    written: str, canonical: str, primary: bool, nullable: bool
) -> None:
    # Arrange
    text = f"# Doc\n\n### homes\n\n| Column | Type | Notes |\n| --- | --- | --- |\n| c | {written} | |\n"

    # Act
    spec, _ = _parse(text)

    # Assert
    column = spec.tables[0].columns[0]
    assert (column.type, column.primary_key, column.nullable) == (canonical, primary, nullable)


def test_languages_boolean_default_written_as_digit_is_a_boolean() -> None:
    # Arrange
    text = (
        "# Doc\n\n### flags\n\n| Feld | Typ | Beschreibung |\n| --- | --- | --- |\n"
        "| is_default | TINYINT(1) DEFAULT 0 | Standard |\n| on | BOOLEAN DEFAULT 1 | |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    assert [(c.type, c.default) for c in spec.tables[0].columns] == [
        ("BOOLEAN", "false"),
        ("BOOLEAN", "true"),
    ]


def test_languages_unread_table_of_names_and_sql_types_is_warned_p040() -> None:
    # Arrange
    text = (
        "# Doc\n\n### users\n\n| Schlüssel | Art | Hinweis |\n| --- | --- | --- |\n"
        "| id | BIGINT | |\n| email | VARCHAR(255) | |\n| created_at | TIMESTAMPTZ | |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert spec.tables == ()
    warned = [(d.code, d.line, d.column, d.severity.value) for d in reporter.diagnostics if d.code == "P040"]
    assert warned == [("P040", 5, 3, "warning")]
    assert "'Schlüssel'" in reporter.diagnostics[0].message and "'Art'" in reporter.diagnostics[0].message


def test_languages_parameter_table_of_json_words_is_not_warned() -> None:
    # Arrange
    text = (
        "# Doc\n\n### Query\n\n| Parameter | Kind | Description |\n| --- | --- | --- |\n"
        "| page | integer | page number |\n| q | string | search text |\n"
    )

    # Act
    _, reporter = _parse(text)

    # Assert
    assert "P040" not in {d.code for d in reporter.diagnostics}


def test_languages_unread_table_fails_check_strict(tmp_path: Path) -> None:
    # Arrange
    doc = tmp_path / "ARCHITECTURE.md"
    doc.write_text(
        "# Doc\n\n### users\n\n| Schlüssel | Art |\n| --- | --- |\n| id | BIGINT |\n| email | TEXT |\n",
        encoding="utf-8",
    )

    # Act
    plain_exit = main(["check", str(doc)])
    strict_exit = main(["check", "--strict", str(doc)])

    # Assert
    assert (plain_exit, strict_exit) == (0, 1)


def test_languages_table_under_list_item_takes_the_item_caption() -> None:
    # Arrange
    text = (
        "# Doc\n\n## Tables\n\n* **Users table**:\n  | Column | Type |\n  | --- | --- |\n"
        "  | id | BIGINT |\n  | email | TEXT |\n* **Orders table**:\n  | Column | Type |\n  | --- | --- |\n"
        "  | id | BIGINT |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    assert [(t.name, len(t.columns), t.span.line if t.span else 0) for t in spec.tables] == [
        ("users", 2, 5),
        ("orders", 1, 10),
    ]


def test_languages_nullability_rule_applied_when_not_null_is_a_rare_exception() -> None:
    # Arrange (corpus document 15: thirty `(nullable)` marks and one `(required)`)
    rows = "".join(f"| c{i} | TEXT | nullable |\n" for i in range(5))
    text = (
        "# Doc\n\n### users\n\n| Column | Type | Notes |\n| --- | --- | --- |\n"
        f"{rows}| source | TEXT | one of the sources (required) |\n| name | TEXT | Mandatory skills match |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    columns = {c.name: c.nullable for c in spec.tables[0].columns}
    assert (columns["c0"], columns["source"], columns["name"]) == (True, False, False)
    assert [d.message for d in reporter.diagnostics if d.code == "P041"] == [
        "the document marks 5 column(s) nullable (this is the first) and 1 NOT NULL; columns that say "
        "nothing are read as NOT NULL"
    ]


@pytest.mark.parametrize(("target", "expected"), [("manager.id", "manager"), ("nowhere.id", None)])
def test_languages_arrow_in_notes_is_a_foreign_key_only_to_a_table_of_the_document(
    target: str, expected: str | None
) -> None:
    # Arrange (corpus-2 document 29: `등록자 ID → [manager.id](http://manager.id/)`)
    text = (
        "# Doc\n\n### manager\n\n| 컬럼명 | 타입 | 설명 |\n| --- | --- | --- |\n| id | INTEGER | 기본키 |\n"
        f"| created_by | INTEGER | 등록자 ID → [{target}](http://{target}/) |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    fk = spec.tables[0].columns[1].foreign_key
    assert (fk.table if fk else None) == expected
    assert ("P038" in {d.code for d in reporter.diagnostics}) is (expected is None)


def test_languages_diagram_foreign_key_completes_column_table_that_names_none() -> None:
    # Arrange (corpus document 02: `INTEGER FK` rows, the targets only in the erDiagram)
    text = (
        "# Doc\n\n```mermaid\nerDiagram\n    USERS ||--o{ BOOKINGS : makes\n"
        "    USERS {\n        int id PK\n    }\n"
        "    BOOKINGS {\n        int id PK\n        int client_id FK\n    }\n```\n\n"
        "### users\n\n| Column | Type |\n| --- | --- |\n| id | INTEGER PK |\n\n"
        "### bookings\n\n| Column | Type |\n| --- | --- |\n| id | INTEGER PK |\n| client_id | INTEGER |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == ["users", "bookings"]
    fk = spec.tables[1].columns[1].foreign_key
    assert fk is not None and fk.table == "users"
    assert "P037" not in {d.code for d in reporter.diagnostics}


def test_languages_column_bullets_in_code_are_a_column_table() -> None:
    # Arrange (corpus documents 25 and 47)
    text = (
        "# Doc\n\n## Enums\n\n- `user_role`: `admin`, `member`\n- `status`: `open`, `closed`\n\n"
        "#### Table: `ps.project`\n\n**Columns:**\n  - `project_id UUID PRIMARY KEY`\n"
        "  - `path text not null` (where it is stored)\n  - `role user_role not null`\n"
        "  - `owner_id uuid null fk profiles(id)`\n\n**Indexes:**\n  - `UNIQUE(project_id, path)`\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == ["project"]
    columns = spec.tables[0].columns
    assert [(c.name, c.type, c.nullable, c.primary_key) for c in columns] == [
        ("project_id", "UUID", False, True),
        ("path", "TEXT", False, False),
        ("role", "user_role", False, False),
        ("owner_id", "UUID", True, False),
    ]
    assert columns[1].description == "(where it is stored)"
    assert columns[0].span is not None and (columns[0].span.line, columns[0].span.column) == (11, 6)
    assert columns[3].foreign_key is not None and columns[3].foreign_key.table == "profiles"


def test_languages_unread_header_column_is_an_info_naming_it() -> None:
    # Arrange (corpus-2 document 35: `| Champ | Type PHP | Type SQL | N | Notes |`)
    text = (
        "# Doc\n\n### projects\n\n| Champ | Type PHP | Type SQL | N | Notes | Oblig. |\n"
        "|---|---|---|---|---|---|\n| `id` | `Uuid` | `uuid` | ✗ | PK | ✅ |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert spec.tables[0].columns[0].type == "UUID"
    infos = [(d.code, d.line, d.column, d.severity.value) for d in reporter.diagnostics if d.code == "P039"]
    assert infos == [("P039", 5, 11, "info")]
    assert "'Type PHP'" in next(d.message for d in reporter.diagnostics if d.code == "P039")


MORE = {
    "zh": ("实体", "字段", "可为空", "可选值：draft / sent / paid"),
    "ko": ("엔티티", "컬럼", "NULL 허용", "값: draft, sent, paid"),
    "ja": ("エンティティ", "カラム", "NULL許可", "値: draft, sent, paid"),
    "fr": ("Entité", "Colonnes", "facultatif", "Valeurs : draft, sent, paid"),
    "es": ("Entidad", "Columnas", "opcional", "valores: draft, sent, paid"),
    "de": ("Entität", "Spalten", "kann null sein", "Werte: draft, sent, paid"),
    "pt": ("Entidade", "Colunas", "opcional", "valores: draft, sent, paid"),
    "ru": ("Сущность", "Поля", "может быть null", "значения: draft, sent, paid"),
}
"""Per language: an entity word for headings, a generic sub-heading, a notes phrase saying nullable, and a
notes phrase listing enum values."""


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_languages_generic_sub_headings_nullable_notes_and_enum_values(lang: Language) -> None:
    # Arrange (items 3, 5, 8, 9 and 10 of issue 15, in each language)
    entity, generic, nullable, values = MORE[lang.code]
    table = (
        f"| {lang.name} | {lang.type} | {lang.notes} |\n| --- | --- | --- |\n"
        f"| id | BIGINT | {lang.pk_note} |\n| memo | TEXT | {nullable} |\n"
        f"| status | enum | {values} |\n| total | NUMERIC(10,2) | |\n"
    )
    text = (
        f"# Doc\n\n## {entity} 3: `invoices`\n\n### {generic}\n\n{table}\n"
        f"## {entity} 4: `payments`\n\n### {generic}\n\n{table}"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert [t.name for t in spec.tables] == ["invoices", "payments"]
    columns = {c.name: c for c in spec.tables[1].columns}
    assert columns["id"].primary_key
    assert columns["memo"].nullable is True
    assert columns["status"].type == "ENUM('draft','sent','paid')"
    assert columns["total"].nullable is False  # only nullable columns are marked: the rest are NOT NULL
    assert [d.code for d in reporter.diagnostics if d.severity.value != "info"] == []


def test_languages_unread_table_with_rows_longer_than_header_is_no_crash() -> None:
    # Arrange (found by review: the P040 detector indexed the header by a row's cell)
    text = "| a | b |\n|---|---|\n| 1 | 2 | id | uuid |\n| 3 | 4 | at | date |\n"

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert spec.tables == ()
    assert "P040" not in {d.code for d in reporter.diagnostics}


@pytest.mark.parametrize(
    "notes",
    [
        "Not a primary key",
        "Copied here (not the primary key)",
        "Foreign key to the users primary key",
        "References users.id (the user's primary key)",
        "Primary key of the legacy system, kept for reference",
        "Unique identifier of the buyer in the CRM",
        "Is this unique? TBD",
        "Device serial number",
        "Identity provider name",
        "사용자가 선택한 언어",
    ],
)
def test_languages_notes_prose_that_only_mentions_a_fact_states_none(notes: str) -> None:
    # Arrange (found by review: each of these set a primary key, UNIQUE, auto-increment or nullability)
    text = (
        "# Doc\n\n### orders\n\n| Column | Type | Notes |\n| --- | --- | --- |\n"
        f"| ref | TEXT | {notes} |\n| other | TEXT | |\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    column = spec.tables[0].columns[0]
    stated = (column.primary_key, column.unique, column.autoincrement, column.nullable, column.default)
    assert stated == (False, False, False, True, None)
    assert "P041" not in {d.code for d in reporter.diagnostics}


def test_languages_nullability_rule_leaves_sql_and_diagram_tables_alone() -> None:
    # Arrange (found by review: one nullable note turned a CREATE TABLE column NOT NULL)
    text = (
        "# Doc\n\n### users\n\n| Column | Type | Notes |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"
        "| bio | TEXT | nullable |\n| name | TEXT | |\n\n"
        "```sql\nCREATE TABLE audit (id BIGINT PRIMARY KEY, note TEXT);\n```\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    by_name = {t.name: {c.name: c.nullable for c in t.columns} for t in spec.tables}
    assert by_name == {
        "users": {"id": False, "bio": True, "name": False},
        "audit": {"id": False, "note": True},
    }


@pytest.mark.parametrize(
    "text",
    [
        "### triggers\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n| name | TEXT |\n",
        "### logs\n\n**Request log**\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n| name | TEXT |\n",
        "### users\n\n#### 컬럼 정의\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n| name | TEXT |\n",
        "### orders\n\n#### 字段列表\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n| name | TEXT |\n",
    ],
    ids=["table-named-triggers", "bold-caption-with-request-word", "korean-generic", "chinese-generic"],
)
def test_languages_table_under_look_alike_heading_or_caption_is_read(text: str) -> None:
    # Arrange (found by review: each table was dropped without a word)
    document = "# Doc\n\n## Schema\n\n" + text

    # Act
    spec, _ = _parse(document)

    # Assert
    assert len(spec.tables) == 1 and [c.name for c in spec.tables[0].columns] == ["id", "name"]
    named = "request_log" if "**Request log**" in text else text.split("\n", 1)[0].removeprefix("### ")
    assert spec.tables[0].name == named  # a bold caption that is a name names the table


def test_languages_parameter_table_with_sql_types_is_not_warned() -> None:
    # Arrange (found by review: P040 failed `check --strict` on API and configuration tables)
    text = (
        "# Doc\n\n### Query\n\n| Parameter | Type | Description |\n| --- | --- | --- |\n"
        "| from | date | first day |\n| user | uuid | whose |\n"
    )

    # Act
    _, reporter = _parse(text)

    # Assert
    assert "P040" not in {d.code for d in reporter.diagnostics}


@pytest.mark.parametrize(("cell", "name"), [("id / PK", "id / PK"), ("email / 이메일", "email / 이메일")])
def test_languages_name_and_note_in_a_cell_is_not_a_list_of_columns(cell: str, name: str) -> None:
    # Arrange (found by review: `id / PK` became columns id and PK)
    text = f"# Doc\n\n### t\n\n| Column | Type |\n| --- | --- |\n| {cell} | TEXT |\n"

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert [c.name for c in spec.tables[0].columns] == [name]
    assert "P031" in {d.code for d in reporter.diagnostics}


def test_languages_mysql_describe_key_values_are_read() -> None:
    # Arrange (found by review: PRI/UNI/MUL were dropped silently)
    text = (
        "# Doc\n\n### users\n\n| Field | Type | Null | Key |\n| --- | --- | --- | --- |\n"
        "| id | int | NO | PRI |\n| email | varchar(255) | NO | UNI |\n| org_id | int | YES | MUL |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    columns = spec.tables[0].columns
    assert [(c.primary_key, c.unique, c.indexed, c.nullable) for c in columns] == [
        (True, False, False, False),
        (False, True, False, False),
        (False, False, True, True),
    ]


@pytest.mark.parametrize(
    "notes",
    [
        "Defaults to `active`; `deleted` rows are hidden",
        "Copied from `plans.code` and `billing.tier` nightly",
    ],
)
def test_languages_backticks_in_prose_are_no_enum_values(notes: str) -> None:
    # Arrange (found by review: incidental backticks became enum values)
    text = f"# Doc\n\n### t\n\n| Column | Type | Notes |\n| --- | --- | --- |\n| s | enum | {notes} |\n"

    # Act
    spec, reporter = _parse(text)

    # Assert
    assert spec.tables[0].columns[0].type == "enum"
    assert "P018" in {d.code for d in reporter.diagnostics}


def test_languages_o_and_x_marks_are_yes_and_no() -> None:
    # Arrange (found by review: X, "not nullable" in a Korean table, was read as yes)
    text = (
        "# Doc\n\n### users\n\n| 컬럼명 | 타입 | NULL 허용 | 필수 |\n| --- | --- | --- | --- |\n"
        "| id | BIGINT | X | O |\n| bio | TEXT | O | X |\n"
    )

    # Act
    spec, _ = _parse(text)

    # Assert
    assert [c.nullable for c in spec.tables[0].columns] == [False, True]


def test_languages_sql_constraints_complete_the_column_table_that_wins() -> None:
    # Arrange (found by review: the fence's CHECK, composite UNIQUE and index were lost silently)
    text = (
        "# Doc\n\n### orders\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
        "| id | BIGINT | PK |\n| user_id | BIGINT | NOT NULL |\n| total | NUMERIC(10,2) | NOT NULL |\n\n"
        "```sql\nCREATE TABLE orders (\n  id BIGINT PRIMARY KEY,\n  user_id BIGINT NOT NULL,\n"
        "  total NUMERIC(10,2) NOT NULL,\n  CHECK (total >= 0),\n  UNIQUE (user_id, total)\n);\n"
        "CREATE INDEX idx_orders_user ON orders (user_id);\n```\n"
    )

    # Act
    spec, reporter = _parse(text)

    # Assert
    table = spec.tables[0]
    assert [c.expression for c in table.checks] == ["total >= 0"]
    assert sorted((i.columns, i.unique) for i in table.indexes) == [
        (("user_id",), False),
        (("user_id", "total"), True),
    ]
    assert "P037" not in {d.code for d in reporter.diagnostics}
