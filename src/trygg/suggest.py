"""'Menade du …?': the nearest candidate to a misspelt word, forgiving å/ä/ö and separators."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "-": "", "_": "", " ": ""})


def fold(word: str) -> str:
    return word.lower().translate(_FOLD)


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest candidate, or None when nothing is close enough."""
    pool = list(dict.fromkeys(c for c in candidates if c))
    if not pool:
        return None
    folded = {}
    for c in pool:
        folded.setdefault(fold(c), c)
    key = fold(str(word))
    if key in folded and folded[key] != word:
        return folded[key]
    match = difflib.get_close_matches(key, list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else None
