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

A repository is data someone sent (issue 6), so git is run defensively:

- only commands that read objects and refs (``rev-parse``, ``log``, ``ls-tree``,
  ``cat-file``); nothing that reads the working tree through git, because
  ``git status`` runs the repository's own programs (``core.fsmonitor``, the
  ``filter.<driver>.process`` of a ``.gitattributes`` entry). Whether a file on
  disk differs from HEAD is decided in Python (:func:`blob_sha`);
- with ``core.fsmonitor=false``, ``core.hooksPath=/dev/null``,
  ``log.showSignature=false`` (which would run ``gpg.program``) and
  ``core.pager=cat``, given as
  ``GIT_CONFIG_PARAMETERS`` – exactly what ``git -c`` passes on – so that the
  subcommand stays the first argument; pathspecs are literal
  (``GIT_LITERAL_PATHSPECS``) and git never prompts;
- the repository is always the one that holds the path trygg was given: an
  inherited ``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_INDEX_FILE`` or object
  directory (set in git hooks, or by a dotfiles setup) is left out of git's
  environment rather than overridden, so git's own discovery – and its
  ``safe.directory`` ownership check – still decide;
- nothing is fetched: ``protocol.allow=never`` (a partial clone would fetch a
  missing blob through the repository's own ``core.sshCommand``), and in a
  partial clone only blobs that are present are asked for;
- a revision that starts with ``-`` is never given to git (``--end-of-options``
  besides); ``git log``'s output is cut at markers with a random part, so a
  commit message or file name cannot forge a record;
- file names keep their bytes (``surrogateescape``): two names that are not
  UTF-8 never collide; :func:`trygg.load.fast.printable_path` shows them;
- a blob larger than the caller's limit is skipped by its size in
  ``cat-file``'s header, never read into memory.

gitpython is imported lazily (it costs ~190 ms), only when a command needs
history. Nothing here parses YAML or knows what a measure is.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

NULL_SHA = "0" * 40
_FIELDS = ("%H", "%P", "%an", "%ae", "%aI", "%cI", "%s")

# Variables that point git at another repository, index or object store than the one
# discovered from the path (git sets some of them for hooks). Left out of git's environment.
REDIRECTING = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
               "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_SHALLOW_FILE")
# `git -c` for every command: nothing the repository configures may run a program.
SAFE_CONFIG = ("core.fsmonitor=false", f"core.hooksPath={os.devnull}", "log.showSignature=false",
               "core.pager=cat", "protocol.allow=never",
               # a repository's protocol.<name>.allow would win over protocol.allow
               *(f"protocol.{name}.allow=never" for name in ("ssh", "ext", "file", "git", "http", "https")))
_env_lock = threading.RLock()


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


@contextmanager
def _own_repository() -> Iterator[None]:
    """Without the variables that would send git (or gitpython's discovery) to another repository.

    gitpython builds a child's environment from ``os.environ`` and can add to it but not
    remove from it, so the variables are taken out of ``os.environ`` while a git process
    starts and put back at once (under a lock, for callers that use threads).
    """
    with _env_lock:
        saved = {name: os.environ.pop(name) for name in REDIRECTING if name in os.environ}
        try:
            yield
        finally:
            os.environ.update(saved)


def _safe_environment() -> dict[str, str]:
    """What every git process gets on top of the caller's environment."""
    inherited = os.environ.get("GIT_CONFIG_PARAMETERS", "").strip()
    ours = " ".join("'" + item + "'" for item in SAFE_CONFIG)  # the caller's first, ours win
    return {"GIT_CONFIG_PARAMETERS": f"{inherited} {ours}".strip(), "GIT_LITERAL_PATHSPECS": "1",
            "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat", "GIT_NO_LAZY_FETCH": "1"}


