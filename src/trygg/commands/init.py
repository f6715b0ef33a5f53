"""`trygg init DIR`: start a municipality repository that checks from the first minute."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from trygg.commands.common import Lang, language, parse_today


class CI(str, Enum):
    github = "github"
    gitlab = "gitlab"


def init(
    directory: Path = typer.Argument(Path("."), help="Katalogen för kommunens arkiv."),
    municipality: str = typer.Option(..., "--kommun", help="Kommunens namn, t.ex. 'Ale kommun'."),
    code: str = typer.Option(..., "--kommunkod", help="SCB:s kommunkod, fyra siffror."),
    ci: Optional[CI] = typer.Option(None, "--ci", help="Lägg också till CI: github eller gitlab."),
    force: bool = typer.Option(False, "--force", help="Skriv över filer som redan finns."),
    today: Optional[str] = typer.Option(None, "--today", help="Dagens datum (ÅÅÅÅ-MM-DD)."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
) -> int:
    """Skapa ett nytt arkiv för en kommun: trygg.yaml, organisationer, lägesbild, åtgärdsplan, scheman."""
    from trygg.messages import ui
    from trygg.scaffold import ScaffoldExists, plan, write

    lang_code = language(lang)
    if not (len(code) == 4 and code.isdigit()):
        sys.stderr.write(f"trygg: {ui('error.municipality-code', lang_code, value=code)}\n")
        return 2
    try:
        written = write(plan(directory, municipality, code, parse_today(today),
                             ci=ci.value if ci else None), force=force)
    except ScaffoldExists as exc:
        names = ", ".join(str(p) for p in exc.paths[:5]) + (" …" if len(exc.paths) > 5 else "")
        sys.stderr.write(f"trygg: {ui('error.scaffold-exists', lang_code, paths=names)}\n")
        return 2
    for path in written:
        sys.stdout.write(f"{ui('init.wrote', lang_code)} {path}\n")
    sys.stdout.write(ui("init.next", lang_code, directory=str(directory)) + "\n")
    return 0
