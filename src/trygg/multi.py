"""Checking many municipalities at once: every repository under a directory, on every core.

``trygg check DIR`` where DIR is not inside a municipality repository but holds several
(each with its own trygg.yaml) checks them all. Each worker process loads and checks one
repository and sends back only its findings and source texts, so memory stays that of
the largest repository per core. The merged result prefixes every path with the
repository's directory, so every reporter works unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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


def _check_one(args: tuple[str, date, bool]) -> tuple[str, CheckResult, str]:
    from trygg.check import run_check

    root, today, use_cache = args
    result = run_check(root, today=today, use_cache=use_cache)
    name = ""
    if result.repository is not None and result.repository.config is not None:
        name = result.repository.config.municipality
    else:
        name = _municipality_name(Path(root))
    result.repository = None  # only findings and texts cross the process boundary
    return root, result, name


def _municipality_name(root: Path) -> str:
    from trygg.load.fast import read_yaml

    data = read_yaml(root / CONFIG_NAME, CONFIG_NAME).data
    return str(data.get("kommun", "")) if isinstance(data, dict) else ""


def check_many(top: Path, roots: list[Path], *, today: date, use_cache: bool = True,
               workers: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[CheckResult, list[Summary]]:
    """Check every repository; return one merged result (paths prefixed) and a row per repository."""
    workers = workers or os.cpu_count() or 1
    jobs = [(str(r), today, use_cache) for r in roots]
    done: dict[str, tuple[CheckResult, str]] = {}
    if workers == 1 or len(jobs) == 1:
        for i, job in enumerate(jobs, 1):
            root, result, name = _check_one(job)
            done[root] = (result, name)
            if progress:
                progress(i, len(jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_check_one, job) for job in jobs]
            for i, future in enumerate(as_completed(futures), 1):
                root, result, name = future.result()
                done[root] = (result, name)
                if progress:
                    progress(i, len(jobs))
    findings: list[Finding] = []
    sources: dict[str, str] = {}
    rows: list[Summary] = []
    files = 0
    fail_on = Severity.ERROR
    for root in roots:
        result, name = done[str(root)]
        prefix = root.relative_to(top).as_posix()
        for f in result.findings:
            loc = f.location
            findings.append(Finding(f.code, f.severity, Location(f"{prefix}/{loc.path}", loc.line, loc.column),
                                    f.args, f.related))
        sources.update({f"{prefix}/{p}": t for p, t in result.sources.items()})
        files += result.files
        if result.fail_on.rank < fail_on.rank:
            fail_on = result.fail_on
        rows.append(Summary(prefix, name, result.files, result.count(Severity.ERROR),
                            result.count(Severity.WARNING), result.count(Severity.INFO)))
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
