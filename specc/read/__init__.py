"""Readers of what an app built on the generated code produces, back into a comparable form:
`specc.read.fastapi_openapi` (the FastAPI app's OpenAPI document, compared with `openapi.json`).

The readers of databases and SQLAlchemy models are in `specc.db`: `specc.db.metadata.db_from_metadata` and
`specc.db.reflect.read_database` give the `DbSchema` that `specc.db.lower.lower(spec)` gives for a spec.
"""
