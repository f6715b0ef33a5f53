"""Issue 5's targets, measured side by side in one run: medians, ratios, met or not.

    .venv/bin/python benchmarks/run.py                       # everything, 5 runs each
    .venv/bin/python benchmarks/run.py --runs 9 --only one,startup
    .venv/bin/python benchmarks/run.py --only national --jsonschema-runs 0   # skip the 6-minute peer

What is compared (every command's output goes to /dev/null; `--today` pins the time rules):

one       cold `trygg check ONE --no-cache` vs `benchmarks/ruamel_load.py ONE` (ruamel.yaml
          round-trip loading of the same files, nothing else)                    target >= 4x faster
          (also shown: the same check with `--jobs 1`, parsing in the one process)
startup   warm `trygg check ONE` (cache primed) vs `benchmarks/hello_typer.py`    target <= 1.3x
          `trygg --version` vs the same hello app                                target <= 1.1x
national  `trygg check NATIONAL --no-cache` (290 repositories, 100 000 measures)  target <= 25 s
          warm `trygg check NATIONAL`                                            target <= 3 s
          peak memory of the cold run: the sum over trygg's process tree (parent and
          workers), sampled from /proc every 20 ms, as RSS and as PSS (PSS splits pages
          the forked workers share with the parent, so it does not count them twice)
                                                                                 target <= 1 GB
          `check-jsonschema --schemafile schemas/atgardsplan.schema.json` on the 2 900
          action-plan files (every measure; trygg also reads the other 870 files) target >= 7x faster
history   `trygg report --year 2024` and `trygg history ID` on a repository of 2 000 commits
          over five years                                                        target <= 2 s each

The compared commands run interleaved (a, b, a, b …) so that a busy neighbour slows both alike;
each figure is the median wall time of --runs runs (CPU time, user + system of the whole process
tree, beside it). The box's load average is printed with every row: on a shared machine the
absolute figures move with it, the ratios much less. No hyperfine needed; plain subprocess timing.
Corpora are generated (seeded, benchmarks/generate.py) into --workdir, or a temporary directory.
trygg's modules are byte-compiled first, as an installed package's are.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-01-15"
GB = 1024 ** 3


@dataclass
class Sample:
    wall: float
    cpu: float
    code: int
    peak_rss: int = 0
    peak_pss: int = 0


@dataclass
class Measured:
    label: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    shown: str = ""  # how the command is printed, when its argv is too long to show

    @property
    def command(self) -> str:
        return self.shown or " ".join(_short(a) for a in self.argv)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_rss(self) -> int:
        return max(s.peak_rss for s in self.samples)

    @property
    def peak_pss(self) -> int:
        return max(s.peak_pss for s in self.samples)


# ---- running and sampling ----------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, for every process in /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of ``pid`` and all its descendants."""
    tree = _children()
    todo, rss, pss = [pid], 0, 0
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, ()))
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def run(argv: list[str], *, memory: bool = False, cwd: Path | None = None) -> Sample:
    """Run ``argv`` once, output discarded; wall time, CPU of the whole tree, optional peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss, pss = _memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True) if memory else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    if sampler:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(wall, usage.ru_utime + usage.ru_stime, proc.returncode, peak[0], peak[1])


def interleaved(commands: list[Measured], runs: int, *, memory: bool = False) -> None:
    for _ in range(runs):
        for command in commands:
            command.samples.append(run(command.argv, memory=memory))


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# ---- reporting ---------------------------------------------------------------------------------

ROWS: list[dict[str, object]] = []


def row(what: str, measured: Measured, *, versus: Measured | None = None, target: str,
        ok: bool | None, ratio: float | None = None, note: str = "") -> None:
    """One figure; ``ok=None`` for a figure shown for comparison only, with no target of its own."""
    entry = {"what": what, "command": measured.command,
             "median_s": round(measured.wall, 3), "cpu_s": round(measured.cpu, 3),
             "runs": len(measured.samples), "exit": sorted({s.code for s in measured.samples}),
             "versus": None if versus is None else {
                 "command": versus.command,
                 "median_s": round(versus.wall, 3), "cpu_s": round(versus.cpu, 3), "runs": len(versus.samples)},
             "ratio": None if ratio is None else round(ratio, 2), "target": target, "met": ok,
             "load": load(), "note": note}
    ROWS.append(entry)
    vs = f"  vs {versus.wall:7.3f} s ({versus.cpu:6.2f} s CPU, n={len(versus.samples)})" if versus else ""
    r = f"  ratio {ratio:5.2f}" if ratio is not None else ""
    print(f"{what:<34} {measured.wall:8.3f} s ({measured.cpu:6.2f} s CPU, n={len(measured.samples)}){vs}{r}"
          f"  {'target ' + target + ': ' + ('met' if ok else 'NOT MET') if ok is not None else target}"
          f"  [load {load()}]{('  ' + note) if note else ''}",
          flush=True)


def _short(arg: str) -> str:
    for prefix, name in ((str(REPO) + "/", ""), (tempfile.gettempdir() + "/", "$TMP/")):
        if arg.startswith(prefix):
            return name + arg[len(prefix):]
    return arg


# ---- the comparisons ---------------------------------------------------------------------------

def bench_one(trygg: str, python: str, one: Path, runs: int) -> None:
    cold = Measured("trygg cold", [trygg, "check", str(one), "--no-cache", "--today", TODAY])
    serial = Measured("trygg cold, one process", [*cold.argv, "--jobs", "1"])
    ruamel = Measured("ruamel", [python, str(HERE / "ruamel_load.py"), str(one)])
    interleaved([cold, ruamel, serial], runs)
    ratio = ruamel.wall / cold.wall
    row("1 cold check, 300 measures", cold, versus=ruamel, ratio=ratio, target=">= 4x faster than ruamel load",
        ok=ratio >= 4)
    row("1 same, --jobs 1 (one process)", serial, versus=ruamel, ratio=ruamel.wall / serial.wall,
        target="(for comparison: no second process)", ok=None)


def bench_startup(trygg: str, python: str, one: Path, runs: int) -> None:
    run([trygg, "check", str(one), "--today", TODAY])  # prime the cache
    warm = Measured("trygg warm", [trygg, "check", str(one), "--today", TODAY])
    version = Measured("trygg --version", [trygg, "--version"])
    hello = Measured("hello", [python, str(HERE / "hello_typer.py")])
    interleaved([warm, hello, version], runs)
    ratio = warm.wall / hello.wall
    row("2 warm check, 300 measures", warm, versus=hello, ratio=ratio, target="<= 1.3x typer hello",
        ok=ratio <= 1.3)
    ratio = version.wall / hello.wall
    row("2 trygg --version", version, versus=hello, ratio=ratio, target="<= 1.1x typer hello", ok=ratio <= 1.1)


def bench_national(trygg: str, national: Path, runs: int, jsonschema_runs: int) -> None:
    cold = Measured("national cold", [trygg, "check", str(national), "--no-cache", "--today", TODAY])
    interleaved([cold], runs, memory=True)
    row("3 national cold, 100 000 measures", cold, target="<= 25 s", ok=cold.wall <= 25)
    row("3 national cold, peak memory", cold, target="<= 1 GB", ok=cold.peak_pss <= GB,
        note=f"peak RSS sum {cold.peak_rss / 2**20:.0f} MiB, PSS sum {cold.peak_pss / 2**20:.0f} MiB "
             "(parent + workers)")
    run(cold.argv[:3] + ["--today", TODAY])  # prime the cache
    warm = Measured("national warm", [trygg, "check", str(national), "--today", TODAY])
    interleaved([warm], runs, memory=True)
    row("3 national warm", warm, target="<= 3 s", ok=warm.wall <= 3,
        note=f"peak RSS sum {warm.peak_rss / 2**20:.0f} MiB")
    if jsonschema_runs:
        tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or "check-jsonschema"
        plans = sorted(str(p) for p in national.glob("*/dokument/plan-*.yaml"))
        peer = Measured("check-jsonschema", [tool, "--schemafile", str(REPO / "schemas" / "atgardsplan.schema.json"),
                                             *plans],
                        shown=f"{_short(tool)} --schemafile schemas/atgardsplan.schema.json "
                              f"<the {len(plans)} plan-*.yaml files>")
        interleaved([peer], jsonschema_runs)
        ratio = peer.wall / cold.wall
        row("3 national cold vs check-jsonschema", cold, versus=peer, ratio=ratio, target=">= 7x faster",
            ok=ratio >= 7)


def bench_history(trygg: str, repo: Path, runs: int) -> None:
    report = Measured("report", [trygg, "report", str(repo), "--year", "2024"])
    history = Measured("history", [trygg, "history", "f3-m7", str(repo)])
    interleaved([report, history], runs)
    row("4 report --year 2024, 2 000 commits", report, target="<= 2 s", ok=report.wall <= 2)
    row("4 history ID, 2 000 commits", history, target="<= 2 s", ok=history.wall <= 2)


def _has_commands(trygg: str, *names: str) -> bool:
    out = subprocess.run([trygg, "--help"], capture_output=True, text=True).stdout
    return all(f" {n} " in out for n in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per command (median); default 5")
    parser.add_argument("--jsonschema-runs", type=int, default=1,
                        help="runs of check-jsonschema over the national corpus (~6 min each); 0 skips it")
    parser.add_argument("--only", default="one,startup,national,history",
                        help="comma-separated: one, startup, national, history")
    parser.add_argument("--workdir", type=Path, default=None, help="generate corpora here and keep them")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args()
    only = set(args.only.split(","))
    bin_dir = Path(sys.executable).parent
    trygg = str(bin_dir / "trygg") if (bin_dir / "trygg").exists() else shutil.which("trygg") or "trygg"
    python = sys.executable
    # An installed package has its bytecode written at install time; an editable install does not,
    # and under PYTHONDONTWRITEBYTECODE every run would compile trygg's changed modules anew.
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "src" / "trygg")], check=False,
                   stdout=subprocess.DEVNULL)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"trygg benchmarks: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"git {_git_head()}, {args.runs} runs, corpora in {work}", flush=True)

    def generate(preset: str, name: str) -> Path:
        out = work / name
        if not out.exists():
            subprocess.run([python, str(HERE / "generate.py"), preset, str(out)], check=True,
                           stdout=subprocess.DEVNULL)
        return out

    try:
        if only & {"one", "startup"}:
            one = generate("one", "one")
            if "one" in only:
                bench_one(trygg, python, one, args.runs)
            if "startup" in only:
                bench_startup(trygg, python, one, args.runs)
        if "national" in only:
            bench_national(trygg, generate("national", "national"), args.runs, args.jsonschema_runs)
        if "history" in only:
            if _has_commands(trygg, "report", "history"):
                bench_history(trygg, generate("history", "history"), args.runs)
            else:
                print("4 history: this trygg has no report/history commands; skipped")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(ROWS, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    targets = [r for r in ROWS if r["met"] is not None]
    met = all(r["met"] for r in targets)
    print(f"{sum(bool(r['met']) for r in targets)} of {len(targets)} targets met")
    return 0 if met else 1


def _git_head() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return out


if __name__ == "__main__":
    sys.exit(main())