class GitHistory:
    """One trygg repository's git history. Build it with :func:`open_history`."""

    def __init__(self, repo: Any, root: Path) -> None:
        self._repo = repo
        repo.git.update_environment(**_safe_environment())
        self.toplevel = Path(repo.working_tree_dir).resolve()
        rel = root.resolve().relative_to(self.toplevel).as_posix()
        self.prefix = "" if rel == "." else rel + "/"
        self.shallow = self._git("rev-parse", "--is-shallow-repository").strip() == "true"
        # A partial clone (--filter=blob:none) keeps packs from its promisor remote marked so.
        self.partial = any((Path(repo.common_dir) / "objects" / "pack").glob("*.promisor"))
        self._log: list[LogEntry] | None = None

    # ---- running git ----------------------------------------------------------------------

    def _git(self, *args: str, binary: bool = False) -> Any:
        git = _import_git()
        try:
            with _own_repository():
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

    @property
    def merging(self) -> bool:
        """A merge is in progress in the working tree (git wrote MERGE_HEAD)."""
        return (Path(self._repo.git_dir) / "MERGE_HEAD").exists()

    def head(self) -> str | None:
        try:
            return self.resolve("HEAD")
        except UnknownRevision:
            return None

    def resolve(self, revision: str) -> str:
        """The commit sha ``revision`` names; :class:`UnknownRevision` when it names none.

        A revision that looks like an option, or holds a line break or NUL, is refused
        before git sees it; ``--end-of-options`` makes sure of the rest.
        """
        git = _import_git()
        if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
            raise UnknownRevision(revision)
        try:
            with _own_repository():
                out = self._repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                                              f"{revision}^{{commit}}"])
        except git.exc.GitCommandNotFound as exc:
            raise GitUnavailable("no-git", str(exc)) from None
        except git.exc.GitCommandError:
            raise UnknownRevision(revision) from None
        return str(out).strip()

    def commit(self, revision: str) -> Commit:
        """The commit ``revision`` names, with author and dates."""
        sha = self.resolve(revision)
        marker = _marker()
        raw = self._git("log", "-1", "--no-show-signature", f"--format={_format(marker)}", sha, binary=True)
        entries = list(_parse_log(_decode(raw), marker, lambda path: path))
        if not entries:
            raise UnknownRevision(revision)
        return entries[0].commit

    def log(self) -> list[LogEntry]:
        """Every first-parent commit of HEAD that touched the root, oldest first, with its file changes."""
        if self._log is None:
            if self.head() is None:
                self._log = []
            else:
                marker = _marker()
                raw = self._git("log", "--first-parent", "-m", "--raw", "--no-abbrev", "--no-renames",
                                "--no-ext-diff", "--no-textconv", "--no-show-signature", "-z", "--reverse",
                                f"--format={_format(marker)}", "HEAD", *self._pathspec(), binary=True)
                self._log = list(_parse_log(_decode(raw), marker, self._relative))
        return self._log

    def tree(self, revision: str) -> dict[str, str]:
        """Path (relative to the root) → blob sha of every regular file at ``revision``."""
        sha = self.resolve(revision)
        raw = self._git("ls-tree", "-r", "-z", "--full-tree", sha, "--", self.prefix or ".", binary=True)
        out: dict[str, str] = {}
        for item in _decode(raw).split("\0"):
            meta, tab, path = item.partition("\t")
            parts = meta.split()
            if not tab or len(parts) != 3:
                continue
            mode, kind, blob = parts
            relative = self._relative(path)
            if kind == "blob" and relative is not None and _blob(mode, blob):
                out[relative] = blob
        return out

    def read_blobs(self, shas: Iterable[str], limit: int | None = None) -> Iterator[tuple[str, bytes | None]]:
        """``(sha, content)`` for every sha, from one ``git cat-file --batch`` process.

        A blob larger than ``limit`` bytes comes back as ``(sha, None)``: its size is in
        the header git writes before the content, so the content is skipped, never held.
        Objects git does not have are left out.
        """
        import subprocess

        wanted = list(dict.fromkeys(shas))
        if wanted and self.partial:  # ask only for what is here: a missing blob would be fetched
            present = set(self._git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)").split())
            wanted = [sha for sha in wanted if sha in present]
        if not wanted:
            return
        git = _import_git()
        try:
            with _own_repository():
                proc = self._repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        except git.exc.GitCommandNotFound as exc:
            raise GitUnavailable("no-git", str(exc)) from None
        stdin, stdout = proc.proc.stdin, proc.proc.stdout

        def feed() -> None:  # a thread, so that a full stdout pipe never blocks our writing
            try:
                for sha in wanted:
                    stdin.write(sha.encode("ascii", "replace") + b"\n")
                stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for _ in wanted:
                header = stdout.readline().split()
                if not header:  # git stopped (a broken repository): nothing more will come
                    break
                if len(header) != 3 or not header[2].isdigit():  # "<sha> missing"
                    continue
                size = int(header[2])
                if header[1] != b"blob" or (limit is not None and size > limit):
                    _skip(stdout, size + 1)
                    if header[1] == b"blob":
                        yield header[0].decode("ascii", "replace"), None
                    continue
                data = stdout.read(size + 1)[:size]
                yield header[0].decode("ascii", "replace"), data
        finally:  # stdout first: a consumer that stops early must not leave the writer blocked
            stdout.close()
            writer.join()
            proc.proc.wait()


