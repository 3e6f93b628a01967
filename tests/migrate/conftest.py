"""Migration tests: register pytest-alembic's marker (the plugin itself is disabled in pyproject's addopts;
its built-in tests are imported and run with our own fixtures in test_pytest_alembic_pg.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "alembic: pytest-alembic built-in tests")
