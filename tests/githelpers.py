"""Real git repositories with a scripted history, for the history, report and diff tests.

Why ``git fast-import``: one git process writes the whole history, with pinned
authors and commit dates, so a test repository of twenty commits costs a few
milliseconds and a benchmark repository of 2 000 commits well under a second.

Run as a script to generate the benchmark repository of issue 5::

    .venv/bin/python tests/githelpers.py /tmp/trygg-2000 --commits 2000 --years 5
"""

from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

AUTHOR = ("Anna Andersson", "anna.andersson@example.se")
TZ = timezone(timedelta(hours=1))

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": AUTHOR[0], "GIT_AUTHOR_EMAIL": AUTHOR[1],
    "GIT_COMMITTER_NAME": AUTHOR[0], "GIT_COMMITTER_EMAIL": AUTHOR[1],
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00+01:00", "GIT_COMMITTER_DATE": "2026-01-01T12:00:00+01:00",
}


def git(root: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, text=True,
                          capture_output=True, **kwargs)


def _when(value: str | date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 12, 0, tzinfo=TZ)
    if "T" in value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=TZ)
    return _when(date.fromisoformat(value))


@dataclass
class _Commit:
    branch: str
    when: datetime
    message: str
    files: dict[str, str | None]
    author: tuple[str, str]
    merge: str | None = None


@dataclass
class History:
    """A scripted history; :meth:`build` writes it into a new git repository at ``root``."""

    root: Path
    commits: list[_Commit] = field(default_factory=list)

    def commit(self, when: str | date | datetime, message: str, files: dict[str, str | None],
               author: tuple[str, str] = AUTHOR, branch: str = "main") -> History:
        """A commit on ``branch``: path → new content, or None to delete the file."""
        self.commits.append(_Commit(branch, _when(when), message, files, author))
        return self

    def merge(self, when: str | date | datetime, branch: str, message: str,
              author: tuple[str, str] = AUTHOR) -> History:
        """A merge commit on main bringing in ``branch`` (whose files must not conflict)."""
        files: dict[str, str | None] = {}
        for c in self.commits:
            if c.branch == branch:
                files.update(c.files)
        self.commits.append(_Commit("main", _when(when), message, files, author, merge=branch))
        return self

    def build(self, checkout: bool = True) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        git(self.root, "init", "-q", "-b", "main")
        stream = bytearray()
        last: dict[str, int] = {}
        for mark, c in enumerate(self.commits, start=1):
            stamp = f"{int(c.when.timestamp())} {c.when.strftime('%z')}"
            message = c.message.encode() + b"\n"
            stream += f"commit refs/heads/{c.branch}\nmark :{mark}\n".encode()
            stream += f"author {c.author[0]} <{c.author[1]}> {stamp}\n".encode()
            stream += f"committer {c.author[0]} <{c.author[1]}> {stamp}\n".encode()
            stream += f"data {len(message)}\n".encode() + message
            parent = last.get(c.branch) or (last.get("main") if c.branch != "main" else None)
            if parent:
                stream += f"from :{parent}\n".encode()
            if c.merge:
                stream += f"merge :{last[c.merge]}\n".encode()
            for path, content in c.files.items():
                if content is None:
                    stream += f"D {path}\n".encode()
                else:
                    data = content.encode("utf-8")
                    stream += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
            stream += b"\n"
            last[c.branch] = mark
        git(self.root, "fast-import", "--quiet", input=stream.decode("utf-8"))
        if checkout:
            git(self.root, "checkout", "-q", "-f", "main")
        return self.root


# ---- YAML for scripted plans -----------------------------------------------------------------

CONFIG = 'kommun: Testby kommun\nkommunkod: "9999"\n'
ORGS = """typ: organisationer
organisationer:
  - id: kommunstyrelsen
    namn: Kommunstyrelsen
    kortnamn: KS
    slag: nämnd
  - id: socialnamnden
    namn: Socialnämnden
    slag: nämnd
  - id: socialforvaltningen
    namn: Socialförvaltningen
    slag: förvaltning
    nämnd: socialnamnden
  - id: kulturnamnden
    namn: Kultur- och fritidsnämnden
    slag: nämnd
  - id: polisen
    namn: Lokalpolisområde Testby
    slag: organisation
    sektor: polis
"""


