"""Names derived from the spec: model class names, module names, operation ids. Shared by all writers."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from functools import lru_cache

_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "data": "data",
    "media": "media",
    "news": "news",
    "series": "series",
    "statuses": "status",
    "analyses": "analysis",
    "indices": "index",
}


def singular(word: str) -> str:
    """English singular of a lowercase word (good enough for table names)."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if lower.endswith("ss") or lower.endswith("us") or lower.endswith("is"):
        return word
    if lower.endswith("s") and len(lower) > 1:
        return word[:-1]
    return word


def words(name: str) -> list[str]:
    """Split snake_case, kebab-case, camelCase and dotted names into lowercase words."""
    return list(_words(name))


@lru_cache(maxsize=1 << 16)
def _words(name: str) -> tuple[str, ...]:
    spaced = _CAMEL.sub(r"\1 \2", name)
    return tuple(w.lower() for w in _SEPARATOR.split(spaced) if w)


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SEPARATOR = re.compile(r"[^A-Za-z0-9]+")


def pascal(name: str) -> str:
    result = "".join(w[:1].upper() + w[1:] for w in words(name))
    if not result:
        result = "X"
    if result[0].isdigit():
        result = "T" + result
    return result


def class_name(table: str) -> str:
    """`room_members` → `RoomMember`: singular PascalCase (last word singularised)."""
    parts = words(table)
    if parts:
        parts[-1] = singular(parts[-1])
    return pascal("_".join(parts))


def snake(name: str) -> str:
    result = "_".join(words(name)) or "x"
    if result[0].isdigit():
        result = "t_" + result
    if keyword.iskeyword(result):
        result += "_"
    return result


def class_names(tables: Iterable[str]) -> dict[str, str]:
    """Collision-free class names for every table, deterministic for a given set of tables."""
    names: dict[str, str] = {}
    used: dict[str, str] = {}
    for table in sorted(tables):
        base = class_name(table)
        candidate = base
        if candidate in used:
            candidate = pascal(table)
        n = 2
        while candidate in used:
            candidate = f"{base}{n}"
            n += 1
        used[candidate] = table
        names[table] = candidate
    return names
