"""Comparing IRs: spans are metadata, so comparisons of meaning strip them first."""

from __future__ import annotations

from typing import Any, TypeVar

from specc.ir.model import Node, Span

N = TypeVar("N", bound=Node)


def _strip(value: Any) -> Any:
    if isinstance(value, Span):
        return None
    if isinstance(value, Node):
        return strip_spans(value)
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    return value


def strip_spans(node: N) -> N:
    """A copy of `node` with every source span (at any depth) set to None."""
    update: dict[str, Any] = {}
    for name in type(node).model_fields:
        value = getattr(node, name)
        stripped = _strip(value)
        if stripped is not value:
            update[name] = stripped
    return node.model_copy(update=update) if update else node
