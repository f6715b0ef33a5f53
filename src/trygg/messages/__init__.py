"""The words users read, in one place.

Every code has a short name, a message template and optionally a hint template
in Swedish and English. Templates use ``str.format`` fields filled from a
finding's parameters. A hint whose fields are missing is left out, so one entry
can carry a "menade du …?" hint that only shows when there is a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trygg.messages.catalogue import CATALOGUE as _BASE
from trygg.messages.catalogue import PLURALS, UI
from trygg.messages.rules_catalogue import RULE_MESSAGES

CATALOGUE = {**_BASE, **RULE_MESSAGES}

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Rendered:
    title: str
    message: str
    hint: str | None


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        raise KeyError(key)


def _fmt(template: str, params: dict[str, Any]) -> str | None:
    try:
        return template.format_map(_Missing(params))
    except (KeyError, IndexError):
        return None


def render(code: str, params: dict[str, Any], lang: str = "sv") -> Rendered:
    """The title, message and hint for a finding's code and parameters."""
    entry = CATALOGUE.get(code)
    if entry is None:
        return Rendered(code, f"{code} {params}", None)
    texts = entry[lang] if lang in entry else entry["sv"]
    title, message = texts[0], texts[1]
    if lang != "sv":
        params = {**params, **{k[: -len(lang) - 1]: v for k, v in params.items() if k.endswith("_" + lang)}}
    params = {k: _localise(v, lang) for k, v in params.items()}
    hint = None
    for template in texts[2:]:
        hint = _fmt(template, params)
        if hint is not None:
            break
    return Rendered(title, _fmt(message, params) or message, hint)


def _localise(value: Any, lang: str) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def ui(key: str, lang: str = "sv", **params: Any) -> str:
    """A piece of interface text (headings, summary lines)."""
    texts = UI[key]
    return texts.get(lang, texts["sv"]).format(**params)


def plural(word: str, n: int, lang: str = "sv") -> str:
    """The word for ``n`` of something: 1 anmärkning, 2 anmärkningar."""
    one, many = PLURALS[word].get(lang, PLURALS[word]["sv"])
    return one if n == 1 else many


def codes() -> list[str]:
    return sorted(CATALOGUE)
