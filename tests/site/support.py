"""A small project for the site tests: a spec with two tables, a foreign key, an enum, a check, an index and
two endpoints, a test plan, and a tests folder with one implemented case and one stub."""

from __future__ import annotations

import os
from pathlib import Path

from specc.config import load_config
from specc.site.command import DocsRequest, DocsResult, docs
from specc.site.settings import docs_settings

SPEC = """# Shop — Architecture

## System Overview

Shop sells things to people.

## Tech Stack

| Layer | Technology | Why |
| --- | --- | --- |
| Backend | FastAPI | Async |

## Database Schema

### users

People who buy.

| Column | Type | Constraints | Description |
| --- | --- | --- | --- |
| id | BIGINT | PK, auto-increment | Surrogate key |
| email | VARCHAR(255) | NOT NULL, UNIQUE | Login address |
| role | ENUM('admin','member') | NOT NULL, DEFAULT 'member' | What they may do |

### orders

| Column | Type | Constraints | Description |
| --- | --- | --- | --- |
| id | BIGINT | PK, auto-increment | Surrogate key |
| user_id | BIGINT | NOT NULL, FK → users.id, ON DELETE CASCADE, indexed | Buyer |
| total | NUMERIC(12,2) | NOT NULL, CHECK (total >= 0) | Amount in euros |
| created_at | TIMESTAMPTZ | NOT NULL, DEFAULT now() | When it was placed |

### Indexes

| Table | Column(s) | Type | Why |
| --- | --- | --- | --- |
| orders | user_id, created_at | BTREE | A user's orders, newest first |

## API Contracts

### POST /api/orders

Place an order.

- **Auth:** Required (Bearer token)
- **Request Body:**
  ```json
  { "total": 12.5 }
  ```
- **Fields:**
  - `total` (number, required): the amount
- **Success Response (201):**
  ```json
  { "id": 1, "user_id": 1, "total": 12.5, "created_at": "2026-01-01T00:00:00Z" }
  ```
- **Error Responses:**
  - 401: Missing token
  - 422: Validation error

### GET /api/health

- **Auth:** None (public)
- **Success Response (200):**
  ```json
  { "status": "ok" }
  ```

## Key Decisions

| Decision | Choice | Alternatives Considered | Why |
| --- | --- | --- | --- |
| Keys | BIGINT | UUID | Ordered |
"""

PLAN = """# Test Plan

## Feature: Place Order

### Happy Path

- POST /api/orders with a valid total returns 201 {#order-201}

### Error Cases

- POST /api/orders without a token returns 401 {#order-401}
- POST /api/orders with a negative total returns 422 {#order-negative}
"""

TESTS = """import pytest


@pytest.mark.spec("order-201")
def test_order_returns_201() -> None:
    assert 1 + 1 == 2


@pytest.mark.spec("order-401")
def test_order_returns_401() -> None:
    pytest.fail("not written yet")
"""


def project(root: Path, spec: str = SPEC, plan: str | None = PLAN, docs_table: str = "") -> Path:
    """A project folder: pyproject.toml, docs/ARCHITECTURE.md, docs/TESTPLAN.md and tests/test_orders.py."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "tests").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[tool.specc]\nspec = "docs/ARCHITECTURE.md"\n\n[tool.specc.docs]\n{docs_table}\n', encoding="utf-8"
    )
    (root / "docs" / "ARCHITECTURE.md").write_text(spec, encoding="utf-8")
    if plan is not None:
        (root / "docs" / "TESTPLAN.md").write_text(plan, encoding="utf-8")
    (root / "tests" / "test_orders.py").write_text(TESTS, encoding="utf-8")
    return root


def write_site(root: Path, out: Path | None = None, drift_report: Path | None = None) -> DocsResult:
    """`specc docs` on the project at `root`, into `out` (default: `<root>/site-src`)."""
    config = load_config(root)
    settings = docs_settings(config)
    plan = root / "docs" / "TESTPLAN.md"
    request = DocsRequest(
        spec_path=root / "docs" / "ARCHITECTURE.md",
        testplan=plan if plan.exists() else None,
        out=out or root / "site-src",
        config=config,
        settings=settings,
        drift_report=drift_report,
        cache=False,
        durable=False,
    )
    return docs(request, echo=lambda _: None, echo_err=lambda _: None)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path → bytes)."""
    found: dict[str, bytes] = {}
    for base, _, files in os.walk(folder):
        for name in files:
            path = Path(base) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found
