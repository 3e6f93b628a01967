"""`specc build` orchestration: ownership, atomic writes, --check, incremental no-op, refusing on errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from specc import build as build_module
from specc import commit as commit_module
from specc.build import MANIFEST, build
from specc.config import Config
from specc.emit.base import GENERATED_MARKER

SPEC = """# Shop

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | UNIQUE, NOT NULL |

### orders

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| user_id | BIGINT | NOT NULL, FK → users.id, ON DELETE CASCADE, indexed |

### GET /api/users/{user_id}

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1, "email": "user@example.com" }
  ```
- **Error Responses:**
  - 401: Missing token
  - 404: Not found
"""


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Config]:
    spec = tmp_path / "ARCHITECTURE.md"
    spec.write_text(SPEC, encoding="utf-8")
    return spec, tmp_path / "generated", Config(root=tmp_path)


def _run(project: tuple[Path, Path, Config], **kwargs: bool) -> build_module.BuildResult:
    spec, out, config = project
    lines: list[str] = []
    return build(spec, None, out, config, echo=lines.append, echo_err=lines.append, **kwargs)


def _twin(tmp_path: Path, name: str) -> tuple[Path, Path, Config]:
    """A second project holding a copy of the spec, whose output folder has the same name (`generated`): the
    generated tests import the output folder by that name, so two outputs can be equal only under it."""
    root = tmp_path / name
    root.mkdir()
    spec = root / "ARCHITECTURE.md"
    spec.write_text((tmp_path / "ARCHITECTURE.md").read_text(encoding="utf-8"), encoding="utf-8")
    return spec, root / "generated", Config(root=root)


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file()
    }


def test_build_writes_every_target_with_generated_header(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    _, out, _ = project

    # Act
    result = _run(project)

    # Assert
    assert result.exit_code == 0
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"models/__init__.py", "models/users.py", "schemas/__init__.py", "openapi.json", MANIFEST} <= files
    assert any(f.startswith("migrations/versions/0001_") for f in files)
    for rel in files - {MANIFEST}:
        head = (out / rel).read_text(encoding="utf-8")[:300]
        assert GENERATED_MARKER in head, rel


def test_build_noop_rebuild_writes_nothing(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    _, out, _ = project
    _run(project)
    before = _snapshot(out)

    # Act
    result = _run(project)

    # Assert
    assert result.up_to_date and result.written == []
    assert _snapshot(out) == before


def test_build_check_exits_0_when_current_and_1_with_diff_when_stale(
    project: tuple[Path, Path, Config], capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    spec, out, config = project
    _run(project)
    (out / "models" / "users.py").write_text("# edited\n", encoding="utf-8")
    (out / "openapi.json").unlink()

    # Act
    stale = build(spec, None, out, config, check=True)
    output = capsys.readouterr().out

    # Assert
    assert stale.exit_code == 1
    assert "--- a/models/users.py" in output and "-# edited" in output
    assert "missing: openapi.json" in output
    assert (out / "models" / "users.py").read_text() == "# edited\n"


def test_build_check_writes_nothing_on_fresh_folder(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    _, out, _ = project

    # Act
    result = _run(project, check=True)

    # Assert
    assert result.exit_code == 1
    assert not out.exists()


def test_build_keeps_unowned_file_in_output_folder(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    _, out, _ = project
    _run(project)
    notes = out / "NOTES.md"
    notes.write_text("mine\n", encoding="utf-8")
    spec, _, _ = project
    spec.write_text(SPEC.replace("| email |", "| nickname | VARCHAR(50) | |\n| email |"), encoding="utf-8")

    # Act
    result = _run(project)

    # Assert
    assert result.exit_code == 0 and "models/users.py" in result.written
    assert notes.read_text() == "mine\n"


def test_build_refuses_to_overwrite_hand_written_file(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    _, out, _ = project
    (out / "models").mkdir(parents=True)
    mine = out / "models" / "users.py"
    mine.write_text("class Mine: ...\n", encoding="utf-8")

    # Act
    result = _run(project)

    # Assert
    assert result.exit_code == 1
    assert mine.read_text() == "class Mine: ...\n"
    assert not (out / MANIFEST).exists()


def test_build_removes_owned_files_the_spec_no_longer_produces(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    spec, out, _ = project
    _run(project)
    assert (out / "models" / "orders.py").exists()
    spec.write_text(SPEC.split("### orders")[0] + "### GET" + SPEC.split("### GET")[1], encoding="utf-8")

    # Act
    result = _run(project, allow_destructive=True)

    # Assert
    assert result.exit_code == 0
    assert "models/orders.py" in result.deleted and not (out / "models" / "orders.py").exists()
    assert sorted(p.name for p in (out / "migrations" / "versions").glob("*.py"))[0].startswith("0001_")


def test_build_refuses_spec_with_errors_and_writes_nothing(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    spec, out, _ = project
    spec.write_text(SPEC.replace("FK → users.id", "FK → customers.id"), encoding="utf-8")

    # Act
    result = _run(project)

    # Assert
    assert result.exit_code == 1
    assert not out.exists()


def test_build_interrupted_while_moving_files_is_finished_by_next_build(
    tmp_path: Path, project: tuple[Path, Path, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the third os.replace (a file moved into place after the journal was committed) raises
    spec, out, _ = project
    reference_spec, reference, reference_config = _twin(tmp_path, "reference")
    _run(project)
    build(reference_spec, None, reference, reference_config, echo=lambda _: None)
    changed = SPEC.replace("| email |", "| nickname | VARCHAR(50) | |\n| email |")
    spec.write_text(changed, encoding="utf-8")
    reference_spec.write_text(changed, encoding="utf-8")
    build(reference_spec, None, reference, reference_config, echo=lambda _: None)
    real_replace = commit_module.os.replace
    calls = {"n": 0}

    def flaky_replace(src: Path, dst: Path) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(commit_module.os, "replace", flaky_replace)
    with pytest.raises(KeyboardInterrupt):
        _run(project)
    monkeypatch.setattr(commit_module.os, "replace", real_replace)

    # Act
    result = _run(project)

    # Assert
    assert result.exit_code == 0
    assert {k: v[0] for k, v in _snapshot(out).items()} == {k: v[0] for k, v in _snapshot(reference).items()}


def test_build_output_is_identical_across_two_fresh_builds(
    tmp_path: Path, project: tuple[Path, Path, Config]
) -> None:
    # Arrange
    _, out, _ = project
    other_spec, other, other_config = _twin(tmp_path, "other")

    # Act
    _run(project)
    build(other_spec, None, other, other_config, echo=lambda s: None)

    # Assert
    first = {k: v[0] for k, v in _snapshot(out).items()}
    second = {k: v[0] for k, v in _snapshot(other).items()}
    assert first == second


EXTERNAL_SPEC = (
    SPEC
    + """
### POST /api/imports

- **Auth:** Required
- **Request Body:** `schemas/import.json`
- **Success Response (202):** Accepted
- **Error Responses:**
  - 401: Missing token
  - 422: Invalid import
"""
)


def test_build_rebuilds_when_external_body_schema_changes(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    spec, out, config = project
    spec.write_text(EXTERNAL_SPEC, encoding="utf-8")
    schema = config.root / "schemas" / "import.json"
    schema.parent.mkdir()
    schema.write_text('{"type": "object", "properties": {"name": {"type": "string"}}}', encoding="utf-8")
    _run(project)
    schema.write_text('{"type": "object", "properties": {"title": {"type": "string"}}}', encoding="utf-8")

    # Act
    result = _run(project)

    # Assert
    assert not result.up_to_date
    assert result.written
    assert build(spec, None, out, config, check=True, echo=lambda _: None).exit_code == 0


def test_build_ignores_manifest_entries_outside_output_folder(project: tuple[Path, Path, Config]) -> None:
    # Arrange
    _, out, config = project
    _run(project)
    victim = config.root / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["../victim.txt"] = "0" * 64
    manifest["fingerprint"] = "stale"
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    # Act
    result = _run(project)

    # Assert
    assert result.exit_code == 0
    assert victim.read_text() == "keep me\n"


def test_build_warnings_follow_disable_in_config(
    project: tuple[Path, Path, Config], capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    spec, out, config = project
    _run(project)
    (out / "migrations" / "versions" / "9999_mine.py").write_text("# mine\n", encoding="utf-8")
    spec.write_text(SPEC.replace("| email |", "| nickname | VARCHAR(50) | |\n| email |"), encoding="utf-8")
    quiet = Config(root=config.root, disable=frozenset({"M003"}))

    # Act
    loud_result = build(spec, None, out, config, check=True)
    loud = capsys.readouterr().err
    quiet_result = build(spec, None, out, quiet, check=True)
    silent = capsys.readouterr().err

    # Assert
    assert (loud_result.exit_code, quiet_result.exit_code) == (1, 1)
    assert "M003" in loud
    assert "M003" not in silent


def test_build_header_names_spec_relative_to_root_when_spec_is_elsewhere(tmp_path: Path) -> None:
    # Arrange
    root = tmp_path / "project"
    root.mkdir()
    elsewhere = tmp_path / "designs" / "ARCHITECTURE.md"
    elsewhere.parent.mkdir()
    elsewhere.write_text(SPEC, encoding="utf-8")

    # Act
    build(elsewhere, None, root / "generated", Config(root=root), echo=lambda _: None)

    # Assert
    head = (root / "generated" / "models" / "users.py").read_text(encoding="utf-8").splitlines()[0]
    assert "from ../designs/ARCHITECTURE.md." in head
    assert str(tmp_path) not in head


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _build_edit_sequence(tmp_path: Path, name: str, cache: bool) -> list[dict[str, bytes]]:
    root = tmp_path / name
    root.mkdir()
    spec = root / "ARCHITECTURE.md"
    config = Config(root=root)
    edits = [
        SPEC,
        SPEC.replace("### users\n", "### users\n\nPeople who sign in.\n"),
        SPEC.replace(
            "| email | VARCHAR(255) | UNIQUE, NOT NULL |",
            "| email | VARCHAR(255) | UNIQUE, NOT NULL |\n| topic | VARCHAR(200) | |",
        ),
    ]
    snapshots: list[dict[str, bytes]] = []
    for text in edits:
        spec.write_text(text, encoding="utf-8")
        result = build(spec, None, root / "generated", config, cache=cache, echo=lambda _: None)
        assert result.exit_code == 0
        snapshots.append(_files(root / "generated"))
    return snapshots


def test_build_with_section_cache_writes_what_a_build_without_it_writes(tmp_path: Path) -> None:
    # Arrange / Act: the same three edits, built with and without .specc_cache/
    cached = _build_edit_sequence(tmp_path, "cached", cache=True)
    uncached = _build_edit_sequence(tmp_path, "uncached", cache=False)

    # Assert
    assert cached == uncached
    assert any(p.name.startswith("sections-") for p in (tmp_path / "cached" / ".specc_cache").iterdir())
    assert not (tmp_path / "uncached" / ".specc_cache").exists()


def test_build_renders_api_in_forked_process_with_identical_output(
    project: tuple[Path, Path, Config], tmp_path: Path
) -> None:
    # Arrange: fork even for this small spec, and build the same spec in-process elsewhere
    spec, out, config = project
    serial_spec, serial_out, serial_config = _twin(tmp_path, "serial")

    # Act
    forked = build(spec, None, out, config, cache=False, echo=lambda _: None, parallel=True)
    serial = build(
        serial_spec, None, serial_out, serial_config, cache=False, echo=lambda _: None, parallel=False
    )

    # Assert
    assert forked.exit_code == serial.exit_code == 0
    assert (forked.forked, serial.forked) == (True, False)
    assert _files(out) == _files(serial_out)


def test_build_renders_target_itself_when_forked_child_dies(
    project: tuple[Path, Path, Config], tmp_path: Path
) -> None:
    # Arrange: an api target that kills its own process when it runs in a child (after leaving a mark)
    spec, out, config = project
    parent = os.getpid()
    api = next(t for t in build_module.targets() if t.name == "api")
    mark = tmp_path / "child-ran"

    def dies_in_child(ctx: build_module.BuildContext) -> build_module.Rendered:
        if os.getpid() != parent:
            mark.touch()
            os._exit(3)
        return api.render(ctx)

    render = [
        t if t is not api else build_module.Target("api", dies_in_child, api.areas)
        for t in build_module.targets()
    ]
    serial_spec, serial_out, serial_config = _twin(tmp_path, "serial")

    # Act
    result = build(spec, None, out, config, cache=False, echo=lambda _: None, parallel=True, render=render)
    build(serial_spec, None, serial_out, serial_config, cache=False, echo=lambda _: None, parallel=False)

    # Assert
    assert result.exit_code == 0
    assert mark.exists() and result.forked is False
    assert "openapi.json" in _files(out)
    assert _files(out) == _files(serial_out)