def measure(id_: str, title: str, owner: str = "socialforvaltningen", due: str | None = "2025",
            start: str = "2024-01-01", status: str | None = None,
            follow_up: list[tuple[str, str, str]] | None = None, **extra: str) -> str:
    """One measure as YAML (a list item under ``åtgärder:``)."""
    lines = [f"  - id: {id_}", f"    titel: {_quote(title)}", "    fokusområde: fo-1",
             f"    ansvarig: {owner}", f"    start: {start}"]
    if due is not None:
        lines.append(f'    klart_senast: "{due}"')
    if status:
        lines.append(f"    status: {status}")
    for key, value in extra.items():
        lines.append(f"    {key}: {value}")
    if follow_up:
        lines.append("    uppföljning:")
        for day, st, assessment in follow_up:
            lines += [f"      - datum: {day}", f"        status: {st}", f"        bedömning: {assessment}"]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def plan(doc_id: str, measures: list[str], start: str = "2024-01-01", end: str = "2026-12-31",
         title: str | None = None, focus: bool = True) -> str:
    """An åtgärdsplan with the given measures; ``focus`` adds the focus area fo-1 (define it once)."""
    head = (f"typ: åtgärdsplan\nid: {doc_id}\ntitel: {_quote(title or 'Åtgärdsplan ' + doc_id)}\n"
            f"beslut:\n  organ: kommunstyrelsen\n  datum: {start}\n"
            f"giltighet:\n  från: {start}\n  till: {end}\n")
    if focus:
        head += "fokusområden:\n  - id: fo-1\n    titel: Trygga platser\n"
    return head + "åtgärder:\n" + "".join(measures)


# ---- the benchmark repository ----------------------------------------------------------------

