"""The command line: parse options, call the core, hand results to a reporter, return an exit code.

Exit codes: 0 nothing at or above the failing severity, 1 findings, 2 could not run
(no repository, bad arguments, internal error). Nothing here checks anything.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from trygg import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="trygg: kommunens trygghets- och brottsförebyggande styrning som YAML i git.")


class Lang(str, Enum):
    sv = "sv"
    en = "en"


class Format(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trygg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Visa versionen och avsluta.")) -> None:
    """trygg: kommunens trygghets- och brottsförebyggande styrning som YAML i git."""


def _lang(lang: Optional[Lang]) -> str:
    if lang is not None:
        return lang.value
    env = os.environ.get("TRYGG_LANG", "sv")
    return env if env in ("sv", "en") else "sv"


def _color(output: Optional[Path]) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from trygg.writefile import write_atomic

        write_atomic(output, text)


def _parse_today(value: Optional[str]) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD") from None


@app.command()
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

    language = _lang(lang)
    when = _parse_today(today)
    try:
        result = run_check(path, today=when)
    except RepositoryNotFound as exc:
        r = render("R103", {"path": str(exc.path)}, language)
        sys.stderr.write(f"R103 {r.message}\n  {r.hint}\n")
        return 2
    if fmt is Format.json:
        from trygg.reporters.json import format_json

        text = format_json(result, lang=language)
    else:
        from trygg.reporters.text import format_text

        text = format_text(result, lang=language, color=_color(output), concise=fmt is Format.concise)
    _emit(text, output)
    return result.exit_code


@app.command()
def schema(
    directory: Path = typer.Option(Path("schemas"), "--dir", help="Katalogen schemana skrivs till."),
    check_only: bool = typer.Option(False, "--check", help="Skriv inget; avsluta med 1 om något schema är inaktuellt."),
) -> int:
    """Skriv JSON Schema för varje dokumenttyp (för redigerare och andra verktyg)."""
    from trygg.schema import stale_schemas, write_schemas

    if check_only:
        stale = stale_schemas(directory)
        for name in stale:
            sys.stdout.write(f"inaktuellt: {directory / name}\n")
        return 1 if stale else 0
    for changed in write_schemas(directory):
        sys.stdout.write(f"skrev {changed}\n")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: run the app and turn every outcome into an exit code, never a traceback."""
    from typer.exceptions import Abort, Exit, TyperException

    args = sys.argv[1:] if argv is None else argv
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="trygg", standalone_mode=False)
    except Exit as exc:
        return int(exc.exit_code or 0)
    except Abort:
        sys.stderr.write("Avbrutet.\n")
        return 130
    except TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"{exc.format_message()}\n")
        return 2 if exc.exit_code == 1 and "Usage" in type(exc).__name__ else int(exc.exit_code or 2)
    except KeyboardInterrupt:
        sys.stderr.write("Avbrutet.\n")
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # the one place an unexpected error becomes a line, not a traceback
        if os.environ.get("TRYGG_DEBUG"):
            raise
        from trygg.messages import ui

        lang = "en" if "--lang=en" in args or ("--lang" in args and "en" in args) else "sv"
        sys.stderr.write(ui("internal", lang, error=f"{type(exc).__name__}: {exc}") + "\n")
        return 2
    return int(result or 0) if isinstance(result, int) else 0
