"""Packages LangGraph imports but this project never uses, deferred until something really uses them.

``langgraph.runtime`` imports ``langgraph_sdk.auth.types`` for one type, and ``langgraph_sdk``'s
``__init__`` pulls in its HTTP client (httpx and all of the SDK); ``langgraph.graph``'s ``__init__``
imports ``langgraph.graph.message`` (LangChain's message classes), which ``StateGraph`` does not need.
Together they were 0.4 s of the 3.3 s that importing the graph took on the shared machine
(``python -X importtime``).

:func:`defer` puts a finder first on ``sys.meta_path``: when such a package is imported, it gets an
empty shell over its real directory. Its submodules import as usual, and the package's own
``__init__`` runs the first time a name it defines is asked for, so a caller that does use it gets
the real package. Nothing is imported until something imports the package.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

__all__ = ["DEFERRED", "defer"]

DEFERRED = frozenset({"langgraph_sdk", "langgraph.graph"})


class _ShellLoader(Loader):
    def __init__(self, real: Loader) -> None:
        self._real = real

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        real = self._real

        def __getattr__(attribute: str) -> Any:  # PEP 562: only for names the shell lacks
            del module.__dict__["__getattr__"]
            module.__loader__ = real
            if module.__spec__ is not None:
                module.__spec__.loader = real
            real.exec_module(module)
            return getattr(module, attribute)

        module.__dict__["__getattr__"] = __getattr__


class _DeferInit(MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in DEFERRED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or spec.submodule_search_locations is None:
            return None
        spec.loader = _ShellLoader(spec.loader)
        return spec


def defer() -> None:
    """Install the finder once; a package imported before stays as it is."""
    if not any(isinstance(f, _DeferInit) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferInit())
