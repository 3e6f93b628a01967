"""The test plan page: features × categories, then every case with the endpoints it names and, when statuses
are known (plan coverage or a drift report), its status and a summary badge."""

from __future__ import annotations

from specc.ir.model import CaseCategory, Feature
from specc.parse.testplan import matching_endpoints
from specc.site.context import Site, badge, markdown_table, page
from specc.site.escape import cell, code, text
from specc.site.layout import TESTPLAN, case_anchors, feature_anchors, md_link
from specc.site.status import STATES

CATEGORIES: tuple[tuple[CaseCategory, str], ...] = (
    ("happy_path", "Happy path"),
    ("error", "Error"),
    ("edge", "Edge"),
    ("security", "Security"),
    ("performance", "Performance"),
)


def _summary(site: Site) -> list[str]:
    statuses = site.statuses
    if statuses is None:
        return [
            "No case statuses: give a drift report (`--drift`), or keep the tests where `[tool.specc] tests` "
            "says."
        ]
    total = len(statuses.states)
    implemented = statuses.count("implemented")
    kind = "implemented" if implemented == total else ("missing" if statuses.count("missing") else "stub")
    counts = ", ".join(f"{statuses.count(state)} {state}" for state in STATES)
    return [
        f"{badge(kind, f'{implemented}/{total} implemented')} {text(counts)}; from {text(statuses.origin)}."
    ]


def _cell(site: Site, feature: Feature, category: CaseCategory) -> str:
    cases = [c for c in feature.cases if c.category == category]
    if not cases:
        return ""
    if site.statuses is None:
        return str(len(cases))
    implemented = sum(1 for c in cases if site.state(c.id) == "implemented")
    return f"{implemented}/{len(cases)}"


def testplan_page(site: Site) -> str:
    plan = site.spec.test_plan
    body: list[str] = []
    if plan is None or not plan.features:
        body.append("The document has no test plan (give one with `--testplan` or `[tool.specc] testplan`).")
        return page(site.source, "Test plan", body)
    features = feature_anchors([f.name for f in plan.features])
    cases = case_anchors([c.id for f in plan.features for c in f.cases])
    body += _summary(site)
    header = ["Feature", *(label for _, label in CATEGORIES), "Total"]
    rows = [
        [
            f"[{text(f.name)}](#{features[f.name]})",
            *(_cell(site, f, c) for c, _ in CATEGORIES),
            str(len(f.cases)),
        ]
        for f in plan.features
    ]
    body.append(markdown_table(header, rows))
    endpoint_links = {id(e): (target, anchor) for e, _, target, anchor in site.layout.endpoints}
    done: set[str] = set()
    seen: set[str] = set()
    for feature in plan.features:
        heading = f"## {text(feature.name)}"
        if feature.name not in done:  # a repeated feature name: the anchor is on the first one
            heading += f" {{#{features[feature.name]}}}"
            done.add(feature.name)
        body += [heading, site.source_ref(feature.span)]
        rows = []
        for case in feature.cases:
            named = []
            for mention in case.endpoints:
                found = matching_endpoints(mention, site.spec.endpoints)
                target = endpoint_links.get(id(found[0])) if found else None
                shown = code(f"{mention.method} {mention.path}")
                named.append(f"[{shown}]({md_link(TESTPLAN, target[0], target[1])})" if target else shown)
            anchor = f'<span id="{cases[case.id]}"></span>' if case.id not in seen else ""
            seen.add(case.id)
            state = site.state(case.id)
            rows.append(
                [
                    anchor + code(case.id),
                    text(case.category.replace("_", " ")),
                    cell(case.text),
                    ", ".join(dict.fromkeys(named)),
                    badge(state, state) if state else "",
                ]
            )
        body.append(markdown_table(["Case", "Category", "Text", "Endpoints", "Status"], rows))
    return page(site.source, "Test plan", body)
