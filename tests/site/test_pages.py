"""What the pages of `specc docs` say: tables, the API reference, the test plan with statuses, diagnostics."""

from __future__ import annotations

from pathlib import Path

from specc import __version__
from specc.drift.model import DriftReport, DriftSummary, Finding, Location, SourceStatus
from specc.site.command import DOCS_MANIFEST
from tests.site.support import project, read_tree, write_site


def _pages(tmp_path: Path, **kwargs: object) -> dict[str, str]:
    root = project(tmp_path, **kwargs)  # type: ignore[arg-type]
    result = write_site(root)
    assert result.exit_code == 0
    return {rel: data.decode("utf-8") for rel, data in read_tree(root / "site-src").items()}


def test_table_page_lists_columns_keys_and_links_the_foreign_key_to_the_referenced_row(
    tmp_path: Path,
) -> None:
    # Arrange
    pages = _pages(tmp_path)

    # Act
    orders = pages["docs/tables/orders.md"]

    # Assert
    assert (
        '| <span id="col-user_id"></span><code>user_id</code> | <code>BIGINT</code> | no | '
        "FK → [<code>users.id</code>](users.md#col-id), indexed |   | Buyer |"
    ) in orders
    assert "| <code>total</code> | <code>total &gt;= 0</code> |" in orders
    assert (
        "| <code>user_id</code>, <code>created_at</code> | no | btree | A user's orders, newest first |"
        in orders
    )


def test_table_page_lists_incoming_foreign_keys_and_enum_values_of_the_referenced_table(
    tmp_path: Path,
) -> None:
    # Arrange
    pages = _pages(tmp_path)

    # Act
    users = pages["docs/tables/users.md"]

    # Assert
    assert "| [<code>orders.user_id</code>](orders.md#col-user_id) | <code>id</code> | CASCADE |" in users
    assert "| <code>role</code> | <code>admin</code>, <code>member</code> |" in users
    assert '<div class="specc-erd">\n<svg' in users


def test_api_page_shows_auth_fields_example_errors_and_covering_cases_with_status(tmp_path: Path) -> None:
    # Arrange
    pages = _pages(tmp_path)

    # Act
    orders = pages["docs/api/orders.md"]
    health = pages["docs/api/health.md"]

    # Assert
    assert "## POST /api/orders {#op-post_orders}" in orders
    assert '<span class="specc-badge specc-badge--auth">auth required</span>' in orders
    assert "| <code>total</code> | number | yes | no |   | the amount |" in orders
    assert '```json\n{\n  "total": 12.5\n}\n```' in orders
    assert "| <code>created_at</code> | string (date-time) | yes | no |   |   |" in orders
    assert "| <code>401</code> | Missing token |" in orders
    assert (
        "| [<code>order-401</code>](../testplan.md#case-order-401) | error | POST /api/orders without a "
        'token returns 401 | <span class="specc-badge specc-badge--warn">stub</span> |'
    ) in orders
    assert '<span class="specc-badge specc-badge--public">public</span>' in health


def test_testplan_page_counts_implemented_cases_per_category_from_plan_coverage(tmp_path: Path) -> None:
    # Arrange
    pages = _pages(tmp_path)

    # Act
    plan = pages["docs/testplan.md"]

    # Assert
    assert (
        '<span class="specc-badge specc-badge--bad">1/3 implemented</span> 1 implemented, 1 stub, 1 missing'
        in plan
    )
    assert "from plan coverage of tests." in plan
    assert "| 1/1 | 0/2 |   |   |   | 3 |" in plan
    assert '<span id="case-order-negative"></span><code>order-negative</code>' in plan


