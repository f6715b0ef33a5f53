"""`trygg followup ID`: add a dated follow-up entry to a measure, keeping the file as it was."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from trygg.commands.common import Lang, language, parse_today


class StatusWord(str, Enum):
    ej_paborjad = "ej påbörjad"
    pagar = "pågår"
    genomford = "genomförd"
    avbruten = "avbruten"
    lopande = "löpande"


class Assessment(str, Enum):
    gron = "grön"
    gul = "gul"
    rod = "röd"


def followup(
    measure: str = typer.Argument(..., help="Åtgärdens (eller medborgarlöftets) id."),
    path: Path = typer.Argument(Path("."), help="Kommunens arkiv (eller en katalog i det)."),
    status: Optional[StatusWord] = typer.Option(None, "--status", help="Status vid uppföljningen."),
    assessment: Optional[Assessment] = typer.Option(None, "--assessment", "--bedomning",
                                                    help="Bedömning: grön, gul eller röd."),
    comment: Optional[str] = typer.Option(None, "--comment", "--kommentar", help="Kommentar."),
    when: Optional[str] = typer.Option(None, "--date", "--datum", help="Uppföljningens datum (standard: i dag)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Visa ändringen utan att skriva."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
) -> int:
    """Lägg till en daterad uppföljning till en åtgärd – utan att röra något annat i filen."""
    from trygg.edit import EditError, add_follow_up, apply
    from trygg.messages import render
    from trygg.repo import RepositoryNotFound

    lang_code = language(lang)
    if not (status or assessment or comment):
        sys.stderr.write(render("E106", {}, lang_code).message + "\n")
        return 2
    try:
        edit = add_follow_up(path, measure, when=parse_today(when),
                             status=status.value if status else None,
                             assessment=assessment.value if assessment else None, comment=comment)
    except RepositoryNotFound as exc:
        r = render("R103", {"path": str(exc.path)}, lang_code)
        sys.stderr.write(f"R103 {r.message}\n  {r.hint}\n")
        return 2
    except EditError as exc:
        r = render(exc.code, exc.params, lang_code)
        sys.stderr.write(f"{exc.code} {r.message}\n" + (f"  {r.hint}\n" if r.hint else ""))
        return 2
    sys.stdout.write(edit.diff)
    if not dry_run:
        apply(edit)
    return 0
