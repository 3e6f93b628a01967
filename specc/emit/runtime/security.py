"""`security.py`: the bearer scheme `openapi.json` declares and the current-user dependency.

Written only when the spec has an authenticated operation. `User` is the model class of the `users` table
(imported from the generated `models` package); a spec without a `users` table gets `User = Any`, an
untyped fallback, so the module still type-checks and the app narrows the loaded object itself.
"""

from __future__ import annotations

from specc.ir.model import Spec
from specc.pycode.imports import PyImport, import_lines
from specc.pycode.literals import py_str

USER_TABLE = "users"
"""The table whose model is `User` (`CurrentUser`)."""

BEARER_FORMAT = "JWT"


def user_class(spec: Spec) -> str | None:
    """The model class of the `users` table, None when the spec has no such table."""
    if not any(table.name == USER_TABLE for table in spec.tables):
        return None
    from specc.emit.models.names import model_names

    return model_names(spec).classes[USER_TABLE]


_IMPORTS = frozenset(
    {
        PyImport("collections.abc", "Awaitable"),
        PyImport("collections.abc", "Callable"),
        PyImport("typing", "Annotated"),
        PyImport("fastapi", "Depends"),
        PyImport("fastapi", "HTTPException"),
        PyImport("fastapi.security", "HTTPAuthorizationCredentials"),
        PyImport("fastapi.security", "HTTPBearer"),
        PyImport("sqlalchemy.ext.asyncio", "AsyncSession"),
        PyImport(".database", "DbSession"),
    }
)


def render_security(spec: Spec, scheme_name: str, line_length: int) -> str:
    """The module's text (without the header)."""
    model = user_class(spec)
    if model is None:
        imports = _IMPORTS | {PyImport("typing", "Any")}
        user_alias = "\nUser = Any\n"
    else:
        imports = _IMPORTS | {PyImport(".models", model, "" if model == "User" else "User")}
        user_alias = ""
    scheme = py_str(scheme_name)
    import_block = "\n".join(import_lines(imports, line_length))
    return f'''
{import_block}
{user_alias}
bearer_auth = HTTPBearer(
    scheme_name={scheme},
    bearerFormat={py_str(BEARER_FORMAT)},
    auto_error=False,
)
"""The scheme of authenticated operations (a dependency of their contracts)."""

UserLoader = Callable[[AsyncSession, str], Awaitable[User | None]]
"""Turns a bearer token into its user, or None when the token is not valid."""

_loaders: list[UserLoader] = []


def provide_current_user(loader: UserLoader) -> None:
    """Register how a token becomes a user (the last registration counts)."""
    _loaders[:] = [loader]


def _not_authenticated() -> HTTPException:
    return HTTPException(
        status_code=401,
        detail="Not authenticated",
        headers={{"WWW-Authenticate": "Bearer"}},
    )


async def get_current_user(
    db: DbSession,
    credentials: Annotated[
        HTTPAuthorizationCredentials | None,
        Depends(bearer_auth),
    ],
) -> User:
    """The user of the request's bearer token; 401 when there is none or the
    loader returns None. Call `provide_current_user` first."""
    if credentials is None:
        raise _not_authenticated()
    if not _loaders:
        raise RuntimeError("no user loader: call provide_current_user(...)")
    user = await _loaders[0](db, credentials.credentials)
    if user is None:
        raise _not_authenticated()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
'''
