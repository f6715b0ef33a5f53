"""Ansvar: every measure has exactly one responsible actor that exists when it should.

Brå: "Klargör vem som har ansvar … annars hamnar de mellan stolarna."
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from trygg.findings import Finding, Severity
from trygg.model.documents import Agreement, Strategy
from trygg.model.org import Organisation
from trygg.model.types import OrgKind, Sector
from trygg.rules.base import Context, MeasureRef, rule


def _joint(ref: MeasureRef) -> bool:
    """A joint measure of a cooperation agreement (medborgarlöften may be one party's alone)."""
    return isinstance(ref.document, Agreement) and ref.section == "åtgärder"


@rule("A101", Severity.ERROR)
def no_owner(ctx: Context) -> Iterator[Finding]:
    """Åtgärden saknar ansvarig.

    En åtgärd utan `ansvarig` hamnar mellan stolarna: ingen ska redovisa den och ingen kan
    fråga någon om den. Ange exakt en aktör ur organisationsregistret.

    Fel:

    ```yaml
    - id: ap-1
      titel: Trygghetsvandringar i Centrum
    ```

    Rätt:

    ```yaml
    - id: ap-1
      titel: Trygghetsvandringar i Centrum
      ansvarig: samhallsbyggnadsforvaltningen
    ```
    """
    for ref in ctx.measures:
        if not ref.measure.owner:
            yield ctx.finding("A101", ref.location("id"), id=ref.measure.id)


@rule("A102", Severity.ERROR)
def several_owners(ctx: Context) -> Iterator[Finding]:
    """Åtgärden har mer än en ansvarig.

    Delat ansvar blir lätt inget ansvar. Välj den som äger åtgärden som `ansvarig` och
    för de övriga till `samverkan`. (I en samverkansöverenskommelse har en gemensam åtgärd
    eller ett gemensamt medborgarlöfte i stället en ansvarig per part, se A104; två
    ansvariga på samma sida är fel även där.)

    Fel:

    ```yaml
    ansvarig: [socialforvaltningen, polisen]
    ```

    Rätt:

    ```yaml
    ansvarig: socialforvaltningen
    samverkan: [polisen]
    ```
    """
    for ref in ctx.measures:
        owners = ref.measure.owner
        if len(owners) <= 1:
            continue
        if isinstance(ref.document, Agreement):
            # one owner per party is the model there; two on the same side is not
            sides = {o.effective_sector for _, o in ctx.owners(ref)}
            if len(sides) == len(owners):
                continue
        yield ctx.finding("A102", ref.location("ansvarig"), id=ref.measure.id, owners=", ".join(owners))


@rule("A103", Severity.WARNING)
def external_sole_owner(ctx: Context) -> Iterator[Finding]:
    """En extern aktör är ensam ansvarig för en kommunal åtgärd.

    Kommunen kan inte besluta åt Polisen, regionen eller en förening. En åtgärd i kommunens
    egna planer behöver en kommunal ansvarig; den externa aktören står under `samverkan`.
    Gemensamma åtgärder hör hemma i samverkansöverenskommelsen.

    Fel:

    ```yaml
    ansvarig: polisen
    ```

    Rätt:

    ```yaml
    ansvarig: kultur-och-fritidsforvaltningen
    samverkan: [polisen]
    ```
    """
    municipal = Sector.MUNICIPAL  # an Enum member from its class costs a dozen lookups: once
    for ref in ctx.measures:
        if isinstance(ref.document, Agreement):
            continue
        owners = ctx.owners(ref)
        if owners and len(owners) == len(ref.measure.owner) and all(
                o.effective_sector is not municipal for _, o in owners):
            yield ctx.finding("A103", ref.location("ansvarig"), id=ref.measure.id,
                              owner=owners[0][1].id)


@rule("A104", Severity.WARNING)
def joint_measure_sides(ctx: Context) -> Iterator[Finding]:
    """En gemensam åtgärd i samverkansöverenskommelsen saknar ansvarig hos en av parterna.

    Polisens samverkansmodell: varje gemensam åtgärd har en ägare hos kommunen och en hos
    Polisen. Ange en ansvarig per sida.

    Fel:

    ```yaml
    åtgärder:
      - id: so-1
        titel: Gemensam lägesbild varje vecka
        ansvarig: sakerhetsenheten
    ```

    Rätt:

    ```yaml
    åtgärder:
      - id: so-1
        titel: Gemensam lägesbild varje vecka
        ansvarig: [sakerhetsenheten, lokalpolisomradet]
    ```
    """
    sides = (Sector.MUNICIPAL, Sector.POLICE)
    for ref in ctx.measures:
        if not _joint(ref) or not ref.measure.owner:
            continue
        sectors = {o.effective_sector for _, o in ctx.owners(ref)}
        missing = [s for s in sides if s not in sectors]
        if missing and len(ctx.owners(ref)) == len(ref.measure.owner):
            yield ctx.finding("A104", ref.location("ansvarig"), id=ref.measure.id,
                              side=missing[0].value)


def _exists(org: Organisation, day: date) -> bool:
    v = org.validity
    if v is None:
        return True
    if v.start and day < v.start:
        return False
    if isinstance(v.end, date) and day > v.end:
        return False
    return True


@rule("A105", Severity.WARNING)
def owner_not_existing(ctx: Context) -> Iterator[Finding]:
    """Den ansvariga aktören finns inte under åtgärdens tid.

    Aktörer bildas och avvecklas (Lysekils samhällsbyggnadsnämnd bildades 2019). En åtgärd
    vars ansvarig bildas senare eller har upphört behöver en ny ansvarig.

    Fel (nämnden bildades 2019):

    ```yaml
    ansvarig: samhallsbyggnadsnamnden
    start: 2018-06-01
    ```

    Rätt:

    ```yaml
    ansvarig: kommunstyrelsen
    start: 2018-06-01
    ```
    """
    for ref in ctx.measures:
        days = [d for d in (ref.measure.start, ctx.due(ref)) if d is not None]
        if not days:
            start = ctx.valid_from(ref.document)
            days = [start] if start else []
        for i, org in ctx.owners(ref):
            if org.validity is None:  # it always exists
                continue
            bad = next((d for d in days if not _exists(org, d)), None)
            if bad is not None:
                key = ("ansvarig", i) if len(ref.measure.owner) > 1 else ("ansvarig",)
                yield ctx.finding("A105", ref.location(*key), id=ref.measure.id, owner=org.id,
                                  day=bad.isoformat())


@rule("A106", Severity.WARNING)
def partner_is_owner(ctx: Context) -> Iterator[Finding]:
    """Samma aktör är både ansvarig och samverkanspart.

    En aktör samverkar inte med sig själv; ta bort den ur `samverkan`.

    Fel:

    ```yaml
    ansvarig: socialforvaltningen
    samverkan: [socialforvaltningen, polisen]
    ```

    Rätt:

    ```yaml
    ansvarig: socialforvaltningen
    samverkan: [polisen]
    ```
    """
    for ref in ctx.measures:
        for i, partner in enumerate(ref.measure.partners):
            if partner in ref.measure.owner:
                yield ctx.finding("A106", ref.location("samverkan", i), id=ref.measure.id, org=partner)


@rule("A107", Severity.INFO)
def group_without_members(ctx: Context) -> Iterator[Finding]:
    """En grupp eller ett råd anges som part men registret säger inte vilka som ingår.

    "I samverkan med samtliga i Trygghetsrådet" betyder något först när rådets medlemmar
    står i organisationsregistret (`medlemmar`, eller `medlemmar_beskrivning` i fritext).

    Fel:

    ```yaml
    - id: trygghetsradet
      namn: Trygghetsrådet
      slag: råd
    ```

    Rätt:

    ```yaml
    - id: trygghetsradet
      namn: Trygghetsrådet
      slag: råd
      medlemmar: [stadsledningsforvaltningen, polisen]
    ```
    """
    reported: set[str] = set()
    groups = (OrgKind.GROUP, OrgKind.ADVISORY)
    for ref in ctx.measures:
        for i, pid in enumerate(ref.measure.partners):
            org = ctx.org(pid)
            if org is None or org.kind not in groups:
                continue
            if org.members or org.members_note or pid in reported:
                continue
            reported.add(pid)
            yield ctx.finding("A107", ref.location("samverkan", i), org=pid)


@rule("A108", Severity.INFO)
def vague_partner(ctx: Context) -> Iterator[Finding]:
    """En samverkanspart är ett samlingsnamn ("andra myndigheter", "externa aktörer").

    Det accepteras – så skriver verkliga planer – men ingen kan kallas till ett möte av ett
    samlingsnamn. Ange gärna vilka aktörer som avses.

    Fel (informativt):

    ```yaml
    samverkan: [andra-myndigheter]
    ```

    Rätt:

    ```yaml
    samverkan: [polisen, region-stockholm]
    ```
    """
    collective = OrgKind.COLLECTIVE
    for ref in ctx.measures:
        for i, pid in enumerate(ref.measure.partners):
            org = ctx.org(pid)
            if org is not None and org.kind is collective:
                yield ctx.finding("A108", ref.location("samverkan", i), id=ref.measure.id, org=pid)


@rule("A109", Severity.WARNING)
def idle_participant(ctx: Context) -> Iterator[Finding]:
    """En nämnd, ett bolag eller en stiftelse som strategin säger ska delta har inget uppdrag.

    Strategins `omfattar` räknar upp vilka som ska delta i arbetet. En sådan aktör som varken
    äger eller samverkar i någon åtgärd (själv eller genom sin förvaltning) deltar bara på papperet.

    Fel: `omfattar: [tekniska-namnden]` och ingen åtgärd nämner nämnden eller dess förvaltning.

    Rätt: minst en åtgärd har `ansvarig: tekniska-forvaltningen` eller nämner nämnden i `samverkan`.
    """
    involved: set[str] = set()
    for ref in ctx.measures:
        involved.update(ref.measure.owner)
        involved.update(ref.measure.partners)
    served = {o.serves for e in ctx.repo.all("org") if isinstance((o := e.obj), Organisation)
              and o.serves and o.id in involved}
    involved |= {s for s in served if s}
    for file, doc in ctx.documents:
        if not isinstance(doc, Strategy):
            continue
        for i, oid in enumerate(doc.applies_to):
            org = ctx.org(oid)
            if org is None or org.kind not in (OrgKind.BOARD, OrgKind.COMPANY, OrgKind.FOUNDATION):
                continue
            if oid not in involved:
                yield ctx.finding("A109", file.loaded.location(("omfattar", i)), org=oid, document=doc.id)


@rule("A110", Severity.INFO)
def owner_with_many_late(ctx: Context) -> Iterator[Finding]:
    """En ansvarig bär en stor andel av de försenade åtgärderna.

    När en aktör står för minst den andel av de försenade åtgärderna som anges i
    `inställningar: gränser: andel_försenade_per_ansvarig` (standard 0,5) och minst två,
    kan det vara ett resursproblem snarare än flera enskilda förseningar.

    Exempel: 4 av 6 försenade åtgärder har `ansvarig: socialforvaltningen`.
    """
    late = [ref for ref in ctx.measures if ctx.is_late(ref) and len(ref.measure.owner) == 1]
    if len(late) < 2:
        return
    counts = Counter(ref.measure.owner[0] for ref in late)
    entities = ctx.repo.entities.get("org", {})
    for owner, n in counts.most_common():
        if n >= 2 and n / len(late) >= ctx.thresholds.late_share_owner and owner in entities:
            yield ctx.finding("A110", entities[owner].location, org=owner, late=n, total=len(late))


RULES = [no_owner, several_owners, external_sole_owner, joint_measure_sides, owner_not_existing,
         partner_is_owner, group_without_members, vague_partner, idle_participant, owner_with_many_late]
