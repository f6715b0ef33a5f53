"""Checking many municipalities at once: every repository under a directory, on every core.

``trygg check DIR`` where DIR is not inside a municipality repository but holds several
(each with its own trygg.yaml) checks them all. Each worker process loads and checks one
repository at a time and sends back only its findings and the source lines they point at
(a file's other lines are left empty, so line numbers hold), so memory stays that of the
largest repository per core plus the findings. The merged result prefixes every path with
the repository's directory, so every reporter works unchanged.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from trygg.check import CheckResult
from trygg.findings import Finding, Location, Severity
from trygg.repo import CONFIG_NAME, SKIP_DIRS


@dataclass(frozen=True)
class Summary:
    """One row of the table per municipality."""

    directory: str
    municipality: str
    files: int
    errors: int
    warnings: int
    infos: int


def find_repositories(top: Path) -> list[Path]:
    """Every directory below ``top`` holding a trygg.yaml (not descending into one once found)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(top):
        if CONFIG_NAME in filenames:
            found.append(Path(dirpath))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
    return sorted(found)


# What a worker sends back for one repository: its directory, municipality, number of files,
# fail-on severity, findings as plain tuples and the quoted lines of the files they are in.
_Outcome = tuple[str, str, int, str, list[tuple[Any, ...]], dict[str, str]]


_Job = tuple[str, date, bool]  # a repository's directory, the date, whether to use its cache


def _check_one(args: _Job) -> _Outcome:
    from trygg.check import run_check

    root, today, use_cache = args
    result = run_check(root, today=today, use_cache=use_cache)
    name = ""
    if result.repository is not None and result.repository.config is not None:
        name = result.repository.config.municipality
    else:
        name = _municipality_name(Path(root))
    findings = [(f.code, f.severity.value, f.location.path, f.location.line, f.location.column,
                 f.args, f.related) for f in result.findings]
    return root, name, result.files, result.fail_on.value, findings, _quoted_lines(result)


def _quoted_lines(result: CheckResult) -> dict[str, str]:
    """Each file with findings, reduced to the lines they point at.

    Every other line before the last one quoted is left empty, so the text splits into the
    same numbered lines (with either way reporters split it); a file with a character where
    str.splitlines and YAML disagree about line breaks goes whole.
    """
    wanted: dict[str, set[int]] = {}
    for f in result.findings:
        for loc in (f.location, *f.related):
            wanted.setdefault(loc.path, set()).add(loc.line)
    out: dict[str, str] = {}
    for path, numbers in wanted.items():
        text = result.sources.get(path)
        if text is not None:
            out[path] = keep_lines(text, sorted(n for n in numbers if n > 0))
    return out


def keep_lines(text: str, numbers: list[int]) -> str:
    """``text`` with only the lines numbered ``numbers`` (ascending, 1-based) kept: the lines
    before the last of them that are not wanted are left empty, the lines after it left out.

    A file's lines are found by counting line breaks over spans of it rather than by
    splitting it: a warm check of many municipalities quotes ~20 lines in each of thousands
    of files of ~1 000 lines, and splitting them all took a sixth of its time.
    """
    from trygg.load.text import OTHER_BREAKS

    if not text or any(c in text for c in OTHER_BREAKS):
        return text
    crlf = "\r" in text
    if any(c in text for c in "\x85\u2028\u2029") or (crlf and text.count("\r") != text.count("\r\n")):
        return _keep_split(text, numbers)  # line breaks other than LF and CRLF: rare
    parts = []
    previous = 0
    for n, start, end in _lines_at(text, numbers):
        if crlf and end > start and text[end - 1] == "\r":
            end -= 1  # the "\r" of "\r\n"
        parts.append("\n" * (n - 1 - previous))
        parts.append(text[start:end])
        parts.append("\n")
        previous = n
    return "".join(parts)


def _keep_split(text: str, numbers: list[int]) -> str:
    """:func:`keep_lines` for a text with line breaks other than LF and CRLF: split it whole."""
    lines = text.splitlines()
    kept = [""] * len(lines)
    for n in numbers:
        if n <= len(lines):
            kept[n - 1] = lines[n - 1]
    return "\n".join(kept) + "\n"


def _lines_at(text: str, numbers: list[int]) -> Iterator[tuple[int, int, int]]:
    """``(n, start, end)`` for each line ``n`` of ``numbers`` (ascending, 1-based) that ``text``
    has, where lines end only at a line feed.

    From one wanted line to the next it counts the breaks in a span as long as the lines still
    to pass are expected to be (by the length of those passed so far), a little short of it,
    then steps the last few lines one break at a time; a span that overshoots is halved.
    """
    find, rfind, count = text.find, text.rfind, text.count
    size = len(text)
    pos, line = 0, 1  # line ``line`` starts at ``pos``
    for n in numbers:
        reach = 0.9
        while line < n:
            need = n - line
            if need <= 4:
                for _ in range(need):
                    pos = find("\n", pos) + 1
                    if not pos:
                        return
                line = n
                break
            per_line = pos / (line - 1) if line > 1 else 40.0
            end = pos + int(need * per_line * reach) + 1
            passed = count("\n", pos, end)
            if passed >= need:
                reach /= 2
            elif passed:
                pos = rfind("\n", pos, end) + 1
                line += passed
            else:  # a line longer than the span
                pos = find("\n", end) + 1
                if not pos:
                    return
                line += 1
        if pos >= size:
            return
        end = find("\n", pos)
        yield n, pos, end if end >= 0 else size


