"""`specc check`: resolution errors and lint rules over the IR, suppression, and the code reference.

Importing this package registers every rule and its diagnostic code. Public entry points:

- `run_checks(spec, reporter)`: report safety (S…) and resolution (R…) problems, then lint findings (L…).
- `filter_diagnostics(diagnostics, config, suppressions)`: apply `[tool.specc]` and inline suppressions.
- `codes_markdown()`: the `docs/reference/codes.md` page.
"""

from __future__ import annotations

from specc.check import (  # noqa: F401  (each module registers its rules)
    lint_auth,
    lint_body_fields,
    lint_foreign_keys,
    lint_keys,
    lint_mass_assignment,
    lint_passwords,
    lint_request_strings,
    lint_responses,
    lint_status_codes,
    lint_testplan,
    lint_types,
    names,
    resolve_endpoints,
    resolve_foreign_keys,
    resolve_indexes,
    resolve_keys,
    resolve_relationships,
    resolve_tables,
    resolve_testplan,
    safety,
)
from specc.check.codes_doc import codes_markdown
from specc.check.filtering import filter_diagnostics
from specc.check.registry import Finding, all_rules, check_rule
from specc.check.runner import run_checks

__all__ = ["Finding", "all_rules", "check_rule", "codes_markdown", "filter_diagnostics", "run_checks"]
