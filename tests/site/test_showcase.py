"""The project's own site shows the example's generated site (docs/showcase/) as its Showcase section: the
section lists the showcase's fixed pages, the showcase is `specc docs`'s current output, and the whole site
builds with `mkdocs build --strict`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from specc.config import load_config
from specc.site.command import DOCS_MANIFEST, DocsRequest, docs
from specc.site.layout import FIXED
from specc.site.settings import docs_settings
from tests.conftest import EXAMPLE_SPEC, EXAMPLE_TESTPLAN, ROOT
from tests.site.support import read_tree

SHOWCASE = ROOT / "docs" / "showcase"


def test_project_mkdocs_showcase_section_lists_the_showcase_fixed_pages_in_order() -> None:
    # Arrange
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    # Act
    section = next(
        entry["Showcase"] for entry in config["nav"] if isinstance(entry, dict) and "Showcase" in entry
    )

    # Assert
    assert [next(iter(item.values())) for item in section] == [f"showcase/docs/{page}" for _, page in FIXED]
    assert "showcase/docs/assets/specc.css" in config["extra_css"]


def test_showcase_is_the_current_specc_docs_output_of_the_example(tmp_path: Path) -> None:
    # Arrange
    config = load_config(ROOT)
    settings = docs_settings(config)
    request = DocsRequest(
        spec_path=EXAMPLE_SPEC,
        testplan=EXAMPLE_TESTPLAN,
        out=tmp_path / "showcase",
        config=config,
        settings=settings,
        generated=ROOT / config.out,
        cache=False,
        durable=False,
    )

    # Act
    result = docs(request, echo=lambda _: None, echo_err=lambda _: None)

    # Assert
    assert result.exit_code == 0
    assert ROOT / settings.out == SHOWCASE
    expected = {rel: data for rel, data in read_tree(tmp_path / "showcase").items() if rel != DOCS_MANIFEST}
    committed = {
        rel: data
        for rel, data in read_tree(SHOWCASE).items()
        if rel != DOCS_MANIFEST and not rel.startswith("site/")
    }
    assert committed == expected, "docs/showcase/ is stale: run `specc docs`"


def test_project_site_builds_with_mkdocs_strict_including_the_showcase(tmp_path: Path) -> None:
    # Arrange
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(ROOT / "mkdocs.yml"),
        "-d",
        str(tmp_path),
    ]

    # Act
    built = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )

    # Assert
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "showcase" / "docs" / "tables" / "rooms" / "index.html").is_file()
    assert (tmp_path / "showcase" / "docs" / "api" / "rooms" / "index.html").is_file()
    assert not (tmp_path / "showcase" / "mkdocs.yml").exists()
