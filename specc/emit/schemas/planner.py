"""Naming and placing the models of one body (`specc.emit.schemas.plan`): the first free candidate name, or
one taken by a model of the same structure, which is then shared."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from specc.emit.models.names import ModelNames, model_names
from specc.emit.schemas import names
from specc.emit.schemas.bodies import ColumnRef, Role, ShapeContext, model_signature
from specc.emit.schemas.specs import ERROR_RESPONSE, ModelSpec
from specc.emit.shapes import FieldType
from specc.ir.model import (
    Endpoint,
    Spec,
)

_ABSENT = re.compile(
    r"(?<![\w`])`?([A-Za-z_]\w{0,199})`?\s+(?:is|are|may be|can be|will be)\s+(?:absent|omitted|missing|"
    r"not present|null|left out)\b",
    re.I,
)
"""Prose saying a response field may be missing: "`next_cursor` is absent on the last page"."""


_EMPTY = re.compile(r"(?<![\w`])(?:empty|blank)\s+`?([A-Za-z_]\w{0,199})`?", re.I)
"""A documented validation error for an empty field: "422: Validation error (empty name, ...)"."""


def empty_keys(endpoint: Endpoint) -> frozenset[str]:
    """Request keys whose empty value the contract lists as a 400/422 error (they get `min_length=1`)."""
    texts = [r.description or "" for r in endpoint.responses if r.status in (400, 422)]
    return frozenset(m.group(1) for text in texts for m in _EMPTY.finditer(text))


def absent_keys(endpoint: Endpoint) -> frozenset[str]:
    texts = [endpoint.summary or ""] + [r.description or "" for r in endpoint.responses]
    return frozenset(m.group(1) for text in texts for m in _ABSENT.finditer(text))


@dataclass
class _Names:
    """Every class name handed out, and the structural signature of each shareable one."""

    registry: names.NameRegistry
    signatures: dict[str, tuple[object, ...]] = field(default_factory=dict)
    modules: dict[str, list[ModelSpec]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)


class Planner:
    def __init__(self, spec: Spec, api_prefix: str) -> None:
        self.api_prefix = api_prefix
        self.spec = spec
        self.index = names.table_index(spec.tables)
        self.fallback: dict[str, ColumnRef | None] = {}
        self._model_attrs: ModelNames | None = None
        self.names = _Names(registry=names.NameRegistry({ERROR_RESPONSE.name}))

    @property
    def model_attrs(self) -> ModelNames:
        """The models writer's attribute names (response fields read renamed columns from them)."""
        if self._model_attrs is None:
            self._model_attrs = model_names(self.spec)
        return self._model_attrs

    def context(self, role: Role, endpoint: Endpoint, registry: names.NameRegistry) -> ShapeContext:
        return ShapeContext(
            index=self.index,
            registry=registry,
            fallback=self.fallback,
            model_attrs=self.model_attrs,
            role=role,
            path_table=names.resource_table(self.index, endpoint, self.api_prefix),
            absent=absent_keys(endpoint) if role == "response" else frozenset(),
            non_empty=empty_keys(endpoint) if role != "response" else frozenset(),
            declared={f.name: f for f in endpoint.request_body.fields}
            if role != "response" and endpoint.request_body is not None
            else {},
        )

    def _probe(
        self,
        role: Role,
        endpoint: Endpoint,
        build: Callable[[ShapeContext, str], str],
        preset: dict[str, FieldType] | None,
    ) -> tuple[object, ...]:
        """The structure `build` would make (under throwaway names)."""
        probe = self.context(role, endpoint, names.NameRegistry())
        probe.preset = dict(preset or {})
        build(probe, "\x00")
        return model_signature({m.name: m for m in probe.models}, "\x00")

    def place(
        self,
        candidates: list[str],
        role: Role,
        endpoint: Endpoint,
        tag: str,
        label: str,
        build: Callable[[ShapeContext, str], str],
        preset: dict[str, FieldType] | None = None,
    ) -> str:
        """Names and adds the models `build` makes: the first candidate that is free, or taken by a model of
        the same structure (which is then shared); the last candidate with a numeric suffix otherwise."""
        signature: tuple[object, ...] | None = None
        chosen: str | None = None
        for candidate in candidates:
            known = self.names.signatures.get(candidate)
            if known is not None:
                if signature is None:
                    signature = self._probe(role, endpoint, build, preset)
                if known == signature:
                    self.names.labels[candidate].append(label)
                    return candidate
                continue
            if self.names.registry.is_free(candidate):
                chosen = self.names.registry.claim(candidate)
                break
        if chosen is None:
            chosen = self.names.registry.claim(candidates[-1])
        ctx = self.context(role, endpoint, self.names.registry)
        ctx.preset = dict(preset or {})
        build(ctx, chosen)
        if signature is None:
            signature = model_signature({m.name: m for m in ctx.models}, chosen)
        self.names.signatures[chosen] = signature
        self.names.labels[chosen] = [label]
        self.names.modules.setdefault(tag, []).extend(ctx.models)
        return chosen
