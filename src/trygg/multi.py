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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from trygg.check import CheckResult
from trygg.findings import SEVERITY_OF, Finding, Location, Severity
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
    """Each file with findings, reduced to the lines they point at (:mod:`trygg.reporters.quoted`)."""
    from trygg.reporters.quoted import quoted_lines, reduced

    if result.repository is None:  # from the cache, which keeps only these lines already
        return result.sources
    return {path: reduced(q) for path, q in quoted_lines(result.findings, result.sources.get).items()}


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
    from trygg import cache  # noqa: F401 - the key and the entries of a warm run
    from trygg.check import prepare_checking, read_files
    from trygg.load import fast  # noqa: F401 - the municipality's name on a warm run

    if not use_cache:
        from trygg.load import parallel  # noqa: F401 - the loader

        prepare_checking(read_files(first)[0])


def _start_worker() -> None:
    """A worker checks one repository after another and keeps nothing between them, so the
    cyclic collector would only rescan what reference counting frees anyway."""
    gc.disable()


def _municipality_name(root: Path) -> str:
    from trygg.load.fast import read_yaml

    data = read_yaml(root / CONFIG_NAME, CONFIG_NAME).data
    return str(data.get("kommun", "")) if isinstance(data, dict) else ""


def check_many(top: Path, roots: list[Path], *, today: date, use_cache: bool = True,
               workers: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[CheckResult, list[Summary]]:
    """Check every repository; return one merged result (paths prefixed) and a row per repository."""
    if not workers:
        from trygg.load.parallel import usable_cores

        workers = usable_cores()  # those this process may run on, not all the machine has
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
    return _merge(top, roots, done, today)


def _merge(top: Path, roots: list[Path], done: dict[str, _Outcome],
           today: date) -> tuple[CheckResult, list[Summary]]:
    """The outcomes as one result (paths prefixed with each repository's directory) and a row each."""
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
            sev = SEVERITY_OF[severity]
            counts[sev] += 1
            findings.append(Finding(code, sev, Location(f"{prefix}/{path}", line, column), args,
                                    tuple(Location(f"{prefix}/{r.path}", r.line, r.column) for r in related)))
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
