"""TESTPLAN.md: `## Feature: <name>` with Happy Path / Error / Edge / Security / Performance bullet lists.

A case's id is the explicit one it ends with (`- Returns 401 without a token {#create-room-401}`), else one
derived from its feature, category and text (`create-room/error/returns-401-without-a-token`). Derived ids
always hold `/` and explicit ones never do, so the two kinds cannot collide; an explicit id survives edits
of the case's text, a derived one does not.

Each case's text is also read for the endpoints it names (`POST /api/rooms/{room_id}/join`: an HTTP method in
capitals, a space, a path starting with `/`) and the status codes it expects (`returns 409`, `respond with
404`), each with its own location. `link_features` then links every feature to the spec's endpoints its cases
name (`Feature.endpoints`); the checks in `specc.check.resolve_testplan` report the names that do not match.
"""

from __future__ import annotations

import re

from specc.diagnostics import Reporter
from specc.ir.model import (
    CaseCategory,
    Endpoint,
    EndpointMention,
    Feature,
    Spec,
    StatusMention,
    TestCase,
    TestPlan,
    construct,
)
from specc.parse import codes
from specc.parse.document import Document, plain

_FEATURE = re.compile(r"(?i)^(feature|фича|funcionalidad|característica)\s*[:\-–—]\s*(.+)$")
_CATEGORIES: list[tuple[re.Pattern[str], CaseCategory]] = [
    (re.compile(r"(?i)happy|success|positive|main"), "happy_path"),
    (re.compile(r"(?i)error|failure|negative|invalid"), "error"),
    (re.compile(r"(?i)edge|boundary|corner"), "edge"),
    (re.compile(r"(?i)security|auth|permission"), "security"),
    (re.compile(r"(?i)performance|load|speed|scale"), "performance"),
]
_SLUG = re.compile(r"[^a-z0-9]+")
_CATEGORY_SLUG: dict[CaseCategory, str] = {
    "happy_path": "happy-path",
    "error": "error",
    "edge": "edge",
    "security": "security",
    "performance": "performance",
}


def slug(text: str, limit: int = 60) -> str:
    s = _SLUG.sub("-", text.lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "case"


EXPLICIT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""What an explicit case id may be (no `/`: derived ids hold one)."""
_ID_MARKER = re.compile(r"\s*\{#([^{}]*)\}\s*$")


def explicit_id(text: str) -> tuple[str, str | None]:
    """`text` without a trailing `{#...}` marker, and the marker's content (None when there is none)."""
    match = _ID_MARKER.search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), match.group(1)


def case_id(feature: str, category: CaseCategory, text: str, taken: set[str]) -> str:
    """Stable id: feature slug / category / text slug; changes only when the case text changes."""
    base = f"{slug(feature)}/{_CATEGORY_SLUG[category]}/{slug(text)}"
    candidate = base
    n = 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


_ENDPOINT_MENTION = re.compile(r"(?<![\w/])(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) +(/[^\s`'\",;)\]<>|*]*)")
_STATUS_MENTION = re.compile(
    r"(?i)\b(?:returns?|returned|returning|respond(?:s|ed)? with|responds?)\s+"
    r"(?:(?:an?|http|status|code)\s+)*([1-5]\d\d)\b"
)


def _mentions(
    doc: Document, first: int, last: int
) -> tuple[tuple[EndpointMention, ...], tuple[StatusMention, ...]]:
    """Endpoints and status codes named on the source lines `first` to `last` (0-based, end excluded) of a
    case, each located at its own column (found in the raw lines, so columns are the file's)."""
    endpoints: list[EndpointMention] = []
    statuses: list[StatusMention] = []
    for line0 in range(first, min(last, len(doc.lines))):
        line = doc.lines[line0]
        for match in _ENDPOINT_MENTION.finditer(line):
            path = match.group(2).split("?", 1)[0].split("#", 1)[0].rstrip(".:!")
            endpoints.append(
                construct(
                    EndpointMention,
                    method=match.group(1),
                    path=path,
                    span=doc.span(line0, match.start() + 1),
                )
            )
        for match in _STATUS_MENTION.finditer(line):
            statuses.append(
                construct(StatusMention, status=int(match.group(1)), span=doc.span(line0, match.start(1) + 1))
            )
    return tuple(endpoints), tuple(statuses)


