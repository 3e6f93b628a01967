"""Names in the generated tests: words of a text as a Python identifier part (`snake`), and a feature's
part of test and file names (`feature_slug`). Only ASCII letters, digits and `_` come out."""

from __future__ import annotations

import re

from specc.ir.model import Feature


def snake(text: str) -> str:
    """`text` as lower-case ASCII words joined by `_` (camelCase split): `RoomMember` → `room_member`."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")


def feature_slug(feature: Feature, index: int) -> str:
    """The feature's part of file and test names (`create_room`); `feature_<n>` (its place in the plan)
    when its name has no ASCII letter or digit to start one."""
    name = snake(feature.name)[:40].strip("_")
    return name if name and not name[0].isdigit() else f"feature_{index + 1}"
