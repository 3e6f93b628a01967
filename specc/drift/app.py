"""The app source of `specc drift`: the FastAPI app's OpenAPI document against the spec's (D201–D208).

`read_app_openapi(reference, root, path)` imports the app (`module.path:attribute`: a FastAPI app, or a
factory, that is a function, class or partial rather than an ASGI app, called with no arguments to get one)
and asks it for its OpenAPI document (`app.openapi()`: no server, no network) and where its routes are
defined (`RouteLocator`). This runs the user's code, by design; whatever goes wrong in it is a
`UserCodeError` with one clear line (exit 2), never a traceback of specc's.

`compare_app(spec, spec_file, openapi, routes, api_prefix)` compares that document with the one specc
generates from the spec (`specc.emit.openapi.build_openapi`, the document `specc build` writes as
`openapi.json`), see `specc.drift.app_compare`. WebSocket routes are not part of an OpenAPI document and
are not compared.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from specc.drift.app_compare import compare_app
from specc.drift.app_routes import RouteLocator, locate_routes
from specc.drift.userimport import UserCodeError, code_error, import_object, on_path

__all__ = ["RouteLocator", "UserCodeError", "compare_app", "read_app_openapi"]


def read_app_openapi(reference: str, root: Path, path: Sequence[Path]) -> tuple[dict[str, Any], RouteLocator]:
    """The OpenAPI document the app `reference` serves, and its routes' locations.

    `root` is the project root (tracebacks and route files are shown relative to it); `path` the folders
    put first on `sys.path` while the app is imported and built. Raises UserCodeError."""
    module_name, colon, attribute = reference.partition(":")
    if not colon or not module_name or not attribute:
        raise UserCodeError(f"app reference {reference!r} is not of the form module.path:attribute")
    target = import_object(reference, "app", root, path)
    try:
        from fastapi import FastAPI
        from starlette.applications import Starlette
    except ImportError as exc:  # the app imported, so this is an environment without FastAPI
        raise UserCodeError(f"app {reference}: FastAPI cannot be imported ({exc})") from None
    with on_path(path):
        if isinstance(target, FastAPI):
            app = target
        elif isinstance(target, Starlette) or not _factory(target):
            raise UserCodeError(f"app {reference} is not a FastAPI app (it is a {_kind(target)})")
        else:
            app = _called(reference, target, root)
            if not isinstance(app, FastAPI):
                raise UserCodeError(f"app factory {reference} returned a {_kind(app)}, not a FastAPI app")
        try:
            document = app.openapi()
        except SystemExit as exc:
            raise UserCodeError(f"app {reference}: openapi() called sys.exit({exc.code!r})") from None
        except Exception as exc:  # the app's routes and models are the user's code
            raise code_error(f"app {reference}: openapi() failed", exc, root) from None
        if not isinstance(document, dict):
            raise UserCodeError(f"app {reference}: openapi() returned a {_kind(document)}, not a JSON object")
        return document, locate_routes(app, root)


def _factory(target: object) -> bool:
    """A function, method, class or partial: called to get the app. Other callables are taken for ASGI apps
    (a middleware around an app, say), which have no OpenAPI document of their own and are not called."""
    return inspect.isroutine(target) or inspect.isclass(target) or isinstance(target, functools.partial)


def _called(reference: str, factory: Any, root: Path) -> Any:
    try:
        return factory()
    except SystemExit as exc:
        raise UserCodeError(f"app factory {reference} called sys.exit({exc.code!r})") from None
    except Exception as exc:  # any exception of the user's factory is their error
        raise code_error(f"app factory {reference} failed", exc, root) from None


def _kind(value: object) -> str:
    return type(value).__name__
