"""Chatter, the reference app of docs/example: a FastAPI project built on the code `specc build` generates.

Everything shaped by the document comes from `generated` (models, contract schemas, route contracts, settings,
database session, error handlers, security scheme); this package holds only what the document cannot say:
the business logic (services), the routers that wire services to the route contracts, and the dependencies.
"""
