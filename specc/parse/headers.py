"""Recognising what a markdown table is from its header row, in the languages the corpus uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    NAME = "name"
    TYPE = "type"
    CONSTRAINTS = "constraints"
    DEFAULT = "default"
    NULLABLE = "nullable"
    REQUIRED = "required"
    DESCRIPTION = "description"
    LENGTH = "length"
    TABLE = "table"
    COLUMNS = "columns"
    INDEX_TYPE = "index_type"
    INDEX_NAME = "index_name"
    WHY = "why"
    LAYER = "layer"
    TECHNOLOGY = "technology"
    DECISION = "decision"
    CHOICE = "choice"
    ALTERNATIVES = "alternatives"
    PRIMARY = "primary"
    FOREIGN = "foreign"
    UNIQUE = "unique"
    KEY = "key"
    INDEXED = "indexed"


_COLUMN_TABLE_WORDS: dict[Role, frozenset[str]] = {
    Role.NAME: frozenset(
        [
            "column",
            "column name",
            "columns name",
            "field",
            "field name",
            "name",
            "attribute",
            "property",
            "поле",
            "колонка",
            "столбец",
            "название",
            "имя поля",
            "campo",
            "columna",
            "nombre",
            "nombre del campo",
            "champ",
            "spalte",
            "atributo",
            "coluna",
            "nome",
            "nome do campo",
            "nome da coluna",
            "colonne",
            "nom",
            "nom du champ",
            "nom de colonne",
            "feld",
            "feldname",
            "spaltenname",
            "字段",
            "字段名",
            "字段名称",
            "列名",
            "属性",
            "컬럼",
            "컬럼명",
            "칼럼",
            "칼럼명",
            "필드",
            "필드명",
            "カラム",
            "カラム名",
            "物理名",
            "フィールド",
            "フィールド名",
            "列",
        ]
    ),
    Role.TYPE: frozenset(
        [
            "type",
            "data type",
            "datatype",
            "sql type",
            "db type",
            "pg type",
            "postgres type",
            "тип",
            "тип данных",
            "tipo",
            "tipo de dato",
            "tipo de datos",
            "type de données",
            "datentyp",
            "kind",
            "typ",
            "tipo sql",
            "tipo de dado",
            "tipo de dados",
            "type sql",
            "类型",
            "字段类型",
            "数据类型",
            "타입",
            "데이터 타입",
            "데이터타입",
            "자료형",
            "型",
            "データ型",
            "型名",
        ]
    ),
    Role.CONSTRAINTS: frozenset(
        [
            "constraints",
            "constraint",
            "modifiers",
            "attributes",
            "details",
            "flags",
            "ограничения",
            "restricciones",
            "restricción",
            "properties",
            "rules",
            "extra",
            "options",
            "индексы/ограничения",
            "constraints & notes",
            "constraints and notes",
            "constraints / notes",
            "constraint / notes",
            "contraintes",
            "contrainte",
            "einschränkungen",
            "constraints (pk/fk)",
            "restrição",
            "restrições",
            "restricao",
            "restricoes",
            "约束",
            "约束条件",
            "제약조건",
            "제약 조건",
            "제약",
            "制約",
            "制約条件",
        ]
    ),
    Role.DEFAULT: frozenset(
        [
            "default",
            "default value",
            "по умолчанию",
            "значение по умолчанию",
            "valor por defecto",
            "predeterminado",
            "défaut",
            "valeur par défaut",
            "standard",
            "standardwert",
            "padrão",
            "valor padrão",
            "默认值",
            "默认",
            "기본값",
            "デフォルト",
            "デフォルト値",
            "初期値",
        ]
    ),
    Role.NULLABLE: frozenset(
        [
            "nullable",
            "null",
            "null?",
            "allow null",
            "allow nulls",
            "nullable?",
            "is nullable",
            "n",
            "annulable",
            "可空",
            "是否可空",
            "允许空",
            "允许为空",
            "null 허용",
            "null허용",
            "null許可",
            "null 許可",
        ]
    ),
    Role.REQUIRED: frozenset(
        [
            "required",
            "обязательное",
            "обязательно",
            "requerido",
            "obligatorio",
            "oblig.",
            "oblig",
            "obrig.",
            "not null",
            "mandatory",
            "obligatoire",
            "requis",
            "erforderlich",
            "pflicht",
            "pflichtfeld",
            "obrigatório",
            "obrigatorio",
            "必填",
            "是否必填",
            "必须",
            "非空",
            "필수",
            "필수 여부",
            "必須",
        ]
    ),
    Role.DESCRIPTION: frozenset(
        [
            "description",
            "notes",
            "note",
            "purpose",
            "comment",
            "comments",
            "описание",
            "примечание",
            "примечания",
            "descripción",
            "descripcion",
            "notas",
            "nota",
            "usage",
            "meaning",
            "remarks",
            "explanation",
            "说明",
            "描述",
            "备注",
            "설명",
            "비고",
            "説明",
            "備考",
            "remarque",
            "remarques",
            "commentaire",
            "beschreibung",
            "bemerkung",
            "hinweis",
            "descrição",
            "descricao",
            "observação",
            "observações",
            "observacoes",
        ]
    ),
    Role.LENGTH: frozenset(["max length", "length", "size", "maxlength"]),
    Role.PRIMARY: frozenset(["pk", "primary key", "主键", "기본키", "主キー", "clé primaire"]),
    Role.FOREIGN: frozenset(
        ["fk", "foreign key", "references", "外键", "외래키", "外部キー", "clé étrangère"]
    ),
    Role.UNIQUE: frozenset(["unique", "唯一", "유니크", "ユニーク"]),
    Role.KEY: frozenset(
        ["key", "keys", "key type", "pk/fk", "pk / fk", "구분", "키", "キー", "主キー/外部キー", "键"]
    ),
    Role.INDEXED: frozenset(["index", "indexed", "索引", "인덱스", "インデックス"]),
}

_INDEX_TABLE_WORDS: dict[Role, frozenset[str]] = {
    Role.TABLE: frozenset(["table", "таблица", "tabla"]),
    Role.COLUMNS: frozenset(["column(s)", "columns", "column", "колонки", "поля", "columnas", "fields"]),
    Role.INDEX_TYPE: frozenset(["type", "index type", "method", "тип"]),
    Role.INDEX_NAME: frozenset(["name", "index", "index name", "индекс"]),
    Role.WHY: frozenset(["why", "purpose", "reason", "description", "notes", "назначение"]),
}

_TECH_WORDS: dict[Role, frozenset[str]] = {
    Role.LAYER: frozenset({"layer", "component", "area"}),
    Role.TECHNOLOGY: frozenset({"technology", "tech", "tool", "choice"}),
    Role.WHY: frozenset({"why", "reason", "rationale", "purpose"}),
}

_DECISION_WORDS: dict[Role, frozenset[str]] = {
    Role.DECISION: frozenset({"decision"}),
    Role.CHOICE: frozenset({"choice", "chosen", "option chosen"}),
    Role.ALTERNATIVES: frozenset({"alternatives considered", "alternatives", "alternative"}),
    Role.WHY: frozenset({"why", "reason", "rationale"}),
}


def _norm(text: str) -> str:
    text = re.sub(r"[*_`]", "", text).strip().lower()
    return " ".join(text.split())


def _roles(headers: list[str], words: dict[Role, frozenset[str]]) -> dict[Role, int]:
    found: dict[Role, int] = {}
    for idx, header in enumerate(headers):
        key = _norm(header)
        for role, vocab in words.items():
            if key in vocab and role not in found:
                found[role] = idx
                break
    return found


class TableKind(Enum):
    COLUMNS = "columns"
    INDEXES = "indexes"
    TECH_STACK = "tech_stack"
    DECISIONS = "decisions"
    OTHER = "other"


@dataclass(frozen=True)
class TableHeader:
    """What a table's header row says: the kind of table and the cell index of each role it names."""

    kind: TableKind
    roles: dict[Role, int]


def classify(headers: list[str]) -> TableHeader:
    index_roles = _roles(headers, _INDEX_TABLE_WORDS)
    if Role.TABLE in index_roles and Role.COLUMNS in index_roles:
        return TableHeader(TableKind.INDEXES, index_roles)
    decision_roles = _roles(headers, _DECISION_WORDS)
    if Role.DECISION in decision_roles:
        return TableHeader(TableKind.DECISIONS, decision_roles)
    tech_roles = _roles(headers, _TECH_WORDS)
    if Role.LAYER in tech_roles and Role.TECHNOLOGY in tech_roles:
        return TableHeader(TableKind.TECH_STACK, tech_roles)
    column_roles = _roles(headers, _COLUMN_TABLE_WORDS)
    if Role.NAME in column_roles and Role.TYPE in column_roles:
        return TableHeader(TableKind.COLUMNS, column_roles)
    return TableHeader(TableKind.OTHER, column_roles)
