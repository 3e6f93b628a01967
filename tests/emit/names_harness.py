"""Build a spec in-process into a temporary folder and compile what it wrote (shared by the name tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from specc.build import build
from specc.config import Config

COLUMNS_HEADER = "| Column | Type | Constraints |\n| --- | --- | --- |\n"


@dataclass
class Built:
    exit_code: int
    out: Path
    messages: list[str]

    def python_files(self) -> dict[str, str]:
        return {
            p.relative_to(self.out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(self.out.rglob("*.py"))
        }

    def text(self) -> str:
        return "\n".join(self.messages)


def build_spec(tmp_path: Path, text: str, name: str = "ARCHITECTURE.md") -> Built:
    """`specc build` of `text` (written to `tmp_path/name`) into `tmp_path/generated`, without the cache."""
    spec = tmp_path / name
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "generated"
    messages: list[str] = []
    result = build(
        spec, None, out, Config(root=tmp_path), cache=False, echo=messages.append, echo_err=messages.append
    )
    return Built(exit_code=result.exit_code, out=out, messages=messages)


def compile_errors(files: dict[str, str]) -> dict[str, str]:
    """File → the SyntaxError/ValueError `compile()` raises on it, for every file that does not compile."""
    errors: dict[str, str] = {}
    for rel, source in files.items():
        try:
            compile(source, rel, "exec")
        except (SyntaxError, ValueError) as exc:
            errors[rel] = f"{type(exc).__name__}: {exc}"
    return errors


def table(name: str, *rows: str) -> str:
    """A `### name` heading and its column table."""
    return f"### {name}\n\n{COLUMNS_HEADER}" + "".join(f"{row}\n" for row in rows) + "\n"
