"""A cache of check results, keyed by everything that decides them (like ruff's).

The key is a hash of trygg's own code (version and a fingerprint of its modules), the
date the time rules use, and the path and bytes of every file in the repository –
trygg.yaml included, so a configuration change invalidates it too. A warm run reads
the files, hashes them and reads one JSON file: it never imports pydantic or builds a
model. The entry also keeps the source lines the findings point at (added by the first
warm run when the check did not store them), so reporters quote them without the files
being decoded or searched again. The cache lives in ``.trygg_cache/`` at the repository root, which carries its
own ``.gitignore`` so that it is never committed; a root that cannot be written to
just means no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trygg import __version__
from trygg.findings import SEVERITY_OF, Finding, Location, Severity

if TYPE_CHECKING:
    from trygg.reporters.quoted import Quoted

CACHE_DIR = ".trygg_cache"
FORMAT = 1
KEEP = 64


@dataclass(frozen=True)
class SourceBytes:
    """One file of the repository as read: display path, absolute path and bytes (None if unreadable)."""

    display: str
    path: Path
    data: bytes | None

    @cached_property
    def digest(self) -> bytes:
        """SHA-256 of the bytes: what the cache key and the early parser compare."""
        return hashlib.sha256(self.data).digest() if self.data is not None else b"<unreadable>"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Version plus size and mtime of every module of the installed package: a changed rule
    invalidates the cache even when the version number did not change."""
    h = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    package = Path(__file__).parent
    for file in sorted(package.rglob("*.py")):
        st = file.stat()
        h.update(f"{file.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def read_sources(root: Path, files: list[Path]) -> list[SourceBytes]:
    """Every file's bytes, never more than the loader's limit (plus one byte, so it can tell)."""
    import sys

    from trygg.load import text

    # The loader's limit: trygg.load.fast's when the loader is already imported (the same number;
    # a test may lower it there), else trygg.load.text's, so that a warm run does not import the
    # loader (and PyYAML) just for this.
    loader = sys.modules.get("trygg.load.fast")
    limit = loader.MAX_FILE_BYTES if loader is not None else text.MAX_FILE_BYTES

    prefix = os.path.join(str(root), "")  # root and a separator: the display path is the rest
    out = []
    for file in files:
        name = str(file)
        if name.startswith(prefix):
            name = name[len(prefix):] if os.sep == "/" else name[len(prefix):].replace(os.sep, "/")
        else:
            name = file.relative_to(root).as_posix()
        display = text.printable_path(name)
        try:
            data: bytes | None = _read_head(file, limit + 1)
        except OSError:
            data = None
        out.append(SourceBytes(display, file, data))
    return out


def _read_head(file: Path, most: int) -> bytes:
    """The file's first ``most`` bytes (all of it when shorter).

    Asking for ``most`` bytes at once makes Python allocate that much (10 MiB) for every file
    and shrink it afterwards, four times as long as reading a 40 KB file; so read its size
    (plus one byte, to see the end) and go on in blocks only if it has grown meanwhile.
    """
    with file.open("rb", buffering=0) as handle:
        want = min(os.fstat(handle.fileno()).st_size + 1, most)
        parts = []
        while most:
            part = handle.read(want)
            if not part:
                break
            parts.append(part)
            most -= len(part)
            want = min(1 << 16, most)
    return b"".join(parts)


def cache_key(sources: list[SourceBytes], today: date) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(today.isoformat().encode())
    for s in sources:
        h.update(b"\0" + s.display.encode("utf-8", "surrogateescape") + b"\0")
        h.update(s.digest)
    return h.hexdigest()


def _encode(f: Finding) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if v is None or isinstance(v, (str, int, float, bool)):
            return v
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        return str(v)

    return {"c": f.code, "s": f.severity.value, "p": f.location.path, "l": f.location.line,
            "k": f.location.column, "a": [[k, plain(v)] for k, v in f.args],
            "r": [[r.path, r.line, r.column] for r in f.related]}


def _decode(d: dict[str, Any]) -> Finding:
    return Finding(d["c"], SEVERITY_OF[d["s"]], Location(d["p"], d["l"], d["k"]),
                   tuple([(k, v) for k, v in d["a"]]), tuple([Location(*r) for r in d["r"]]))


@dataclass(frozen=True)
class Entry:
    """A cached check: its findings, number of files and fail-on severity, and the source lines
    the findings point at as reporters read them (display path → reduced text, see
    :mod:`trygg.reporters.quoted`), or None until a warm run has taken them from the files."""

    findings: list[Finding]
    files: int
    fail_on: Severity
    quoted: dict[str, str] | None
    doc: dict[str, Any] = field(repr=False)  # the entry as stored, for :func:`add_quoted`


def entry_file(root: Path, key: str) -> Path:
    """Where the result stored under ``key`` is (or would be)."""
    return root / CACHE_DIR / f"check-{key}.json"


def has(root: Path, key: str) -> bool:
    """Whether a result is stored under ``key`` (it may still turn out unreadable)."""
    return entry_file(root, key).is_file()


def load(root: Path, key: str) -> Entry | None:
    from trygg.reporters.quoted import reduced

    file = entry_file(root, key)
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
        findings = [_decode(d) for d in doc["findings"]]
        quoted = doc.get("quoted")
        texts = None if quoted is None else {str(p): reduced(q) for p, q in quoted.items()}
        return Entry(findings, int(doc["files"]), Severity(doc["fail_on"]), texts, doc)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def add_quoted(root: Path, key: str, entry: Entry, quoted: dict[str, Quoted]) -> dict[str, str]:
    """Keep with ``entry`` the source lines its findings point at, so that the next warm run
    reads them from there instead of decoding and searching the files again (the key is a hash
    of those very files, so they cannot differ); return them as reporters read them. Failing to
    write them costs only that."""
    from trygg.reporters.quoted import reduced
    from trygg.writefile import write_atomic

    try:
        write_atomic(entry_file(root, key), json.dumps({**entry.doc, "quoted": quoted}, ensure_ascii=False))
    except (OSError, ValueError):
        pass
    return {path: reduced(q) for path, q in quoted.items()}


def store(root: Path, key: str, findings: list[Finding], files: int, fail_on: Severity,
          texts: dict[str, str] | None = None) -> None:
    """Write the entry atomically; any failure to write only means a colder next run.

    Given the files' ``texts`` (display path → text), the lines the findings point at are kept
    with the entry at once; without them the first warm run takes them from the files and adds
    them (:func:`add_quoted`).
    """
    from trygg.writefile import write_atomic

    directory = root / CACHE_DIR
    try:
        directory.mkdir(exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, "# trygg's cache; never commit it\n*\n")
            write_atomic(directory / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                                     "# This directory is a cache of trygg check results.\n")
        doc: dict[str, Any] = {"format": FORMAT, "files": files, "fail_on": fail_on.value,
                               "findings": [_encode(f) for f in findings]}
        if texts is not None:
            from trygg.reporters.quoted import quoted_lines

            doc["quoted"] = quoted_lines(findings, texts.get)
        write_atomic(entry_file(root, key), json.dumps(doc, ensure_ascii=False))
        _prune(directory)
    except OSError:
        return


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("check-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        try:
            os.unlink(old)
        except OSError:
            pass


def clear(root: Path) -> int:
    """Remove every cache entry under ``root``; returns how many were removed."""
    directory = root / CACHE_DIR
    removed = 0
    for entry in directory.glob("check-*.json"):
        entry.unlink(missing_ok=True)
        removed += 1
    return removed
