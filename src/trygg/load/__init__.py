"""Text to data with locations.

:func:`read_yaml` is the fast read path every command uses: libyaml composes the
node tree, and :mod:`trygg.load.fast` builds plain Python values under YAML 1.2
core-schema rules while recording the line and column of every key and value.
Writing goes through ruamel.yaml round-trip (:mod:`trygg.load.roundtrip`) so that
comments, order and quoting survive. :mod:`trygg.load.text` holds what needs no
YAML parser (line breaks, the size limit, printable paths).

The names below are imported on first use (PEP 562), so that importing
``trygg.load.text`` – as a warm check does – does not import PyYAML.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LoadedYaml", "read_yaml", "parse_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from trygg.load import fast

        return getattr(fast, name)
    raise AttributeError(f"module 'trygg.load' has no attribute {name!r}")
