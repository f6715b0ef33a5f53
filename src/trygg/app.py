"""The typer application behind :mod:`trygg.cli`: the root group, its lazily built commands, and
the one place where an outcome becomes an exit code.

Exit codes: 0 nothing at or above the failing severity, 1 findings, 2 could not run
(no repository, bad arguments, internal error). Nothing here checks anything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

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


# Explicit registration: every command lives in trygg.commands.<module>, as the function of the
# same name. A command's module is imported, and its click command built, only when that command
# runs (or help lists them all): `trygg check` does not pay for the other seven (issue 5).
COMMANDS: dict[str, str] = {
    "check": "check", "schema": "schema", "report": "report", "diff": "diff",
    "history": "history", "rules": "rules", "followup": "followup", "init": "init",
}


class _LazyCommands(MutableMapping[str, Any]):
    """The root group's commands, each built on first access."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            from importlib import import_module

            from typer.models import CommandInfo

            function = getattr(import_module(f"trygg.commands.{COMMANDS[name]}"), name)
            self._built[name] = typer.main.get_command_from_info(
                CommandInfo(name=name, callback=function),
                pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self._built]))


def command_group() -> Any:
    """The click group of the whole CLI, with its commands built lazily."""
    group = typer.main.get_command(app)
    group.commands = _LazyCommands()  # type: ignore[attr-defined]
    return group


def run(args: list[str]) -> int:
    """Run the command line ``args``; every outcome an exit code, never a traceback."""
    from typer.exceptions import Abort, Exit, TyperException

    command = command_group()
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