def path_matches(written: str, template: str) -> bool:
    """Whether a path a test case writes names the contract path `template`: the same segments, where a
    template parameter (`{room_id}`) matches any segment (a value, or the parameter under another name)."""
    mentioned = written.rstrip("/").split("/")
    segments = template.rstrip("/").split("/")
    if len(mentioned) != len(segments):
        return False
    for have, want in zip(mentioned, segments, strict=True):
        parameter = want.startswith("{") and want.endswith("}")
        if not (have == want or (parameter and have)):
            return False
    return True


def endpoint_key(endpoint: Endpoint) -> str:
    return f"{endpoint.method} {endpoint.path}"


def matching_endpoints(mention: EndpointMention, endpoints: tuple[Endpoint, ...]) -> list[Endpoint]:
    """The spec's endpoints a mention names: the exact path if one is written, else every template match."""
    same_method = [e for e in endpoints if e.method == mention.method]
    exact = [e for e in same_method if e.path.rstrip("/") == mention.path.rstrip("/")]
    return exact or [e for e in same_method if path_matches(mention.path, e.path)]


def link_features(spec: Spec) -> Spec:
    """`spec` with every feature of its test plan linked to the endpoints its cases name (`Feature.endpoints`,
    in order of first mention). Mentions that match no endpoint are left for the checks to report."""
    plan = spec.test_plan
    if plan is None or not plan.features:
        return spec
    features: list[Feature] = []
    for feature in plan.features:
        keys: dict[str, None] = {}
        for case in feature.cases:
            for mention in case.endpoints:
                for endpoint in matching_endpoints(mention, spec.endpoints):
                    keys.setdefault(endpoint_key(endpoint), None)
        features.append(feature.model_copy(update={"endpoints": tuple(keys)}))
    return spec.model_copy(update={"test_plan": plan.model_copy(update={"features": tuple(features)})})


def category_of(heading: str) -> CaseCategory | None:
    for pattern, category in _CATEGORIES:
        if pattern.search(heading):
            return category
    return None


def parse_testplan(text: str, file: str, reporter: Reporter) -> TestPlan:
    doc = Document(text, file, reporter)
    features: list[Feature] = []
    taken: set[str] = set()
    name: str | None = None
    name_span = None
    feature_level = 0
    cases: list[TestCase] = []
    category: CaseCategory | None = None
    tokens = doc.tokens
    depth = 0

    def flush() -> None:
        if name is not None:
            features.append(construct(Feature, name=name, cases=tuple(cases), span=name_span))

    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type == "heading_open" and tok.map is not None:
            level = int(tok.tag[1:])
            heading = plain(tokens[i + 1].content)
            m = _FEATURE.match(heading)
            if m is not None:
                flush()
                name = m.group(2).strip()
                name_span = doc.span(tok.map[0], doc.line_column(tok.map[0]))
                feature_level = level
                cases = []
                category = None
            elif name is not None and level > feature_level:
                category = category_of(heading)
            elif name is not None and level <= feature_level:
                flush()
                name = None
                category = None
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline" and depth == 1 and name is not None and category is not None:
            assert tok.map is not None
            full_text = plain(tok.content)
            case_text, wanted = explicit_id(full_text)
            if case_text:
                endpoints, statuses = _mentions(doc, tok.map[0], tok.map[1])
                line0 = tok.map[0]
                if wanted is not None and (not EXPLICIT_ID.fullmatch(wanted) or wanted in taken):
                    problem = "is used by another case" if wanted in taken else "is not a valid case id"
                    shown = wanted[:70]
                    at = doc.lines[line0].rfind("{#") if line0 < len(doc.lines) else -1
                    doc.report(
                        codes.CASE_ID,
                        f"{{#{shown}}} {problem}; the case keeps it as text and an id derived from that",
                        line0,
                        at + 1 if at >= 0 else doc.line_column(line0),
                        hint="give each case its own id: a letter or digit, then letters, digits, . _ -",
                    )
                    wanted, case_text = None, full_text  # the marker stays text: nothing is lost
                if wanted is not None:
                    taken.add(wanted)
                cases.append(
                    construct(
                        TestCase,
                        id=wanted if wanted is not None else case_id(name, category, case_text, taken),
                        category=category,
                        text=case_text,
                        span=doc.span(tok.map[0], doc.line_column(tok.map[0])),
                        endpoints=endpoints,
                        statuses=statuses,
                    )
                )
        i += 1
    flush()
    return construct(TestPlan, features=tuple(features), source=file)
