"""What `trygg report`, `trygg diff` and `trygg history` share at the CLI boundary.

Why: each of them turns the same user errors (no repository, an unknown
revision, a broken template, a file that cannot be written) into one located
line on stderr and exit code 2, and writes its output the same way.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO


def fail(key: str, lang: str, err: TextIO | None = None, **params: Any) -> int:
    """Write the catalogue message ``key`` to stderr as one line; exit code 2 (could not run).

    The parameters are what a user typed or git said (a revision, a path, a file
    name that is not UTF-8): each is shown with its control characters escaped, so
    the message stays one line and cannot drive the terminal.
    """
    from trygg.load.text import printable_path
    from trygg.messages import ui
    from trygg.reporters.text import safe

    shown = {k: safe(printable_path(v)) if isinstance(v, str) else v for k, v in params.items()}
    (err or sys.stderr).write(f"trygg: {ui(key, lang, **shown)}\n")
    return 2


def no_repository(exc: Any, lang: str, err: TextIO | None = None) -> int:
    from trygg.messages import render

    r = render("R103", {"path": str(exc.path)}, lang)
    (err or sys.stderr).write(f"R103 {r.message}\n  {r.hint}\n")
    return 2


def suggestion(lang: str, value: str | None) -> str:
    from trygg.messages import ui

    return ui("error.did-you-mean", lang, suggestion=value) if value else ""


def no_history(reason: str, detail: str, lang: str, err: TextIO | None = None) -> int:
    """Git history cannot be read (``reason`` is a ``git.*`` message key): one line, exit 2."""
    from trygg.messages import ui

    return fail("error.no-history", lang, err, reason=ui(f"git.{reason}", lang, detail=detail))


def render_named(stem: str, context: dict[str, Any], lang: str, markdown: bool) -> str:
    """Render ``<lang>/<stem>.md.j2`` (Markdown, escaped as such) or ``<lang>/<stem>.txt.j2`` (text)."""
    from trygg.templating import render

    suffix, kind = ("md", "markdown") if markdown else ("txt", "text")
    return render(f"{lang}/{stem}.{suffix}.j2", context, lang=lang, kind=kind)


def template_problem(exc: Any, lang: str, err: TextIO | None = None) -> int:
    kind, _, detail = exc.message.partition(":")
    return fail(f"error.template.{kind}", lang, err, where=exc.where or "", detail=detail.strip())


def write(text: str, output: Path | None, lang: str, err: TextIO | None = None, force: bool = False) -> int:
    """Print ``text`` or write it atomically to ``output``; 0, or 2 when the file cannot be written
    or already exists with other content (without ``--force``)."""
    from trygg.commands.common import OutputExists, emit

    try:
        emit(text, output, force)
    except OutputExists as exc:
        return fail("error.output-exists", lang, err, path=str(exc.path))
    except OSError as exc:
        return fail("error.output", lang, err, path=str(output), detail=exc.strerror or str(exc))
    return 0


def run_report(path: Path, *, year: int | None, period: str | None, owner: str | None,
               template: Path | None, output: Path | None, lang: str, today: date,
               use_git: bool, err: TextIO, force: bool = False) -> int:
    from trygg.repo import RepositoryNotFound
    from trygg.report import Period, ReportError, build_context, render_report
    from trygg.templating import TemplateProblem

    try:
        chosen = Period.year(year) if year is not None else Period.parse(period) if period else Period.year(today.year)
        context = build_context(path, chosen, today=today, lang=lang, owner=owner, use_git=use_git)
        text = render_report(context, lang=lang, template=template)
    except RepositoryNotFound as exc:
        return no_repository(exc, lang, err)
    except ReportError as exc:
        params = dict(exc.params)
        if "suggestion" in params:
            params["suggestion"] = suggestion(lang, params["suggestion"])
        return fail(exc.key, lang, err, **params)
    except TemplateProblem as exc:
        return template_problem(exc, lang, err)
    return write(text, output, lang, err, force)
