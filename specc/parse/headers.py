"""Recognising what a markdown table is from its header row, in the languages the corpus uses."""

from __future__ import annotations

import re
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
        ]
    ),
    Role.CONSTRAINTS: frozenset(
        [
            "constraints",
            "constraint",
            "modifiers",
            "attributes",
            "key",
            "keys",
            "pk/fk",
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
        ]
    ),
    Role.DEFAULT: frozenset(
        ["default", "default value", "по умолчанию", "valor por defecto", "predeterminado"]
    ),
    Role.NULLABLE: frozenset(["nullable", "null", "null?", "allow null", "nullable?", "is nullable"]),
    Role.REQUIRED: frozenset(
        ["required", "обязательное", "requerido", "obligatorio", "not null", "mandatory"]
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
        ]
    ),
    Role.LENGTH: frozenset(["max length", "length", "size", "maxlength"]),
    Role.PRIMARY: frozenset(["pk", "primary key"]),
    Role.FOREIGN: frozenset(["fk", "foreign key", "references"]),
    Role.UNIQUE: frozenset(["unique"]),
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


def classify(headers: list[str]) -> tuple[TableKind, dict[Role, int]]:
    index_roles = _roles(headers, _INDEX_TABLE_WORDS)
    if Role.TABLE in index_roles and Role.COLUMNS in index_roles:
        return TableKind.INDEXES, index_roles
    decision_roles = _roles(headers, _DECISION_WORDS)
    if Role.DECISION in decision_roles:
        return TableKind.DECISIONS, decision_roles
    tech_roles = _roles(headers, _TECH_WORDS)
    if Role.LAYER in tech_roles and Role.TECHNOLOGY in tech_roles:
        return TableKind.TECH_STACK, tech_roles
    column_roles = _roles(headers, _COLUMN_TABLE_WORDS)
    if Role.NAME in column_roles and Role.TYPE in column_roles:
        return TableKind.COLUMNS, column_roles
    return TableKind.OTHER, column_roles
