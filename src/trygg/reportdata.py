"""The facts a follow-up report states, computed from one loaded version of the repository.

Why apart from :mod:`trygg.report`: these are the definitions a politician
relies on, so they sit together and read like the report's own glossary.

- A document is *in force* on a day when it was decided and valid then and no
  document in force had replaced it; of the lägesbilder, the newest one prepared
  on or before the day is in force.
- A measure is *in scope* when its document was valid at some time in the period
  (a programme that ended before the period is history, not follow-up).
- The *status at period end* is the measure's status in that version, except
  when the version already holds follow-up entries dated after the period: then
  it is the newest logged status on or before the period's last day.
- A measure is *late* when its ``klart_senast`` (resolved by
  :func:`trygg.timeexpr.last_day`, ``planperiodens slut`` being the end of its
  document's ``giltighet.till``) lies before the evaluation day and it is neither
  genomförd nor avbruten – the same test as ``trygg check``'s rule T101.
- A measure was *completed on* the date of its first follow-up entry with
  status genomförd; failing that, the day the commit that made it genomförd.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from trygg.model.documents import Agreement, Document, Plan, SituationReport
from trygg.model.measure import Measure
from trygg.model.types import Status, UntilFurtherNotice
from trygg.repo import Repository
from trygg.timeexpr import last_day

STATUS_ORDER = [Status.DONE, Status.ONGOING, Status.CONTINUOUS, Status.NOT_STARTED, Status.CANCELLED]
CLOSED = (Status.DONE, Status.CANCELLED)


@dataclass
class Item:
    """A measure of the version with the document that holds it."""

    measure: Measure
    document: Document
    path: str
    promise: bool


def valid_from(doc: Document) -> date | None:
    if doc.validity and doc.validity.start:
        return doc.validity.start
    return doc.decision.date if doc.decision else None


def valid_to(doc: Document) -> date | None:
    if doc.validity and isinstance(doc.validity.end, date):
        return doc.validity.end
    return None


def until_further_notice(doc: Document) -> bool:
    return bool(doc.validity and doc.validity.end is UntilFurtherNotice.UNTIL_FURTHER_NOTICE)


def documents(repo: Repository) -> list[tuple[str, Document]]:
    return [(f.path, f.model) for f in repo.documents() if isinstance(f.model, Document)]


def replacers(repo: Repository) -> dict[str, list[Document]]:
    out: dict[str, list[Document]] = {}
    for _path, doc in documents(repo):
        for old in doc.replaces:
            out.setdefault(old, []).append(doc)
    return out


def in_force(repo: Repository, day: date) -> list[tuple[str, Document]]:
    """The documents in force on ``day``, in file order."""
    replaced = replacers(repo)
    reports = [(p, d) for p, d in documents(repo) if isinstance(d, SituationReport) and d.prepared <= day]
    newest = max((d.prepared for _p, d in reports), default=None)
    out: list[tuple[str, Document]] = []
    for path, doc in documents(repo):
        if isinstance(doc, SituationReport):
            if doc.prepared == newest and (valid_to(doc) is None or valid_to(doc) >= day):  # type: ignore[operator]
                out.append((path, doc))
            continue
        start, end = valid_from(doc), valid_to(doc)
        if doc.decision and doc.decision.date > day:
            continue
        if (start and start > day) or (end and end < day):
            continue
        if any((valid_from(r) or date.min) <= day for r in replaced.get(doc.id, [])):
            continue
        out.append((path, doc))
    return out


def active_during(doc: Document, start: date, end: date, replaced: dict[str, list[Document]]) -> bool:
    first, last = valid_from(doc), valid_to(doc)
    if first and first > end:
        return False
    if last and last < start:
        return False
    return not any((valid_from(r) or date.min) <= start for r in replaced.get(doc.id, []))


def items(repo: Repository) -> Iterator[Item]:
    for path, doc in documents(repo):
        if isinstance(doc, Plan):
            for m in doc.measures:
                yield Item(m, doc, path, False)
        if isinstance(doc, Agreement):
            for m in doc.measures:
                yield Item(m, doc, path, False)
            for m in doc.promises:
                yield Item(m, doc, path, True)


def in_scope(repo: Repository, start: date, end: date) -> list[Item]:
    replaced = replacers(repo)
    return [it for it in items(repo) if active_during(it.document, start, end, replaced)]


def seasons(repo: Repository) -> dict[str, str]:
    config = repo.config
    return dict(config.settings.seasons) if config is not None else {}


def due(item: Item, repo: Repository) -> date | None:
    if item.measure.due is None:
        return None
    return last_day(item.measure.due, plan_end=valid_to(item.document), seasons=seasons(repo))


def status_at(measure: Measure, last: date) -> Status:
    """The status on ``last`` (see the module docstring)."""
    if not any(f.date > last for f in measure.follow_up):
        return measure.current_status
    logged = [f for f in measure.follow_up if f.status is not None and f.date <= last]
    if logged:
        return max(logged, key=lambda f: f.date).status  # type: ignore[return-value]
    return Status.CONTINUOUS if measure.status is Status.CONTINUOUS else Status.NOT_STARTED


def completed_on(measure: Measure) -> date | None:
    done = [f.date for f in measure.follow_up if f.status is Status.DONE]
    return min(done) if done else None


def owner_scope(repo: Repository, owner: str) -> set[str]:
    """``owner`` and every organisation that serves it or is part of it, at any depth."""
    scope = {owner}
    orgs = [e.obj for e in repo.all("org") if e.obj is not None]
    grew = True
    while grew:
        grew = False
        for org in orgs:
            if org.id not in scope and (org.serves in scope or org.part_of in scope):
                scope.add(org.id)
                grew = True
    return scope


def org_name(repo: Repository, org_id: str, fallback: dict[str, str] | None = None) -> str:
    entity = repo.get("org", org_id)
    if entity is not None and entity.obj is not None:
        return str(entity.obj.name)
    return (fallback or {}).get(org_id, org_id)


def focus_title(repo: Repository, focus_id: str) -> str:
    entity = repo.get("focus", focus_id)
    if entity is not None and entity.obj is not None:
        return str(entity.obj.title)
    return focus_id


def decision_text(repo: Repository, doc: Document) -> str | None:
    if doc.decision is None:
        return None
    body = repo.get("org", doc.decision.body)
    who = (body.obj.short_name or body.obj.name) if body is not None and body.obj is not None else doc.decision.body
    parts = [str(who), doc.decision.date.isoformat()]
    if doc.decision.paragraph:
        parts.append(str(doc.decision.paragraph))
    return " ".join(parts)


def value_text(value: Any) -> Any:
    return None if value is None else {"value": value.value, "year": value.year}
