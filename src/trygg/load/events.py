"""The usual document, read in one pass over libyaml's events.

Nearly every file a municipality keeps is "clean" (see :func:`read_events`): for those this
gives exactly what composing and building give (:mod:`trygg.load.fast`), without a node per
value. Anything else, and every problem to report, goes the composing way.
"""

from __future__ import annotations

from array import array
from typing import Any

import yaml

from trygg.load.scalars import (
    _PLAIN_TEXT_START,
    MAP_TAG,
    PLAIN_TAG,
    SEQ_TAG,
    STR_TAG,
    resolve_plain,
)
from trygg.load.text import MAX_DEPTH

try:  # libyaml is bundled with PyYAML's wheels; the pure-Python parser is the fallback
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A loader that resolves nothing implicitly: every plain scalar comes back tagged str.

    We resolve plain scalars ourselves under YAML 1.2 rules (see :func:`resolve_plain`).
    """

    yaml_implicit_resolvers: dict[str, Any] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # Called by libyaml's composer for every untagged node; we resolve scalars ourselves.
        # implicit[0] is true only for a plain scalar without a tag (quoted or '!' give false).
        if kind is yaml.ScalarNode:
            return PLAIN_TAG if implicit[0] else STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG


class _NotClean(Exception):
    """The document has something the one-pass reader leaves to composing and building."""


def read_events(text: str) -> tuple[dict[Any, Any], dict[int, array[int]], int] | None:
    """The data, positions and root position of a clean document, or None for any other.

    Clean: one document, a mapping at the root, no anchor, alias or tag (other than the
    non-specific '!'), no key that is not a scalar, a merge key, a null, bool or float key or a
    duplicate, nothing nested deeper than MAX_DEPTH, no syntax error. That is nearly every file
    a municipality keeps, and for it this gives exactly what composing and building give (same
    scalar rules, same marks) without a node per value: libyaml's events are read as they come.
    Everything else, and every problem to report, goes the composing way.
    """
    parser = _Loader(text)
    try:
        get = parser.get_event
        get()  # the stream's start
        if type(get()) is not DocumentStartEvent:
            return None
        event = get()
        if type(event) is not MappingStartEvent or event.anchor is not None or event.tag not in _NO_TAG:
            return None
        spots: dict[int, array[int]] = {}
        data = _event_mapping(get, spots, 1)
        get()  # the document's end
        if type(get()) is not StreamEndEvent:
            return None  # a second document
        mark = event.start_mark
        return data, spots, mark.line << 24 | mark.column
    except (_NotClean, yaml.YAMLError):
        return None
    finally:
        parser.dispose()


def _event_mapping(get: Any, spots: dict[int, array[int]], depth: int) -> dict[Any, Any]:
    """A mapping's entries at nesting ``depth``, up to its end event."""
    out: dict[Any, Any] = {}
    positions = array("q")
    spot = positions.append
    while True:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent:
            spots[id(out)] = positions
            return out
        if kind is not ScalarEvent or event.anchor is not None or event.tag not in _NO_TAG:
            raise _NotClean
        key = event.value
        if event.implicit[0] and key[:1] not in _PLAIN_TEXT_START:  # as Builder.key resolves it
            key = resolve_plain(key)
            if (type(key) is not str and type(key) is not int) or key == "<<":
                raise _NotClean
        if key in out:
            raise _NotClean
        mark = event.start_mark
        spot(mark.line << 24 | mark.column)
        event = get()
        mark = event.start_mark
        spot(mark.line << 24 | mark.column)
        if (type(event) is ScalarEvent and depth <= MAX_DEPTH and event.anchor is None
                and event.tag in _NO_TAG):
            text = event.value
            out[key] = (text if text[:1] in _PLAIN_TEXT_START else resolve_plain(text)) if event.implicit[0] else text
        else:
            out[key] = _event_collection(event, get, spots, depth)


def _event_sequence(get: Any, spots: dict[int, array[int]], depth: int) -> list[Any]:
    """A sequence's items at nesting ``depth``, up to its end event."""
    items: list[Any] = []
    append = items.append
    positions = array("q")
    spot = positions.append
    while True:
        event = get()
        kind = type(event)
        if kind is SequenceEndEvent:
            spots[id(items)] = positions
            return items
        mark = event.start_mark
        spot(mark.line << 24 | mark.column)
        if kind is ScalarEvent and depth <= MAX_DEPTH and event.anchor is None and event.tag in _NO_TAG:
            text = event.value
            append((text if text[:1] in _PLAIN_TEXT_START else resolve_plain(text)) if event.implicit[0] else text)
        else:
            append(_event_collection(event, get, spots, depth))


def _event_collection(event: Any, get: Any, spots: dict[int, array[int]], depth: int) -> Any:
    """A nested mapping or sequence that starts with ``event``, at nesting ``depth``."""
    if depth > MAX_DEPTH or event.anchor is not None or event.tag not in _NO_TAG:
        raise _NotClean
    kind = type(event)
    if kind is MappingStartEvent:
        return _event_mapping(get, spots, depth + 1)
    if kind is SequenceStartEvent:
        return _event_sequence(get, spots, depth + 1)
    raise _NotClean  # an alias, or a tagged scalar


# the tags an event may carry and still resolve as an untagged one does (see _Loader.resolve)
_NO_TAG = (None, "!")
ScalarEvent, MappingStartEvent, MappingEndEvent = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
SequenceStartEvent, SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
DocumentStartEvent, StreamEndEvent = yaml.DocumentStartEvent, yaml.StreamEndEvent
