"""The rule registry: every check is a function registered once, under its own diagnostic code.

A rule reads the IR and yields `Finding`s; `run_checks` turns them into diagnostics located at the first
span the finding names. Codes starting with `S` are safety rules (document text that would reach SQL or code
unquoted; their errors cannot be switched off) and run first; `R` resolution rules (names that must
resolve, things that must be unique) run before the `L` lint rules (conventions of WORKFLOW.md §7/§8).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from specc.diagnostics import Code, Severity, register_code
from specc.ir.model import Span, Spec

Phase = Literal["safety", "resolve", "lint"]

_PHASE_BY_PREFIX: dict[str, Phase] = {"S": "safety", "R": "resolve", "L": "lint"}


@dataclass(frozen=True)
class Finding:
    """One problem a rule found: what, where (first non-None span wins), and how to fix it."""

    message: str
    spans: tuple[Span | None, ...]
    hint: str | None = None


RuleFunc = Callable[[Spec], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: Code
    phase: Phase
    func: RuleFunc


_RULES: dict[str, Rule] = {}


def check_rule(
    code: str, severity: Severity, title: str, explanation: str, example: str
) -> Callable[[RuleFunc], RuleFunc]:
    """Register `code` (see `register_code`) and the decorated function as its rule. Refuses duplicates."""
    phase = _PHASE_BY_PREFIX.get(code[:1])
    if phase is None:
        raise ValueError(f"rule code {code} must start with S (safety), R (resolution) or L (lint)")
    if code in _RULES:
        raise ValueError(f"rule {code} is registered twice")

    def decorate(func: RuleFunc) -> RuleFunc:
        if code in _RULES:
            raise ValueError(f"rule {code} is registered twice")
        entry = register_code(code, severity, title, explanation, example)
        _RULES[code] = Rule(code=entry, phase=phase, func=func)
        return func

    return decorate


def rules(phase: Phase) -> list[Rule]:
    """Registered rules of one phase, in code order."""
    return [r for _, r in sorted(_RULES.items()) if r.phase == phase]


def all_rules() -> dict[str, Rule]:
    return dict(sorted(_RULES.items()))
