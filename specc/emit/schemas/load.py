"""Load generated schema modules as live Pydantic classes (for the OpenAPI components).

Each module is executed from its generated text under a private package name that is registered in
`sys.modules` only while loading (so forward references resolve), then removed again.
"""

from __future__ import annotations

import hashlib
import sys
import types

from pydantic import BaseModel

from specc.emit.base import GeneratedFiles


def load_models(files: GeneratedFiles, package: str = "schemas") -> dict[str, dict[str, type[BaseModel]]]:
    """Module path (`tables/users.py`) → {class name: class} for the models each module defines."""
    digest = hashlib.sha256("\0".join(f"{k}\0{v}" for k, v in sorted(files.items())).encode()).hexdigest()[
        :16
    ]
    root = f"_specc_schemas_{digest}"
    prefix = package.rstrip("/") + "/"
    registered: list[str] = []
    result: dict[str, dict[str, type[BaseModel]]] = {}
    try:
        for path in sorted(files):
            if not path.startswith(prefix) or not path.endswith(".py") or path.endswith("__init__.py"):
                continue
            relative = path[len(prefix) :]
            name = root + "." + relative.removesuffix(".py").replace("/", ".")
            module = types.ModuleType(name)
            sys.modules[name] = module
            registered.append(name)
            exec(compile(files[path], path, "exec"), module.__dict__)
            classes = {
                key: value
                for key, value in vars(module).items()
                if isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == name
                and key.isidentifier()  # pydantic also binds parametrised generics (`RootModel[int]`)
            }
            for cls in classes.values():
                cls.model_rebuild()
            result[relative] = classes
    finally:
        for name in registered:
            sys.modules.pop(name, None)
    return result
