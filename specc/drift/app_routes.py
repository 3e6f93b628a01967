"""Where a FastAPI app defines each route: (method, path) → the endpoint function's file and line.

Only HTTP routes FastAPI documents (`fastapi.routing.APIRoute`) are located: WebSocket routes, mounted
apps and FastAPI's own docs routes (`/openapi.json`, `/docs`, `/redoc`) are not part of the OpenAPI
document, so drift has nothing to compare them with. Routes of included routers are found whichever way
the installed FastAPI includes them (copied into `app.routes`, or kept behind the included router and
listed by `fastapi.routing.iter_route_contexts`).

A route's line is its endpoint function's first line (`__code__.co_firstlineno`, which for a decorated
function is the line of its first decorator: the `@router.api_route(...)` that declares the route), after
`inspect.unwrap` removed the user's own decorators. Files are shown relative to the project root.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc.drift.model import Location

_TEMPLATE_PARAM = re.compile(r"\{[^{}]*\}")

RouteKey = tuple[str, str]
"""(method in capitals, path template)."""


def path_shape(path: str) -> str:
    """A path with its parameters' names left out (`/api/rooms/{}`): operations are matched by it, so a
    renamed path parameter is a renamed parameter, not a missing endpoint."""
    return _TEMPLATE_PARAM.sub("{}", path)


@dataclass(frozen=True)
class RouteLocator:
    """The app's routes: (method, path template) → where their endpoint functions are."""

    root: Path
    """The project root, which the route files are shown relative to."""
    routes: Mapping[RouteKey, Location] = field(default_factory=dict)
    hidden: Mapping[RouteKey, str] = field(default_factory=dict)
    """(method, path shape) → path template of a route left out of the OpenAPI document
    (`include_in_schema=False`): served, but not documented."""

    def locate(self, method: str, path: str) -> Location:
        """The route's endpoint function; a logical location when the app has no such route."""
        found = self.routes.get((method.upper(), path))
        return found if found is not None else Location(logical=f"app: no route for {method.upper()} {path}")

    def hidden_route(self, method: str, path: str) -> str | None:
        """The path template of an undocumented route of the same method and shape as `path`, if any."""
        return self.hidden.get((method.upper(), path_shape(path)))


def locate_routes(app: Any, root: Path) -> RouteLocator:
    """The locator of a FastAPI app's routes."""
    routes: dict[RouteKey, Location] = {}
    hidden: dict[RouteKey, str] = {}
    for route in _api_routes(app):
        path = getattr(route, "path_format", None)
        methods = getattr(route, "methods", None)
        if not isinstance(path, str) or not methods:
            continue
        where = function_location(getattr(route, "endpoint", None), root)
        for method in sorted(str(m).upper() for m in methods):
            routes.setdefault((method, path), where or Location(logical=f"app: route {method} {path}"))
            if getattr(route, "include_in_schema", True) is False:
                hidden.setdefault((method, path_shape(path)), path)
    return RouteLocator(root=root, routes=routes, hidden=hidden)


def _api_routes(app: Any) -> Iterator[Any]:
    """The app's `APIRoute`s (or the route contexts standing for them), included routers' too."""
    import fastapi.routing

    routes = getattr(app, "routes", ())
    contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    listed: Iterable[Any] = contexts(routes) if callable(contexts) else routes
    for route in listed:
        original = getattr(route, "original_route", route)
        if isinstance(original, fastapi.routing.APIRoute):
            yield route


def function_location(function: Any, root: Path) -> Location | None:
    """File (relative to `root`, posix) and first line of a function, after unwrapping its decorators."""
    if function is None:
        return None
    try:
        function = inspect.unwrap(function)
    except ValueError:  # a cycle of __wrapped__
        return None
    code = getattr(function, "__code__", None)
    if code is not None:
        return Location(file=shown_path(code.co_filename, root), line=code.co_firstlineno)
    try:  # a callable object or a partial: where inspect finds its source
        file = inspect.getsourcefile(function)
        _, line = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None
    return Location(file=shown_path(file, root), line=max(line, 1)) if file else None


def shown_path(file: str, root: Path) -> str:
    """`file` relative to `root` in posix spelling (as given when on another drive)."""
    try:
        return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(root))).as_posix()
    except ValueError:
        return Path(file).as_posix()