def benchmark(root: Path, commits: int = 2000, years: int = 5, files: int = 10, per_file: int = 30,
              seed: int = 4) -> Path:
    """A municipality of ``files`` × ``per_file`` measures edited ``commits`` times over ``years``."""
    rng = random.Random(seed)
    start = date(2021, 1, 1)
    owners = ["kommunstyrelsen", "socialforvaltningen", "kulturnamnden", "socialnamnden"]
    state: dict[int, dict[int, dict[str, Any]]] = {
        f: {i: {"owner": rng.choice(owners), "due": f"Q{rng.randint(1, 4)} {2021 + rng.randint(0, years)}",
                "status": "pågår", "log": []} for i in range(per_file)} for f in range(files)}

    def render(f: int) -> str:
        items = []
        for i, m in state[f].items():
            items.append(measure(f"f{f}-m{i}", f"Åtgärd {i} i plan {f} om trygghet i stadsdelen", m["owner"],
                                 m["due"], status=m["status"], follow_up=m["log"],
                                 beskrivning=_quote("En beskrivning som är lika lång som i en riktig plan, "
                                                    "med några ord om varför och hur åtgärden genomförs."),
                                 operativt_mål=_quote("Ett mätbart mål för åtgärden som följs upp varje tertial "
                                                      "i ordinarie rapportering till nämnden."),
                                 samverkan="[polisen, kommunstyrelsen]",
                                 insatstyp="punktinsats", preventionstyp="social"))
        return plan(f"plan-{f}", items, start="2021-01-01", end=f"{2021 + years}-12-31", focus=f == 0)

    history = History(root)
    initial = {"trygg.yaml": CONFIG, "organisationer.yaml": ORGS}
    initial.update({f"dokument/plan-{f}.yaml": render(f) for f in range(files)})
    history.commit(start, "Första versionen", initial)
    span = (years * 365) * 24 * 3600
    for n in range(1, commits):
        when = datetime.combine(start, datetime.min.time(), tzinfo=TZ) + timedelta(seconds=span * n // commits)
        f = rng.randrange(files)
        i = rng.randrange(per_file)
        m = state[f][i]
        action = rng.random()
        if action < 0.5:
            m["log"] = m["log"][-3:] + [(when.date().isoformat(), "pågår", rng.choice(["grön", "gul", "röd"]))]
        elif action < 0.7:
            m["due"] = f"Q{rng.randint(1, 4)} {when.year + rng.randint(0, 2)}"
        elif action < 0.85:
            m["owner"] = rng.choice(owners)
        else:
            m["status"] = rng.choice(["pågår", "genomförd", "löpande"])
        history.commit(when, f"Uppdatera f{f}-m{i}", {f"dokument/plan-{f}.yaml": render(f)})
    return history.build()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Generate a long-history trygg repository.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    benchmark(args.root, args.commits, args.years)
    print(args.root)


# ---- the scripted multi-year history the tests assert on ------------------------------------

BERTIL = ("Bertil Berg", "bertil.berg@example.se")


def scripted(root: Path) -> Path:
    """Two and a half years of one municipality's plan, with every kind of change the report counts.

    2024: a-1 postponed twice (184 + 181 days), a-2 new owner, a-6 added, a-3 completed
    2024-08-31, a-4 removed, a-5 moved to plan-2025.yaml; a-2 late at year end.
    2025: a-6 new owner, a-7 added, a-1 completed 2025-04-01, a-2 postponed 730 days,
    a-3 removed, a-8 added through a merged branch; a-6, a-7, a-8 late at year end.
    2026: a-7 completed (after both periods).
    """
    m: dict[str, str] = {
        "a-1": measure("a-1", "Fältassistenter kvällstid", due="Q2 2024"),
        "a-2": measure("a-2", "Belysning i parken", due="2024", status="pågår"),
        "a-3": measure("a-3", "Trygghetsvandring i centrum", owner="kulturnamnden", due="2024-09-30"),
        "a-4": measure("a-4", "Kameror vid stationen", owner="kommunstyrelsen", due="2024"),
        "a-5": measure("a-5", "Nattvandrare", due="löpande", status="löpande"),
    }
    main = ["a-1", "a-2", "a-3", "a-4", "a-5"]
    later: list[str] = []

    def plan_file() -> str:
        return plan("plan", [m[i] for i in main], start="2023-01-01", end="2026-12-31",
                    title="Åtgärdsplan 2023–2026")

    def plan_2025() -> str:
        return plan("plan-2025", [m[i] for i in later], start="2025-01-01", end="2025-12-31",
                    title="Åtgärdsplan 2025", focus=False)

    h = History(root)
    h.commit("2023-11-01", "Första planen", {"trygg.yaml": CONFIG, "organisationer.yaml": ORGS,
                                             "dokument/plan.yaml": plan_file()})
    m["a-1"] = measure("a-1", "Fältassistenter kvällstid", due="Q4 2024")
    h.commit("2024-03-10", "Skjut upp a-1", {"dokument/plan.yaml": plan_file()}, author=BERTIL)
    m["a-2"] = measure("a-2", "Belysning i parken", owner="kommunstyrelsen", due="2024", status="pågår")
    h.commit("2024-05-20", "Ny ansvarig för a-2", {"dokument/plan.yaml": plan_file()})
    m["a-6"] = measure("a-6", "Läxhjälp på biblioteket", owner="kulturnamnden", due="2025-03-31")
    main.append("a-6")
    h.commit("2024-06-15", "Ny åtgärd a-6", {"dokument/plan.yaml": plan_file()})
    m["a-3"] = measure("a-3", "Trygghetsvandring i centrum", owner="kulturnamnden", due="2024-09-30",
                       follow_up=[("2024-08-31", "genomförd", "grön")])
    h.commit("2024-08-31", "a-3 genomförd", {"dokument/plan.yaml": plan_file()}, author=BERTIL)
    main.remove("a-4")
    h.commit("2024-10-01", "Ta bort a-4", {"dokument/plan.yaml": plan_file()})
    m["a-1"] = measure("a-1", "Fältassistenter kvällstid", due="Q2 2025")
    h.commit("2024-11-15", "Skjut upp a-1 igen", {"dokument/plan.yaml": plan_file()}, author=BERTIL)
    main.remove("a-5")
    later.append("a-5")
    h.commit("2024-12-20", "Flytta a-5 till planen för 2025",
             {"dokument/plan.yaml": plan_file(), "dokument/plan-2025.yaml": plan_2025()})
    m["a-6"] = measure("a-6", "Läxhjälp på biblioteket", owner="socialforvaltningen", due="2025-03-31")
    h.commit("2025-02-01", "Ny ansvarig för a-6", {"dokument/plan.yaml": plan_file()})
    m["a-7"] = measure("a-7", "Kamerabevakning av torget", owner="kommunstyrelsen", due="Q2 2025",
                       start="2025-03-01")
    later.append("a-7")
    h.commit("2025-03-01", "Ny åtgärd a-7", {"dokument/plan-2025.yaml": plan_2025()})
    m["a-1"] = measure("a-1", "Fältassistenter kvällstid", due="Q2 2025",
                       follow_up=[("2025-04-01", "genomförd", "grön")])
    h.commit("2025-04-01", "a-1 genomförd", {"dokument/plan.yaml": plan_file()}, author=BERTIL)
    m["a-2"] = measure("a-2", "Belysning i parken", owner="kommunstyrelsen", due="2026", status="pågår")
    h.commit("2025-06-01", "Skjut upp a-2", {"dokument/plan.yaml": plan_file()})
    main.remove("a-3")
    h.commit("2025-09-01", "Ta bort a-3", {"dokument/plan.yaml": plan_file()})
    m["a-8"] = measure("a-8", "Sommarjobb för unga", owner="socialforvaltningen", due="planperiodens slut",
                       start="2025-09-15")
    later.append("a-8")
    h.commit("2025-09-15", "Ny åtgärd a-8", {"dokument/plan-2025.yaml": plan_2025()}, author=BERTIL,
             branch="sommarjobb")
    h.merge("2025-10-01", "sommarjobb", "Merge branch 'sommarjobb'")
    m["a-7"] = measure("a-7", "Kamerabevakning av torget", owner="kommunstyrelsen", due="Q2 2025",
                       start="2025-03-01", follow_up=[("2026-02-01", "genomförd", "grön")])
    h.commit("2026-02-01", "a-7 genomförd", {"dokument/plan-2025.yaml": plan_2025()})
    return h.build()
