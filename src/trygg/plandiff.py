"""``trygg diff``: two versions of the plan compared in the plan's own terms, as plain data.

Why not ``git diff``: a reviewer of a pull request wants to read "ap-3 fick ny
ansvarig: Socialförvaltningen → Kultur- och fritidsnämnden; klart senast
uppskjuten 184 dagar", not forty changed YAML lines. Measures are matched by
id (a measure moved to another file is *moved*, not removed and added);
documents are added, removed, replaced (a new document lists the old one under
``ersätter``) or expire between the two versions' dates.

A file one side cannot read (a commit with invalid YAML, conflict markers in
the working tree, a file over the size limit) is not a file whose measures
were all removed or added: the other side's version stands in for it, and a
note says which file, where and why, so the diff is honest about what it
could not compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from trygg.changes import compare, describe
from trygg.snapshot import DocHeader, Snapshot


@dataclass(frozen=True)
class Side:
    """One version: a revision (with its commit) or the working tree on ``day``."""

    label: str
    snapshot: Snapshot
    day: date
    sha: str | None = None
    subject: str | None = None


def load_side(root: Path, revision: str | None, today: date, history: Any, parser: Any) -> Side:
    """The version ``revision`` names, or the files on disk when it is None."""
    from trygg.timeline import tree_snapshot, working_tree_snapshot

    if revision is None:
        return Side("", working_tree_snapshot(root, parser), today)
    commit = history.commit(revision)
    label = commit.short if re.fullmatch(r"[0-9a-f]{7,40}", revision) and commit.sha.startswith(revision) \
        else revision
    return Side(label, tree_snapshot(history, commit.sha, parser), commit.day, commit.short, commit.subject)


def build_diff(old: Side, new: Side, lang: str = "sv") -> dict[str, Any]:
    """The diff context: documents and measures added, removed and changed, with sentences."""
    old, new, notes = _readable(old, new, lang)
    a, b = old.snapshot, new.snapshot

    def name(org_id: str) -> str:
        return b.names.get(org_id) or a.names.get(org_id) or org_id

    def row(state: Any) -> dict[str, Any]:
        return {"id": state.id, "title": state.title, "owner": ", ".join(name(o) for o in state.owner) or None,
                "due_text": state.due_text, "status": state.status, "path": state.path,
                "promise": state.is_promise}

    added = [row(b.measures[i]) for i in b.measures if i not in a.measures]
    removed = [row(a.measures[i]) for i in a.measures if i not in b.measures]
    changed = []
    for mid, after in b.measures.items():
        before = a.measures.get(mid)
        if before is None or before is after:
            continue
        changes = compare(before, after)
        if changes:
            changed.append({**row(after), "changes": [describe(c, lang, name) for c in changes],
                            "kinds": sorted({c.kind for c in changes})})
    documents = _documents(a, b, old.day, new.day, lang)
    return {
        "lang": lang,
        "from": {"label": old.label, "sha": old.sha, "date": old.day, "subject": old.subject},
        "to": {"label": new.label, "sha": new.sha, "date": new.day, "subject": new.subject,
               "worktree": new.sha is None},
        "documents": documents,
        "added": added, "removed": removed, "changed": changed,
        "summary": {"added": len(added), "removed": len(removed), "changed": len(changed),
                    "documents": len(documents)},
        "empty": not (added or removed or changed or documents),
        "notes": notes,
    }


def _readable(old: Side, new: Side, lang: str) -> tuple[Side, Side, list[str]]:
    """Both sides with every file one of them cannot read replaced by the other's version, and
    a note per unreadable file (see the module docstring)."""
    from trygg.changes import unreadable_text
    from trygg.messages import ui

    notes: list[str] = []
    files = {"old": dict(old.snapshot.files), "new": dict(new.snapshot.files)}
    for key, side, other in (("old", old, new), ("new", new, old)):
        if side.sha is None:
            version = ui("diff.worktree", lang)
        else:
            version = side.label if side.label == side.sha else f"{side.label} ({side.sha})"
        for path, content in sorted(side.snapshot.files.items()):
            if content.ok:
                continue
            stand_in = other.snapshot.files.get(path)
            usable = stand_in is not None and stand_in.ok
            notes.append(unreadable_text("unreadable.version", path, content.problem, lang, version=version,
                                         instead="unreadable.other-used" if usable else "unreadable.skipped"))
            if stand_in is not None and usable:
                files[key][path] = stand_in
    if not notes:
        return old, new, notes
    return (replace(old, snapshot=Snapshot.build(files["old"])), replace(new, snapshot=Snapshot.build(files["new"])),
            notes)


def _documents(a: Snapshot, b: Snapshot, day_a: date, day_b: date, lang: str) -> list[dict[str, Any]]:
    from trygg.messages import ui

    out = []

    def entry(doc: DocHeader, key: str, **params: Any) -> dict[str, Any]:
        return {"id": doc.id, "title": doc.title, "kind": doc.kind, "path": doc.path, "change": key,
                "text": ui(f"diff.doc.{key}", lang, **params)}

    replaced_by = {old: doc for doc in b.documents.values() for old in doc.replaces}
    for doc_id, doc in b.documents.items():
        if doc_id not in a.documents:
            out.append(entry(doc, "added"))
    for doc_id, doc in a.documents.items():
        newer = replaced_by.get(doc_id)
        if newer is not None and doc_id not in (a.documents[newer.id].replaces if newer.id in a.documents else ()):
            out.append(entry(doc, "replaced", by=newer.title or newer.id))
        elif doc_id not in b.documents:
            out.append(entry(doc, "removed"))
    for doc_id, after in b.documents.items():
        before = a.documents.get(doc_id)
        if before is None:
            continue
        if before.end != after.end or before.until_further_notice != after.until_further_notice:
            out.append(entry(after, "validity", old=_end(before, lang), new=_end(after, lang)))
        elif after.end is not None and day_a <= after.end < day_b:
            out.append(entry(after, "expired", end=after.end.isoformat()))
        if before.title != after.title:
            out.append(entry(after, "title", old=before.title or "–", new=after.title or "–"))
    return out


def _end(doc: DocHeader, lang: str) -> str:
    from trygg.messages import ui

    if doc.until_further_notice:
        return ui("diff.until-further-notice", lang)
    return doc.end.isoformat() if doc.end else "–"
