"""`trygg report`: the follow-up report for a year or a period, from the git history."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from trygg.commands.common import Lang, language, parse_today


def report(
    path: Path = typer.Argument(Path("."), help="Kommunens arkiv (eller en katalog i det)."),
    year: int | None = typer.Option(None, "--year", help="Helårsrapport för året, t.ex. 2025."),
    period: str | None = typer.Option(None, "--period", help="Perioden, t.ex. 2025-01-01..2025-08-31 (delårsrapport)."),
    owner: str | None = typer.Option(None, "--owner", help="Bara åtgärder som denna aktör (id) och dess förvaltningar ansvarar för."),
    template: Path | None = typer.Option(None, "--template", help="Egen Jinja-mall, eller en katalog med sv/rapport.md.j2 (körs i sandlåda)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Skriv rapporten till en fil."),
    force: bool = typer.Option(False, "--force", help="Skriv över --output även om filen finns med annat innehåll."),
    lang: Lang | None = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
    today: str | None = typer.Option(None, "--today", help="Dagens datum (ÅÅÅÅ-MM-DD); en period som inte är slut visas till och med i dag."),
    no_git: bool = typer.Option(False, "--no-git", help="Använd filerna som de är, utan git-historik."),
) -> int:
    """Uppföljningsrapport i Markdown: läget vid periodens slut och förändringarna under perioden."""
    from trygg.commands.reporting import fail, run_report

    lang_code = language(lang)
    when = parse_today(today)
    if year is not None and period is not None:
        return fail("error.year-and-period", lang_code)
    return run_report(path, year=year, period=period, owner=owner, template=template, output=output,
                      lang=lang_code, today=when, use_git=not no_git, err=sys.stderr, force=force)
