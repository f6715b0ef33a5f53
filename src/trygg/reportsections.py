"""The report's sections as plain data: one method per section, definitions in :mod:`trygg.reportdata`.

Why plain data: the same context feeds the Swedish and English templates, a
municipality's own sandboxed template and the tests, so it holds only strings,
numbers, dates, lists and dicts – no model objects.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from trygg.changes import Change, describe
from trygg.findings import Finding
from trygg.model.types import Status
from trygg.repo import Repository
from trygg.reportdata import (
    CLOSED,
    STATUS_ORDER,
    Item,
    completed_on,
    decision_text,
    documents,
    due,
    focus_title,
    in_force,
    in_scope,
    org_name,
    owner_scope,
    status_at,
    until_further_notice,
    valid_from,
    valid_to,
    value_text,
)

PLAN_CHANGES = ("owner", "due", "title", "focus", "partners")
LATE = "försenad"
KIND_ORDER = ["policy", "strategi", "riktlinjer", "program", "samverkansöverenskommelse", "lägesbild", "åtgärdsplan"]


class Sections:
    def __init__(self, repo: Repository, span: Any, period: Any, as_of: date, evaluation: date,
                 lang: str, owner: str | None) -> None:
        self.repo, self.span, self.period = repo, span, period
        self.as_of, self.evaluation, self.lang, self.owner = as_of, evaluation, lang, owner
        self.scope = owner_scope(repo, owner) if owner else None
        self.names = span.end.names if span is not None else {}
        self.items = [it for it in in_scope(repo, period.start, as_of) if self._owned(it.measure.owner)]
        self.rows = [self._row(it) for it in self.items]

    # ---- helpers ---------------------------------------------------------------------------

    def _owned(self, owners: Any) -> bool:
        return self.scope is None or any(o in self.scope for o in owners)

    def _name(self, org_id: str) -> str:
        return org_name(self.repo, org_id, self.names)

    def _events(self, measure_id: str) -> list[Any]:
        if self.span is None:
            return []
        return [e for e in self.span.events if e.measure_id == measure_id]

    def _row(self, item: Item) -> dict[str, Any]:
        m = item.measure
        status = status_at(m, self.as_of)
        last = due(item, self.repo)
        late = last is not None and last < self.evaluation and status not in CLOSED
        completed = None
        if status is Status.DONE:
            completed = completed_on(m)
            if completed is None or completed > self.as_of:
                became = [e.commit.day for e in self._events(m.id)
                          if any(c.kind == "status" and c.new == Status.DONE.value for c in e.changes)]
                completed = became[-1] if became else None
        return {
            "id": m.id, "title": m.title, "owner_ids": list(m.owner),
            "owner": ", ".join(self._name(o) for o in m.owner) or None, "owner_text": m.owner_text,
            "partners": ", ".join(self._name(o) for o in m.partners) or None,
            "focus_ids": list(m.focus_areas), "focus": ", ".join(focus_title(self.repo, f) for f in m.focus_areas) or None,
            "start": m.start, "due_text": m.due, "due": last, "status": status.value, "late": late,
            "days_late": (self.evaluation - last).days if late and last else None,
            "completed": completed, "document": item.document.title, "document_id": item.document.id,
            "path": item.path, "promise": item.promise,
            "assessment": _latest_assessment(m, self.as_of),
        }

    # ---- sections --------------------------------------------------------------------------

    def owner_info(self) -> dict[str, Any] | None:
        if self.owner is None:
            return None
        included = sorted(self.scope - {self.owner}) if self.scope else []
        return {"id": self.owner, "name": self._name(self.owner),
                "includes": [self._name(o) for o in included]}

    def documents(self) -> list[dict[str, Any]]:
        """In force at period end, from the most governing (policy) to the most concrete (åtgärdsplan)."""
        out = []
        ranked = sorted(in_force(self.repo, self.as_of),
                        key=lambda pd: (KIND_ORDER.index(pd[1].type) if pd[1].type in KIND_ORDER else 99, pd[0]))  # type: ignore[attr-defined]
        for path, doc in ranked:
            out.append({
                "id": doc.id, "title": doc.title, "kind": doc.type, "path": path,  # type: ignore[attr-defined]
                "decision": decision_text(self.repo, doc), "registration": doc.decision.registration if doc.decision else None,
                "valid_from": valid_from(doc), "valid_to": valid_to(doc),
                "until_further_notice": until_further_notice(doc),
                "illustrative": doc.illustrative is not None,
            })
        return out

    def measure_sections(self) -> dict[str, Any]:
        rows = self.rows
        measures = [r for r in rows if not r["promise"]]
        counts = Counter(r["status"] for r in rows)
        late = sorted((r for r in rows if r["late"]), key=lambda r: (r["due"], r["id"]))
        status_rows = [{"status": s.value, "count": counts.get(s.value, 0),
                        "late": sum(1 for r in rows if r["late"] and r["status"] == s.value)}
                       for s in STATUS_ORDER]
        pie: list[dict[str, Any]] = [
            {"label": s.value, "count": counts.get(s.value, 0) - sum(1 for r in late if r["status"] == s.value)}
            for s in STATUS_ORDER]
        pie.append({"label": LATE, "count": len(late)})
        completed = sorted((r for r in rows if r["completed"] and self.period.start <= r["completed"] <= self.as_of),
                           key=lambda r: (r["completed"], r["id"]))
        undated = [r for r in rows if r["status"] == Status.DONE.value and r["completed"] is None]
        return {
            "summary": {"measures": len(measures), "promises": len(rows) - len(measures), "total": len(rows),
                        "completed": len(completed), "late": len(late), "documents_in_scope":
                        len({r["document_id"] for r in rows})},
            "measures": rows,
            "status_counts": status_rows,
            "pie": [p for p in pie if p["count"] > 0],
            "by_focus": self._by_focus(measures),
            "by_owner": self._by_owner(rows),
            "completed": completed,
            "completed_undated": undated,
            "late": late,
            "indicators": self._indicators(),
            "promises": self._promises(),
            "gantt": self._gantt(rows),
        }

    def _by_focus(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        order = [e.id for e in self.repo.all("focus")]
        groups: dict[str | None, list[dict[str, Any]]] = {}
        for r in rows:
            keys = r["focus_ids"] or [None]
            for key in keys:
                groups.setdefault(key, []).append(r)
        ranked = sorted(groups, key=lambda k: (k is None, order.index(k) if k in order else len(order), k or ""))
        return [{"id": k, "title": focus_title(self.repo, k) if k else None, "measures": groups[k],
                 **_counts(groups[k])} for k in ranked]

    def _by_owner(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        groups: dict[str | None, list[dict[str, Any]]] = {}
        for r in rows:
            for key in r["owner_ids"] or [None]:
                groups.setdefault(key, []).append(r)
        ranked = sorted(groups, key=lambda k: (k is None, self._name(k).lower() if k else ""))
        return [{"id": k, "name": self._name(k) if k else None, "measures": groups[k], **_counts(groups[k])}
                for k in ranked]

    def _indicators(self) -> list[dict[str, Any]]:
        out = []
        for item in self.items:
            for ind in item.measure.indicators:
                outcomes = [{"year": int(y), "value": v} for y, v in sorted(ind.outcomes.items())
                            if int(y) <= self.as_of.year]
                out.append({"measure_id": item.measure.id, "measure": item.measure.title, "name": ind.name,
                            "unit": ind.unit, "kolada": ind.kolada, "baseline": value_text(ind.baseline),
                            "outcomes": outcomes, "target": value_text(ind.target)})
        return out

    def _promises(self) -> list[dict[str, Any]]:
        out = []
        for item, row in zip(self.items, self.rows):
            if not item.promise:
                continue
            entries = [{"date": f.date, "status": f.status.value if f.status else None,
                        "assessment": f.assessment.value if f.assessment else None, "comment": f.comment,
                        "in_period": f.date >= self.period.start}
                       for f in sorted(item.measure.follow_up, key=lambda f: f.date) if f.date <= self.as_of]
            out.append({**row, "agreement": item.document.title, "follow_up": entries})
        return out

    def _gantt(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        sections: dict[str, list[dict[str, Any]]] = {}
        docs = {d.id: d for _p, d in documents(self.repo)}
        for n, r in enumerate(rows, start=1):
            doc = docs.get(r["document_id"])
            start = r["start"] or (valid_from(doc) if doc is not None else None)
            end = r["due"] or self.as_of
            if start is None:
                continue
            end = max(end, start)
            tags = "done" if r["status"] == Status.DONE.value else "crit" if r["late"] else \
                "active" if r["status"] in (Status.ONGOING.value, Status.CONTINUOUS.value) else ""
            section = r["focus"] or (r["document"] if r["promise"] else None) or ""
            sections.setdefault(section, []).append({"label": r["title"], "key": f"m{n}", "tags": tags,
                                                     "start": start, "end": end, "id": r["id"]})
        return [{"title": k or None, "tasks": v} for k, v in sections.items()]

    def findings(self, findings: list[Finding]) -> list[dict[str, Any]]:
        from trygg.messages import render, ui

        out = []
        for f in findings:
            rendered = render(f.code, f.params, self.lang)
            out.append({"code": f.code, "severity": ui(f"severity.{f.severity.value}", self.lang),
                        "where": str(f.location), "message": rendered.message})
        return out

    # ---- history ---------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        if self.span is None:
            return {"available": False}
        start, end = self.span.start.measures, self.span.end.measures
        by_id: dict[str, list[Any]] = {}
        for e in self.span.events:
            by_id.setdefault(e.measure_id, []).append(e)

        def owned(state: Any) -> bool:
            return state is not None and self._owned(state.owner)

        def brief(state: Any, day: date | None) -> dict[str, Any]:
            return {"id": state.id, "title": state.title, "owner": ", ".join(self._name(o) for o in state.owner) or None,
                    "path": state.path, "due_text": state.due_text, "date": day, "promise": state.is_promise}

        def day_of(mid: str, kinds: tuple[str, ...]) -> date | None:
            days = [e.commit.day for e in by_id.get(mid, []) if any(c.kind in kinds for c in e.changes)]
            return days[-1] if days else None

        added = [brief(end[i], day_of(i, ("added", "readded"))) for i in end if i not in start and owned(end[i])]
        removed = [brief(start[i], day_of(i, ("removed",))) for i in start if i not in end and owned(start[i])]
        moved = [{**brief(end[i], day_of(i, ("moved", "readded"))), "from": start[i].path, "to": end[i].path}
                 for i in end if i in start and start[i].path != end[i].path and (owned(end[i]) or owned(start[i]))]
        changed = []
        for mid in end:
            if not (owned(end[mid]) or owned(start.get(mid))):
                continue
            plan = [(e.commit.day, c) for e in by_id.get(mid, []) for c in e.changes if c.kind in PLAN_CHANGES]
            if plan:
                changed.append(self._changed(end[mid], start.get(mid), plan))
        return {"available": True, "commits": len(self.span.commits), "added": added, "removed": removed,
                "moved": moved, "changed": changed,
                "postponed": sum(1 for c in changed if c["postponed"]),
                "owner_changed": sum(1 for c in changed if c["owner_changes"]),
                "unreadable": [self._unreadable(u) for u in self.span.unreadable]}

    def _unreadable(self, u: Any) -> dict[str, Any]:
        from trygg.changes import unreadable_text
        from trygg.load.text import printable_path

        return {"date": u.commit.day if u.commit else None, "sha": u.commit.short if u.commit else None,
                "path": printable_path(u.path),
                "text": unreadable_text("unreadable.commit", u.path, u.problem, self.lang,
                                        instead="unreadable.previous-used" if u.replaced else "unreadable.skipped",
                                        sha=u.commit.short if u.commit else "–",
                                        date=u.commit.day if u.commit else "–")}

    def _changed(self, now: Any, then: Any, plan: list[tuple[date, Change]]) -> dict[str, Any]:
        later = [(d, c) for d, c in plan if c.kind == "due" and c.days and c.days > 0]
        earlier = [-c.days for _d, c in plan if c.kind == "due" and c.days and c.days < 0]
        return {
            "id": now.id, "title": now.title, "owner": ", ".join(self._name(o) for o in now.owner) or None,
            "owner_changes": [{"date": d, "old": ", ".join(self._name(o) for o in c.old) or None,
                               "new": ", ".join(self._name(o) for o in c.new) or None}
                              for d, c in plan if c.kind == "owner"],
            "postponed": len(later), "postponed_days": sum(c.days or 0 for _d, c in later),
            "postponements": [{"date": d, "old": c.old, "new": c.new, "days": c.days} for d, c in later],
            "advanced": len(earlier), "advanced_days": sum(earlier),
            "due_from": then.due_text if then is not None else None, "due_to": now.due_text,
            # everything the owner and postponement columns do not already say
            "other": [{"date": d, "text": describe(c, self.lang, self._name)} for d, c in plan
                      if c.kind in ("title", "focus", "partners") or (c.kind == "due" and not (c.days and c.days > 0))],
        }


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    c = Counter(r["status"] for r in rows)
    return {"total": len(rows), "done": c.get(Status.DONE.value, 0), "ongoing": c.get(Status.ONGOING.value, 0),
            "continuous": c.get(Status.CONTINUOUS.value, 0), "not_started": c.get(Status.NOT_STARTED.value, 0),
            "cancelled": c.get(Status.CANCELLED.value, 0), "late": sum(1 for r in rows if r["late"])}


def _latest_assessment(measure: Any, last: date) -> str | None:
    dated = [f for f in measure.follow_up if f.assessment is not None and f.date <= last]
    return max(dated, key=lambda f: f.date).assessment.value if dated else None
