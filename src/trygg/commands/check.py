"""`trygg check`: validate, resolve, run the rules, report."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from trygg.commands.common import Lang, OutputExists, emit, language, parse_today, use_color

if TYPE_CHECKING:
    from datetime import date

    from trygg.check import CheckResult


class Format(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    github = "github"
    sarif = "sarif"
    gitlab = "gitlab"


def default_format() -> Format:
    """GitHub annotations inside GitHub Actions, text everywhere else."""
    return Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text


def check(
    path: Path = typer.Argument(Path("."), help="Kommunens arkiv (eller en fil eller katalog i det)."),
    today: Optional[str] = typer.Option(None, "--today", help="Dagens datum för tidsreglerna (ÅÅÅÅ-MM-DD)."),
    fmt: Optional[Format] = typer.Option(
        None, "--format", "-f",
        help="Utdataformat (standard: text; github när GITHUB_ACTIONS=true)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Skriv resultatet till en fil."),
    force: bool = typer.Option(False, "--force", help="Skriv över --output även om filen finns med annat innehåll."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Läs och kontrollera allt på nytt, utan cachen i .trygg_cache/."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="Antal processer (standard: alla kärnor). En kommun: filerna läses i en andra process medan "
                                            "modellerna förbereds; flera kommuner: en kommun per process."),
) -> int:
    """Kontrollera styrdokumenten: schema, referenser och regler."""
    from trygg.check import run_check
    from trygg.messages import render
    from trygg.repo import RepositoryNotFound
    from trygg.reporters import format_result

    lang_code = language(lang)
    when = parse_today(today)
    table = None
    try:
        result = run_check(path, today=when, use_cache=not no_cache, workers=_workers(jobs))
    except RepositoryNotFound as exc:
        from trygg.multi import find_repositories

        roots = find_repositories(path) if path.is_dir() else []
        if not roots:
            r = render("R103", {"path": str(exc.path)}, lang_code)
            sys.stderr.write(f"R103 {r.message}\n  {r.hint}\n")
            return 2
        result, table = _check_many(path, roots, when, not no_cache, jobs, lang_code)
    fmt = fmt or default_format()
    try:
        emit(format_result(result, fmt.value, lang=lang_code, color=use_color(output)), output, force)
    except OutputExists as exc:
        from trygg.messages import ui

        sys.stderr.write(f"trygg: {ui('error.output-exists', lang_code, path=str(exc.path))}\n")
        return 2
    if table is not None:
        (sys.stdout if fmt in (Format.text, Format.concise) and output is None else sys.stderr).write("\n" + table)
    if fmt is Format.github and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(result, Path(os.environ["GITHUB_STEP_SUMMARY"]), lang_code)
    return result.exit_code


def _workers(jobs: Optional[int]) -> int:
    """Processes for one municipality: --jobs, else every core this process may use."""
    if jobs is not None:
        return jobs
    from trygg.load.parallel import usable_cores

    return usable_cores()


def _check_many(top: Path, roots: list[Path], today: "date", use_cache: bool, jobs: Optional[int],
                lang: str) -> tuple["CheckResult", str]:
    """Check every municipality under ``top`` on every core, with a progress bar on a terminal."""
    from trygg.multi import check_many, summary_table

    if sys.stderr.isatty() and not os.environ.get("NO_COLOR") and len(roots) > 1:
        from rich.progress import Progress

        label = "Kontrollerar kommuner" if lang == "sv" else "Checking municipalities"
        with Progress(transient=True) as bar:
            task = bar.add_task(label, total=len(roots))
            result, rows = check_many(top, roots, today=today, use_cache=use_cache, workers=jobs,
                                      progress=lambda done, total: bar.update(task, completed=done))
    else:
        result, rows = check_many(top, roots, today=today, use_cache=use_cache, workers=jobs)
    return result, summary_table(rows, lang)


def _append_step_summary(result: "CheckResult", path: Path, lang: str) -> None:
    """Append the Markdown job summary. One that cannot be written is not worth failing for."""
    from trygg.messages import ui
    from trygg.reporters.github import format_step_summary

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(format_step_summary(result, lang=lang))
    except OSError as exc:
        error = exc.strerror or exc
        sys.stderr.write(ui("github.summary_failed", lang, path=str(path), error=error) + "\n")
