"""Kept only for `specc.migrate.plan`, which imports `py_str` from here: string literals, docstrings and
comments of generated Python are `specc.pycode.literals`."""

from __future__ import annotations

from specc.pycode.literals import py_str

__all__ = ["py_str"]
