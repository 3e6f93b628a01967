"""Plan coverage: which TESTPLAN.md cases the tests folder implements, which are stubs, which are missing.

A test links to a case with a marker, `@pytest.mark.spec("<case id>")` (several ids in one marker, or several
markers, link to several cases; a class's marker links all its tests). The tests are read from their syntax
tree, never imported or run: reading the tests folder of an untrusted pull request runs none of its code.

A linked test is a **stub** when its body, after an optional docstring, is only a failure: `pytest.fail(...)`
or `raise NotImplementedError(...)` (what a test written before its feature looks like). A case is
**implemented** when a test that is not a stub links to it, a **stub** when only stubs do, **missing** when
none does. A link to an id the plan no longer has is reported with the plan's case closest to it (by id,
and by text for derived ids), the likely rename.
"""

from __future__ import annotations

import ast
import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from specc.ir.model import CaseCategory, TestPlan

CaseState = Literal["implemented", "stub", "missing"]
MAX_TEST_FILE_BYTES = 4 * 1024 * 1024
"""A larger test file is not read (reported as unreadable)."""


@dataclass(frozen=True)
class LinkedTest:
    file: str
    """Relative to the tests folder, with `/`; a generated test as `<out>/tests/...` (project-relative)."""
    line: int
    name: str
    """`test_x`, or `TestClass::test_x`."""
    case_id: str
    stub: bool


@dataclass(frozen=True)
class CaseCoverage:
    id: str
    feature: str
    category: CaseCategory
    text: str
    state: CaseState
    tests: tuple[LinkedTest, ...]


@dataclass(frozen=True)
class VanishedLink:
    test: LinkedTest
    likely: str | None
    """The plan's case id closest to the vanished one (a likely rename), or None."""


@dataclass(frozen=True)
class PlanCoverage:
    cases: tuple[CaseCoverage, ...]
    vanished: tuple[VanishedLink, ...]
    files_read: int
    unreadable: tuple[str, ...]
    """Test files that could not be read (not UTF-8, a syntax error, too large), relative paths."""

    def count(self, state: CaseState) -> int:
        return sum(1 for case in self.cases if case.state == state)


def _is_spec_marker(node: ast.expr) -> list[str] | None:
    """The ids of a `pytest.mark.spec("a", "b")` / `mark.spec(...)` decorator, None for another one."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "spec"):
        return None
    base = func.value
    is_mark = (isinstance(base, ast.Attribute) and base.attr == "mark") or (
        isinstance(base, ast.Name) and base.id == "mark"
    )
    if not is_mark:
        return None
    return [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _marked_ids(decorators: list[ast.expr]) -> list[str]:
    ids: list[str] = []
    for decorator in decorators:
        ids.extend(_is_spec_marker(decorator) or [])
    return ids


def _fails_only(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Raise):
        exc = statement.exc
        target = exc.func if isinstance(exc, ast.Call) else exc
        return isinstance(target, ast.Name) and target.id == "NotImplementedError"
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr == "fail"
            and isinstance(func.value, ast.Name)
            and func.value.id == "pytest"
        )
    return False


def is_stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a test's body, after an optional docstring, is only a failure."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body) == 1 and _fails_only(body[0])


def _tests(tree: ast.Module) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str, list[str]]]:
    """Every test function with its shown name and the ids its own and its class's markers link."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            yield node, node.name, _marked_ids(node.decorator_list)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            inherited = _marked_ids(node.decorator_list)
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    ids = inherited + _marked_ids(item.decorator_list)
                    yield item, f"{node.name}::{item.name}", ids


def read_links(tests: Path, shown_as: str = "") -> tuple[list[LinkedTest], int, list[str]]:
    """Every link in the `test_*.py` / `*_test.py` files under `tests` (sorted), the number of files read,
    and the files that could not be read; a file is shown relative to `tests`, after `shown_as`."""
    links: list[LinkedTest] = []
    unreadable: list[str] = []
    files = sorted(
        p for p in tests.rglob("*.py") if (p.name.startswith("test_") or p.name.endswith("_test.py"))
    )
    for path in files:
        shown = shown_as + path.relative_to(tests).as_posix()
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_TEST_FILE_BYTES:
                unreadable.append(shown)
                continue
            tree = ast.parse(path.read_bytes().decode("utf-8"), filename=shown)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
            unreadable.append(shown)
            continue
        for function, name, ids in _tests(tree):
            stub = is_stub(function)
            links.extend(LinkedTest(shown, function.lineno, name, case_id, stub) for case_id in ids)
    return links, len(files), unreadable


def _likely(vanished: str, ids: list[str], texts: dict[str, str]) -> str | None:
    """The case id closest to a vanished one: by id, else (for a derived id) by the text part of it."""
    close = difflib.get_close_matches(vanished, ids, n=1, cutoff=0.6)
    if close:
        return close[0]
    words = vanished.rsplit("/", 1)[-1].replace("-", " ")
    by_text = difflib.get_close_matches(words, list(texts), n=1, cutoff=0.5)
    return texts[by_text[0]] if by_text else None


