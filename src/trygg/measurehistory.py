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
    """The context for the history templates; :class:`~trygg.history.GitUnavailable` without git.

    A version of a file that could not be read (invalid YAML in a commit, conflict
    markers in the working tree) is skipped: the version before it stands in, and
    a note says which file, where and why. In a shallow clone the oldest commit
    git has is where the story starts – it did not add what it holds.
    """
    from trygg.changes import unreadable_text
    from trygg.history import GitUnavailable, open_history
    from trygg.messages import ui
    from trygg.snapshot import Parser, Snapshot
    from trygg.timeline import Timeline, working_tree_snapshot

    history = open_history(root)
    parser = Parser()
    timeline = Timeline(history, parser)
    if not timeline.entries:
        raise GitUnavailable("empty" if history.head() is None else "not-tracked", str(history.toplevel))
    span = timeline.span(0 if history.shallow else -1, len(timeline.entries) - 1, needle=measure_id)
    events = [e for e in span.events if e.measure_id == measure_id]
    worktree = working_tree_snapshot(root, parser)
    notes = []
    if history.shallow:
        notes.append(ui("git.shallow", lang, first=timeline.first_day))
    for u in span.unreadable:
        when = {"sha": u.commit.short, "date": u.commit.day} if u.commit else {"sha": "–", "date": "–"}
        notes.append(unreadable_text("unreadable.commit", u.path, u.problem, lang, **when,
                                     instead="unreadable.previous-used" if u.replaced else "unreadable.skipped"))
    broken = {p: c for p, c in worktree.files.items() if not c.ok and _may_hold(root, p, measure_id)}
    if broken:
        files = dict(worktree.files)
        for path, content in sorted(broken.items()):
            stand_in = span.end.files.get(path)
            usable = stand_in is not None and stand_in.ok
            notes.append(unreadable_text("unreadable.worktree", path, content.problem, lang,
                                         instead="unreadable.committed-used" if usable else "unreadable.skipped"))
            if stand_in is not None and usable:
                files[path] = stand_in
        worktree = Snapshot.build(files)
    head = span.end.measures.get(measure_id)
    now = worktree.measures.get(measure_id)
    if not events and now is None and head is None:
        from trygg.suggest import suggest

        raise UnknownMeasure(measure_id, suggest(measure_id, list(worktree.measures)))

    def name(org_id: str) -> str:
        return worktree.names.get(org_id) or span.end.names.get(org_id) or org_id

    rows = [{"date": e.commit.day, "sha": e.commit.short, "author": e.commit.author, "email": e.commit.email,
             "subject": e.commit.subject, "changes": [describe(c, lang, name) for c in e.changes]}
            for e in events]
    uncommitted = [describe(c, lang, name) for c in compare(head, now)] if head is not now else []
    latest = now or head or (events[-1].before if events else None)
    return {
        "lang": lang,
        "id": measure_id,
        "title": latest.title if latest is not None else None,
        "current": _current(now, name) if now is not None else None,
        "events": rows,
        "uncommitted": uncommitted,
        "notes": notes,
    }


def _may_hold(root: Path, path: str, measure_id: str) -> bool:
    """Whether an unreadable file on disk may hold the measure (its id is in the bytes, or the
    file is too large to look): only such a file is worth a note in this measure's history."""
    from trygg.timeline import read_limited

    try:
        data = read_limited(root.resolve() / path)
    except OSError:
        return True
    return data is None or measure_id.encode("utf-8") in data


def _current(state: Any, name: Any) -> dict[str, Any]:
    return {"path": state.path, "document": state.document, "owner": ", ".join(name(o) for o in state.owner) or None,
            "due_text": state.due_text, "due": state.due, "status": state.status}
