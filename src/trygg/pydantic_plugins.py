"""Pydantic plugins: trygg builds its validators without them, and does not pay for looking.

typer builds its parameters' validators with third-party pydantic plugins disabled, and trygg
builds its models' validators the same way (:func:`without_pydantic_plugins`): a plugin could
only observe or change how trygg's documents validate. Pydantic nevertheless imports its plugin
loader when it builds its first validator, and the loader imports ``importlib.metadata`` (with
``email``, ``zipfile`` and ``csv``: ~20 ms, a sixth of what a cold check adds to typer's own start)
just to be ready to scan the installed packages' entry points. :func:`plugin_loader_on_demand`
puts a stand-in for the loader in place while a command runs: with plugins disabled it answers
"none", exactly as the loader does; asked anything else, it imports the real loader, which takes
its place, and hands the question on (issue 5).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

LOADER = "pydantic.plugin._loader"
# PYDANTIC_DISABLE_PLUGINS values with which pydantic's loader returns no plugin at all
_ALL_DISABLED = ("__all__", "1", "true")


@contextmanager
def without_pydantic_plugins() -> Iterator[None]:
    """Build trygg's validators without third-party pydantic plugins, as typer builds its own.

    A plugin could only observe or change how documents validate; looking for one scans the
    entry points of every installed package when the first validator is built (issue 5).
    """
    previous = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["PYDANTIC_DISABLE_PLUGINS"]
        else:
            os.environ["PYDANTIC_DISABLE_PLUGINS"] = previous


def _real_loader() -> ModuleType:
    """Pydantic's own plugin loader, imported in the stand-in's place."""
    from importlib import import_module

    if isinstance(sys.modules.get(LOADER), _StandIn):
        del sys.modules[LOADER]
    return import_module(LOADER)


def _get_plugins() -> Any:
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _ALL_DISABLED:
        return ()
    return _real_loader().get_plugins()


class _StandIn(ModuleType):
    """Stands in for pydantic's plugin loader until something needs the real one."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks of any module (__path__, __spec__…)
            raise AttributeError(name)
        return getattr(_real_loader(), name)


@contextmanager
def plugin_loader_on_demand() -> Iterator[None]:
    """While the block runs, pydantic imports its plugin loader only when plugins are enabled."""
    if LOADER in sys.modules:  # imported already: nothing to save
        yield
        return
    stand_in = _StandIn(LOADER)
    stand_in.get_plugins = _get_plugins  # type: ignore[attr-defined]
    sys.modules[LOADER] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(LOADER) is stand_in:
            del sys.modules[LOADER]