def plan_coverage(plan: TestPlan, tests: Path, generated: tuple[Path, str] | None = None) -> PlanCoverage:
    """The coverage of `plan` by the tests under `tests` and, when given, the generated tests (their folder,
    and the prefix their files are shown with: `generated/tests/`); see the module docstring."""
    links, files_read, unreadable = read_links(tests)
    if generated is not None:
        more, more_read, more_unreadable = read_links(*generated)
        links, files_read, unreadable = links + more, files_read + more_read, unreadable + more_unreadable
    by_case: dict[str, list[LinkedTest]] = {}
    for link in links:
        by_case.setdefault(link.case_id, []).append(link)
    cases: list[CaseCoverage] = []
    for feature in plan.features:
        for case in feature.cases:
            linked = tuple(by_case.get(case.id, ()))
            state: CaseState = "missing"
            if any(not t.stub for t in linked):
                state = "implemented"
            elif linked:
                state = "stub"
            cases.append(CaseCoverage(case.id, feature.name, case.category, case.text, state, linked))
    known = [c.id for c in cases]
    texts = {c.text.lower(): c.id for c in cases}
    present = set(known)
    vanished = tuple(
        VanishedLink(link, _likely(link.case_id, known, texts))
        for link in links
        if link.case_id not in present
    )
    return PlanCoverage(tuple(cases), vanished, files_read, tuple(unreadable))


class ReportTest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str = Field(
        description="Relative to the tests folder, with `/`; a generated test as `<out>/tests/...`."
    )
    line: int = Field(ge=1)
    name: str = Field(description="`test_x`, or `TestClass::test_x`.")
    stub: bool = Field(description="Its body, after a docstring, is only `pytest.fail(...)` or a raise.")


class ReportCase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    feature: str
    category: CaseCategory
    text: str
    state: CaseState
    tests: list[ReportTest]


class ReportVanished(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    case_id: str = Field(description="The id the test links, which the plan no longer has.")
    test: ReportTest
    likely: str | None = Field(description="The plan's closest case id: a likely rename.")


class ReportSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    cases: int = Field(ge=0)
    implemented: int = Field(ge=0)
    stub: int = Field(ge=0)
    missing: int = Field(ge=0)
    vanished_links: int = Field(ge=0)
    files_read: int = Field(ge=0)


class CoverageReport(BaseModel):
    """The `specc coverage --format json` report."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="specc plan coverage report")

    summary: ReportSummary
    cases: list[ReportCase]
    vanished: list[ReportVanished]
    unreadable: list[str]


def _report_test(t: LinkedTest) -> ReportTest:
    return ReportTest(file=t.file, line=t.line, name=t.name, stub=t.stub)


def coverage_report(coverage: PlanCoverage) -> CoverageReport:
    """The JSON form (`schemas/specc-plan-coverage.schema.json`)."""
    return CoverageReport(
        summary=ReportSummary(
            cases=len(coverage.cases),
            implemented=coverage.count("implemented"),
            stub=coverage.count("stub"),
            missing=coverage.count("missing"),
            vanished_links=len(coverage.vanished),
            files_read=coverage.files_read,
        ),
        cases=[
            ReportCase(
                id=c.id,
                feature=c.feature,
                category=c.category,
                text=c.text,
                state=c.state,
                tests=[_report_test(t) for t in c.tests],
            )
            for c in coverage.cases
        ],
        vanished=[
            ReportVanished(case_id=v.test.case_id, test=_report_test(v.test), likely=v.likely)
            for v in coverage.vanished
        ],
        unreadable=list(coverage.unreadable),
    )


SCHEMA_PATH = Path("schemas/specc-plan-coverage.schema.json")


def coverage_schema() -> str:
    """The JSON Schema of `CoverageReport`, as checked in at `SCHEMA_PATH`."""
    schema: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **CoverageReport.model_json_schema(),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def coverage_text(coverage: PlanCoverage) -> str:
    """A report for people: each case that is not implemented, each vanished link, then the counts."""
    from specc.report import visible  # control and bidi characters from the files are shown escaped

    lines: list[str] = []
    for case in coverage.cases:
        if case.state != "implemented":
            lines.append(visible(f"{case.state:<8} {case.id}  ({case.feature}: {case.text})"))
    for link in coverage.vanished:
        t = link.test
        hint = f"; likely renamed to {link.likely}" if link.likely else ""
        where = f"{t.file}:{t.line} {t.name}"
        lines.append(visible(f"vanished {where} links {t.case_id!r}, which the plan no longer has{hint}"))
    for shown in coverage.unreadable:
        lines.append(visible(f"unread   {shown} (not UTF-8 Python, too large, or a link)"))
    lines.append(
        f"{len(coverage.cases)} cases: {coverage.count('implemented')} implemented, {coverage.count('stub')} "
        f"stub, {coverage.count('missing')} missing; {len(coverage.vanished)} link(s) to vanished cases; "
        f"{coverage.files_read} test file(s) read"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # refresh the checked-in schema
    SCHEMA_PATH.write_text(coverage_schema(), encoding="utf-8")
