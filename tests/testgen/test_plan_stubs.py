"""User-owned test-plan stubs: written once into the team's tests folder, never overwritten or deleted by
a later build (whatever the plan edits), and the pending file that lists only cases no test links."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest

from specc.build import build
from specc.config import Config
from specc.frontend import load
from specc.plancoverage import plan_coverage

SPEC = """# Shop

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | UNIQUE, NOT NULL |

### POST /api/users

- **Auth:** Required
- **Request Body:**
  ```json
  { "email": "user@example.com" }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, "email": "user@example.com" }
  ```
- **Error Responses:**
  - 401: Missing token
  - 409: Email taken
  - 422: Validation error
"""

PLAN = """# Test Plan

## Feature: Create User

### Happy Path

- POST /api/users with a valid email returns 201 and the user object
- A new user can sign in right away {#create-user-sign-in}
- The welcome mail is queued

### Error Cases

- Returns 401 if no auth token provided
- Returns 409 if the email is taken

## Feature: Audit

### Edge Cases

- Every change is written to the audit log
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(root: Path) -> list[str]:
    lines: list[str] = []
    result = build(
        root / "ARCHITECTURE.md",
        root / "TESTPLAN.md",
        root / "generated",
        Config(root=root, generate_tests=True),
        echo=lines.append,
        echo_err=lines.append,
    )
    assert result.exit_code == 0, lines
    return lines


def _stub_ids(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ids: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):
                    ids += [a.value for a in decorator.args if isinstance(a, ast.Constant)]
    return ids


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "ARCHITECTURE.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / "TESTPLAN.md").write_text(PLAN, encoding="utf-8")
    return tmp_path


def test_build_seeds_a_stub_file_per_feature_when_the_tests_folder_has_none(shop: Path) -> None:
    # Arrange: a plan, no tests folder

    # Act
    _build(shop)
    again = _build(shop)

    # Assert
    assert again == ["specc build: generated is up to date"]
    create_user = shop / "tests" / "test_create_user.py"
    assert _stub_ids(create_user) == [
        "create-user-sign-in",
        "create-user/happy-path/the-welcome-mail-is-queued",
        "create-user/error/returns-409-if-the-email-is-taken",
    ]
    text = create_user.read_text(encoding="utf-8")
    assert '"""A new user can sign in right away' in text
    assert text.count('pytest.fail("not implemented yet') == 3
    assert _stub_ids(shop / "tests" / "test_audit.py") == [
        "audit/edge/every-change-is-written-to-the-audit-log"
    ]
    contracts = _stub_ids(shop / "generated" / "tests" / "test_contracts_users.py")
    assert contracts == [
        "create-user/error/returns-401-if-no-auth-token-provided",
        "create-user/happy-path/post-api-users-with-a-valid-email-returns-201-and-the-user",
    ]
    assert not (shop / "generated" / "tests" / "test_plan_pending.py").exists()


def test_build_never_modifies_or_deletes_user_test_files_after_plan_edits(shop: Path) -> None:
    # Arrange: seeded files, one edited by the team, then the plan renames, adds and removes cases
    _build(shop)
    create_user = shop / "tests" / "test_create_user.py"
    audit = shop / "tests" / "test_audit.py"
    create_user.write_text(create_user.read_text(encoding="utf-8") + "\n# implemented by the team\n")
    before = {path: _digest(path) for path in (create_user, audit)}
    plan = PLAN.replace("The welcome mail is queued", "The welcome email is queued")
    plan = plan.replace("- Returns 409 if the email is taken\n", "")
    plan += "- Deleting a user is written to the audit log too\n"
    (shop / "TESTPLAN.md").write_text(plan, encoding="utf-8")

    # Act
    _build(shop)
    _build(shop)

    # Assert
    assert {path: _digest(path) for path in (create_user, audit)} == before
    pending = shop / "generated" / "tests" / "test_plan_pending.py"
    assert _stub_ids(pending) == [
        "create-user/happy-path/the-welcome-email-is-queued",
        "audit/edge/deleting-a-user-is-written-to-the-audit-log-too",
    ]
    front = load(
        shop / "ARCHITECTURE.md",
        shop / "TESTPLAN.md",
        Config(root=shop, generate_tests=True),
        cache_dir=None,
        check=False,
    )
    assert front.spec.test_plan is not None
    coverage = plan_coverage(front.spec.test_plan, shop / "tests")
    vanished = {link.test.case_id: link.likely for link in coverage.vanished}
    renamed = "create-user/happy-path/the-welcome-mail-is-queued"
    removed = "create-user/error/returns-409-if-the-email-is-taken"
    # a removed case's link gets the nearest case as its likely rename: a suggestion, never assumed
    assert vanished == {
        renamed: "create-user/happy-path/the-welcome-email-is-queued",
        removed: "create-user/error/returns-401-if-no-auth-token-provided",
    }


def test_build_does_not_seed_again_a_stub_file_the_team_deleted(shop: Path) -> None:
    # Arrange
    _build(shop)
    (shop / "tests" / "test_audit.py").unlink()

    # Act
    _build(shop)

    # Assert
    assert not (shop / "tests" / "test_audit.py").exists()
    pending = shop / "generated" / "tests" / "test_plan_pending.py"
    assert _stub_ids(pending) == ["audit/edge/every-change-is-written-to-the-audit-log"]


def test_build_keeps_an_existing_user_file_and_lists_its_unlinked_cases_as_pending(shop: Path) -> None:
    # Arrange: the team's own file for the feature, linking one case
    tests = shop / "tests"
    tests.mkdir()
    own = tests / "test_create_user.py"
    own.write_text(
        'import pytest\n\n\n@pytest.mark.spec("create-user-sign-in")\n'
        "def test_sign_in() -> None:\n    assert 1 + 1 == 2\n"
    )
    before = _digest(own)

    # Act
    _build(shop)

    # Assert
    assert _digest(own) == before
    pending = shop / "generated" / "tests" / "test_plan_pending.py"
    assert _stub_ids(pending) == [
        "create-user/happy-path/the-welcome-mail-is-queued",
        "create-user/error/returns-409-if-the-email-is-taken",
    ]


def test_build_writes_no_stub_through_a_linked_tests_folder(
    shop: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Arrange: `tests` is a symbolic link to a folder elsewhere
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (shop / "tests").symlink_to(elsewhere, target_is_directory=True)

    # Act
    _build(shop)

    # Assert
    assert list(elsewhere.iterdir()) == []


def test_build_keeps_the_pending_file_when_the_output_lies_inside_the_tests_folder(shop: Path) -> None:
    # Arrange: the team's tests folder is the project root, which holds generated/ too; a file for every
    # feature exists, so the open cases go to the pending file
    config = Config(root=shop, tests=".", generate_tests=True)
    (shop / "test_create_user.py").write_text("def test_nothing_linked() -> None:\n    assert True\n")
    (shop / "test_audit.py").write_text("def test_nothing_linked() -> None:\n    assert True\n")
    pending = shop / "generated" / "tests" / "test_plan_pending.py"

    # Act
    for _ in range(2):
        result = build(shop / "ARCHITECTURE.md", shop / "TESTPLAN.md", shop / "generated", config, echo=print)
        assert result.exit_code == 0

    # Assert: its own stubs never count as the team's links
    assert len(_stub_ids(pending)) == 4


def test_build_seeds_stub_files_in_a_tests_folder_written_with_a_dot(shop: Path) -> None:
    # Arrange: `tests = "./"`, the project root
    config = Config(root=shop, tests="./", generate_tests=True)

    # Act
    result = build(shop / "ARCHITECTURE.md", shop / "TESTPLAN.md", shop / "generated", config, echo=print)

    # Assert
    assert result.exit_code == 0
    assert sorted(p.name for p in shop.glob("test_*.py")) == ["test_audit.py", "test_create_user.py"]
