"""What a YAML scalar means under the YAML 1.2 core schema, and the tags the loader knows.

No PyYAML here: both the one-pass event reader (:mod:`trygg.load.events`) and the composing
builder (:mod:`trygg.load.fast`) resolve plain scalars with :func:`resolve_plain`, so they
cannot disagree on what ``no``, ``on``, ``0755`` or ``2025-01-01`` is.
"""

from __future__ import annotations

import re
from typing import Any

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
# Our own tag for an untagged plain scalar, so that an explicit ``!!str 12`` (the text "12")
# stays apart from a plain ``12`` (the integer) after composing.
PLAIN_TAG = "tag:trygg,2025:plain"
# Explicit core-schema tags and the Python types their values must resolve to.
_EXPLICIT_TYPES: dict[str, tuple[type, ...]] = {
    "tag:yaml.org,2002:int": (int,), "tag:yaml.org,2002:float": (float, int),
    "tag:yaml.org,2002:bool": (bool,), "tag:yaml.org,2002:null": (type(None),)}
ALLOWED_SCALAR_TAGS = {STR_TAG, PLAIN_TAG, *_EXPLICIT_TYPES}


_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


_PLAIN_TEXT_START = frozenset("abcdeghijklmopqrsuvwxyzABCDEGHIJKLMOPQRSUVWXYZåäöÅÄÖ§\"'/(#@")


# The patterns above in one, tried in the same order; the group that matched names the kind.
# Most values that get this far are dates (YAML 1.2 keeps them text), which it rejects at once.
_NOT_TEXT = re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in (
    ("null", _NULL), ("int10", _INT10), ("int8", _INT8), ("int16", _INT16), ("float", _FLOAT),
    ("inf", _INF), ("nan", _NAN))))


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if text[:1] in _PLAIN_TEXT_START:  # most values are words: no number, bool or null starts so
        return text
    match = _NOT_TEXT.match(text)
    if match is None:
        return _BOOL.get(text, text)
    kind = match.lastgroup
    if kind == "null":
        return None
    if kind == "int10":
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits): keep the text
            return text
    if kind == "int8":
        return int(text[2:], 8)
    if kind == "int16":
        return int(text[2:], 16)
    if kind == "float":
        return float(text)
    if kind == "inf":
        return float("-inf") if text.startswith("-") else float("inf")
    return float("nan")
