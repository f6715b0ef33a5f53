"""Tid: what is late, what is due, what has expired, what must be revised.

Every rule takes today's date from the run (``--today``), so results are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from trygg.findings import Finding, Severity
from trygg.model.types import Revision, Status
from trygg.rules.base import Context, rule


@rule("T101", Severity.WARNING)
def late(ctx: Context) -> Iterator[Finding]:
    """Åtgärden är försenad: `klart_senast` har passerat och den är varken genomförd eller avbruten.

    "Försenad" skrivs inte in för hand; trygg räknar fram det från `klart_senast`, dagens
    datum (`--today`) och status. Tidsuttryck som `våren 2025` tolkas enligt `tidstolkning`.

    Fel (med `--today 2026-01-15`):

    ```yaml
    klart_senast: hösten 2025
    status: pågår
    ```

    Rätt: rapportera `status: genomförd` med en daterad uppföljning, eller skjut upp
    `klart_senast` genom ett beslut (ändringen syns i `trygg diff` och i årsrapporten).
    """
    for ref in ctx.measures:
        due = ctx.due(ref)
        if due is not None and due < ctx.today and not ctx.is_closed(ref):
            yield ctx.finding("T101", ref.location("klart_senast"), id=ref.measure.id,
                              due=due.isoformat(), days=(ctx.today - due).days)


@rule("T102", Severity.INFO)
def due_soon(ctx: Context) -> Iterator[Finding]:
    """Åtgärden ska vara klar inom kort (standard 30 dagar, `snart_förfallen_dagar`).

    Fel (informativt, med `--today 2026-06-10`): `klart_senast: 2026-06-30` och `status: pågår`.

    Rätt: inget att rätta – en påminnelse till den ansvariga.
    """
    horizon = ctx.today + timedelta(days=ctx.thresholds.due_soon_days)
    for ref in ctx.measures:
        due = ctx.due(ref)
        if due is not None and ctx.today <= due <= horizon and not ctx.is_closed(ref):
            yield ctx.finding("T102", ref.location("klart_senast"), id=ref.measure.id,
                              due=due.isoformat(), days=(due - ctx.today).days)


@rule("T103", Severity.WARNING)
def done_without_follow_up(ctx: Context) -> Iterator[Finding]:
    """Åtgärden är markerad genomförd men har ingen daterad uppföljning.

    Att något är genomfört ska gå att följa: när, och av vem rapporterat.

    Fel:

    ```yaml
    status: genomförd
    ```

    Rätt:

    ```yaml
    status: genomförd
    uppföljning:
      - datum: 2025-11-30
        status: genomförd
        bedömning: grön
        kommentar: Slutrapport till styrgruppen.
    ```
    """
    done = Status.DONE  # an Enum member from its class costs a dozen lookups: once
    for ref in ctx.measures:
        m = ref.measure
        if ctx.status(ref) is done and not any(f.status is done for f in m.follow_up):
            key = ("status",) if m.status is not None else ("uppföljning",)
            yield ctx.finding("T103", ref.location(*key), id=m.id)


@rule("T104", Severity.WARNING)
def outside_validity(ctx: Context) -> Iterator[Finding]:
    """Åtgärdens datum ligger utanför giltighetstiden för dokumentet som innehåller den.

    En åtgärd i en plan för 2025–2026 som ska vara klar 2028 hör till nästa plan (eller så
    är giltighetstiden fel).

    Fel: `giltighet: {från: 2025-01-01, till: 2026-12-31}` och `klart_senast: 2028`.

    Rätt: `klart_senast: 2026` eller `klart_senast: planperiodens slut`.
    """
    for ref in ctx.measures:
        start, end = ctx.valid_from(ref.document), ctx.valid_to(ref.document)
        due = ctx.due(ref)
        if end is not None and due is not None and due > end:
            yield ctx.finding("T104", ref.location("klart_senast"), id=ref.measure.id,
                              day=due.isoformat(), start=str(start or "…"), end=end.isoformat())
        elif start is not None and ref.measure.start is not None and ref.measure.start < start:
            yield ctx.finding("T104", ref.location("start"), id=ref.measure.id,
                              day=ref.measure.start.isoformat(), start=start.isoformat(),
                              end=str(end or "tills vidare"))


def _started(ctx: Context, ref) -> date | None:  # type: ignore[no-untyped-def]
    return ref.measure.start or ctx.valid_from(ref.document)


@rule("T105", Severity.WARNING)
def stale_follow_up(ctx: Context) -> Iterator[Finding]:
    """Den senaste uppföljningen är äldre än kommunens uppföljningsintervall.

    Pågående och löpande åtgärder ska följas upp minst så ofta som `uppföljning_max_dagar`
    (standard 365, årsredovisningen) säger.

    Fel (med `--today 2026-11-23`): senaste `uppföljning` daterad 2025-03-31, `status: pågår`.

    Rätt: en ny daterad post i `uppföljning` vid delårs- eller årsrapporten.
    """
    limit = timedelta(days=ctx.thresholds.follow_up_max_days)
    for ref in ctx.measures:
        m = ref.measure
        if ctx.is_closed(ref) or not m.follow_up:
            continue
        newest = max(m.follow_up, key=lambda f: f.date)
        if ctx.today - newest.date > limit:
            i = m.follow_up.index(newest)
            yield ctx.finding("T105", ref.location("uppföljning", i, "datum"), id=m.id,
                              last=newest.date.isoformat(), days=ctx.thresholds.follow_up_max_days)


@rule("T106", Severity.WARNING)
def never_followed_up(ctx: Context) -> Iterator[Finding]:
    """Åtgärden har aldrig följts upp, fast den började för mer än ett uppföljningsintervall sedan.

    Brå:s arbetsmodell slutar inte vid beslutet: lägesbild → åtgärd → uppföljning. En
    åtgärd utan en enda daterad uppföljning vet ingen något om.

    Fel (med `--today 2026-11-23`): en åtgärd från 2008 utan `uppföljning`.

    Rätt: en `uppföljning` med datum, status, bedömning och kommentar.
    """
    limit = timedelta(days=ctx.thresholds.follow_up_max_days)
    cancelled = Status.CANCELLED
    for ref in ctx.measures:
        m = ref.measure
        started = _started(ctx, ref)
        if m.follow_up or started is None or ctx.today - started <= limit:
            continue
        if m.status is cancelled:
            continue
        yield ctx.finding("T106", ref.location("id"), id=m.id, since=started.isoformat())


@rule("T107", Severity.WARNING)
def expired_document(ctx: Context) -> Iterator[Finding]:
    """Dokumentets giltighetstid har gått ut, och inget nyare dokument av samma slag finns.

    Ett utgånget styrdokument som ändå är det senaste av sitt slag betyder att kommunen
    arbetar utan gällande styrning på området.

    Fel (med `--today 2026-11-23`): riktlinjer med `giltighet: {till: 2022-12-31}` och inga nyare riktlinjer.

    Rätt: besluta nya riktlinjer (med `ersätter:` det gamla dokumentets id) eller förläng giltigheten.
    """
    replaced = ctx.replaced_ids()
    for file, doc in ctx.documents:
        end = ctx.valid_to(doc)
        if end is None or end >= ctx.today or doc.id in replaced:
            continue
        kind = file.kind
        newer = [d for f, d in ctx.documents if f.kind == kind and d is not doc
                 and ((ctx.valid_from(d) or date.min) > end or ctx.until_further_notice(d)
                      or (ctx.valid_to(d) or date.min) > end)]
        if not newer:
            yield ctx.finding("T107", file.loaded.location(("giltighet", "till")), document=doc.id,
                              end=end.isoformat(), kind=kind)


def mandate_period_start(day: date) -> date:
    """The start of the mandate period ``day`` falls in: 15 October after the September election
    (2022, 2026, 2030 …: every fourth year since 2014)."""
    year = day.year
    while (year - 2014) % 4:
        year -= 1
    start = date(year, 10, 15)
    return start if start <= day else date(year - 4, 10, 15)


@rule("T108", Severity.WARNING)
def revision_due(ctx: Context) -> Iterator[Finding]:
    """Dokumentet ska revideras: revisionsdatumet har passerat, eller `revision: ny mandatperiod`
    och en ny mandatperiod har börjat sedan beslutet.

    Mandatperioder börjar den 15 oktober efter valet i september (2022, 2026, 2030 …).
    Solnas trygghetsstrategi (beslutad 2023-12-18, "revideras varje ny mandatperiod") ska
    därför revideras från 2026-10-15.

    Fel (med `--today 2026-11-23`): `beslut: {datum: 2023-12-18}` och `revision: ny mandatperiod`.

    Rätt: ett nytt beslut om reviderat dokument, eller ett nytt revisionsdatum.
    """
    replaced = ctx.replaced_ids()
    for file, doc in ctx.documents:
        if doc.revision is None or doc.id in replaced:
            continue
        if isinstance(doc.revision, date):
            if doc.revision <= ctx.today:
                yield ctx.finding("T108", file.loaded.location(("revision",)), document=doc.id,
                                  due=doc.revision.isoformat())
        elif doc.revision is Revision.NEW_TERM and doc.decision is not None:
            term = mandate_period_start(ctx.today)
            if doc.decision.date < term:
                yield ctx.finding("T108", file.loaded.location(("revision",)), document=doc.id,
                                  due=term.isoformat())


@rule("T109", Severity.WARNING)
def reference_to_replaced(ctx: Context) -> Iterator[Finding]:
    """Ett dokument hänvisar till ett dokument som har ersatts.

    Fel: `konkretiserar: [trygghetspolicy-2008]` när strategin `ersätter: [trygghetspolicy-2008]`.

    Rätt: hänvisa till det dokument som gäller nu.
    """
    replaced = ctx.replaced_ids()
    for ref in ctx.repo.references:
        if ref.kind != "document" or ref.key == "ersätter" or ref.id not in replaced:
            continue
        yield ctx.finding("T109", ref.location, id=ref.id, by=replaced[ref.id])


@rule("T110", Severity.ERROR)
def inverted_period(ctx: Context) -> Iterator[Finding]:
    """Giltighetstiden slutar före den börjar.

    Fel: `giltighet: {från: 2026-01-01, till: 2025-12-31}`.

    Rätt: `giltighet: {från: 2025-01-01, till: 2026-12-31}`.
    """
    for file, doc in ctx.documents:
        start, end = ctx.valid_from(doc), ctx.valid_to(doc)
        if doc.validity and doc.validity.start and end and end < doc.validity.start:
            yield ctx.finding("T110", file.loaded.location(("giltighet", "till")), start=str(start),
                              end=end.isoformat())


RULES = [late, due_soon, done_without_follow_up, outside_validity, stale_follow_up,
         never_followed_up, expired_document, revision_due, reference_to_replaced, inverted_period]
