"""`trygg check`: validate, resolve, run the rules, report."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from trygg.commands.common import Lang, emit, language, parse_today, use_color


class Format(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"


def check(
    path: Path = typer.Argument(Path("."), help="Kommunens arkiv (eller en fil eller katalog i det)."),
    today: Optional[str] = typer.Option(None, "--today", help="Dagens datum för tidsreglerna (ÅÅÅÅ-MM-DD)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Utdataformat."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Skriv resultatet till en fil."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
) -> int:
    """Kontrollera styrdokumenten: schema, referenser och regler."""
    from trygg.check import run_check
    from trygg.messages import render
    from trygg.repo import RepositoryNotFound

    lang_code = language(lang)
    when = parse_today(today)
    try:
        result = run_check(path, today=when)
    except RepositoryNotFound as exc:
        r = render("R103", {"path": str(exc.path)}, lang_code)
        sys.stderr.write(f"R103 {r.message}\n  {r.hint}\n")
        return 2
    if fmt is Format.json:
        from trygg.reporters.json import format_json

        text = format_json(result, lang=lang_code)
    else:
        from trygg.reporters.text import format_text

        text = format_text(result, lang=lang_code, color=use_color(output), concise=fmt is Format.concise)
    emit(text, output)
    return result.exit_code


