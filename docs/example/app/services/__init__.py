"""Business logic: every rule of the API contracts lives here, routers only call these functions."""
