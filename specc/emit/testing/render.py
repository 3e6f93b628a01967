"""The generated tests of a build: `testing/` (factories and fixtures), `tests/` (contract tests and the
pending plan stubs), and the user-owned stub files to write once into the team's tests folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from specc.config import Config
from specc.emit.base import python_header
from specc.emit.runtime.security import USER_TABLE
from specc.emit.testing import caselinks, contracts, stubs
from specc.emit.testing.contracts import ContractTest
from specc.emit.testing.fixtures import TableFactory, plugin_exports, render_fixtures
from specc.emit.testing.names import feature_slug
from specc.ir.model import Spec
from specc.plancoverage import LinkedTest, read_links
from specc.pycode.imports import PyImport, import_lines
from specc.pycode.layout import Call, Split, layout
from specc.pycode.literals import py_str

AREAS = ("testing/", "tests/")
"""Where the generated tests go in the output folder."""


@dataclass(frozen=True)
class TestFiles:
    __test__ = False

    files: dict[str, str] = field(default_factory=dict)
    """Output-folder-relative path → text (specc's files)."""
    seeds: dict[str, str] = field(default_factory=dict)
    """Project-relative path → text: user-owned stub files to create if absent (never overwritten)."""


def package_name(out: Path, root: Path) -> str | None:
    """The dotted name the output folder is imported as (`generated`), None when it is not one."""
    try:
        rel = out.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    parts = rel.parts
    if not parts or not all(p.isidentifier() and p.isascii() for p in parts):
        return None
    return ".".join(parts)


def table_factories(spec: Spec) -> list[TableFactory]:
    from specc.emit.models.names import model_names
    from specc.emit.testing.factories import _factory_names

    classes = model_names(spec).classes
    functions = _factory_names([classes[t.name] for t in spec.tables])
    return [TableFactory(t.name, classes[t.name], functions[classes[t.name]]) for t in spec.tables]


def _module(source: str, tag: str, package: str, tests: list[ContractTest], width: int) -> str:
    header = python_header(source, width).rstrip("\n")
    doc = (
        f"\n\nContract tests of the `{tag}` operations, from the API contracts. Rewritten\n"
        "by every build: write your own tests in your tests folder.\n"
    )
    third = [PyImport("pytest")]
    if any(t.fixture == "application" for t in tests):
        third.append(PyImport("fastapi", "FastAPI"))
    if any(t.fixture != "application" for t in tests):
        third.append(PyImport("httpx", "AsyncClient"))
    first: list[PyImport] = []
    if any(t.schema_class for t in tests):
        first.append(PyImport(package, "schemas"))
    helpers = sorted({h for t in tests for h in t.helpers})
    first += [PyImport(f"{package}.testing", h) for h in helpers]
    lines = import_lines(third, width)
    if first:
        lines += ["", *import_lines(first, width)]
    text = (
        header[:-3].rstrip("\n") + doc + '"""\n\n' + "\n".join(lines) + "\n\npytestmark = pytest.mark.anyio\n"
    )
    return text + "".join("\n\n" + contracts.function_text(t, width) for t in tests)


def render_tests(
    spec: Spec,
    source: str,
    document: dict[str, Any],
    config: Config,
    out: Path,
    seeded: frozenset[str],
    has_auth: bool,
) -> TestFiles:
    """Every file of the generated tests (see the module docstring)."""
    from specc.emit.testing.factories import render_factories

    width = config.line_length
    package = package_name(out, config.root)
    if not config.generate_tests or not spec.tables or package is None:
        return TestFiles()
    factories = table_factories(spec)
    user = next((f for f in factories if f.table == USER_TABLE), None) if has_auth else None
    files = {
        "testing/__init__.py": render_fixtures(
            source, package, config.app, factories, user, width, contracts.SECRET_WORDS
        ),
        "testing/factories.py": render_factories(spec, source, width),
    }
    components = document.get("components", {}).get("schemas", {})
    tests: list[ContractTest] = []
    for op in contracts.operations(document, spec):
        tests += contracts.operation_tests(op, components, user is not None, width)
    linked = caselinks.link_cases(spec.test_plan, tests)
    by_tag: dict[str, list[ContractTest]] = {}
    for test in tests:
        by_tag.setdefault(test.operation.tag, []).append(test)
    for tag, members in sorted(by_tag.items()):
        files[f"tests/test_contracts_{tag}.py"] = _module(source, tag, package, members, width)
    files["tests/conftest.py"] = _conftest(
        source, package, plugin_exports(factories, user is not None), width
    )
    seeds: dict[str, str] = {}
    plan = spec.test_plan
    if plan is not None:
        folder = config.root / config.tests
        user_links = {link.case_id for link in _team_links(folder, out)}
        unlinked = {c.id for f in plan.features for c in f.cases} - linked - user_links
        for index, feature in enumerate(plan.features):
            rel = (PurePosixPath(config.tests) / f"test_{feature_slug(feature, index)}.py").as_posix()
            open_cases = [c for c in feature.cases if c.id in unlinked]
            if not open_cases or rel in seeded or (config.root / rel).exists():
                continue
            seeds[rel] = stubs.feature_file(feature, index, open_cases, width)
            unlinked -= {c.id for c in open_cases}
        pending = stubs.pending_file(source, plan, unlinked, config.tests, width)
        if pending is not None:
            files[stubs.PENDING] = pending
    return TestFiles(files, seeds)


def _team_links(folder: Path, out: Path) -> list[LinkedTest]:
    """The links of the team's tests, without those of specc's own output when it lies inside their folder
    (else the pending stubs would count as the team's and leave the pending file on the next build)."""
    if not folder.is_dir():
        return []
    links = read_links(folder)[0]
    try:
        inside = out.resolve().relative_to(folder.resolve()).as_posix() + "/"
    except ValueError:
        return links
    return [link for link in links if not link.file.startswith(inside)]


def _conftest(source: str, package: str, exports: list[str], width: int) -> str:
    """The generated tests' conftest.py: the plugin's fixtures, imported by name and re-exported (pytest finds
    fixtures among a conftest's names; `pytest_plugins` is refused outside the top-level conftest)."""
    header = python_header(source, width).rstrip("\n")
    doc = "\n\nThe generated fixtures (`testing`) for the generated tests.\n"
    lines = import_lines([PyImport(f"{package}.testing", name) for name in exports], width)
    names = Call("__all__ = [", tuple(py_str(name) for name in exports), "]", split=Split.MAGIC_COMMA)
    body = "\n".join([*lines, "", *layout("", names, "", 0, width)])
    return header[:-3].rstrip("\n") + doc + '"""\n\n' + body + "\n"
