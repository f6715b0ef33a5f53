"""`trygg diff REV1 [REV2]`: what a change does to the plan, in the plan's own terms."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from trygg.commands.common import Lang, language, parse_today


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"


def diff(
    rev1: str = typer.Argument(..., help="Versionen före, t.ex. main eller origin/main."),
    rev2: str | None = typer.Argument(None, help="Versionen efter (standard: filerna som de är nu)."),
    path: Path = typer.Option(Path("."), "--path", "-C", help="Kommunens arkiv (eller en katalog i det)."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="text, eller markdown för en kommentar i en pull request."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Skriv resultatet till en fil."),
    force: bool = typer.Option(False, "--force", help="Skriv över --output även om filen finns med annat innehåll."),
    lang: Lang | None = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
    today: str | None = typer.Option(None, "--today", help="Dagens datum för arbetskatalogen (ÅÅÅÅ-MM-DD)."),
) -> int:
    """Beskriv ändringarna mellan två versioner: åtgärder, ansvar, tidpunkter, status, indikatorer, dokument."""
    from trygg.commands.reporting import (fail, no_history, no_repository, render_named, template_problem,
                                          write)
    from trygg.history import GitUnavailable, UnknownRevision, open_history
    from trygg.messages import ui
    from trygg.plandiff import build_diff, load_side
    from trygg.repo import RepositoryNotFound, find_root
    from trygg.snapshot import Parser
    from trygg.templating import TemplateProblem

    lang_code = language(lang)
    when = parse_today(today)
    try:
        root = find_root(path)
        history = open_history(root)
        parser = Parser()
        old = load_side(root, rev1, when, history, parser)
        new = load_side(root, rev2, when, history, parser)
        context = build_diff(old, new, lang_code)
        if rev2 is None:
            context["to"]["label"] = ui("diff.worktree", lang_code)
        text = render_named("diff", context, lang_code, fmt is DiffFormat.markdown)
    except RepositoryNotFound as exc:
        return no_repository(exc, lang_code)
    except GitUnavailable as exc:
        return no_history(exc.reason, exc.detail, lang_code)
    except UnknownRevision as exc:
        if history.head() is None:  # nothing is committed yet (or HEAD is an unborn branch)
            return no_history("empty", str(history.toplevel), lang_code)
        shallow = "error.unknown-revision-shallow" if history.shallow else "error.unknown-revision"
        return fail(shallow, lang_code, revision=exc.revision)
    except TemplateProblem as exc:
        return template_problem(exc, lang_code)
    return write(text, output, lang_code, sys.stderr, force)
