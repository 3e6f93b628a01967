"""JSON Schema of the IR's JSON form (`Spec.model_dump(mode="json", by_alias=True)`).

The checked-in copy at `schemas/specc-ir.schema.json` is the public contract; a test keeps it equal to the
schema generated here. Refresh it with:

    python -m specc.ir.schema > schemas/specc-ir.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any, Final

from specc.ir.model import IR_VERSION, Spec

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID: Final = f"https://specc.dev/schemas/specc-ir-v{IR_VERSION}.schema.json"
SCHEMA_TITLE: Final = "specc IR"
SCHEMA_PATH: Final = "schemas/specc-ir.schema.json"


def ir_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every serialized `Spec` validates against."""
    body = Spec.model_json_schema(mode="serialization", by_alias=True)
    body.pop("title", None)
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, "title": SCHEMA_TITLE, **body}


def ir_json_schema_text() -> str:
    """The schema as checked in: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(ir_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    sys.stdout.write(ir_json_schema_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
