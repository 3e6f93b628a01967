"""Import blocks of generated Python (`specc.pycode.imports`): sorted and wrapped as ruff's isort does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from specc.pycode.imports import PyImport, all_key, import_lines, member_key, natural_key

RUFF = Path(sys.executable).parent / "ruff"


def test_import_lines_sections_future_stdlib_third_party_local_when_all_present() -> None:
    # Arrange
    imports = {
        PyImport(".base", "Base"),
        PyImport("sqlalchemy", alias="sa"),
        PyImport("typing", "Any"),
        PyImport("__future__", "annotations"),
        PyImport("datetime"),
    }

    # Act
    lines = import_lines(imports, 88)

    # Assert
    assert lines == [
        "from __future__ import annotations",
        "",
        "import datetime",
        "from typing import Any",
        "",
        "import sqlalchemy as sa",
        "",
        "from .base import Base",
    ]


def test_import_lines_plain_imports_before_from_imports_when_module_sorts_later() -> None:
    # Arrange
    imports = [PyImport("alembic", "op"), PyImport("sqlalchemy", alias="sa")]

    # Act
    lines = import_lines(imports, 88)

    # Assert
    assert lines == ["import sqlalchemy as sa", "from alembic import op"]


def test_import_lines_merges_names_ordered_by_type_when_same_module() -> None:
    # Arrange
    imports = [PyImport("pydantic", n) for n in ("field_validator", "BaseModel", "CONST", "AwareDatetime")]

    # Act
    lines = import_lines(imports, 110)

    # Assert
    assert lines == ["from pydantic import CONST, AwareDatetime, BaseModel, field_validator"]


def test_import_lines_modules_in_natural_order_when_numbered() -> None:
    # Arrange
    imports = [PyImport(".t10", "T10"), PyImport(".t2", "T2"), PyImport(".T3", "T3")]

    # Act
    lines = import_lines(imports, 88)

    # Assert
    assert lines == ["from .t2 import T2", "from .T3 import T3", "from .t10 import T10"]


def test_import_lines_relative_modules_furthest_first_when_several_levels() -> None:
    # Arrange
    imports = [PyImport(".", "schemas"), PyImport("..up", "x"), PyImport(".database", "DbSession")]

    # Act
    lines = import_lines(imports, 88)

    # Assert
    assert lines == ["from ..up import x", "from . import schemas", "from .database import DbSession"]


def test_import_lines_aliased_name_is_own_statement_when_module_has_other_names() -> None:
    # Arrange
    imports = [PyImport(".models", "Bbb"), PyImport(".models", "Aaa", "User"), PyImport(".models", "Ccc")]

    # Act
    lines = import_lines(imports, 88)

    # Assert
    assert lines == ["from .models import Aaa as User", "from .models import Bbb, Ccc"]


def test_import_lines_keeps_one_line_when_exactly_line_length() -> None:
    # Arrange: `from pkg import ` is 16 characters
    imports = [PyImport("pkg", "a" * 30), PyImport("pkg", "b" * 40)]

    # Act
    lines = import_lines(imports, 16 + 30 + 2 + 40)

    # Assert
    assert lines == ["from pkg import " + "a" * 30 + ", " + "b" * 40]


def test_import_lines_splits_one_name_per_line_with_comma_when_too_long() -> None:
    # Arrange
    imports = [PyImport("pkg", "a" * 30), PyImport("pkg", "b" * 40)]

    # Act
    lines = import_lines(imports, 16 + 30 + 2 + 40 - 1)

    # Assert
    assert lines == ["from pkg import (", "    " + "a" * 30 + ",", "    " + "b" * 40 + ",", ")"]


def test_import_lines_sole_name_keeps_trailing_comma_when_split_inside_indented_block() -> None:
    # Arrange
    imports = [PyImport(".module_" + "m" * 60, "Model" + "x" * 20)]

    # Act
    lines = import_lines(imports, 88, level=1)

    # Assert
    assert lines == ["    from .module_" + "m" * 60 + " import (", "        Model" + "x" * 20 + ",", "    )"]


def test_natural_key_orders_numbers_by_value_and_leading_zeros_first() -> None:
    # Arrange
    names = ["t10", "t2", "T1", "t_2", "t_004"]

    # Act
    ordered = sorted(names, key=natural_key)

    # Assert
    assert ordered == ["T1", "t2", "t10", "t_004", "t_2"]


def test_member_key_ignores_case_within_a_type_when_sorting_imported_names() -> None:
    # Arrange
    names = ["ABc", "Aab", "T10Out", "T2Out", "value", "CONST"]

    # Act
    ordered = sorted(names, key=member_key)

    # Assert
    assert ordered == ["CONST", "Aab", "ABc", "T2Out", "T10Out", "value"]


def test_all_key_is_case_sensitive_like_ruf022_when_sorting_dunder_all() -> None:
    # Arrange
    names = ["b_", "Ab", "aB", "A", "_x", "B10", "B2", "AB", "Aab", "ABc"]

    # Act
    ordered = sorted(names, key=all_key)

    # Assert
    assert ordered == ["AB", "B2", "B10", "A", "ABc", "Aab", "Ab", "_x", "aB", "b_"]


def test_import_lines_pass_ruff_isort_and_ruf022_for_a_varied_block(tmp_path: Path) -> None:
    # Arrange
    imports = {
        PyImport("__future__", "annotations"),
        PyImport("collections.abc", "Sequence"),
        PyImport("datetime"),
        PyImport("sqlalchemy", alias="sa"),
        PyImport("sqlalchemy.dialects", "postgresql"),
        PyImport("sqlalchemy.orm", "Mapped"),
        PyImport("sqlalchemy.orm", "mapped_column"),
        PyImport("pydantic", "ConfigDict"),
        PyImport("pydantic", "AliasChoices"),
        PyImport(".models", "Account", "User"),
        PyImport(".models", "Room"),
        PyImport(".t10", "T10Out"),
        PyImport(".t2", "T2Out"),
        PyImport(".database", "DbSession"),
        PyImport("..x", "VERY_LONG_CONSTANT_NAME_" + "X" * 30),
        PyImport("..x", "another_" + "y" * 40),
    }
    exported = sorted({i.bound_name for i in imports if i.module.startswith(".")}, key=all_key)
    path = tmp_path / "module.py"
    body = "\n".join(import_lines(imports, 88)) + "\n\n__all__ = [" + ", ".join(f'"{n}"' for n in exported)
    path.write_text(body + "]\n")

    # Act
    result = subprocess.run(
        [str(RUFF), "check", "--isolated", "--select=I,RUF022", "--line-length=88", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    # Assert
    assert result.returncode == 0, result.stdout + result.stderr
