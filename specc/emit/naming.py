"""Python names derived from the spec: model class names, module names, operation ids. Shared by all writers
(the rule that fits a derived SQL name into the database's identifier length is `specc.db.identifiers`).

Every derived name is a valid Python identifier in the form Python itself reads it: Python normalises
identifiers with NFKC (`ﬁle` and `file` are one name), so names are NFKC-normalised first and compared
in that form. Attribute names keep letters of every script (`сумма`); class and module names are ASCII
(accents dropped, other scripts replaced by a hash: `пользователи` → class `T38e7d520`), because class
names become OpenAPI component names and module names become file names. A derived name that would be a
keyword gets a `_` suffix (`None` → `None_`); a leading digit gets a prefix (`T`, `t_`).
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
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
    text = nfkc(name)
    if not text.isascii():
        text = "".join(ch if _word_char(ch) else " " for ch in text)
    spaced = _CAMEL.sub(r"\1 \2", text)
    return tuple(nfkc(w.lower()) for w in _SEPARATOR.split(spaced) if w)


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SEPARATOR = re.compile(r"[\W_]+")
"""Splits on ASCII punctuation and spaces; non-ASCII characters that are not identifier letters or digits
were turned into spaces before."""


def _word_char(ch: str) -> bool:
    """A letter, digit or combining mark that Python accepts inside an identifier."""
    return (ch.isalnum() or unicodedata.category(ch).startswith("M")) and ("a" + ch).isidentifier()


def nfkc(name: str) -> str:
    """`name` as Python reads an identifier (NFKC). Two names with one `nfkc` are the same Python name."""
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def is_identifier(name: str) -> bool:
    """A name Python reads exactly as written (NFKC-normal) and that is not a keyword. Soft keywords
    (`match`, `case`, `type`, `_`) are allowed: as attribute or class names they are ordinary names."""
    return name == nfkc(name) and name.isidentifier() and not keyword.iskeyword(name)


def _identifier(result: str, fallback: str, digit_prefix: str, keyword_suffix: str) -> str:
    """`result` made a valid identifier (it is built from `words`, so only the edges can be wrong)."""
    result = nfkc(result)
    if not result.isidentifier():
        result = "".join(ch for ch in result if ("a" + ch).isidentifier())
    if not result:
        result = fallback
    if not result.isidentifier():
        result = digit_prefix + result
    if keyword.iskeyword(result):
        result += keyword_suffix
    return result


def ascii_words(name: str) -> list[str]:
    """`words` of the ASCII spelling of `name`: accents dropped (`café` → `cafe`), other letters left out."""
    if name.isascii():
        return words(name)
    decomposed = unicodedata.normalize("NFKD", nfkc(name))
    return words("".join(ch for ch in decomposed if ch.isascii()))


def _short_hash(name: str) -> str:
    return hashlib.sha1(nfkc(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _ascii_pascal(parts: list[str], name: str) -> str:
    if parts:
        result = "".join(w[:1].upper() + w[1:] for w in parts)
    elif any(ch.isalnum() for ch in name):
        result = "T" + _short_hash(name)  # letters, none of them ASCII: stable, whatever the other tables
    else:
        result = "X"
    return _identifier(result, "X", "T", "_")


def pascal(name: str) -> str:
    """PascalCase, ASCII: class names end up as OpenAPI component names (`^[a-zA-Z0-9._-]+$`)."""
    return _ascii_pascal(ascii_words(name), name)


def class_name(table: str) -> str:
    """`room_members` → `RoomMember`: singular PascalCase (last word singularised), ASCII."""
    parts = ascii_words(table)
    if parts:
        parts[-1] = singular(parts[-1])
    return _ascii_pascal(parts, table)


def snake(name: str) -> str:
    return _identifier("_".join(words(name)), "x", "t_", "_")


def module_name(name: str) -> str:
    """An ASCII snake_case module (file) name for `name` (`ascii_words`); a name with no ASCII letter or
    digit gets `t_` + a hash of the name."""
    result = "_".join(ascii_words(name))
    if not result:
        return "t_" + _short_hash(name) if any(ch.isalnum() for ch in name) else "x"
    return _identifier(result, "x", "t_", "_")


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
