"""Text from the document placed into generated Python source: string literals, docstrings, comments.

The document is untrusted input. Whatever it says, a generated file must compile and mean what specc
intends: a name or a SQL fragment is only ever data inside a literal, never code.

- `py_str`: a string literal whose value is exactly the text (`ast.literal_eval(py_str(t)) == t` for every
  `str`, lone surrogates included), quoted as `ruff format` quotes it (double quotes unless the text holds
  more double than single quotes). Backslashes, the quote, and every character that is not printable are
  escaped (control characters, NUL, U+2028/U+2029, bidirectional controls, zero-width characters, lone
  surrogates); `ascii_only` escapes every non-ASCII character as well.
- `docstring_text` / `comment_text`: text for a docstring body or a `#` comment. They are descriptive, not
  data, so they are made safe rather than exact: characters that are not printable become a visible
  `<U+XXXX>`; a docstring also has no backslash (`/`) and no double quote (`'`), so it can never end early
  or carry an escape sequence.
"""

from __future__ import annotations

import re

__all__ = ["comment_text", "docstring_text", "py_str"]

_SIMPLE = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def py_str(text: str, ascii_only: bool = False) -> str:
    """A Python string literal for `text` (see the module docstring)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    if text.isascii() and text.isprintable() and "\\" not in text and quote not in text:
        return quote + text + quote
    out: list[str] = []
    for ch in text:
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif ch.isprintable() and (ch.isascii() or not ascii_only):
            out.append(ch)
        else:
            out.append(_escape(ch))
    return quote + "".join(out) + quote


_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def _visible(text: str) -> str:
    """`text` with every character that is not printable shown as `<U+XXXX>`."""
    if text.isascii() and text.isprintable():
        return text
    return _UNPRINTABLE.sub(_show, text)


def _show(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch.isprintable() else f"<U+{ord(ch):04X}>"


def docstring_text(text: str) -> str:
    """Body of a `\"\"\"` docstring showing `text`: no backslash, no double quote, only printable text."""
    return _visible(text.replace("\\", "/").replace('"', "'"))


def comment_text(text: str) -> str:
    """Text for a `#` comment: printable, on one line."""
    return _visible(text)
