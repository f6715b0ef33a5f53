"""Text to data with locations.

:func:`read_yaml` is the fast read path every command uses: libyaml composes the
node tree, and :mod:`trygg.load.fast` builds plain Python values under YAML 1.2
core-schema rules while recording the line and column of every key and value.
Writing goes through ruamel.yaml round-trip (:mod:`trygg.load.roundtrip`) so that
comments, order and quoting survive.
"""

from trygg.load.fast import LoadedYaml, read_yaml, parse_text

__all__ = ["LoadedYaml", "read_yaml", "parse_text"]
