"""`trygg history ID`: the life of one measure, commit by commit."""

from __future__ import annotations

from pathlib import Path

import typer

from trygg.commands.common import Lang, language
from trygg.commands.diff import DiffFormat


def history(
    measure_id: str = typer.Argument(..., metavar="ID", help="Åtgärdens id, t.ex. ap-3."),
    path: Path = typer.Argument(Path("."), help="Kommunens arkiv (eller en katalog i det)."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="text eller markdown."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Skriv resultatet till en fil."),
    force: bool = typer.Option(False, "--force", help="Skriv över --output även om filen finns med annat innehåll."),
    lang: Lang | None = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
) -> int:
    """Visa en åtgärds historik: varje incheckning som ändrade den, när, av vem och vad."""
    from trygg.commands.reporting import (fail, no_history, no_repository, render_named, suggestion,
                                          template_problem, write)
    from trygg.history import GitUnavailable
    from trygg.measurehistory import UnknownMeasure, build_history
    from trygg.repo import RepositoryNotFound, find_root
    from trygg.templating import TemplateProblem

    lang_code = language(lang)
    try:
        context = build_history(find_root(path), measure_id.strip(), lang_code)
        text = render_named("historik", context, lang_code, fmt is DiffFormat.markdown)
    except RepositoryNotFound as exc:
        return no_repository(exc, lang_code)
    except GitUnavailable as exc:
        return no_history(exc.reason, exc.detail, lang_code)
    except UnknownMeasure as exc:
        return fail("error.unknown-measure", lang_code, id=exc.measure_id,
                    suggestion=suggestion(lang_code, exc.suggestion))
    except TemplateProblem as exc:
        return template_problem(exc, lang_code)
    return write(text, output, lang_code, force=force)
