"""Täckning: the knowledge-based chain – lägesbild → orsak → åtgärd → uppföljning – has no gaps."""

from __future__ import annotations

import re
from collections.abc import Iterator

from trygg.findings import Finding, Severity
from trygg.model.documents import Agreement, Plan, SituationReport
from trygg.rules.base import Context, compiled_when_used, rule


@rule("K101", Severity.WARNING)
def focus_area_without_measure(ctx: Context) -> Iterator[Finding]:
    """Ett fokusområde har ingen åtgärd.

    Ett fokusområde som ingen åtgärd tjänar är en avsikt utan genomförande. Koppla minst en
    åtgärd till det med `fokusområde:` – i samma dokument eller i en åtgärdsplan.

    Fel: strategin har `fokusområden: [{id: fo-3, …}]` och ingen åtgärd har `fokusområde: fo-3`.

    Rätt: en åtgärd i åtgärdsplanen med `fokusområde: fo-3`.
    """
    used = {fa for ref in ctx.measures for fa in ref.measure.focus_areas}
    for file, doc in ctx.documents:
        if not isinstance(doc, Plan):
            continue
        for i, area in enumerate(doc.focus_areas):
            if area.id not in used:
                yield ctx.finding("K101", file.loaded.location(("fokusområden", i, "id")),
                                  area=area.id, title=area.title)


@rule("K102", Severity.WARNING)
def priority_problem_without_measure(ctx: Context) -> Iterator[Finding]:
    """Ett prioriterat problem i lägesbilden har ingen åtgärd.

    Lagen (2023:196) och Brå: åtgärderna ska utgå från lägesbilden. Ett prioriterat problem som
    ingen åtgärd riktar sig mot (med `problem:` eller `orsak:`) är en lucka i kedjan.

    Fel: `problem: [{id: lb-p1, prioriterad: true, …}]` och ingen åtgärd med `problem: lb-p1`.

    Rätt: en åtgärd med `problem: lb-p1` (och gärna `orsak:` för den orsak den angriper).
    """
    targeted = {p for ref in ctx.measures for p in ref.measure.problems}
    caused = {c for ref in ctx.measures for c in ref.measure.causes}
    for file, doc in ctx.documents:
        if not isinstance(doc, SituationReport):
            continue
        for i, problem in enumerate(doc.problems):
            if problem.prioritised and problem.id not in targeted and not any(
                    c.id in caused for c in problem.causes):
                yield ctx.finding("K102", file.loaded.location(("problem", i, "id")),
                                  problem=problem.id, title=problem.title)


@rule("K103", Severity.WARNING)
def unlinked_measure(ctx: Context) -> Iterator[Finding]:
    """Åtgärden är inte kopplad till något problem, någon orsak, något fokusområde eller någon inriktning.

    En åtgärd i en åtgärdsplan ska gå att spåra tillbaka till varför den finns.

    Fel:

    ```yaml
    - id: ap-9
      titel: Ny belysning i gångtunneln
      ansvarig: tekniska-forvaltningen
    ```

    Rätt:

    ```yaml
    - id: ap-9
      titel: Ny belysning i gångtunneln
      problem: lb-p4
      ansvarig: tekniska-forvaltningen
    ```
    """
    for ref in ctx.measures:
        if ref.section == "medborgarlöften":
            continue
        m = ref.measure
        if not (m.problems or m.causes or m.focus_areas or m.directions):
            yield ctx.finding("K103", ref.location("id"), id=m.id)


@rule("K104", Severity.INFO)
def indicator_incomplete(ctx: Context) -> Iterator[Finding]:
    """En indikator saknar utgångsvärde eller mål.

    Utan utgångsvärde går det inte att se en förändring; utan mål går det inte att säga om den räcker.

    Fel:

    ```yaml
    indikatorer:
      - namn: Andel otrygga i medborgarundersökningen
    ```

    Rätt:

    ```yaml
    indikatorer:
      - namn: Andel otrygga i medborgarundersökningen
        utgångsvärde: {år: 2024, värde: 31}
        mål: {år: 2026, värde: 26}
    ```
    """
    for ref in ctx.measures:
        for i, ind in enumerate(ref.measure.indicators):
            missing = [k for k, v in (("utgångsvärde", ind.baseline), ("mål", ind.target)) if v is None]
            if missing:
                yield ctx.finding("K104", ref.location("indikatorer", i, "namn"), id=ref.measure.id,
                                  indicator=ind.name, missing=" och ".join(missing),
                                  missing_en=" and ".join("baseline" if k == "utgångsvärde" else "target" for k in missing))


@rule("K105", Severity.WARNING)
def promise_without_follow_up(ctx: Context) -> Iterator[Finding]:
    """Ett medborgarlöfte saknar uppföljning.

    Medborgarlöften är löften till invånarna och ska följas upp och redovisas offentligt.

    Fel: ett medborgarlöfte utan `uppföljning`.

    Rätt: minst en daterad post i `uppföljning` med status och kommentar.
    """
    for ref in ctx.measures:
        if ref.section == "medborgarlöften" and not ref.measure.follow_up:
            yield ctx.finding("K105", ref.location("id"), id=ref.measure.id)


_CHANGE = re.compile(r"\b(minska|minskar|öka|ökar|halvera|sänka|höja)\b", re.IGNORECASE)
_QUANTITY = compiled_when_used(r"\b(andel(en)?|antal(et)?|nivå(n)?|procent)\b|%", re.IGNORECASE)


# Each of _CHANGE's words holds one of these, and every character that matches one of their
# letters when case is ignored lower-cases to that letter (tests/test_rules.py checks; not so for
# i and s, which İ, ı and ſ match).
_CHANGE_HINTS = ("ka", "halvera", "höja")


def _may_name_a_change(title: str) -> bool:
    """Whether ``_CHANGE`` may match ``title``: its lower case holds one of ``_CHANGE_HINTS``.

    A fifteenth of the cost of the search, which tries its seven words at every word boundary.
    """
    return any(map(title.lower().__contains__, _CHANGE_HINTS))


@rule("K106", Severity.INFO)
def outcome_as_measure(ctx: Context) -> Iterator[Finding]:
    """Åtgärden ser ut som ett effektmål snarare än en åtgärd.

    "Minska andelen otrygga till 26 %" säger vad som ska uppnås, inte vad någon ska göra.
    Flytta målet till en indikator (`mål:`) och skriv vad som ska göras som åtgärd.

    Fel:

    ```yaml
    titel: Minska andelen otrygga till 26 %
    ```

    Rätt:

    ```yaml
    titel: Trygghetsvandringar i de tre mest otrygga områdena
    indikatorer:
      - namn: Andel otrygga
        utgångsvärde: {år: 2024, värde: 31}
        mål: {år: 2026, värde: 26}
    ```
    """
    for ref in ctx.measures:
        if ref.section == "medborgarlöften":
            continue
        title = ref.measure.title
        if _may_name_a_change(title) and _CHANGE.search(title) and _QUANTITY().search(title):
            yield ctx.finding("K106", ref.location("titel"), id=ref.measure.id)


RULES = [focus_area_without_measure, priority_problem_without_measure, unlinked_measure,
         indicator_incomplete, promise_without_follow_up, outcome_as_measure]

__all__ = ["Agreement", "RULES"]
