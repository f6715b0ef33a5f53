"""The repository through time: snapshots at dates and what each commit did to each measure.

Why a module between :mod:`trygg.history` (git) and the commands: report,
diff and history all ask the same two questions – *what did the plan look like
at this point?* and *what happened to each measure between two points?* – and
they must answer them the same way. Measures are followed by id, not by file:
a measure that leaves one file and appears in another is *moved*, and one that
disappears and later comes back is compared with how it last looked.

The blobs a question needs are read in one batch and parsed through one
:class:`~trygg.snapshot.Parser`, whose caches make a long history cost about as
much as the measures that actually changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trygg.changes import Change, compare
from trygg.findings import Finding
from trygg.history import Commit, GitHistory, LogEntry
from trygg.snapshot import (
    FileContent,
    MeasureState,
    Parser,
    Snapshot,
    select_paths,
    unreadable,
)

if TYPE_CHECKING:
    from trygg.repo import Repository


@dataclass
class Event:
    """What one commit did to one measure."""

    commit: Commit
    measure_id: str
    before: MeasureState | None
    after: MeasureState | None
    changes: list[Change]


@dataclass(frozen=True)
class Unreadable:
    """A file version that could not be read: in which commit, which file, and why (when known).

    History does not stop at it: the file's previous version stands in for it, or
    nothing when there was none, and the report or command says so.
    """

    commit: Commit | None
    path: str
    problem: Finding | None
    replaced: bool = False  # the file's previous version stands in for it


@dataclass
class Span:
    """Two snapshots and every measure event between them (commits after ``start``, up to ``end``)."""

    start: Snapshot
    end: Snapshot
    events: list[Event] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


class Timeline:
    """The first-parent history of one repository, as trees of blob shas after every commit."""

    def __init__(self, history: GitHistory, parser: Parser | None = None) -> None:
        self.history = history
        self.parser = parser or Parser()
        self.entries: list[LogEntry] = history.log()
        self._days = [e.commit.day for e in self.entries]

    @property
    def first_day(self) -> date | None:
        return self._days[0] if self._days else None

    def cut(self, day: date) -> int:
        """Index of the last commit (in history order) dated on or before ``day``; -1 when none."""
        last = -1
        for i, d in enumerate(self._days):
            if d <= day:
                last = i
        return last

    def tree(self, index: int) -> dict[str, str]:
        """Path → blob after commit ``index`` (empty before the first commit)."""
        tree: dict[str, str] = {}
        for entry in self.entries[: index + 1]:
            _apply(tree, entry)
        return tree

    def span(self, start: int, end: int, *, needle: str | None = None) -> Span:
        """Snapshots after commit ``start`` and after ``end``, and the measure events in between.

        With ``needle`` (a measure id) blobs that do not contain it are not parsed:
        enough to follow one measure, not to describe the whole plan.
        """
        tree = self.tree(start)
        wanted = set(tree.values())
        for entry in self.entries[start + 1: end + 1]:
            wanted.update(c.new for c in entry.changes if c.new)
        contents = self._read(wanted, tree, needle)

        def content(path: str, sha: str) -> FileContent:
            found = contents.get(sha)
            return found if found is not None else missing(path, sha, self.history.partial)

        files = {p: content(p, tree[p]) for p in select_paths(tree)}
        first = Snapshot.build(files, self.parser.derived)
        span = Span(first, first)
        at_start = self.entries[start].commit if start >= 0 else None
        span.unreadable.extend(Unreadable(at_start, p, c.problem) for p, c in files.items() if not c.ok)
        current = first
        last_seen: dict[str, MeasureState] = {}
        for entry in self.entries[start + 1: end + 1]:
            touched = {c.path for c in entry.changes}
            _apply(tree, entry)
            selected = select_paths(tree)
            if not touched & (set(selected) | set(current.files)):
                continue
            span.commits.append(entry.commit)
            files = {}
            for path in selected:
                new = content(path, tree[path])
                if not new.ok:  # a broken version: keep what it said before, and say so once
                    before = current.files.get(path)
                    if path in touched:
                        span.unreadable.append(Unreadable(entry.commit, path, new.problem,
                                                          before is not None and before.ok))
                    new = before or new
                files[path] = new
            after = Snapshot.build(files, self.parser.derived)
            for mid in _affected(current, after, touched):
                before_state = current.measures.get(mid)
                after_state = after.measures.get(mid)
                if before_state is after_state:
                    continue
                reference = before_state or last_seen.get(mid)
                changes = compare(reference, after_state, readded=before_state is None and reference is not None)
                if changes:
                    span.events.append(Event(entry.commit, mid, before_state, after_state, changes))
                if before_state is not None and after_state is None:
                    last_seen[mid] = before_state
            current = after
        span.end = current
        return span

    def _read(self, shas: Iterable[str], tree: Mapping[str, str], needle: str | None) -> dict[str, FileContent]:
        path_of = {sha: path for path, sha in tree.items()}
        for entry in self.entries:
            for change in entry.changes:
                if change.new:
                    path_of.setdefault(change.new, change.path)
        needle_bytes = needle.encode("utf-8") if needle else None
        out: dict[str, FileContent] = {}
        for sha, data in self.history.read_blobs(sorted(shas), limit=_limit()):
            path = path_of.get(sha, "")
            if data is None:
                out[sha] = unreadable(None, path)
                continue
            if needle_bytes is not None and needle_bytes not in data and not path.endswith("trygg.yaml"):
                out[sha] = FileContent({}, ())
                continue
            out[sha] = self.parser.parse(data, path, key=sha)
        return out


def _apply(tree: dict[str, str], entry: LogEntry) -> None:
    for change in entry.changes:
        if change.new is None:
            tree.pop(change.path, None)
        else:
            tree[change.path] = change.new


def _affected(before: Snapshot, after: Snapshot, touched: set[str]) -> list[str]:
    """Ids whose state may differ: those in touched files before or after, or all when settings changed."""
    if "trygg.yaml" in touched:
        return sorted(set(before.measures) | set(after.measures))
    ids = {m.id for m in before.measures.values() if m.path in touched}
    ids |= {m.id for m in after.measures.values() if m.path in touched}
    return sorted(ids)


def _limit() -> int:
    from trygg.load.text import MAX_FILE_BYTES

    return MAX_FILE_BYTES


def read_limited(file: Path) -> bytes | None:
    """A file's bytes, or None when it is larger than the size limit (never read whole)."""
    limit = _limit()
    with file.open("rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def working_tree_snapshot(root: Path, parser: Parser | None = None) -> Snapshot:
    """The snapshot of the files on disk (for ``trygg diff REV`` and when there is no git)."""
    from trygg.repo import discover

    parser = parser or Parser()
    root = root.resolve()
    files = {}
    for file in discover(root):
        rel = file.relative_to(root).as_posix()
        try:
            data = read_limited(file)
        except OSError as exc:
            files[rel] = _os_error(rel, exc)
            continue
        files[rel] = parser.parse(data, rel) if data is not None else unreadable(None, rel)
    return Snapshot.build(files)


def missing(path: str, sha: str, partial: bool = False) -> FileContent:
    """A version whose blob git does not have: a damaged repository, or a partial clone (trygg
    fetches nothing; ``git fetch --refetch`` without a filter, or a full clone, brings it)."""
    from trygg.findings import Location, Severity, make
    from trygg.load.text import printable_path

    why = f"git object {sha[:7]} is not in this partial clone" if partial else f"git object {sha[:7]} is missing"
    return FileContent({}, (), ok=False, problem=make("Y114", Severity.ERROR, Location(printable_path(path)),
                                                      reason=why))


def _os_error(path: str, exc: OSError) -> FileContent:
    from trygg.findings import Location, Severity, make
    from trygg.load.text import printable_path

    return FileContent({}, (), ok=False, problem=make("Y114", Severity.ERROR, Location(printable_path(path)),
                                                      reason=exc.strerror or str(exc)))


def changed_on_disk(root: Path, tree: Mapping[str, str]) -> list[str]:
    """The repository's files whose content on disk is not what ``tree`` (HEAD) holds: changed,
    added or deleted. Decided by hashing the files as git would, not by ``git status``, which
    runs programs the repository configures (fsmonitor, filters). A file that differs only by
    CRLF line endings (``core.autocrlf``) counts as unchanged."""
    from trygg.history import blob_sha
    from trygg.repo import discover

    root = root.resolve()
    committed = {p: tree[p] for p in select_paths(tree)}
    out = set()
    on_disk = set()
    for file in discover(root):
        rel = file.relative_to(root).as_posix()
        on_disk.add(rel)
        sha = committed.get(rel)
        try:
            data = read_limited(file) if sha is not None else None
            same = sha is not None and (
                blob_sha(data) == sha or blob_sha(data.replace(b"\r\n", b"\n")) == sha if data is not None
                else _streamed_sha(file) == sha)
        except OSError:
            same = False
        if not same:
            out.add(rel)
    out.update(p for p in committed if p not in on_disk)
    return sorted(out)


def _streamed_sha(file: Path) -> str:
    """git's id of a file too large to hold, read in pieces."""
    import hashlib

    with file.open("rb") as handle:
        digest = hashlib.sha1(b"blob %d\0" % os.fstat(handle.fileno()).st_size)  # git's id
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tree_snapshot(history: GitHistory, revision: str, parser: Parser | None = None) -> Snapshot:
    """The snapshot of one revision (for ``trygg diff``)."""
    parser = parser or Parser()
    tree = history.tree(revision)
    paths = select_paths(tree)
    blobs = dict(history.read_blobs((tree[p] for p in paths), limit=_limit()))
    files = {}
    for p in paths:
        data = blobs.get(tree[p], b"")
        if tree[p] not in blobs:  # git does not have the object (a broken or partial clone)
            files[p] = missing(p, tree[p], history.partial)
        elif data is None:
            files[p] = unreadable(None, p)
        else:
            files[p] = parser.parse(data, p, key=tree[p])
    return Snapshot.build(files)


def repository_at(history: GitHistory, tree: Mapping[str, str], root: Path) -> Repository:
    """The repository as it was in ``tree``, fully loaded (for the report's state at period end).

    A blob larger than the size limit is not read; it is a Y116 finding of that
    version, as :func:`trygg.repo.load_from_blobs` would make of the same bytes.
    """
    from trygg.load.fast import parse_bytes
    from trygg.repo import CONFIG_NAME, build_repository

    paths = select_paths(tree)
    data = dict(history.read_blobs((tree[p] for p in paths), limit=_limit()))
    sources = []
    for path in sorted(paths, key=lambda n: (n != CONFIG_NAME, n)):
        sha = tree[path]
        if sha not in data:
            sources.append(_not_read(path, missing(path, sha, history.partial)))
        elif data[sha] is None:
            sources.append(_not_read(path, unreadable(None, path)))
        else:
            sources.append(parse_bytes(data[sha], path))  # type: ignore[arg-type]
    return build_repository(root, sources)


def _not_read(path: str, content: FileContent) -> Any:
    """A loaded file with no data and the finding that says why (Y116 too large, Y114 missing)."""
    from trygg.load.fast import LoadedYaml, printable_path

    loaded = LoadedYaml(printable_path(path), "")
    if content.problem is not None:
        loaded.findings.append(content.problem)
    return loaded
