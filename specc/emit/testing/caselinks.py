"""Which test-plan cases a generated contract test answers, so it is linked to them
(`@pytest.mark.spec(...)`) and no stub is written for them.

A case is about the endpoint it names, else about its feature's first endpoint. It is linked only when
every part of what it says is checked by a generated test of that endpoint; a case saying more than the
contract answers ("Returns 422 if the email is missing or not a valid address" needs a missing-email and an
invalid-email test) is linked to all of those tests, or to none. The readings, on the case text:

- "401" and no/without/missing token or auth (nothing about expired or invalid ones) → the 401 test;
- "404" and unknown/non-existent/does not exist, on an endpoint with one path parameter → the 404 test;
- "422 if|when …": its clauses (split at `,`, `or`, `and`), each a field or parameter of the request and
  one of: missing / not provided; empty; longer than, exceeds, more than N characters; shorter than, under,
  fewer than N characters; not a valid email / address; not an integer / a number / a string; "is N" below
  the minimum; greater than / above / over N → the tests of those fields;
- "never contains|includes|returns|exposes …" naming only secret-like fields → the body's secret test
  (only when a happy path runs the request);
- a happy-path case naming the endpoint, its success status and nothing else than "with valid …" and
  "and the … object" → the happy path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from specc.emit.testing.contracts import ContractTest, secret_like
from specc.ir.model import Feature, TestCase, TestPlan

_NO_TOKEN = re.compile(
    r"\b(no|without|missing|absent)\b[\w\s-]*\b(token|auth|authentication|authorization|credentials|bearer)\b",
    re.I,
)
_BAD_TOKEN = re.compile(r"\b(expired|invalid|revoked|wrong|malformed|tampered|disabled)\b", re.I)
_UNKNOWN = re.compile(r"\b(unknown|non-?existent|does not exist|doesn't exist|not exist)\b", re.I)
_NEVER = re.compile(r"\bnever\s+(contains?|includes?|returns?|exposes?|leaks?)\b(?P<rest>.*)$", re.I)
_CONDITION = re.compile(r"\b422\b.*?\b(if|when)\b(?P<rest>.*)$", re.I)
_HAPPY = re.compile(
    r"^\s*(with\s+(a\s+)?valid\s+[\w\s,]+?\s+)?returns\s+(?P<status>\d{3})"
    r"(\s+(and|with)\s+(the|a|an)\s+[\w\s]+?\s+object)?\s*$",
    re.I,
)


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r",|\bor\b|\band\b", text) if c.strip()]


_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(missing|not provided|absent|omitted|not given)\b", re.I), "missing"),
    (re.compile(r"\b(empty|blank)\b", re.I), "empty"),
    (re.compile(r"\b(longer than|exceeds?|more than|over)\s+(?P<n>\d+)\s+(characters|chars)\b", re.I), "max"),
    (
        re.compile(r"\b(shorter than|under|fewer than|less than)\s+(?P<n>\d+)\s+(characters|chars)\b", re.I),
        "min",
    ),
    (
        re.compile(r"\bnot an?\s+(valid\s+)?(email|e-mail|address|email address)\b|\binvalid email\b", re.I),
        "email",
    ),
    (re.compile(r"\bnot an?\s+(integer|number|string|boolean)\b", re.I), "type"),
    (re.compile(r"\b(greater than|above|over|more than)\s+(?P<n>-?\d+)\s*$", re.I), "above"),
    (re.compile(r"\bis\s+(?P<n>-?\d+)\s*$", re.I), "below"),
]


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9_]+", text.lower()) if w}


def _clause_tests(clauses: list[str], tests: Sequence[ContractTest]) -> list[ContractTest] | None:
    """The tests answering every clause of a 422 condition, or None when one is not answered."""
    targets = {t.target for t in tests if t.target}
    parsed: list[tuple[set[str], str | None, int | None]] = []
    for clause in clauses:
        named = _words(clause) & targets
        kind = None
        bound = None
        for pattern, name in _KINDS:
            match = pattern.search(clause)
            if match:
                kind = name
                if "n" in match.groupdict() and match.group("n") is not None:
                    bound = int(match.group("n"))
                break
        if not named and kind is None:
            return None  # a clause specc does not read
        parsed.append((named, kind, bound))
    # a clause without a kind takes the next one's ("email or password is missing"); without a field, the
    # previous one's ("display_name is empty or longer than 100 characters")
    for i in range(len(parsed) - 2, -1, -1):
        named, kind, bound = parsed[i]
        if kind is None:
            parsed[i] = (named, parsed[i + 1][1], parsed[i + 1][2])
    for i in range(1, len(parsed)):
        named, kind, bound = parsed[i]
        if not named:
            parsed[i] = (parsed[i - 1][0], kind, bound)
    answering: list[ContractTest] = []
    for named, kind, bound in parsed:
        if not named or kind is None:
            return None
        for target in sorted(named):
            found = _answer(target, kind, bound, tests)
            if found is None:
                return None
            answering.append(found)
    return answering


def _answer(target: str, kind: str, bound: int | None, tests: Sequence[ContractTest]) -> ContractTest | None:
    wanted = {
        "missing": ("422-missing",),
        "empty": ("422-min",),
        "max": ("422-max",),
        "min": ("422-min",),
        "email": ("422-email",),
        "type": ("422-type", "422-query-type"),
        "above": ("422-query-max",),
        "below": ("422-query-min",),
    }[kind]
    for test in tests:
        if test.target != target or test.kind not in wanted:
            continue
        if kind == "empty" and test.bound != 1:
            continue
        if kind in ("max", "min", "above") and test.bound != bound:
            continue
        if kind == "below" and (bound is None or test.bound is None or bound >= test.bound):
            continue
        return test
    return None


def _answering(case: TestCase, tests: Sequence[ContractTest], endpoint: str) -> list[ContractTest]:
    text = case.text
    by_kind = {t.kind: t for t in tests}
    if re.search(r"\b401\b", text) and _NO_TOKEN.search(text) and not _BAD_TOKEN.search(text):
        return [by_kind["401"]] if "401" in by_kind else []
    if re.search(r"\b404\b", text) and _UNKNOWN.search(text):
        test = by_kind.get("404")
        return [test] if test is not None and len(test.operation.path_params) == 1 else []
    condition = _CONDITION.search(text)
    if condition:
        answer = _clause_tests(_clauses(condition.group("rest").strip(" .")), tests)
        return answer or []
    never = _NEVER.search(text)
    if never:
        named = [c for c in _clauses(re.sub(r"\b(the|a|an|any)\b", " ", never.group("rest")).strip(" ."))]
        if named and all(secret_like(n.replace(" ", "_")) for n in named) and "secret-body" in by_kind:
            return [by_kind["secret-body"]]
        return []
    if case.category == "happy_path" and "happy" in by_kind and case.endpoints:
        mention = case.endpoints[0]
        rest = text[text.find(mention.path) + len(mention.path) :] if mention.path in text else ""
        match = _HAPPY.match(rest)
        happy = by_kind["happy"]
        if match and int(match.group("status")) == happy.operation.success:
            return [happy]
    return []


def _endpoint_of(case: TestCase, feature: Feature, keys: set[str]) -> str | None:
    for mention in case.endpoints:
        key = f"{mention.method} {mention.path}"
        if key in keys:
            return key
    if case.endpoints:
        return None  # it names another endpoint (or one with values in its path)
    return feature.endpoints[0] if feature.endpoints else None


def link_cases(plan: TestPlan | None, tests: Sequence[ContractTest]) -> set[str]:
    """Fill each test's `cases` with the plan cases it answers; return every linked case id."""
    if plan is None:
        return set()
    by_endpoint: dict[str, list[ContractTest]] = {}
    for test in tests:
        by_endpoint.setdefault(test.operation.spec_key, []).append(test)
    linked: set[str] = set()
    for feature in plan.features:
        for case in feature.cases:
            endpoint = _endpoint_of(case, feature, set(by_endpoint))
            if endpoint is None:
                continue
            for test in _answering(case, by_endpoint[endpoint], endpoint):
                if case.id not in test.cases:
                    test.cases.append(case.id)
                    linked.add(case.id)
    return linked
