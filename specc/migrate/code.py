"""Kept only for `specc.migrate.plan`, which imports `LINE_LENGTH` from here: the layout of generated code is
`specc.pycode.layout`."""

from __future__ import annotations

from specc.pycode.layout import LINE_LENGTH

__all__ = ["LINE_LENGTH"]
