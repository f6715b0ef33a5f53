"""Lagkrav: the duties of lag (2023:196) om kommuners ansvar för brottsförebyggande arbete.

4 § requires a lägesbild; the preparatory works require an åtgärdsplan decided from it and a
samordningsfunktion. These rules look at the repository as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from trygg.findings import Finding, Location, Severity
from trygg.model.documents import ActionPlan, SituationReport
from trygg.repo import CONFIG_NAME
from trygg.rules.base import Context, rule


def _repo_location(ctx: Context) -> Location:
    """Repository-wide duties are told at trygg.yaml's first key (the municipality), not its comments."""
    config = ctx.repo.config_file
    if config is None:
        return Location(".", 0, 0)
    data = config.loaded.data
    if isinstance(data, dict) and data:
        return config.loaded.location((next(iter(data)),), key=True)
    return Location(CONFIG_NAME, 1, 1)


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (1 if b.day < a.day else 0)


@rule("L101", Severity.WARNING)
def no_situation_report(ctx: Context) -> Iterator[Finding]:
    """Det finns ingen lägesbild (4 § lag 2023:196).

    Kommunen ska ta fram en lägesbild med en kartläggning av brottsligheten, dess omfattning och
    konsekvenser, annan relevant information och en analys. Lägg den i arkivet som `typ: lägesbild`.
    """
    if not any(isinstance(d, SituationReport) for _, d in ctx.documents):
        yield ctx.finding("L101", _repo_location(ctx))


@rule("L102", Severity.WARNING)
def old_situation_report(ctx: Context) -> Iterator[Finding]:
    """Den senaste lägesbilden är äldre än kommunens gräns (standard 24 månader).

    SOU 2021:49 föreslog att lägesbilden uppdateras minst vartannat år; gränsen ställs in med
    `inställningar: gränser: lägesbild_max_ålder_månader`.

    Fel (med `--today 2026-11-23`): senaste lägesbilden `upprättad: 2024-03-01`.

    Rätt: en ny lägesbild upprättad inom gränsen.
    """
    reports = [(f, d) for f, d in ctx.documents if isinstance(d, SituationReport)]
    if not reports:
        return
    file, newest = max(reports, key=lambda fd: fd[1].prepared)
    age = _months_between(newest.prepared, ctx.today)
    if age > ctx.thresholds.situation_report_max_months:
        yield ctx.finding("L102", file.loaded.location(("upprättad",)), document=newest.id,
                          prepared=newest.prepared.isoformat(), months=age,
                          limit=ctx.thresholds.situation_report_max_months)


@rule("L103", Severity.WARNING)
def no_decided_action_plan(ctx: Context) -> Iterator[Finding]:
    """Det finns ingen beslutad åtgärdsplan.

    Utifrån lägesbilden ska kommunen besluta om åtgärder (prop. 2022/23:43). En åtgärdsplan
    utan `beslut:` är ett förslag.

    Rätt: en `typ: åtgärdsplan` med `beslut: {organ: kommunstyrelsen, datum: …}`.
    """
    plans = [(f, d) for f, d in ctx.documents if isinstance(d, ActionPlan)]
    if any(d.decision is not None for _, d in plans):
        return
    if plans:
        file, plan = plans[0]
        yield ctx.finding("L103", file.loaded.location(("id",)), document=plan.id)
    else:
        yield ctx.finding("L103", _repo_location(ctx), document="–")


@rule("L104", Severity.WARNING)
def plan_not_on_newest_report(ctx: Context) -> Iterator[Finding]:
    """Den senaste beslutade åtgärdsplanen bygger inte på den senaste lägesbilden.

    Fel: `baserad_på: [lagesbild-2023]` när `lagesbild-2025` finns.

    Rätt: `baserad_på: [lagesbild-2025]` – eller en ny åtgärdsplan som gör det.
    """
    reports = [d for _, d in ctx.documents if isinstance(d, SituationReport)]
    plans = [(f, d) for f, d in ctx.documents if isinstance(d, ActionPlan) and d.decision is not None]
    if not reports or not plans:
        return
    newest = max(reports, key=lambda d: d.prepared)
    file, plan = max(plans, key=lambda fd: fd[1].decision.date)  # type: ignore[union-attr]
    if newest.id not in plan.based_on:
        key = ("baserad_på",) if plan.based_on else ("id",)
        yield ctx.finding("L104", file.loaded.location(key), document=plan.id, report=newest.id)


@rule("L105", Severity.WARNING)
def no_coordination(ctx: Context) -> Iterator[Finding]:
    """Ingen samordningsfunktion är utsedd.

    Kommunen ska ha en samordningsfunktion för det brottsförebyggande arbetet – ett strategiskt
    råd, en styrgrupp eller en samordnare. Ange den med `samordning:` i policy, strategi eller
    riktlinjer.
    """
    if not any(d.coordination for _, d in ctx.documents):
        yield ctx.finding("L105", _repo_location(ctx))


RULES = [no_situation_report, old_situation_report, no_decided_action_plan,
         plan_not_on_newest_report, no_coordination]
