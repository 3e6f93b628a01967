"""FastAPI dependencies of the app (the generated ones are in `generated.database`, `generated.security`)."""
