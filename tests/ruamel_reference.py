"""ruamel.yaml round-trip as the reference the fast loader is held against (parity and property tests)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar


def ruamel_load(text: str) -> Any:
    return YAML(typ="rt").load(io.StringIO(text))  # YAML 1.2 unless the document says otherwise


def plain(value: Any) -> Any:
    """ruamel's values as plain Python, with the one decision trygg takes differently on purpose:
    an unquoted date stays text until a model parses it (the foundation's choice)."""
    if isinstance(value, TaggedScalar) and str(value.tag) == "tag:yaml.org,2002:str":
        return str(value.value)  # round-trip keeps an explicit !!str as a tagged scalar
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    raise AssertionError(f"ruamel gave {type(value).__name__}: {value!r}")
