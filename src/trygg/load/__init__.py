"""Text to data with locations.

:func:`read_yaml` is the fast read path every command uses (:mod:`trygg.load.fast`):
a clean file is read in one pass over libyaml's events (:mod:`trygg.load.events`);
anything else is composed by libyaml and built node by node, every problem a located
finding. Both resolve scalars by the YAML 1.2 core schema in :mod:`trygg.load.scalars`
and give a :class:`~trygg.load.loaded.LoadedYaml`: plain data plus the line and column of
every key and value. :mod:`trygg.load.text` holds what needs no YAML parser (line breaks,
the limits, printable paths); :mod:`trygg.load.parallel` parses a repository's files in a
second process while the first prepares the models. Writing goes through ruamel.yaml
round-trip (:mod:`trygg.edit`) so that comments, order and quoting survive.

The names below are imported on first use (PEP 562), so that importing
``trygg.load.text`` – as a warm check does – does not import PyYAML.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LoadedYaml", "parse_text", "read_yaml"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from trygg.load import fast

        return getattr(fast, name)
    raise AttributeError(f"module 'trygg.load' has no attribute {name!r}")
