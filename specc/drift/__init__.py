"""`specc drift`: the document compared with the models, the database, the app, the migrations, the tests
and the generated output.

Each source is read into the model specc already compares (`specc.db.model.DbSchema` for models, database
and migrations; the OpenAPI document for the app; plan coverage for the tests) and compared with what the
spec says through the one differ (`specc.diff`). Every difference becomes a `Finding` (`specc.drift.model`)
with a stable code (`specc.drift.codes`), the spec's location and the other side's location. Drift is
read-only: it never changes the database, the code or the document.
"""
