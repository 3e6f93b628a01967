"""Test-plan stubs: one failing test per plan case that no test implements yet.

- **User-owned files.** For a feature with such cases and no `test_<feature>.py` in the team's tests folder,
  `specc build` writes that file once (`seed_files`); a later build never overwrites nor deletes it, and
  never writes it again once it was written (the manifest records it), even if the team deletes it.
- **The pending file** (`<out>/tests/test_plan_pending.py`, specc's, rewritten by every build): a stub for
  every case still linked by no test at all, so it shrinks as the team moves stubs into their files.

A stub is named from the case text, carries the case text as its docstring, an Arrange-Act-Assert skeleton,
its link (`@pytest.mark.spec("<case id>")`) and a body that fails: `pytest.fail("not implemented: ...")`.
Failing, not a strict xfail: the seed's rule is that a test exists and fails before its feature, and a
strict xfail would keep the suite green while plan cases have no test, then fail the day someone writes the
test until they also delete the marker. A failing stub is what plan coverage reports as a stub."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from specc.emit.base import python_header
from specc.emit.testing.names import feature_slug, snake
from specc.ir.model import Feature, TestCase, TestPlan
from specc.pycode.layout import Call, layout
from specc.pycode.literals import docstring_text, py_str

PENDING = "tests/test_plan_pending.py"
"""The pending file, relative to the output folder."""

_CATEGORY = {
    "happy_path": "happy path",
    "error": "error case",
    "edge": "edge case",
    "security": "security case",
    "performance": "performance case",
}


def stub_name(feature: str, case: TestCase, taken: set[str], width: int) -> str:
    limit = max(40, min(width - 23, 80))  # `async def <name>() -> None:` fits
    words = snake(case.text)
    base = f"test_{feature}_{words}" if words else f"test_{feature}_case"
    if len(base) > limit:
        base = base[:limit].rsplit("_", 1)[0] if "_" in base[20:limit] else base[:limit]
    base = base.rstrip("_")
    name, number = base, 2
    while name in taken:
        suffix = f"_{number}"
        name = base[: limit - len(suffix)].rstrip("_") + suffix
        number += 1
    taken.add(name)
    return name


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _docstring(text: str, level: int, width: int, more: str | None = None) -> list[str]:
    """A docstring of `text` (and a paragraph `more`), wrapped to `width`, as ruff keeps it."""
    pad = "    " * level
    body = docstring_text(text)
    if more is None and len(f'{pad}"""{body}"""') <= width:
        return [f'{pad}"""{body}"""']
    room = max(20, width - len(pad))
    lines = _wrapped(body, room - 6)
    if more is None and len(lines) == 1:  # ruff keeps a one-line docstring's closing quotes on its line
        return [f'{pad}"""{lines[0]}"""']
    if more is not None:
        lines += ["", *_wrapped(docstring_text(more), room)]
    return [f'{pad}"""{lines[0]}', *(pad + line if line else "" for line in lines[1:]), f'{pad}"""']


def stub_text(feature: Feature, feature_name: str, case: TestCase, taken: set[str], width: int) -> str:
    name = stub_name(feature_name, case, taken, width)
    marker = Call("@pytest.mark.spec(", (py_str(case.id),))
    where = f"{feature.name}: {_CATEGORY.get(case.category, case.category)}."
    lines = [
        *layout("", marker, "", 0, width),
        f"async def {name}() -> None:",
        *_docstring(case.text, 1, width, where),
        "    # Arrange",
        "",
        "    # Act",
        "",
        "    # Assert",
        '    pytest.fail("not implemented yet: the plan case in the spec marker")',
    ]
    return "\n".join(lines) + "\n"


def feature_file(feature: Feature, index: int, cases: Iterable[TestCase], width: int) -> str:
    """A user-owned stub file for `feature` (written once; the team's from then on)."""
    name = feature_slug(feature, index)
    taken: set[str] = set()
    doc = (
        f"Feature: {feature.name}. Stubs of the test plan's cases, written once by `specc build`: this file "
        "is yours (specc never writes it again). Implement each test, keeping its `spec` marker."
    )
    head = "\n".join(_docstring(doc, 0, width)) + "\n\nimport pytest\n\npytestmark = pytest.mark.anyio\n"
    return head + "".join("\n\n" + stub_text(feature, name, case, taken, width) for case in cases)


def pending_file(source: str, plan: TestPlan, pending: set[str], tests_folder: str, width: int) -> str | None:
    """The pending file: a stub per case in `pending`, by feature; None when there is none."""
    chunks: list[str] = []
    taken: set[str] = set()
    for index, feature in enumerate(plan.features):
        name = feature_slug(feature, index)
        for case in feature.cases:
            if case.id in pending:
                chunks.append(stub_text(feature, name, case, taken, width))
    if not chunks:
        return None
    header = python_header(source, width).rstrip("\n")
    doc = (
        f"Test-plan cases no test implements yet ({len(chunks)}). Rewritten by every build: to implement "
        f"one, move its stub into your tests folder ({tests_folder}), keeping its `spec` marker; it then "
        "leaves this file."
    )
    wrapped = textwrap.wrap(docstring_text(doc), width=width, break_long_words=False, break_on_hyphens=False)
    head = (
        header[:-3].rstrip("\n")
        + "\n\n"
        + "\n".join(wrapped)
        + '\n"""\n\nimport pytest\n\npytestmark = pytest.mark.anyio\n'
    )
    return head + "".join("\n\n" + chunk for chunk in chunks)
