"""The entry point of the ``trygg`` command: as light as it can be.

A ``trygg check`` that will read files first starts the process that parses them
(:mod:`trygg.load.parallel`): it reads this same command line, finds the repository and parses
its files while this process imports typer, pydantic and the models (issue 5). Only then is the
typer application imported (:mod:`trygg.app`). Reading the command line here is a guess, never a
decision: the parsed files are used only if they are byte for byte the ones the check reads.
"""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

# `trygg check`'s options that take a value, and its flags (a test compares them with the command)
CHECK_VALUES = frozenset({"--today", "--format", "-f", "--output", "-o", "--lang", "--jobs", "-j"})
CHECK_FLAGS = frozenset({"--force", "--no-cache"})


class CheckLine(NamedTuple):
    """What a ``trygg check`` command line asks for, as far as parsing the files goes."""

    path: str
    today: str | None
    use_cache: bool
    jobs: str | None


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn every outcome into an exit code, never a traceback.

    Called as the program (``argv`` None), the objects that remain are left out of the garbage
    collector's last full pass when Python exits: they are freed all the same, and that pass
    only walked them, ~50 ms after a cold check of one municipality (issue 5).
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        return _run(args)
    finally:
        if argv is None:
            import gc

            gc.freeze()


def _run(args: list[str]) -> int:
    from trygg.pydantic_plugins import plugin_loader_on_demand

    line = read_check_line(args)
    early = line if line is not None and line.jobs != "1" else None  # may parse in a second process
    if early is not None:
        from trygg.load.parallel import start_parser

        start_parser(guess=lambda: _guess(early))
    try:
        with plugin_loader_on_demand():
            from trygg.app import run

            return run(args)
    finally:
        if early is not None:
            from trygg.load.parallel import stop_parser

            stop_parser()


def read_check_line(args: list[str]) -> CheckLine | None:
    """``args`` read as click will read them if they are a ``trygg check`` command line; None for
    anything else (another command, ``--help``, an option or argument click would refuse)."""
    if args[:1] != ["check"]:
        return None
    values: dict[str, str] = {}
    flags: set[str] = set()
    positional: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            positional.extend(rest)
        elif arg.startswith("--"):
            name, equals, value = arg.partition("=")
            if name in CHECK_FLAGS and not equals:
                flags.add(name)
                continue
            if name not in CHECK_VALUES:
                return None
            if not equals:
                value = next(rest, None)  # type: ignore[assignment]
            if value is None:
                return None
            values[name] = value
        elif arg.startswith("-") and arg != "-":
            name, value = arg[:2], arg[2:] or next(rest, None)  # type: ignore[assignment]
            if name not in CHECK_VALUES or value is None:
                return None
            values[{"-j": "--jobs"}.get(name, name)] = value
        else:
            positional.append(arg)
    if len(positional) > 1:
        return None
    return CheckLine(positional[0] if positional else ".", values.get("--today"),
                     "--no-cache" not in flags, values.get("--jobs"))


def _guess(line: CheckLine) -> Any:
    from trygg.check import guess_sources

    return guess_sources(line.path, today=line.today, use_cache=line.use_cache)
