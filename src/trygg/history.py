"""The only module that talks to git: commits, the files they changed, and the files' contents.

Why it is shaped like this (issue 5): asking git once per commit – gitpython's
``iter_commits`` with ``commit.stats`` or a diff per commit – costs seconds for
a few hundred commits. Here the whole first-parent history of the repository's
directory comes from **one** ``git log --raw --no-abbrev`` (which names the blob
of every changed file), and the contents of every blob that is needed come from
**one** ``git cat-file --batch`` process. Trees at any commit are rebuilt in
Python by applying the logged changes in order.

Semantics, stated once: history follows the *first parent* of HEAD, so the
state at a date is the main line as it was then, and a merged pull request is
one change dated when it was merged. A commit's date is its committer date in
its own time zone. Paths are relative to the trygg repository root, which may be
a subdirectory of the git work tree.

gitpython is imported lazily (it costs ~190 ms), only when a command needs
history. Nothing here parses YAML or knows what a measure is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = f"{_RECORD}%H{_FIELD}%P{_FIELD}%an{_FIELD}%ae{_FIELD}%aI{_FIELD}%cI{_FIELD}%s"
NULL_SHA = "0" * 40


class GitUnavailable(Exception):
    """History cannot be read; ``reason`` is a message key, ``detail`` what git said (a user situation)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class UnknownRevision(Exception):
    """A revision the user named does not exist (a user error)."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored: datetime
    committed: datetime
    subject: str

    @property
    def day(self) -> date:
        """The commit's date, in the committer's own time zone."""
        return self.committed.date()

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class FileChange:
    """A file that changed in a commit: blob before and after (None when added or deleted)."""

    path: str
    old: str | None
    new: str | None


@dataclass
class LogEntry:
    commit: Commit
    changes: list[FileChange] = field(default_factory=list)


def _import_git() -> Any:
    """gitpython, imported on first use; a missing git executable becomes :class:`GitUnavailable`."""
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    try:
        import git
    except ImportError as exc:  # gitpython refuses to import without a git executable
        raise GitUnavailable("no-git", str(exc).splitlines()[0] if str(exc) else "") from None
    return git


class GitHistory:
    """One trygg repository's git history. Build it with :func:`open_history`."""

    def __init__(self, repo: Any, root: Path) -> None:
        self._repo = repo
        self.toplevel = Path(repo.working_tree_dir).resolve()
        rel = root.resolve().relative_to(self.toplevel).as_posix()
        self.prefix = "" if rel == "." else rel + "/"
        self.shallow = self._git("rev-parse", "--is-shallow-repository").strip() == "true"
        self._log: list[LogEntry] | None = None

    # ---- running git ----------------------------------------------------------------------

    def _git(self, *args: str, binary: bool = False) -> Any:
        git = _import_git()
        try:
            return self._repo.git.execute(["git", *args], stdout_as_string=not binary,
                                          strip_newline_in_stdout=False)
        except git.exc.GitCommandNotFound as exc:
            raise GitUnavailable("no-git", str(exc)) from None
        except git.exc.GitCommandError as exc:
            raise GitUnavailable("git-error", _stderr(exc)) from None

    def _pathspec(self) -> list[str]:
        return ["--", self.prefix or "."]

    def _relative(self, path: str) -> str | None:
        if self.prefix and not path.startswith(self.prefix):
            return None
        return path[len(self.prefix):]

    # ---- what the commands ask ------------------------------------------------------------

    def head(self) -> str | None:
        try:
            return self.resolve("HEAD")
        except UnknownRevision:
            return None

    def resolve(self, revision: str) -> str:
        """The commit sha ``revision`` names; :class:`UnknownRevision` when it names none."""
        git = _import_git()
        if revision.startswith("-"):
            raise UnknownRevision(revision)
        try:
            out = self._repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                                          f"{revision}^{{commit}}"])
        except git.exc.GitCommandError:
            raise UnknownRevision(revision) from None
        return str(out).strip()

    def commit(self, revision: str) -> Commit:
        """The commit ``revision`` names, with author and dates."""
        sha = self.resolve(revision)
        raw = self._git("log", "-1", f"--format={_FORMAT}", sha)
        sha_, parents, author, email, authored, committed, subject = raw.strip().lstrip(_RECORD).split(_FIELD, 6)
        return Commit(sha_, tuple(parents.split()), author, email, datetime.fromisoformat(authored),
                      datetime.fromisoformat(committed), subject.strip())

    def log(self) -> list[LogEntry]:
        """Every first-parent commit of HEAD that touched the root, oldest first, with its file changes."""
        if self._log is None:
            if self.head() is None:
                self._log = []
            else:
                raw = self._git("log", "--first-parent", "-m", "--raw", "--no-abbrev", "--no-renames",
                                "-z", "--reverse", f"--format={_FORMAT}", "HEAD", *self._pathspec(),
                                binary=True)
                self._log = list(self._parse_log(raw.decode("utf-8", errors="replace")))
        return self._log

    def _parse_log(self, text: str) -> Iterator[LogEntry]:
        for record in text.split(_RECORD):
            if not record.strip("\0\n"):
                continue
            tokens = record.split("\0")
            sha, parents, author, email, authored, committed, subject = tokens[0].split(_FIELD, 6)
            entry = LogEntry(Commit(sha, tuple(parents.split()), author, email,
                                    datetime.fromisoformat(authored), datetime.fromisoformat(committed),
                                    subject.strip()))
            rest = [t for t in tokens[1:]]
            i = 0
            while i + 1 < len(rest):
                meta, path = rest[i].strip(), rest[i + 1]
                i += 2
                if not meta.startswith(":"):
                    continue
                fields = meta[1:].split()
                if len(fields) < 5:
                    continue
                old_mode, new_mode, old, new = fields[0], fields[1], fields[2], fields[3]
                relative = self._relative(path)
                if relative is None:
                    continue
                entry.changes.append(FileChange(relative, _blob(old_mode, old), _blob(new_mode, new)))
            yield entry

    def tree(self, revision: str) -> dict[str, str]:
        """Path (relative to the root) → blob sha of every regular file at ``revision``."""
        sha = self.resolve(revision)
        raw = self._git("ls-tree", "-r", "-z", "--full-tree", sha, "--", self.prefix or ".", binary=True)
        out: dict[str, str] = {}
        for item in raw.decode("utf-8", errors="replace").split("\0"):
            if not item:
                continue
            meta, path = item.split("\t", 1)
            mode, kind, blob = meta.split()
            relative = self._relative(path)
            if kind == "blob" and relative is not None and _blob(mode, blob):
                out[relative] = blob
        return out

    def read_blobs(self, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """``(sha, content)`` for every sha, from one ``git cat-file --batch`` process."""
        import subprocess

        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return
        git = _import_git()
        try:
            proc = self._repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        except git.exc.GitCommandNotFound as exc:
            raise GitUnavailable("no-git", str(exc)) from None
        stdin, stdout = proc.proc.stdin, proc.proc.stdout

        def feed() -> None:  # a thread, so that a full stdout pipe never blocks our writing
            try:
                for sha in wanted:
                    stdin.write(sha.encode("ascii") + b"\n")
                stdin.close()
            except (BrokenPipeError, OSError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for _ in wanted:
                header = stdout.readline().split()
                if len(header) < 3:  # "<sha> missing"
                    continue
                size = int(header[2])
                data = stdout.read(size + 1)[:size]
                yield header[0].decode("ascii"), data
        finally:  # stdout first: a consumer that stops early must not leave the writer blocked
            stdout.close()
            writer.join()
            proc.proc.wait()

    def dirty_files(self) -> list[str]:
        """Files under the root that differ from HEAD or are untracked (relative paths)."""
        raw = self._git("status", "--porcelain", "-z", "--untracked-files=all", "--no-renames",
                        *self._pathspec(), binary=True)
        out = []
        for item in raw.decode("utf-8", errors="replace").split("\0"):
            if len(item) > 3:
                relative = self._relative(item[3:])
                if relative is not None:
                    out.append(relative)
        return sorted(set(out))


def _blob(mode: str, sha: str) -> str | None:
    """The sha when the entry is a regular file (not absent, a symlink or a submodule)."""
    if sha == NULL_SHA or not mode.startswith("100"):
        return None
    return sha


def _stderr(exc: Any) -> str:
    text = getattr(exc, "stderr", "") or str(exc)
    text = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else str(text)
    lines = [ln.strip() for ln in text.strip().strip("'").splitlines() if ln.strip()]
    lines = [ln.removeprefix("stderr: ") for ln in lines]
    return lines[-1].strip("'") if lines else ""


def open_history(root: Path) -> GitHistory:
    """The git history of the repository at ``root``, or :class:`GitUnavailable` saying why not."""
    git = _import_git()
    try:
        repo = git.Repo(str(root), search_parent_directories=True)
    except (git.exc.InvalidGitRepositoryError, git.exc.NoSuchPathError):
        raise GitUnavailable("not-a-repository") from None
    except git.exc.GitCommandNotFound as exc:
        raise GitUnavailable("no-git", str(exc)) from None
    if repo.bare or repo.working_tree_dir is None:
        raise GitUnavailable("not-a-repository")
    try:
        return GitHistory(repo, root)
    except ValueError:  # root outside the work tree (a symlinked path)
        raise GitUnavailable("not-a-repository") from None
