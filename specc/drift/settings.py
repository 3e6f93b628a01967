"""`[tool.specc.drift]` and the command line merged into one checked `DriftSettings`.

The command line wins over the table. A database URL is never read from pyproject.toml (it would put a
password in the repository): the table names the environment variable that holds it
(`database_url_env = "DATABASE_URL"`). Every value is checked; a bad one is a `ConfigError` (exit 2).
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from specc.config import Config, ConfigError
from specc.drift.model import SOURCES

_MODULE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?::[A-Za-z_]\w*)?", re.ASCII)
_APP = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*", re.ASCII)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_CODE = re.compile(r"[A-Z][0-9]{3}")
_KEYS = frozenset(
    {
        "models",
        "database_url_env",
        "schema",
        "app",
        "migrations",
        "scratch_url_env",
        "tests",
        "generated",
        "pythonpath",
        "fail_on",
        "ignore",
    }
)


@dataclass(frozen=True)
class IgnoreRule:
    code: str
    reason: str
    subject: str | None = None
    """A glob (`fnmatch`) on the finding's subject; None: every subject."""
    source: str | None = None
    until: datetime.date | None = None
    index: int = 0
    """Position in the table (1-based), to name the rule in messages."""

    def shown(self) -> str:
        parts = [f"code = {self.code}"]
        if self.subject is not None:
            parts.append(f"subject = {self.subject!r}")
        if self.source is not None:
            parts.append(f"source = {self.source}")
        return f"ignore rule {self.index} ({', '.join(parts)})"


@dataclass(frozen=True)
class DriftSettings:
    models: str | None = None
    database_url: str | None = None
    database_from: str = ""
    """Where the URL came from (`--database-url`, `$DATABASE_URL`), for messages: never the URL itself."""
    schema: str | None = None
    app: str | None = None
    migrations: Path | None = None
    scratch_url: str | None = None
    tests: Path | None = None
    generated: bool = True
    pythonpath: tuple[Path, ...] = ()
    fail_on: str = "error"
    ignore: tuple[IgnoreRule, ...] = field(default_factory=tuple)
    skip: tuple[str, ...] = ()
    """Sources skipped on request (`--skip`)."""
    only: tuple[str, ...] = ()
    """When given (`--only`), the sources compared; every other one is skipped."""


def _where(config: Config) -> str:
    return f"{config.root / 'pyproject.toml'}: [tool.specc.drift]"


def _text(config: Config, table: dict[str, object], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{_where(config)} {key} must be a non-empty string")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or len(value) > 4096:
        raise ConfigError(f"{_where(config)} {key} must be one line of at most 4096 characters")
    return value


def _inside(config: Config, key: str, value: str) -> Path:
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        raise ConfigError(f"{_where(config)} {key} must be a folder inside the project")
    return config.root / path


def _env(config: Config, table: dict[str, object], key: str) -> tuple[str | None, str]:
    name = _text(config, table, key)
    if name is None:
        return None, ""
    if not _ENV_NAME.fullmatch(name):
        raise ConfigError(f"{_where(config)} {key} must name an environment variable, like DATABASE_URL")
    return os.environ.get(name) or None, f"${name}"


def _rules(config: Config, value: object) -> tuple[IgnoreRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{_where(config)} ignore must be a list of tables ([[tool.specc.drift.ignore]])")
    rules: list[IgnoreRule] = []
    for number, raw in enumerate(value, start=1):
        where = f"{_where(config)} ignore rule {number}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where} must be a table")
        unknown = sorted(set(raw) - {"code", "reason", "subject", "source", "until"})
        if unknown:
            raise ConfigError(f"{where} has unknown key(s): {', '.join(map(str, unknown))}")
        code, reason = raw.get("code"), raw.get("reason")
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise ConfigError(f"{where}: code must be a code like D119")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: a reason is required (why this finding is accepted)")
        subject, source, until = raw.get("subject"), raw.get("source"), raw.get("until")
        if subject is not None and not isinstance(subject, str):
            raise ConfigError(f"{where}: subject must be a string (a glob)")
        if source is not None and source not in SOURCES:
            raise ConfigError(f"{where}: source must be one of {', '.join(SOURCES)}")
        date: datetime.date | None = None
        if isinstance(until, datetime.date) and not isinstance(until, datetime.datetime):
            date = until
        elif isinstance(until, str):
            try:
                date = datetime.date.fromisoformat(until)
            except ValueError:
                raise ConfigError(f"{where}: until must be a date like 2027-03-31") from None
        elif until is not None:
            raise ConfigError(f"{where}: until must be a date like 2027-03-31")
        rules.append(IgnoreRule(code, reason.strip(), subject, source, date, number))
    return tuple(rules)


def drift_settings(
    config: Config,
    *,
    models: str | None = None,
    database_url: str | None = None,
    schema: str | None = None,
    app: str | None = None,
    migrations: Path | None = None,
    scratch_url: str | None = None,
    tests: Path | None = None,
    fail_on: str | None = None,
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] = (),
) -> DriftSettings:
    """The settings of one run: command-line values over `[tool.specc.drift]`."""
    table = config.drift
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{_where(config)} has unknown key(s): {', '.join(unknown)}")
    models = models or _text(config, table, "models")
    if models is not None and not _MODULE.fullmatch(models):
        raise ConfigError("models must be `package.module` or `package.module:Base` (Python identifiers)")
    app = app or _text(config, table, "app")
    if app is not None and not _APP.fullmatch(app):
        raise ConfigError("app must be `package.module:attribute` (Python identifiers), like app.main:app")
    database_from = "--database-url"
    if database_url is None:
        database_url, database_from = _env(config, table, "database_url_env")
    if scratch_url is None:
        scratch_url, _ = _env(config, table, "scratch_url_env")
    if migrations is None:
        value = _text(config, table, "migrations")
        migrations = _inside(config, "migrations", value) if value else None
    if tests is None:
        tests_value = table.get("tests", config.tests)
        if isinstance(tests_value, str) and tests_value.strip():
            _text(config, {"tests": tests_value}, "tests")
            tests = _inside(config, "tests", tests_value)
        elif tests_value is not False:
            raise ConfigError(f"{_where(config)} tests must be a folder, or false")
    generated = table.get("generated", True)
    if not isinstance(generated, bool):
        raise ConfigError(f"{_where(config)} generated must be true or false")
    pythonpath = table.get("pythonpath", [])
    if not isinstance(pythonpath, list) or not all(isinstance(p, str) and p for p in pythonpath):
        raise ConfigError(f"{_where(config)} pythonpath must be a list of folders")
    for entry in pythonpath:
        _text(config, {"pythonpath": entry}, "pythonpath")
    fail_on = fail_on or _text(config, table, "fail_on") or "error"
    if fail_on not in ("error", "warning"):
        raise ConfigError(f"{_where(config)} fail_on must be error or warning")
    return DriftSettings(
        models=models,
        database_url=database_url,
        database_from=database_from,
        schema=schema or _text(config, table, "schema"),
        app=app,
        migrations=migrations,
        scratch_url=scratch_url,
        tests=tests,
        generated=generated,
        pythonpath=(config.root, *(_inside(config, "pythonpath", p) for p in pythonpath)),
        fail_on=fail_on,
        ignore=_rules(config, table.get("ignore")),
        skip=skip,
        only=only,
    )