# Most repositories a worker is sent at once: a task's round trip costs the parent about half a
# millisecond, as much as a warm check of a small repository.
MAX_BATCH = 8


def _batches(jobs: list[_Job], workers: int) -> list[list[_Job]]:
    """The jobs in consecutive batches, shrinking towards the end (guided scheduling): few round
    trips while many repositories remain, and no worker left with a long batch at the end
    while the others wait."""
    batches = []
    i = 0
    while i < len(jobs):
        size = max(1, min(MAX_BATCH, (len(jobs) - i) // (4 * workers)))
        batches.append(jobs[i:i + size])
        i += size
    return batches


def _check_batch(batch: list[_Job]) -> list[_Outcome]:
    return [_check_one(job) for job in batch]


def _prepare_workers(first: Path, use_cache: bool) -> None:
    """Import, once, what every worker would import for itself, before the workers are forked
    from this process (Linux): for a cold check (--no-cache), the loader, the models and the
    rules, and the validators of the documents the first repository declares; the workers
    start with them ready, instead of each paying ~0.2 s for them. A warm check needs only the
    cache and the repository's discovery (and the YAML reader for its name)."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    from trygg import cache, repo
    from trygg.load import fast  # noqa: F401 - the municipality's name on a warm run

    if not use_cache:
        from trygg import rules  # noqa: F401 - imported for its rules
        from trygg.load import parallel  # noqa: F401 - the loader

        repo.prepare_validators(cache.read_sources(first, repo.discover(first, [])))


def _start_worker() -> None:
    """A worker checks one repository after another and keeps nothing between them, so the
    cyclic collector would only rescan what reference counting frees anyway."""
    gc.disable()


def _municipality_name(root: Path) -> str:
    from trygg.load.fast import read_yaml

    data = read_yaml(root / CONFIG_NAME, CONFIG_NAME).data
    return str(data.get("kommun", "")) if isinstance(data, dict) else ""


_SEVERITIES = {s.value: s for s in Severity}  # a dict lookup per finding, not an Enum call


def check_many(top: Path, roots: list[Path], *, today: date, use_cache: bool = True,
               workers: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[CheckResult, list[Summary]]:
    """Check every repository; return one merged result (paths prefixed) and a row per repository."""
    workers = workers or os.cpu_count() or 1
    jobs = [(str(r), today, use_cache) for r in roots]
    done: dict[str, _Outcome] = {}
    if workers == 1 or len(jobs) == 1:
        for i, job in enumerate(jobs, 1):
            done[job[0]] = _check_one(job)
            if progress:
                progress(i, len(jobs))
    else:
        workers = min(workers, len(jobs))
        _prepare_workers(roots[0], use_cache)
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
            futures = [pool.submit(_check_batch, batch) for batch in _batches(jobs, workers)]
            for future in as_completed(futures):
                for outcome in future.result():
                    done[outcome[0]] = outcome
                if progress:
                    progress(len(done), len(jobs))
    findings: list[Finding] = []
    sources: dict[str, str] = {}
    rows: list[Summary] = []
    files = 0
    fail_on = Severity.ERROR
    for root in roots:
        _, name, count, fails, found, quoted = done[str(root)]
        prefix = root.relative_to(top).as_posix()
        counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
        for code, severity, path, line, column, args, related in found:
            sev = _SEVERITIES[severity]
            counts[sev] += 1
            findings.append(Finding(code, sev, Location(f"{prefix}/{path}", line, column), args, related))
        sources.update({f"{prefix}/{p}": t for p, t in quoted.items()})
        files += count
        if Severity(fails).rank < fail_on.rank:
            fail_on = Severity(fails)
        rows.append(Summary(prefix, name, count, counts[Severity.ERROR], counts[Severity.WARNING],
                            counts[Severity.INFO]))
    merged = CheckResult(top.resolve(), findings, files, None, fail_on, today, sources)
    return merged, rows


def summary_table(rows: list[Summary], lang: str = "sv") -> str:
    """A plain table per municipality, worst first."""
    head = ("katalog", "kommun", "filer", "fel", "varningar", "info") if lang == "sv" else \
        ("directory", "municipality", "files", "errors", "warnings", "info")
    body = [(r.directory, r.municipality, str(r.files), str(r.errors), str(r.warnings), str(r.infos))
            for r in sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.directory))]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return "\n".join([line(head), line(tuple("-" * w for w in widths)), *map(line, body)]) + "\n"
