"""Seeded generator of synthetic municipality repositories for benchmarks.

    python benchmarks/generate.py one OUT            # one municipality: 300 measures in 10 plans (~0.3 MB)
    python benchmarks/generate.py national OUT       # 100 000 measures in 2 900 files (~100 MB), 290 repos
    python benchmarks/generate.py custom OUT --municipalities 3 --files 10 --measures 30
    python benchmarks/generate.py history OUT        # a git repository: 2 000 commits over five years

Every measure is about 1 KB of YAML, as in issue 5's measurements. The repositories are valid:
`trygg check` reports rule findings (late measures and so on), never schema errors. A
municipality is trygg.yaml, organisationer.yaml, a lägesbild and ``--files`` action plans;
``--measures`` (per municipality) are spread over the plans, the first ones taking one more
when they do not divide evenly. ``national`` gives 290 municipalities 100 000 measures in all.

``history`` writes the long-history repository of the history tests' helper
(tests/githelpers.py: ten plans of 30 measures edited ``--commits`` times over ``--years``
years with pinned authors and dates, in one ``git fast-import``).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ORGS = [("kommunstyrelsen", "Kommunstyrelsen", "nämnd"), ("socialnamnden", "Socialnämnden", "nämnd"),
        ("utbildningsnamnden", "Utbildningsnämnden", "nämnd"), ("tekniska-namnden", "Tekniska nämnden", "nämnd"),
        ("kultur-och-fritidsnamnden", "Kultur- och fritidsnämnden", "nämnd")]
ADMIN = [("kommunledningskontoret", "Kommunledningskontoret", "kommunstyrelsen"),
         ("socialforvaltningen", "Socialförvaltningen", "socialnamnden"),
         ("utbildningsforvaltningen", "Utbildningsförvaltningen", "utbildningsnamnden"),
         ("tekniska-forvaltningen", "Tekniska förvaltningen", "tekniska-namnden"),
         ("kultur-och-fritidsforvaltningen", "Kultur- och fritidsförvaltningen", "kultur-och-fritidsnamnden")]
TITLES = ["Trygghetsvandringar i {p}", "Ny belysning på gång- och cykelstråk i {p}", "Fältassistenter i {p} kvällstid",
          "Föräldrastöd i skolorna i {p}", "Platssamverkan kring torget i {p}", "Kameraövervakning vid stationen i {p}",
          "Sommarjobb för unga i {p}", "Klottersanering inom 48 timmar i {p}", "Nattvandring med föreningar i {p}"]
PLACES = ["centrum", "Norra", "Södra", "Hamnen", "Stationsområdet", "Skolområdet", "Parken", "Torget"]
DUES = ["2025-06-30", "våren 2026", "Q3 2025", "tertial 2 2026", "2026", "löpande", "hösten 2025", "2025-12"]
STATUSES = ["pågår", "genomförd", "ej påbörjad", "löpande", "pågår"]


def municipality(root: Path, rng: random.Random, name: str, code: str, files: int, measures: int) -> int:
    (root / "dokument").mkdir(parents=True, exist_ok=True)
    (root / "trygg.yaml").write_text(f'kommun: {name}\nkommunkod: "{code}"\n', encoding="utf-8")
    org = ["typ: organisationer", "organisationer:"]
    for oid, namn, slag in ORGS:
        org += [f"  - id: {oid}", f"    namn: {namn}", f"    slag: {slag}"]
    for oid, namn, board in ADMIN:
        org += [f"  - id: {oid}", f"    namn: {namn}", "    slag: förvaltning", f"    nämnd: {board}"]
    org += ["  - id: polisen", "    namn: Lokalpolisområdet", "    slag: organisation", "    sektor: polis"]
    (root / "organisationer.yaml").write_text("\n".join(org) + "\n", encoding="utf-8")
    problems = [f"lb-p{i}" for i in range(1, 9)]
    lb = ["typ: lägesbild", "id: lagesbild-2025", "titel: Lägesbild 2025", "upprättad: 2025-03-01", "problem:"]
    for i, pid in enumerate(problems):
        lb += [f"  - id: {pid}", f"    titel: Problem {i + 1} i {PLACES[i % len(PLACES)]}",
               f"    prioriterad: {'true' if i < 3 else 'false'}", "    orsaker:",
               f"      - id: {pid}-o1", "        beskrivning: En orsak som analysen pekat ut"]
    (root / "dokument" / "lagesbild.yaml").write_text("\n".join(lb) + "\n", encoding="utf-8")
    count = 0
    for f in range(files):
        per_file = measures // files + (1 if f < measures % files else 0)
        lines = ["# yaml-language-server: $schema=../schemas/atgardsplan.schema.json",
                 "typ: åtgärdsplan", f"id: plan-{f}", f"titel: Åtgärdsplan del {f + 1}",
                 "beslut:", "  organ: kommunstyrelsen", "  datum: 2025-01-20", '  paragraf: "§ 12"',
                 "giltighet:", "  från: 2025-02-01", "  till: 2026-12-31", "baserad_på: [lagesbild-2025]",
                 "samordning: [kommunstyrelsen]" if f == 0 else "", "åtgärder:"]
        lines = [ln for ln in lines if ln]
        for m in range(per_file):
            count += 1
            place = rng.choice(PLACES)
            owner = rng.choice(ADMIN)[0]
            partner = rng.choice([a[0] for a in ADMIN if a[0] != owner] + ["polisen"])
            pid = rng.choice(problems)
            status = rng.choice(STATUSES)
            lines += [
                f"  - id: m{f}-{m}",
                f"    titel: {rng.choice(TITLES).format(p=place)}",
                "    beskrivning: >-",
                "      Åtgärden genomförs i ordinarie verksamhet och följs upp vid delårs- och",
                "      årsrapporten. Den riktar sig mot orsaken som lägesbilden pekat ut.",
                f"    problem: {pid}", f"    orsak: {pid}-o1",
                f"    operativt_mål: Minst {rng.randint(2, 12)} tillfällen per år",
                f"    ansvarig: {owner}", f"    samverkan: [{partner}]",
                "    start: 2025-02-01", f"    klart_senast: {rng.choice(DUES)}",
                f"    insatstyp: {rng.choice(['punktinsats', 'ordinarie verksamhet'])}",
                f"    preventionstyp: {rng.choice(['social', 'situationell'])}",
                "    indikatorer:", "      - namn: Anmälda brott per 1 000 invånare", "        kolada: N07403",
                f"        utgångsvärde: {{år: 2024, värde: {rng.randint(50, 120)}}}",
                f"        mål: {{år: 2026, värde: {rng.randint(40, 100)}}}",
                f"        utfall: {{2025: {rng.randint(45, 115)}}}",
                "    uppföljning:", "      - datum: 2025-08-31", f"        status: {status}",
                f"        bedömning: {rng.choice(['grön', 'gul', 'röd'])}",
                "        kommentar: Arbetet följer planen enligt den ansvariga förvaltningen.",
            ]
        (root / "dokument" / f"plan-{f:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("preset", choices=["one", "national", "custom", "history"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--municipalities", type=int, default=1)
    parser.add_argument("--files", type=int, default=10, help="action plans per municipality")
    parser.add_argument("--measures", type=int, default=300, help="measures per municipality")
    parser.add_argument("--total", type=int, default=None, help="measures in all, spread over the municipalities")
    parser.add_argument("--commits", type=int, default=2000, help="history: commits")
    parser.add_argument("--years", type=int, default=5, help="history: years the commits span")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.preset == "history":
        print(history(args.out, args.commits, args.years))
        return
    if args.preset == "one":
        args.municipalities, args.files, args.measures = 1, 10, 300
    elif args.preset == "national":
        args.municipalities, args.files, args.total = 290, 7, 100_000
    total = generate(args.out, args.municipalities, args.files, args.measures, args.total, args.seed)
    print(f"{total} measures in {args.municipalities} municipalities under {args.out}")


def generate(out: Path, municipalities: int, files: int, measures: int, total: int | None = None,
             seed: int = 2026) -> int:
    """Write the corpus; ``total`` (if given) is spread over the municipalities instead of ``measures`` each."""
    rng = random.Random(seed)
    if municipalities == 1:
        return municipality(out, rng, "Exempelby kommun", "9001", files, total or measures)
    count = 0
    for i in range(municipalities):
        here = measures if total is None else total // municipalities + (1 if i < total % municipalities else 0)
        count += municipality(out / f"kommun-{i:03d}", rng, f"Kommun {i}", f"{9000 + i % 999:04d}", files, here)
    return count


def history(out: Path, commits: int = 2000, years: int = 5) -> Path:
    """The long-history benchmark repository, built by the history tests' helper."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from githelpers import benchmark

    return benchmark(out, commits, years)


if __name__ == "__main__":
    main()
