"""`trygg init`: a new municipality repository that checks from the first minute.

It writes trygg.yaml, an organisation register with the bodies every municipality has,
a lägesbild and an åtgärdsplan to fill in, the JSON Schemas (so an editor completes keys
offline) and, on request, the CI files. It never overwrites a file without ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from trygg.schema import SCHEMA_NAMES, render_schema, schemas


class ScaffoldExists(Exception):
    """Files that would be overwritten (a user error without --force)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


@dataclass(frozen=True)
class Planned:
    path: Path
    text: str


def _files(municipality: str, code: str, today: date) -> dict[str, str]:
    year = today.year
    modeline = "# yaml-language-server: $schema={}schemas/{}.schema.json\n"
    return {
        "trygg.yaml": modeline.format("", SCHEMA_NAMES["trygg.yaml"]) + f"""kommun: {municipality}
kommunkod: "{code}"
# inställningar:
#   gränser:
#     snart_förfallen_dagar: 30
#     lägesbild_max_ålder_månader: 24
#     uppföljning_max_dagar: 365
""",
        "organisationer.yaml": modeline.format("", "organisationer") + """typ: organisationer
# Alla aktörer som kan vara ansvariga eller samverkansparter. Lägg till nämnder,
# förvaltningar, bolag, råd och externa aktörer; id:t är det dokumenten hänvisar till.
organisationer:
  - id: kommunfullmaktige
    namn: Kommunfullmäktige
    kortnamn: KF
    slag: fullmäktige
  - id: kommunstyrelsen
    namn: Kommunstyrelsen
    kortnamn: KS
    slag: nämnd
  - id: kommunledningsforvaltningen
    namn: Kommunledningsförvaltningen
    slag: förvaltning
    nämnd: kommunstyrelsen
  - id: sakerhetssamordnaren
    namn: Säkerhetssamordnaren
    slag: roll
    del_av: kommunledningsforvaltningen
  - id: polisen
    namn: Lokalpolisområdet
    alias: [Polisen]
    slag: organisation
    sektor: polis
""",
        f"dokument/lagesbild-{year}.yaml": modeline.format("../", "lagesbild") + f"""typ: lägesbild
id: lagesbild-{year}
titel: Lägesbild {year}
upprättad: {today.isoformat()}
# Kartläggning av brottsligheten, dess omfattning och konsekvenser, och en analys (4 § lag 2023:196).
problem:
  - id: lb{year % 100}-p1
    titel: Beskriv det första problemet
    prioriterad: true
    orsaker:
      - id: lb{year % 100}-p1-o1
        beskrivning: Den orsak som analysen pekar ut
""",
        f"dokument/atgardsplan-{year}.yaml": modeline.format("../", "atgardsplan") + f"""typ: åtgärdsplan
id: atgardsplan-{year}
titel: Åtgärdsplan {year}
# När planen är beslutad:
# beslut:
#   organ: kommunstyrelsen
#   datum: ÅÅÅÅ-MM-DD
#   paragraf: "§ …"
giltighet:
  från: {date(year, 1, 1).isoformat()}
  till: {date(year, 12, 31).isoformat()}
baserad_på: [lagesbild-{year}]
samordning: [kommunstyrelsen]
åtgärder:
  - id: ap{year % 100}-1
    titel: Beskriv den första åtgärden
    problem: lb{year % 100}-p1
    orsak: lb{year % 100}-p1-o1
    ansvarig: kommunledningsforvaltningen
    samverkan: [polisen]
    start: {today.isoformat()}
    klart_senast: {year}
""",
    }


def plan(root: Path, municipality: str, code: str, today: date, *, ci: str | None = None) -> list[Planned]:
    """Every file ``trygg init`` would write."""
    out = [Planned(root / name, text) for name, text in _files(municipality, code, today).items()]
    out += [Planned(root / "schemas" / name, render_schema(s)) for name, s in schemas().items()]
    if ci == "github":
        out.append(Planned(root / ".github" / "workflows" / "trygg.yml", _ci_text("github-actions.yml")))
    elif ci == "gitlab":
        out.append(Planned(root / ".gitlab-ci.yml", _ci_text("gitlab-ci.yml")))
    return out


def _ci_text(name: str) -> str:
    """The CI template shipped inside the package (the same files as ci-mallar/, tested)."""
    from importlib.resources import files

    return (files("trygg") / "ci" / name).read_text(encoding="utf-8")


def write(planned: list[Planned], *, force: bool = False) -> list[Path]:
    """Write every planned file atomically; refuse (writing nothing) if any exists, unless ``force``."""
    from trygg.writefile import write_atomic

    existing = [p.path for p in planned if p.path.exists()]
    if existing and not force:
        raise ScaffoldExists(existing)
    for p in planned:
        p.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(p.path, p.text)
    return [p.path for p in planned]
