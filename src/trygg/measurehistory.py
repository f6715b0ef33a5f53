"""``trygg history ID``: the life of one measure – every commit that changed it, when, by whom, what.

Why from the whole first-parent history with a needle: a measure's id is in
every version of the file that holds it, so versions without the id are never
parsed, and the cost is that of one file's history, not the repository's.
Uncommitted edits in the working tree are shown last, marked as such.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trygg.changes import compare, describe


class UnknownMeasure(Exception):
    """No version in the history holds a measure with this id (a user error)."""

    def __init__(self, measure_id: str, suggestion: str | None) -> None:
        super().__init__(measure_id)
        self.measure_id = measure_id
        self.suggestion = suggestion


def build_history(root: Path, measure_id: str, lang: str = "sv") -> dict[str, Any]:
    """The context for the history templates; :class:`~trygg.history.GitUnavailable` without git."""
    from trygg.history import GitUnavailable, open_history
    from trygg.messages import ui
    from trygg.snapshot import Parser
    from trygg.timeline import Timeline, working_tree_snapshot

    history = open_history(root)
    parser = Parser()
    timeline = Timeline(history, parser)
    if not timeline.entries:
        raise GitUnavailable("not-tracked", str(history.toplevel))
    span = timeline.span(-1, len(timeline.entries) - 1, needle=measure_id)
    events = [e for e in span.events if e.measure_id == measure_id]
    worktree = working_tree_snapshot(root, parser)
    head = span.end.measures.get(measure_id)
    now = worktree.measures.get(measure_id)
    if not events and now is None:
        from trygg.suggest import suggest

        raise UnknownMeasure(measure_id, suggest(measure_id, list(worktree.measures)))

    def name(org_id: str) -> str:
        return worktree.names.get(org_id) or span.end.names.get(org_id) or org_id

    rows = [{"date": e.commit.day, "sha": e.commit.short, "author": e.commit.author, "email": e.commit.email,
             "subject": e.commit.subject, "changes": [describe(c, lang, name) for c in e.changes]}
            for e in events]
    uncommitted = [describe(c, lang, name) for c in compare(head, now)] if head is not now else []
    latest = now or head or (events[-1].before if events else None)
    notes = []
    if history.shallow:
        notes.append(ui("git.shallow", lang, first=timeline.first_day))
    return {
        "lang": lang,
        "id": measure_id,
        "title": latest.title if latest is not None else None,
        "current": _current(now, name) if now is not None else None,
        "events": rows,
        "uncommitted": uncommitted,
        "notes": notes,
    }


def _current(state: Any, name: Any) -> dict[str, Any]:
    return {"path": state.path, "document": state.document, "owner": ", ".join(name(o) for o in state.owner) or None,
            "due_text": state.due_text, "due": state.due, "status": state.status}
