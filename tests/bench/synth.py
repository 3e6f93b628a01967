"""Synthetic specs for benchmarks: N tables and 4N endpoints in the seed's format, deterministic.

.venv/bin/python -m tests.bench.synth --tables 1000 > /tmp/spec.md
"""

from __future__ import annotations

import argparse
import sys


def table_name(i: int) -> str:
    return f"entity_{i:05d}s"


def synth_spec(n: int, extra_column: bool = False) -> str:
    parts: list[str] = [
        "# Synthetic\n\n## System Overview\n\nA synthetic product used to measure specc.\n\n"
        "## Database Schema\n"
    ]
    for i in range(n):
        name = table_name(i)
        rows = [
            "| id | BIGINT | PK, auto-increment | Surrogate key |",
            "| name | VARCHAR(100) | NOT NULL | Display name shown in lists |",
            "| email | VARCHAR(255) | UNIQUE, NOT NULL, indexed | Contact address, unique |",
            "| status | VARCHAR(20) | NOT NULL, DEFAULT 'active' | Lifecycle state |",
            "| amount | NUMERIC(12,2) | NOT NULL, DEFAULT 0, CHECK (amount >= 0) | Balance in euros |",
            "| payload | JSONB | NOT NULL, DEFAULT '{}' | Free-form attributes |",
            "| created_at | TIMESTAMPTZ | NOT NULL, DEFAULT now() | When the row was created |",
        ]
        if i > 0:
            rows.append(
                f"| parent_id | BIGINT | NOT NULL, FK → {table_name(i - 1)}.id, ON DELETE CASCADE, indexed "
                "| Parent entity |"
            )
        if extra_column and i == n - 1:
            rows.append("| topic | VARCHAR(200) | | Added later |")
        parts.append(
            f"\n### {name}\n\n| Column | Type | Constraints | Description |\n| --- | --- | --- | --- |\n"
            + "\n".join(rows)
            + "\n"
        )
    parts.append("\n### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n")
    for i in range(n):
        parts.append(f"| {table_name(i)} | status, created_at | BTREE | Listing |\n")
    parts.append("\n## API Contracts\n")
    for i in range(n):
        name = table_name(i)
        base = f"/api/{name}"
        parts.append(
            f"\n### GET {base}\n\n- **Auth:** Required (Bearer token)\n- **Query Parameters:**\n"
            "  - `limit` (integer, optional, default 50): Page size\n- **Success Response (200):**\n"
            '  ```json\n  { "items": [{ "id": 1, "name": "string", "email": "user@example.com" }] }\n  ```\n'
            "- **Error Responses:**\n  - 401: Missing token\n"
            f"\n### POST {base}\n\n- **Auth:** Required (Bearer token)\n- **Request Body:**\n"
            '  ```json\n  { "name": "string", "email": "string", "amount": 1.5 }\n  ```\n'
            "- **Success Response (201):**\n"
            '  ```json\n  { "id": 1, "name": "string", "email": "user@example.com", "created_at": '
            '"2026-01-01T00:00:00Z" }\n  ```\n'
            "- **Error Responses:**\n  - 401: Missing token\n  - 422: Validation error\n"
            f"\n### GET {base}/{{item_id}}\n\n- **Auth:** Required (Bearer token)\n"
            "- **Success Response (200):**\n"
            '  ```json\n  { "id": 1, "name": "string" }\n  ```\n'
            "- **Error Responses:**\n  - 401: Missing token\n  - 404: Not found\n"
            f"\n### DELETE {base}/{{item_id}}\n\n- **Auth:** Required (Bearer token)\n"
            "- **Success Response (204):** No content\n"
            "- **Error Responses:**\n  - 401: Missing token\n  - 403: Not the owner\n  - 404: Not found\n"
        )
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=100)
    args = parser.parse_args()
    sys.stdout.write(synth_spec(args.tables))


if __name__ == "__main__":
    main()
