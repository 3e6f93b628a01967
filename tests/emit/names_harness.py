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


def build_spec(tmp_path: Path, text: str, name: str = "ARCHITECTURE.md", line_length: int = 110) -> Built:
    """`specc build` of `text` (written to `tmp_path/name`) into `tmp_path/generated`, without the cache,
    laid out for `line_length` (110: the lint configuration these tests check the output with)."""
    spec = tmp_path / name
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "generated"
    messages: list[str] = []
    result = build(
        spec,
        None,
        out,
        Config(root=tmp_path, line_length=line_length),
        cache=False,
        echo=messages.append,
        echo_err=messages.append,
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


LONG = "orders_" + "h" * 43
"""The issue's table: 50 characters, so `uq_<table>_external_reference_1` is 74."""

ISSUE_SPEC = "# Shop\n\n" + table(
    LONG,
    "| id | BIGINT | PK, auto-increment |",
    "| external_reference_1 | TEXT | UNIQUE, NOT NULL |",
    "| external_reference_2 | TEXT | UNIQUE, NOT NULL |",
    "| lookup_key_1 | TEXT | NOT NULL, indexed |",
    "| lookup_key_2 | TEXT | NOT NULL, indexed |",
)

CYRILLIC = "заказы_покупателей_магазина"
"""27 characters, 52 bytes of UTF-8: `ck_<table>_сумма` is 33 characters but 66 bytes."""
LONG_B = "customer_" + "b" * 50

RICH_SPEC = (
    "# Shop\n\n"
    + table(
        LONG_B,
        "| id | BIGINT | PK, auto-increment |",
        "| status_of_the_customer_account | ENUM('new','active') | NOT NULL, DEFAULT 'new' |",
        "| loyalty_points_balance | INTEGER | NOT NULL, CHECK (loyalty_points_balance >= 0) |",
        "| email_address_for_notifications | TEXT | UNIQUE, NOT NULL, indexed |",
    )
    + table(
        CYRILLIC,
        "| id | BIGINT | PK, auto-increment |",
        f"| {LONG_B[:40]}_id | BIGINT | NOT NULL, FK → {LONG_B}.id, ON DELETE CASCADE, indexed |",
        "| сумма | NUMERIC(10,2) | NOT NULL, CHECK (сумма > 0) |",
        "| код | TEXT | UNIQUE, NOT NULL |",
    )
    + "### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n"
    + f"| {CYRILLIC} | сумма, код | UNIQUE | lookup |\n"
    + f"| {LONG_B} | loyalty_points_balance, status_of_the_customer_account | BTREE | reports |\n"
)
