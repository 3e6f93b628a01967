"""`[tool.specc]` in pyproject.toml: where the spec is, where output goes, which rules are off."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from specc.emit.base import DEFAULT_LINE_LENGTH, MIN_LINE_LENGTH
from specc.limits import MAX_CONFIG_VALUE_LENGTH

DEFAULT_SPEC = "docs/ARCHITECTURE.md"


class ConfigError(Exception):
    """The configuration cannot be read (exit code 2)."""


@dataclass(frozen=True)
class Config:
    root: Path
    spec: str = DEFAULT_SPEC
    testplan: str | None = None
    out: str = "generated"
    disable: frozenset[str] = field(default_factory=frozenset)
    """Diagnostic codes switched off."""
    severity: dict[str, str] = field(default_factory=dict)
    """Per-code severity overrides: {"L004": "error"}."""
    api_prefix: str = "/api"
    line_length: int = DEFAULT_LINE_LENGTH
    """Line length of generated Python: `[tool.specc] line_length`, else the project's `[tool.ruff]` then
    `[tool.black]` `line-length`, else 88 (see `line_length_of`)."""
    tests: str = "tests"
    """The team's own tests folder (relative to the project root): plan coverage reads it, and `specc build`
    writes a stub file for a feature there only when none exists (never overwriting one)."""
    app: str | None = None
    """`module:attribute` of the team's FastAPI app or app factory, which the generated test fixtures
    import (`app.main:create_app`); None: the fixtures say to set it."""
    generate_tests: bool = True
    """Whether `specc build` writes test fixtures, contract tests and plan stubs (opt-in for now: their layout
    is proven at the example's line length, not yet at every width specc accepts)."""
    drift: dict[str, object] = field(default_factory=dict)
    """The raw `[tool.specc.drift]` table, checked by `specc.drift.settings` when `specc drift` runs."""
    docs: dict[str, object] = field(default_factory=dict)
    """The raw `[tool.specc.docs]` table, checked by `specc.site.settings` when `specc docs` runs."""


MAX_LINE_LENGTH = 320
"""ruff's own maximum."""


_APP_REFERENCE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*", re.ASCII)
"""`package.module:attribute`: what the generated fixtures import, so only identifiers."""


def line_length_of(data: dict[str, object], pyproject: Path) -> int:
    """The line length generated Python is formatted for, from a parsed pyproject.toml: `[tool.specc]
    line_length`, else `[tool.ruff] line-length`, else `[tool.black] line-length` (black also reads
    `line_length`), else 88. `[tool.specc] line_length` must be an integer from 79 to 320 (ConfigError); a
    ruff or black value outside that range is brought into it (specc cannot lay code out narrower)."""
    tool = data.get("tool")
    tools = tool if isinstance(tool, dict) else {}
    specc = tools.get("specc")
    if isinstance(specc, dict) and "line_length" in specc:
        value = specc["line_length"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (MIN_LINE_LENGTH <= value <= MAX_LINE_LENGTH)
        ):
            raise ConfigError(
                f"{pyproject}: [tool.specc] line_length must be an integer from {MIN_LINE_LENGTH} to "
                f"{MAX_LINE_LENGTH}"
            )
        return value
    for name, keys in (("ruff", ("line-length",)), ("black", ("line-length", "line_length"))):
        section = tools.get(name)
        if not isinstance(section, dict):
            continue
        for key in keys:
            value = section.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return min(max(value, MIN_LINE_LENGTH), MAX_LINE_LENGTH)
    return DEFAULT_LINE_LENGTH


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters (NUL, line breaks, terminal escapes) and bidi overrides: never part of a path, a code
or a prefix, and unsafe to print."""


def _checked(pyproject: Path, key: str, value: str) -> str:
    if len(value) > MAX_CONFIG_VALUE_LENGTH:
        raise ConfigError(
            f"{pyproject}: [tool.specc] {key} is {len(value):,} characters long (at most "
            f"{MAX_CONFIG_VALUE_LENGTH:,})"
        )
    bad = _UNSAFE.search(value)
    if bad is not None:
        raise ConfigError(
            f"{pyproject}: [tool.specc] {key} contains the control character U+{ord(bad.group()):04X}"
        )
    return value


def load_config(start: Path | None = None) -> Config:
    """Read `[tool.specc]` from the nearest pyproject.toml at or above `start` (default: cwd).

    Every value is checked (type, length, no control characters): a bad one is a ConfigError (exit 2),
    never a traceback."""
    base = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(base)
    if pyproject is None:
        return Config(root=base)
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read [tool.specc]: {exc}") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits, which tomllib converts
        raise ConfigError(f"{pyproject}: cannot read [tool.specc]: a number is too long") from exc
    except RecursionError as exc:  # tomllib reads nested arrays and tables recursively
        raise ConfigError(f"{pyproject}: cannot read [tool.specc]: values are nested too deeply") from exc
    tool = data.get("tool", {})
    section = tool.get("specc", {}) if isinstance(tool, dict) else None
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: [tool.specc] must be a table")
    root = pyproject.parent

    def _str(key: str, default: str | None) -> str | None:
        value = section.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(f"{pyproject}: [tool.specc] {key} must be a string")
        if not value and key in ("spec", "testplan", "out"):
            raise ConfigError(f"{pyproject}: [tool.specc] {key} must not be empty")
        return _checked(pyproject, key, value)

    disable = section.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
        raise ConfigError(f"{pyproject}: [tool.specc] disable must be a list of codes")
    for code in disable:
        _checked(pyproject, "disable", code)
    severity = section.get("severity", {})
    if not isinstance(severity, dict) or not all(
        isinstance(v, str) and v in ("error", "warning", "info") for v in severity.values()
    ):
        raise ConfigError(f"{pyproject}: [tool.specc] severity values must be error, warning or info")
    for code in severity:
        _checked(pyproject, "severity", str(code))
    api_prefix = _str("api_prefix", "/api") or ""
    if api_prefix and (not api_prefix.startswith("/") or any(ch.isspace() for ch in api_prefix)):
        raise ConfigError(f"{pyproject}: [tool.specc] api_prefix must start with / and contain no blanks")
    app = _str("app", None)
    if app is not None and not _APP_REFERENCE.fullmatch(app):
        raise ConfigError(
            f"{pyproject}: [tool.specc] app must be `module.path:attribute` (Python identifiers), like "
            "`app.main:create_app`"
        )
    tests = _str("tests", "tests") or "tests"
    if Path(tests).is_absolute() or ".." in Path(tests).parts:
        raise ConfigError(f"{pyproject}: [tool.specc] tests must be a folder inside the project")
    generate_tests = section.get("generate_tests", True)
    if not isinstance(generate_tests, bool):
        raise ConfigError(f"{pyproject}: [tool.specc] generate_tests must be true or false")
    return Config(
        root=root,
        spec=_str("spec", DEFAULT_SPEC) or DEFAULT_SPEC,
        testplan=_str("testplan", None),
        out=_str("out", "generated") or "generated",
        disable=frozenset(disable),
        severity={str(k): str(v) for k, v in severity.items()},
        api_prefix=api_prefix,
        line_length=line_length_of(data, pyproject),
        tests=tests,
        app=app,
        generate_tests=generate_tests,
        drift=_drift_section(section, pyproject),
        docs=_table(section, "docs", pyproject),
    )


def _drift_section(section: dict[str, object], pyproject: Path) -> dict[str, object]:
    return _table(section, "drift", pyproject)


def _table(section: dict[str, object], key: str, pyproject: Path) -> dict[str, object]:
    """`[tool.specc.<key>]` as a raw table (its values are checked by the command that reads them)."""
    table = section.get(key, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.specc.{key}] must be a table")
    return {str(k): v for k, v in table.items()}
