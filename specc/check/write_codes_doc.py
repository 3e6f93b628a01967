"""Refresh `docs/reference/codes.md` from the code registry (`--check`: exit 1 when it is stale)."""

from __future__ import annotations

import sys

from specc.check import codes_markdown
from specc.check.codes_doc import CODES_DOC, REFRESH_COMMAND


def main(argv: list[str]) -> int:
    text = codes_markdown()
    if "--check" in argv:
        current = CODES_DOC.read_text(encoding="utf-8") if CODES_DOC.is_file() else ""
        if current != text:
            print(f"{CODES_DOC} is stale; run {REFRESH_COMMAND}", file=sys.stderr)
            return 1
        return 0
    CODES_DOC.parent.mkdir(parents=True, exist_ok=True)
    CODES_DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