def _skip(stream: Any, count: int) -> None:
    """Read past ``count`` bytes without keeping them."""
    while count > 0:
        chunk = stream.read(min(count, 1 << 16))
        if not chunk:
            return
        count -= len(chunk)


def _marker() -> str:
    """A field separator no commit message or file name can contain: it is new for every run."""
    return f"\x1etrygg-{secrets.token_hex(8)}\x1f"


def _format(marker: str) -> str:
    return marker + marker.join(_FIELDS) + marker


def _decode(raw: bytes | str) -> str:
    """git's output as text; bytes that are not UTF-8 (old file names) kept as surrogates."""
    return raw if isinstance(raw, str) else raw.decode("utf-8", errors="surrogateescape")


def _parse_log(text: str, marker: str, relative: Any) -> Iterator[LogEntry]:
    """Entries of ``git log --format=<marker…> --raw -z``: seven fields, then the changes."""
    parts = text.split(marker)
    width = len(_FIELDS) + 1
    for i in range(1, len(parts) - width + 1, width):
        sha, parents, author, email, authored, committed, subject, rest = parts[i:i + width]
        entry = LogEntry(Commit(sha.strip(), tuple(parents.split()), author, email, _when(authored),
                                _when(committed), subject.strip()))
        tokens = rest.lstrip("\0\n").split("\0")
        for meta, path in zip(tokens[::2], tokens[1::2]):
            fields = meta[1:].split() if meta.startswith(":") else []
            if len(fields) < 5:
                break  # no longer a ':mode mode sha sha status' line: the raw part has ended
            old_mode, new_mode, old, new = fields[:4]
            rel = relative(path)
            if rel is not None:
                entry.changes.append(FileChange(rel, _blob(old_mode, old), _blob(new_mode, new)))
        yield entry


def _when(text: str) -> datetime:
    """A date git printed; one Python cannot represent (a forged year 99999) becomes 1970-01-01."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=timezone.utc)


def _blob(mode: str, sha: str) -> str | None:
    """The sha when the entry is a regular file (not absent, a symlink or a submodule)."""
    if sha == NULL_SHA or not mode.startswith("100"):
        return None
    return sha


def blob_sha(data: bytes) -> str:
    """The id git gives a file with this content (``git hash-object``), computed without git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's id, not for security


def _stderr(exc: Any) -> str:
    """The line of git's complaint that says what is wrong (not the hint after it)."""
    text = getattr(exc, "stderr", "") or str(exc)
    text = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else str(text)
    lines = [ln.strip() for ln in text.strip().strip("'").splitlines() if ln.strip()]
    lines = [ln.removeprefix("stderr: ").strip("'").strip() for ln in lines]
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line[len(prefix):]
    return lines[-1] if lines else ""


def open_history(root: Path) -> GitHistory:
    """The git history of the repository at ``root``, or :class:`GitUnavailable` saying why not."""
    git = _import_git()
    try:
        with _own_repository():
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
