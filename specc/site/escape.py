"""Text from the document, made safe for the page it lands in.

The document is untrusted, and a page is read twice: by Python-Markdown (and the extensions the site turns
on: tables, attr_list, admonition, details, def_list, superfences) and then, as HTML, by a browser; mkdocs
passes raw HTML through. So a string from the document must mean nothing to either: `text` writes every
ASCII punctuation character that could start markup (`<`, `&`, `*`, `_`, `` ` ``, `[`, `{`, `|`, `#`, `\\`,
`~`, ...) as an HTML character reference (`&#42;`), which both read as the character itself, and keeps only
characters that are inert in the middle of a line (letters, digits, spaces, `,.-/:;@%='?!+()`); an `_` stays
between two letters or digits (no emphasis starts there). Invisible characters (control, bidi, zero-width,
lone surrogates) are written as escapes first (`specc.report.visible`), so the site shows what the document
holds.

Line starts are where block syntax lives (`- `, `1. `, `> `, `!!! `, `??? `, `: `): `line_start` escapes
what could begin a block. Page titles go into the front matter HTML-escaped (see `specc.site.context.page`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re

from specc.report import visible

_KEEP = frozenset(" ,.-/:;@%='?!+()")
"""ASCII punctuation kept as is in the middle of a line: none of it starts inline markup."""
_ESCAPED = re.compile(r"[^A-Za-z0-9 ,.\-/:;@%='?!+()\x80-\U0010ffff]")
"""An ASCII character that is not a letter, a digit or in `_KEEP`: written as a reference (an `_` between two
letters or digits excepted)."""
_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_SPACES = re.compile(r"[\t\n\r\f\v ]+")
_LIST_NUMBER = re.compile(r"(\d+)([.)])")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def _reference(ch: str) -> str:
    return _NAMED.get(ch) or f"&#{ord(ch)};"


def text(value: str) -> str:
    """One line of inline text that shows `value` as written and is markup in neither markdown nor HTML.
    Line breaks and runs of white space become one space; the ends are stripped."""
    flat = visible(_SPACES.sub(" ", value).strip())
    return _ESCAPED.sub(lambda m: _escaped(flat, m.start()), flat)


def _escaped(flat: str, i: int) -> str:
    ch = flat[i]
    if ch == "_" and 0 < i < len(flat) - 1 and flat[i - 1].isalnum() and flat[i + 1].isalnum():
        return ch
    return _reference(ch)


def inline(value: str) -> str:
    """Like `text`, but the document's code spans (`` `x` ``) show as code: `<code>` around escaped text."""
    parts: list[str] = []
    at = 0
    for match in _CODE_SPAN.finditer(value):
        parts.append(text(value[at : match.start()]))
        parts.append(code(match.group(2)))
        at = match.end()
    parts.append(text(value[at:]))
    return " ".join(part for part in parts if part)


def code(value: str) -> str:
    """Inline code: the escaped text in a `<code>` element (never a backtick span: a character reference
    inside backticks would show as written)."""
    return f"<code>{text(value)}</code>" if value.strip() else ""


def line_start(escaped: str) -> str:
    """Escaped text made safe at the start of a line: a first character that could open a block (anything
    but a letter or digit) and the `.`/`)` of a leading number (`1.`, an ordered list) become references."""
    if not escaped:
        return escaped
    number = _LIST_NUMBER.match(escaped)
    if number is not None:
        return number.group(1) + _reference(number.group(2)) + escaped[number.end() :]
    first = escaped[0]
    if first.isalnum() or first == "&" or first == "<":  # a letter, a reference, or one of our own tags
        return escaped
    return _reference(first) + escaped[1:]


def paragraphs(value: str) -> str:
    """Prose from the document as markdown paragraphs: blank lines separate paragraphs, a block whose every
    line starts with `- `, `* ` or `+ ` is a bulleted list; all of it escaped."""
    blocks: list[str] = []
    for block in re.split(r"\n[ \t]*\n", value.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(re.match(r"[-*+] \S", line) for line in lines):
            blocks.append("\n".join(f"- {line_start(inline(line[2:]))}" for line in lines))
        else:
            blocks.append(line_start(inline(" ".join(lines))))
    return "\n\n".join(blocks)


def cell(value: str | None) -> str:
    """A table cell: inline text, code spans shown as code (empty for None)."""
    return inline(value) if value else ""


def attribute(value: str) -> str:
    """A value inside a double-quoted HTML attribute that specc writes itself (an href)."""
    return html.escape(value, quote=True)


def preformatted(value: str) -> str:
    """A raw `<pre><code>` block: HTML-escaped text, lines and indentation kept, invisible characters shown.
    A raw HTML block is passed through by Python-Markdown untouched (no markdown inside it)."""
    body = html.escape(visible(value.replace("\r\n", "\n").replace("\r", "\n"), keep_line_breaks=True))
    return f'<pre class="specc-pre"><code>{body.strip(chr(10))}\n</code></pre>'


def fenced(value: str, language: str = "") -> str:
    """A fenced code block holding `value` as written: the fence is longer than any run of backticks in it
    (the highlighter escapes the content for HTML)."""
    body = visible(value, keep_line_breaks=True).replace("\r", "")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip(chr(10))}\n{fence}"


def json_text(value: object) -> str:
    """Indented JSON for an example, invisible characters inside strings written as `\\u` escapes."""
    return visible(json.dumps(value, indent=2, ensure_ascii=False), keep_line_breaks=True)


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax, which YAML reads the same), holding only characters
    YAML accepts."""
    safe = re.sub("[\ufffe\uffff]", "\ufffd", visible(value))
    return json.dumps(safe, ensure_ascii=False)


_PLAIN_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
RESERVED_STEMS = frozenset(
    {
        "index",
        "readme",
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(10)),
        *(f"lpt{i}" for i in range(10)),
    }
)
"""File stems a page may not take: `index` is a section's own page (`README` is one too, for mkdocs), the rest
are device names on Windows."""


def slug(name: str, taken: set[str] | None = None) -> str:
    """A file-name and anchor-safe slug for `name`, unique within `taken` (which it joins).

    A plain name (lower-case ASCII letters, digits, `_` and `-`, at most 80 characters) is its own slug; any
    other name is its lower-cased ASCII words joined by `-`, then `-` and 10 hex digits of its SHA-1 (so
    `Users` and `users` differ). A slug already taken gets `-2`, `-3`, ...: two names never share one."""
    if _PLAIN_SLUG.fullmatch(name) and name not in RESERVED_STEMS:
        base = name
    else:
        words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "x"
        base = f"{words}-{hashlib.sha1(name.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"
    if taken is None:
        return base
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate
