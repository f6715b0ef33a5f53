"""``trygg report``: git history + the repository → a report context (plain data) → a Jinja template.

Why this split: the context is data that a test, a JSON export or a
municipality's own template can use as it is; the template decides only how it
reads. Nothing here prints; :func:`build_context` returns a dict of strings,
numbers, dates, lists and dicts (safe to hand to a sandboxed template) and
:func:`render_report` renders it.

History semantics (issue 4): the state at period end is the repository at the
last commit on or before the period's last day (or today, for a period not yet
over); what changed in the period comes from the commits inside it; measures are
followed by id. Without git, or before the history begins, the report uses the
files on disk and says why the history sections are missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from trygg import __version__
from trygg.repo import Repository, find_root, load_repository


class ReportError(Exception):
    """A report that cannot be made as asked (unknown owner, bad period); ``key`` is a message key."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @staticmethod
    def year(year: int) -> Period:
        if not 1000 <= year <= 9999:
            raise ReportError("error.period", value=str(year))
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))

    @staticmethod
    def parse(text: str) -> Period:
        """``2025-01-01..2025-08-31`` (or with ``–``); a bare year is a whole year."""
        text = text.strip()
        if re.fullmatch(r"\d{4}", text):
            return Period.year(int(text))
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|/)\s*(\d{4}-\d{2}-\d{2})", text)
        if not m:
            raise ReportError("error.period", value=text)
        try:
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        except ValueError:
            raise ReportError("error.period", value=text) from None
        if end < start:
            raise ReportError("error.period-order", value=text)
        return Period(start, end, f"{start.isoformat()}–{end.isoformat()}")


@dataclass
class Source:
    """The version the report describes, and what is known about its history."""

    repo: Repository
    span: Any = None  # trygg.timeline.Span when history is available
    git: dict[str, Any] | None = None


def load_source(root: Path, period: Period, as_of: date, lang: str, use_git: bool = True) -> Source:
    """The repository at ``as_of`` and the history of the period, or the files on disk and why.

    In a shallow clone the oldest commit git has stands for everything before it
    (git shows it as adding every file): the period's changes are counted from it,
    never from nothing, and a note says the history before it is missing.
    """
    from trygg.messages import ui

    git: dict[str, Any] = {"available": False, "notes": [], "reason": None, "shallow": False,
                           "dirty": [], "commit": None, "commits": 0, "first_day": None, "merging": False}
    if not use_git:
        git["reason"] = ui("git.disabled", lang)
        return Source(load_repository(root), None, git)
    from trygg.history import GitUnavailable, open_history
    from trygg.timeline import Timeline, changed_on_disk, repository_at

    try:
        history = open_history(root)
        timeline = Timeline(history)
        if not timeline.entries:
            if history.head() is None:
                raise GitUnavailable("empty", str(history.toplevel))
            raise GitUnavailable("not-tracked", str(history.toplevel))
        git["shallow"] = history.shallow
        git["merging"] = history.merging
        git["first_day"] = timeline.first_day
        git["dirty"] = changed_on_disk(root, timeline.tree(len(timeline.entries) - 1))
        i_end = timeline.cut(as_of)
        if i_end < 0:
            git["reason"] = ui("git.before-history", lang, first=timeline.first_day)
            return Source(load_repository(root), None, _notes(git, lang))
        i_before = timeline.cut(period.start - timedelta(days=1))
        if history.shallow and i_before < 0:
            i_before = 0
        span = timeline.span(i_before, i_end)
        repo = repository_at(history, timeline.tree(i_end), root.resolve())
    except GitUnavailable as exc:
        git["reason"] = ui(f"git.{exc.reason}", lang, detail=exc.detail)
        return Source(load_repository(root), None, git)
    commit = timeline.entries[i_end].commit
    git.update(available=True, commits=len(span.commits),
               commit={"sha": commit.short, "date": commit.day, "author": commit.author,
                       "subject": commit.subject})
    if i_before < 0 and not history.shallow:
        git["notes"].append(ui("git.began-in-period", lang, first=timeline.first_day))
    return Source(repo, span, _notes(git, lang))


def _notes(git: dict[str, Any], lang: str) -> dict[str, Any]:
    from trygg.messages import ui

    if git["shallow"]:
        git["notes"].insert(0, ui("git.shallow", lang, first=git["first_day"]))
    if git.get("merging"):
        git["notes"].append(ui("git.merging", lang))
    if git["dirty"]:
        shown = ", ".join(git["dirty"][:5]) + (" …" if len(git["dirty"]) > 5 else "")
        git["notes"].append(ui("git.dirty", lang, count=len(git["dirty"]), files=shown))
    return git


def build_context(path: Path | str, period: Period, *, today: date, lang: str = "sv",
                  owner: str | None = None, use_git: bool = True) -> dict[str, Any]:
    """Everything the report states, as plain data (see :mod:`trygg.reportdata` for the definitions)."""
    from trygg.check import check_repository
    from trygg.reportsections import Sections

    root = find_root(Path(path))
    complete = today > period.end
    as_of = period.end if complete else today
    evaluation = period.end + timedelta(days=1) if complete else today
    source = load_source(root, period, as_of, lang, use_git)
    repo = source.repo
    config = repo.config
    if owner is not None and repo.get("org", owner) is None:
        from trygg.suggest import suggest

        raise ReportError("error.unknown-owner", id=owner,
                          suggestion=suggest(owner, [e.id for e in repo.all("org")]) or "")
    result = check_repository(repo, today=evaluation)
    sections = Sections(repo, source.span, period, as_of, evaluation, lang, owner)
    return {
        "lang": lang,
        "version": __version__,
        "municipality": config.municipality if config is not None else root.name,
        "code": config.code if config is not None else None,
        "period": {"start": period.start, "end": period.end, "label": period.label,
                   "complete": complete, "as_of": as_of, "evaluation_day": evaluation,
                   "whole_year": period.start.month == 1 and period.start.day == 1
                   and period.end == date(period.start.year, 12, 31)},
        "today": today,
        "owner": sections.owner_info(),
        "git": source.git,
        "history": source.span is not None,
        "documents": sections.documents(),
        **sections.measure_sections(),
        "changes": sections.changes(),
        "findings": sections.findings(result.findings),
        "findings_total": len(result.findings),
    }


def render_report(context: dict[str, Any], *, lang: str = "sv", template: Path | None = None) -> str:
    from trygg.templating import render

    return render(f"{lang}/rapport.md.j2", context, lang=lang, user_template=template)
