"""Run a check over one municipality repository and return the result as data.

The core never prints or exits: :func:`run_check` returns a :class:`CheckResult`
whose findings are sorted by file, line and column, and whose ``exit_code`` says
what the CLI should exit with.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from trygg.findings import Finding, Severity
from trygg.repo import Repository

if TYPE_CHECKING:
    from trygg.cache import SourceBytes


@dataclass
class CheckResult:
    root: Path
    findings: list[Finding]
    files: int
    repository: Repository | None = None
    fail_on: Severity = Severity.ERROR
    today: date = field(default_factory=date.today)
    # display path → file text, for reporters that quote source lines. From the cache (a warm
    # run) only the files findings point at, each reduced to those lines at their own line
    # numbers with empty lines between (trygg.reporters.quoted.reduced): the whole files were
    # not decoded. Read the files themselves for anything else.
    sources: dict[str, str] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        return 1 if any(f.severity.rank >= self.fail_on.rank for f in self.findings) else 0


def run_check(path: Path | str, *, today: date | None = None, use_cache: bool = False,
              workers: int = 1) -> CheckResult:
    """Load, validate and resolve the repository at or above ``path``, then run the rules.

    With ``use_cache`` a result for identical files, configuration, trygg code and date is
    taken from ``.trygg_cache/`` (see :mod:`trygg.cache`) and a fresh one is stored there.
    With ``workers`` >= 2 the files are parsed in a second process while this one prepares
    the models and rules (:mod:`trygg.load.parallel`); the result is the same.
    """
    from trygg.repo import find_root

    today = today or date.today()
    root = find_root(Path(path))
    result = _run(root, today, use_cache, workers)
    return _only_under(result, root, Path(path))


def _only_under(result: CheckResult, root: Path, path: Path) -> CheckResult:
    """Asked about one file or subdirectory, report only its findings (as ruff does); the whole
    repository is still loaded, so references resolve and repository-wide rules run as always."""
    target = path.resolve()
    if target == root:
        return result
    prefix = target.relative_to(root).as_posix()
    keep = [f for f in result.findings
            if f.location.path == prefix or f.location.path.startswith(prefix.rstrip("/") + "/")]
    return CheckResult(result.root, keep, result.files, result.repository, result.fail_on, result.today,
                       result.sources)


def _run(root: Path, today: date, use_cache: bool, workers: int) -> CheckResult:
    from trygg import cache
    from trygg.repo import build_repository, unreadable_findings

    sources, unreadable = read_files(root)
    key = cache.cache_key(sources, today) if use_cache else ""
    if use_cache:
        hit = cache.load(root, key)
        if hit is not None:
            texts = hit.quoted
            if texts is None:
                # Reporters read only the lines findings point at: the first warm run takes them
                # from the files and keeps them with the entry, later ones read them from there.
                from trygg.reporters.quoted import quoted_lines

                data = {s.display: s.data for s in sources}
                quoted = quoted_lines(hit.findings, lambda path: _text(data[path]) if path in data else None)
                texts = cache.add_quoted(root, key, hit, quoted)
            return CheckResult(root, hit.findings, hit.files, None, hit.fail_on, today, texts)
    # PyYAML: imported by whoever parses (here or in a second process), never on a warm run
    from trygg.load.parallel import parse_all

    with _collector_paused(), parse_all(sources, workers=workers, meanwhile=lambda: prepare_checking(sources)) as files:
        repo = build_repository(root, files)
        repo.findings.extend(unreadable_findings(root, unreadable))
        result = check_repository(repo, today=today)
    if use_cache:
        cache.store(root, key, result.findings, result.files, result.fail_on, result.sources)
    return result


def read_files(root: Path) -> tuple[list[SourceBytes], list[tuple[Path, OSError]]]:
    """Every file of the repository, read; and the directories that could not be listed."""
    from trygg import cache
    from trygg.repo import discover

    unreadable: list[tuple[Path, OSError]] = []
    return cache.read_sources(root, discover(root, unreadable)), unreadable


def guess_sources(path: Path | str, *, today: str | None, use_cache: bool) -> list[SourceBytes] | None:
    """The files a check of ``path`` will parse, for a parser started before the command line
    is parsed (:func:`trygg.load.parallel.start_parser`): what :func:`run_check` reads, or None
    when it will parse nothing because a result is cached. Raises what finding or reading raises
    (no repository, a date that is none)."""
    from trygg import cache
    from trygg.repo import find_root

    root = find_root(Path(path))
    sources = read_files(root)[0]
    if use_cache and cache.has(root, cache.cache_key(sources, date.fromisoformat(today) if today else date.today())):
        return None
    return sources


def prepare_checking(sources: list[SourceBytes]) -> None:
    """What checking needs besides the parsed files, made ready while they are parsed: the
    validators of the document types the files declare, and the rules."""
    from trygg.repo import prepare_validators
    from trygg.rules import run_rules  # noqa: F401 - imported for its rules

    prepare_validators(sources)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a repository is loaded and checked.

    Loading allocates hundreds of thousands of objects (YAML nodes, values, models) that all
    live until the check ends and form no cycles, so the collector's repeated scans of them
    free nothing; they cost a fifth to a third of a cold check (issue 5). Reference counting
    still frees everything as usual; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _text(data: bytes | None) -> str:
    if data is None:
        return ""
    from trygg.load.text import strip_bom

    return strip_bom(data).decode("utf-8", errors="replace")


def check_repository(repo: Repository, *, today: date | None = None) -> CheckResult:
    """Run the rules over an already loaded repository (from disk or from a git commit)."""
    from trygg.rules import run_rules

    today = today or date.today()
    fail_on = Severity.ERROR
    findings = run_rules(repo, today, loader_findings=repo.findings)
    config = repo.config
    if config is not None:
        try:
            fail_on = Severity.parse(config.settings.rules.fail_on)
        except KeyError:
            pass
    findings = sorted(set(findings), key=lambda f: f.sort_key)
    sources = {f.path: f.loaded.text for f in repo.files}
    return CheckResult(repo.root, findings, len(repo.files), repo, fail_on, today, sources)
