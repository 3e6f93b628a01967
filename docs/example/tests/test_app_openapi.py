"""The app's OpenAPI document is the generated one: routers wired to the route contracts publish the contract.

`comparable()` (specc.read.fastapi_openapi) removes only what FastAPI adds by itself; its docstring lists each
difference and why it is not part of the contract.
"""

import json

from chatter_support import ROOT
from fastapi import FastAPI

from specc.read.fastapi_openapi import comparable


def test_openapi_of_the_app_equals_the_generated_openapi_json(settings_env: None) -> None:
    # Arrange
    from app.main import create_app  # after settings_env: app.main builds its module-level app from the env

    app: FastAPI = create_app()
    generated = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))

    # Act
    served = app.openapi()

    # Assert
    assert comparable(served) == comparable(generated)


def test_openapi_of_the_app_has_every_generated_operation(settings_env: None) -> None:
    # Arrange
    from app.main import create_app

    generated = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))
    expected = {op["operationId"] for path in generated["paths"].values() for op in path.values()}

    # Act
    served = create_app().openapi()

    # Assert
    operations = {op["operationId"] for path in served["paths"].values() for op in path.values()}
    assert operations == expected
    assert len(operations) == 18
