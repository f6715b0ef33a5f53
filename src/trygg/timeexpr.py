"""Time as officials write it, resolved to a concrete last day.

A deadline is seldom a date in real plans: "2019–2020", "våren 2020", "tertial 1",
"Q2 2025", "2025-06", "löpande", or "planperiodens slut" (the end of the document's
validity). :func:`parse_time_expression` recognises these forms;
:func:`last_day` turns one into the last day the time rules use. Where the choice
is a judgement (when does "våren" end?) it comes from :data:`DEFAULT_SEASONS`,
which a municipality overrides in trygg.yaml under ``tidstolkning``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

DEFAULT_SEASONS: dict[str, str] = {
    "våren": "06-30",
    "sommaren": "08-31",
    "hösten": "12-31",
    "vintern": "02-28",
}
_SEASON_WORDS = {"våren": "våren", "vår": "våren", "sommaren": "sommaren", "sommar": "sommaren",
                 "hösten": "hösten", "höst": "hösten", "vintern": "vintern", "vinter": "vintern",
                 "vintersäsongen": "vintern"}

CONTINUOUS = "löpande"
PLAN_END = "planperiodens slut"

_Y = r"(?P<year>\d{4})"
_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")),
    ("month", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")),
    ("year", re.compile(r"^" + _Y + r"$")),
    ("range", re.compile(r"^(?P<first>\d{4})\s*[-–/]\s*(?P<year>\d{4})$")),
    ("quarter", re.compile(r"^(?:Q|kvartal\s*)(?P<n>[1-4])\s+" + _Y + r"$", re.IGNORECASE)),
    ("tertial", re.compile(r"^(?:T|tertial\s*)(?P<n>[1-3])\s+" + _Y + r"$", re.IGNORECASE)),
    ("half", re.compile(r"^(?:H|halvår\s*)(?P<n>[1-2])\s+" + _Y + r"$", re.IGNORECASE)),
    ("season", re.compile(r"^(?P<season>" + "|".join(_SEASON_WORDS) + r")\s+" + _Y + r"$", re.IGNORECASE)),
    ("continuous", re.compile(r"^löpande$", re.IGNORECASE)),
    ("plan_end", re.compile(r"^planperiodens slut$", re.IGNORECASE)),
]

# One pattern for the JSON Schema, so editors accept what the models accept.
TIME_PATTERN = (
    r"^(\d{4}(-\d{2}(-\d{2})?)?|\d{4}\s*[-–/]\s*\d{4}|([Qq]|[Kk]vartal\s*)[1-4]\s+\d{4}"
    r"|([Tt]|[Tt]ertial\s*)[1-3]\s+\d{4}|([Hh]|[Hh]alvår\s*)[1-2]\s+\d{4}"
    r"|(" + "|".join(_SEASON_WORDS) + r")\s+\d{4}|löpande|planperiodens slut)$"
)


@dataclass(frozen=True)
class TimeExpr:
    form: str
    groups: dict[str, str]
    text: str


def parse_time_expression(text: str) -> TimeExpr | None:
    text = text.strip()
    for form, pattern in _FORMS:
        m = pattern.match(text)
        if m:
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            expr = TimeExpr(form, groups, text)
            if form == "date":
                try:
                    date.fromisoformat(text)
                except ValueError:
                    return None
            if form == "month" and not 1 <= int(groups["month"]) <= 12:
                return None
            return expr
    return None


def last_day(text: str, *, plan_end: date | None = None,
             seasons: dict[str, str] | None = None) -> date | None:
    """The last day a time expression allows; None for 'löpande' or an unknown plan end."""
    expr = parse_time_expression(text)
    if expr is None or expr.form == "continuous":
        return None
    if expr.form == "plan_end":
        return plan_end
    g = expr.groups
    year = int(g["year"])
    if expr.form == "date":
        return date.fromisoformat(expr.text)
    if expr.form == "month":
        month = int(g["month"])
        return date(year, month, calendar.monthrange(year, month)[1])
    if expr.form in ("year", "range"):
        return date(year, 12, 31)
    if expr.form == "quarter":
        month = int(g["n"]) * 3
    elif expr.form == "tertial":
        month = int(g["n"]) * 4
    elif expr.form == "half":
        month = int(g["n"]) * 6
    else:  # season
        table = {**DEFAULT_SEASONS, **(seasons or {})}
        month_s, day_s = table[_SEASON_WORDS[g["season"].lower()]].split("-")
        month, day = int(month_s), int(day_s)
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return date(year, month, calendar.monthrange(year, month)[1])
