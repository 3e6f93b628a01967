"""`[tool.specc.docs]` and the command line merged into one checked `DocsSettings`.

Keys: `out` (the site's source folder, default `docs-site`), `repo_url` (the repository's web address: the
site's repository link, and the base of links to the document's lines), `line_url` (a link to one line of a
file, with `{path}` and `{line}`; default `{repo_url}/blob/HEAD/{path}#L{line}`, GitHub's and Gitea's form)
and `site_name` (default: the document's title). Every value is checked; a bad one is a `ConfigError`
(exit 2).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from specc.config import Config, ConfigError
from specc.limits import MAX_CONFIG_VALUE_LENGTH

DEFAULT_OUT = "docs-site"
_KEYS = frozenset({"out", "repo_url", "line_url", "site_name"})
_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9\-._~%!$&()*+,;=:@/#]*)?", re.ASCII)
"""An http(s) address of ASCII characters that need no quoting in an HTML attribute or YAML."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class DocsSettings:
    out: str = DEFAULT_OUT
    """Relative to the project root (or absolute)."""
    repo_url: str | None = None
    line_url: str | None = None
    """`{path}` and `{line}` are replaced; None: no links to lines."""
    site_name: str | None = None

    def line_link(self, path: str, line: int) -> str | None:
        """The web address of `line` of the project file `path` (project-relative), or None when no
        repository is configured or the file is outside the project."""
        if self.line_url is None or path.startswith(("../", "/")) or path == "..":
            return None
        quoted = urllib.parse.quote(path, safe="/")
        return self.line_url.replace("{path}", quoted).replace("{line}", str(max(line, 1)))


def _string(table: dict[str, object], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} {key} must be a non-empty string")
    if len(value) > MAX_CONFIG_VALUE_LENGTH:
        raise ConfigError(f"{where} {key} is longer than {MAX_CONFIG_VALUE_LENGTH:,} characters")
    bad = _CONTROL.search(value)
    if bad is not None:
        raise ConfigError(f"{where} {key} contains the control character U+{ord(bad.group()):04X}")
    return value


def docs_settings(config: Config, *, out: str | None = None) -> DocsSettings:
    """The checked settings: `[tool.specc.docs]`, with `--out` winning over `out`."""
    where = f"{config.root / 'pyproject.toml'}: [tool.specc.docs]"
    table = config.docs
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{where} has unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})"
        )
    repo_url = _string(table, "repo_url", where)
    if repo_url is not None:
        repo_url = repo_url.rstrip("/")
        if not _URL.fullmatch(repo_url) or "#" in repo_url:
            raise ConfigError(f"{where} repo_url must be an http(s) address without quotes or blanks")
    line_url = _string(table, "line_url", where)
    if line_url is not None:
        filled = line_url.replace("{path}", "p").replace("{line}", "1")
        if "{path}" not in line_url or "{line}" not in line_url or not _URL.fullmatch(filled):
            raise ConfigError(
                f"{where} line_url must be an http(s) address holding {{path}} and {{line}}, like "
                "https://example.org/repo/blob/HEAD/{path}#L{line}"
            )
    elif repo_url is not None:
        line_url = repo_url + "/blob/HEAD/{path}#L{line}"
    return DocsSettings(
        out=out or _string(table, "out", where) or DEFAULT_OUT,
        repo_url=repo_url,
        line_url=line_url,
        site_name=_string(table, "site_name", where),
    )
