"""The command line: parse options, call the core, hand results to a reporter, return an exit code.

Exit codes: 0 nothing at or above the failing severity, 1 findings, 2 could not run
(no repository, bad arguments, internal error). Nothing here checks anything.
"""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from trygg import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="trygg: kommunens trygghets- och brottsförebyggande styrning som YAML i git.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trygg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Visa versionen och avsluta.")) -> None:
    """trygg: kommunens trygghets- och brottsförebyggande styrning som YAML i git."""


# Explicit registration: every command lives in trygg.commands.<name>.
from trygg.commands.check import check  # noqa: E402
from trygg.commands.followup import followup  # noqa: E402
from trygg.commands.init import init  # noqa: E402
from trygg.commands.rules import rules  # noqa: E402
from trygg.commands.schema import schema  # noqa: E402
from trygg.commands.report import report  # noqa: E402
from trygg.commands.diff import diff  # noqa: E402
from trygg.commands.history import history  # noqa: E402

app.command("check")(check)
app.command("schema")(schema)
app.command("report")(report)
app.command("diff")(diff)
app.command("history")(history)
app.command("rules")(rules)
app.command("followup")(followup)
app.command("init")(init)


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