def test_testplan_page_takes_statuses_from_the_drift_report_when_one_is_given(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    finding = Finding(
        code="D302",
        severity="warning",
        source="tests",
        subject="order-201",
        message="only a stub",
        spec=Location(file="docs/TESTPLAN.md", line=7),
        actual=Location(file="tests/test_orders.py", line=4),
    )
    report = DriftReport(
        version=__version__,
        spec="docs/ARCHITECTURE.md",
        sources=(SourceStatus(name="tests", state="compared", detail="tests"),),
        findings=(finding,),
        summary=DriftSummary(errors=0, warnings=1, infos=0, ignored=0),
    )
    (root / "drift.json").write_text(report.model_dump_json(), encoding="utf-8")

    # Act
    result = write_site(root, drift_report=root / "drift.json")

    # Assert
    plan = (root / "site-src" / "docs" / "testplan.md").read_text(encoding="utf-8")
    assert result.exit_code == 0
    assert "2 implemented, 1 stub, 0 missing; from drift report drift.json." in plan


def test_docs_exits_2_and_writes_nothing_when_the_drift_report_did_not_compare_tests(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    report = DriftReport(
        version=__version__,
        spec="docs/ARCHITECTURE.md",
        sources=(SourceStatus(name="tests", state="skipped", detail="--skip tests"),),
        summary=DriftSummary(errors=0, warnings=0, infos=0, ignored=0),
    )
    (root / "drift.json").write_text(report.model_dump_json(), encoding="utf-8")

    # Act
    result = write_site(root, drift_report=root / "drift.json")

    # Assert
    assert result.exit_code == 2
    assert not (root / "site-src").exists()


def test_diagnostics_page_links_each_finding_to_the_page_of_what_it_is_about(tmp_path: Path) -> None:
    # Arrange
    pages = _pages(tmp_path)

    # Act
    diagnostics = pages["docs/diagnostics.md"]

    # Assert
    assert "| <code>L021</code> | [GET /api/health](api/health.md#op-get_health) |" in diagnostics
    assert "| <code>L020</code> | [Place Order](testplan.md#feature-place-order-424239ebbc) |" in diagnostics


def test_pages_link_to_the_document_lines_when_a_repository_is_configured(tmp_path: Path) -> None:
    # Arrange
    pages = _pages(tmp_path, docs_table='repo_url = "https://example.org/shop"')

    # Act
    users = pages["docs/tables/users.md"]
    config = pages["mkdocs.yml"]

    # Assert
    assert (
        '<a class="specc-source" href="https://example.org/shop/blob/HEAD/docs/ARCHITECTURE.md#L15">'
        "Defined in docs/ARCHITECTURE.md, line 15</a>"
    ) in users
    assert 'repo_url: "https://example.org/shop"\nedit_uri: ""' in config


def test_home_page_shows_overview_tech_stack_and_decisions(tmp_path: Path) -> None:
    # Arrange
    pages = _pages(tmp_path)

    # Act
    home = pages["docs/index.md"]

    # Assert
    assert home.startswith("---\n# Generated by specc from docs/ARCHITECTURE.md.")
    assert 'title: "Home"\n---\n\n# Shop — Architecture\n' in home
    assert "Shop sells things to people." in home
    assert "| Backend | FastAPI | Async |" in home
    assert "| Keys | BIGINT | UUID | Ordered |" in home


def test_test_plan_page_says_so_when_the_document_has_no_plan(tmp_path: Path) -> None:
    # Arrange
    pages = _pages(tmp_path, plan=None)

    # Act
    plan = pages["docs/testplan.md"]

    # Assert
    assert "The document has no test plan" in plan
    assert DOCS_MANIFEST in pages


def test_er_overview_splits_into_cluster_pages_when_the_schema_exceeds_one_diagram(tmp_path: Path) -> None:
    # Arrange
    from specc.site.diagrams import MAX_DIAGRAM_TABLES
    from tests.bench.synth import synth_spec

    pages = _pages(tmp_path, spec=synth_spec(MAX_DIAGRAM_TABLES + 5), plan=None)

    # Act
    overview = pages["docs/er/index.md"]
    parts = sorted(rel for rel in pages if rel.startswith("docs/er/cluster-"))

    # Assert
    assert len(parts) >= 2
    assert f"drawn in {len(parts)} parts of at most {MAX_DIAGRAM_TABLES} tables" in overview
    assert "<svg" not in overview
    for rel in parts:
        assert pages[rel].count("<svg") == 1
        assert "Back to the [overview](index.md)." in pages[rel]
        assert f"[Part {int(rel[-6:-3])}]({rel[len('docs/er/') :]})" in overview


def test_docs_writes_the_site_with_its_diagnostics_when_the_document_has_errors(tmp_path: Path) -> None:
    # Arrange
    from tests.site.support import SPEC

    broken = SPEC.replace("FK → users.id", "FK → nowhere.id")
    root = project(tmp_path, spec=broken)

    # Act
    result = write_site(root)

    # Assert
    diagnostics = (root / "site-src" / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    orders = (root / "site-src" / "docs" / "tables" / "orders.md").read_text(encoding="utf-8")
    assert result.exit_code == 0
    assert result.errors >= 1
    assert '<span class="specc-badge specc-badge--bad">error</span>' in diagnostics
    assert "[orders.user_id](tables/orders.md#col-user_id)" in diagnostics
    assert "FK → <code>nowhere.id</code>" in orders
