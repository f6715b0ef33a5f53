"""What changed in one measure between two versions, in the plan's own terms.

Why its own module: ``trygg history``, ``trygg diff`` and the report's
"förändringar under perioden" describe the same changes – added, removed,
moved, new owner, deadline postponed by so many days, status, indicators, a new
follow-up entry – and must count them the same way. :func:`compare` returns
data (:class:`Change`); :func:`describe` turns one into a sentence from the
message catalogue in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trygg.snapshot import MeasureState

if TYPE_CHECKING:
    from trygg.findings import Finding

# Keys compared on their own; every other key of a measure is compared as a whole ("field").
_OWN = {"id", "titel", "ansvarig", "samverkan", "klart_senast", "status", "fokusområde",
        "indikatorer", "uppföljning"}


@dataclass(frozen=True)
class Change:
    """One change to a measure. ``days`` > 0: the deadline moved later (postponed)."""

    kind: str
    old: Any = None
    new: Any = None
    days: int | None = None
    detail: str | None = None


def compare(before: MeasureState | None, after: MeasureState | None, *, readded: bool = False) -> list[Change]:
    """The changes from ``before`` to ``after`` (either may be None: added, removed)."""
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return [Change("added", new=after.path, detail=after.document)]
    if after is None:
        return [Change("removed", old=before.path, detail=before.document)]
    out: list[Change] = []
    if readded:
        out.append(Change("readded", old=before.path, new=after.path))
    elif before.path != after.path:
        out.append(Change("moved", old=before.path, new=after.path))
    if before.title != after.title:
        out.append(Change("title", before.title, after.title))
    if before.owner != after.owner:
        out.append(Change("owner", before.owner, after.owner))
    if before.partners != after.partners:
        out.append(Change("partners", before.partners, after.partners))
    if before.focus != after.focus:
        out.append(Change("focus", before.focus, after.focus))
    if before.due_text != after.due_text or before.due != after.due:
        days = (after.due - before.due).days if before.due and after.due else None
        out.append(Change("due", before.due_text, after.due_text, days=days))
    if before.status != after.status:
        out.append(Change("status", before.status, after.status))
    out.extend(_indicators(before.raw.get("indikatorer"), after.raw.get("indikatorer")))
    out.extend(_follow_up(before.raw.get("uppföljning"), after.raw.get("uppföljning")))
    for key in sorted(set(before.raw) | set(after.raw), key=str):
        if key not in _OWN and before.raw.get(key) != after.raw.get(key):
            out.append(Change("field", before.raw.get(key), after.raw.get(key), detail=str(key)))
    return out


def _by_name(value: Any) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.setdefault(str(item.get("namn", f"#{i + 1}")), item)
    return out


def _value(v: Any) -> Any:
    if isinstance(v, dict):
        return (v.get("värde"), v.get("år"))
    return v


def _indicators(old: Any, new: Any) -> list[Change]:
    before, after = _by_name(old), _by_name(new)
    out = []
    for name in after:
        if name not in before:
            out.append(Change("indicator_added", new=name, detail=name))
    for name in before:
        if name not in after:
            out.append(Change("indicator_removed", old=name, detail=name))
    for name in after:
        if name not in before:
            continue
        a, b = before[name], after[name]
        for key, kind in (("utgångsvärde", "baseline"), ("mål", "target")):
            if _value(a.get(key)) != _value(b.get(key)):
                out.append(Change(kind, _value(a.get(key)), _value(b.get(key)), detail=name))
        oa: Mapping[Any, Any] = a["utfall"] if isinstance(a.get("utfall"), dict) else {}
        ob: Mapping[Any, Any] = b["utfall"] if isinstance(b.get("utfall"), dict) else {}
        for year in sorted(set(oa) | set(ob), key=str):
            if oa.get(year) != ob.get(year):
                out.append(Change("outcome", oa.get(year), ob.get(year), days=None, detail=f"{name}\x00{year}"))
    return out


def _entry_key(entry: Any) -> tuple[Any, ...]:
    if not isinstance(entry, dict):
        return (repr(entry),)
    return (str(entry.get("datum")), entry.get("status"), entry.get("bedömning"), entry.get("kommentar"))


def _follow_up(old: Any, new: Any) -> list[Change]:
    before = {_entry_key(e) for e in old} if isinstance(old, list) else set()
    out = []
    for entry in new if isinstance(new, list) else []:
        if _entry_key(entry) not in before and isinstance(entry, dict):
            out.append(Change("follow_up", new=(str(entry.get("datum", "")), entry.get("status"),
                                                entry.get("bedömning"))))
    return out


# ---- sentences ---------------------------------------------------------------------------

def describe(change: Change, lang: str = "sv", name: Callable[[str], str] = str) -> str:
    """One change as a sentence in ``lang``; ``name`` turns an organisation id into its name."""
    from trygg.messages import ui
    from trygg.templating import format_number, label

    def names(ids: Any) -> str:
        return ", ".join(name(i) for i in ids) if ids else ui("change.none", lang)

    def num(v: Any) -> str:
        if isinstance(v, tuple):
            value, year = v
            if value is None:
                return ui("change.none", lang)
            return f"{format_number(value, lang)} ({year})" if year is not None else format_number(value, lang)
        return ui("change.none", lang) if v is None else format_number(v, lang)

    k = change.kind
    if k in ("added", "removed"):
        where = change.new if k == "added" else change.old
        return ui(f"change.{k}", lang, path=where, document=change.detail or "–")
    if k in ("moved", "readded"):
        return ui(f"change.{k}", lang, old=change.old, new=change.new)
    if k == "title":
        return ui("change.title", lang, old=change.old or "–", new=change.new or "–")
    if k in ("owner", "partners", "focus"):
        shown = names if k != "focus" else (lambda ids: ", ".join(ids) if ids else ui("change.none", lang))
        return ui(f"change.{k}", lang, old=shown(change.old), new=shown(change.new))
    if k == "due":
        old, new = change.old or ui("change.none", lang), change.new or ui("change.none", lang)
        if change.days:
            key = "change.due.later" if change.days > 0 else "change.due.earlier"
            return ui(key, lang, old=old, new=new, days=abs(change.days))
        return ui("change.due", lang, old=old, new=new)
    if k == "status":
        return ui("change.status", lang, old=label(change.old, lang), new=label(change.new, lang))
    if k in ("indicator_added", "indicator_removed"):
        return ui(f"change.{k}", lang, name=change.detail)
    if k in ("baseline", "target"):
        return ui(f"change.{k}", lang, name=change.detail, old=num(change.old), new=num(change.new))
    if k == "outcome":
        indicator, year = (change.detail or "\x00").split("\x00", 1)
        return ui("change.outcome", lang, name=indicator, year=year, old=num(change.old), new=num(change.new))
    if k == "follow_up":
        day, status, assessment = change.new
        extra = ", ".join(label(x, lang) for x in (status, assessment) if x)
        return ui("change.follow_up", lang, date=day, extra=f" ({extra})" if extra else "")
    return ui("change.field", lang, field=change.detail or "")


def unreadable_text(key: str, path: str, problem: Finding | None, lang: str = "sv", *,
                    instead: str = "unreadable.skipped", **params: Any) -> str:
    """The note for a file version that could not be read: the catalogue text ``key`` with
    ``where`` (the file, and the line and column of the problem) and ``problem`` (its message),
    then the sentence ``instead`` saying what stands in for it."""
    from trygg.load.text import printable_path
    from trygg.messages import render, ui

    where = printable_path(path)
    if problem is None:
        text = ui("unreadable.unknown", lang)
    else:
        if problem.location.line:
            where = f"{where}:{problem.location.line}:{problem.location.column}"
        text = f"{render(problem.code, problem.params, lang).message} ({problem.code})"
    return f"{ui(key, lang, where=where, problem=text, **params)} {ui(instead, lang)}"
