"""`[tool.specc]` in pyproject.toml: where the spec is, where output goes, which rules are off."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> Config:
    """Read `[tool.specc]` from the nearest pyproject.toml at or above `start` (default: cwd)."""
    base = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(base)
    if pyproject is None:
        return Config(root=base)
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read [tool.specc]: {exc}") from exc
    tool = data.get("tool", {})
    section = tool.get("specc", {}) if isinstance(tool, dict) else None
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: [tool.specc] must be a table")
    root = pyproject.parent

    def _str(key: str, default: str | None) -> str | None:
        value = section.get(key, default)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{pyproject}: [tool.specc] {key} must be a string")
        return value

    disable = section.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
        raise ConfigError(f"{pyproject}: [tool.specc] disable must be a list of codes")
    severity = section.get("severity", {})
    if not isinstance(severity, dict) or not all(
        isinstance(v, str) and v in ("error", "warning", "info") for v in severity.values()
    ):
        raise ConfigError(f"{pyproject}: [tool.specc] severity values must be error, warning or info")
    return Config(
        root=root,
        spec=_str("spec", DEFAULT_SPEC) or DEFAULT_SPEC,
        testplan=_str("testplan", None),
        out=_str("out", "generated") or "generated",
        disable=frozenset(disable),
        severity={str(k): str(v) for k, v in severity.items()},
        api_prefix=_str("api_prefix", "/api") or "/api",
    )
