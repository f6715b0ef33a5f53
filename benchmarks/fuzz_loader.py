"""Fuzz trygg's loader and checker for a bounded time; keep what breaks them.

    .venv/bin/python benchmarks/fuzz_loader.py [SECONDS] [--engine atheris|random] [--save DIR]
    .venv/bin/python benchmarks/fuzz_loader.py --hostile      # time the hostile inputs instead

Every input is one YAML file's bytes. It goes through :func:`trygg.load.fast.parse_bytes`;
when it reads as a mapping it also becomes ``dokument/fuzz.yaml`` of a small valid repository
(tests/cases/base) that is validated, resolved, checked by every rule and formatted by the text
and JSON reporters. :func:`check_input` asserts what issue 6 asks: no exception, every finding in
a file of the repository and on a line and column that exist there. A violation, an exception or
an input slower than ``--slow`` seconds is a crash: it is printed and saved (``--save``, by
default a temporary directory) so that it can go to ``tests/data/fuzz/``, where
tests/test_hardening.py replays every file through :func:`check_input`.

The engine is atheris (libFuzzer, coverage-guided over trygg's Python code) when it is
installed, else a random mutation loop over the same seeds and dictionary. The seeds are every
YAML file under tests/cases/, tests/data/fuzz/ and examples/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TODAY = date(2026, 11, 23)
TOKENS = [": ", "- ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!int ", "!foo ", "!<x> ",
          "!!python/object/apply:os.system ", "<<: ", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! x:\n",
          "|\n", ">-\n", "#", "'", '"', "\\", "\t", "\r", "\r\n", "\n  ", "\n- ", "\u2028", "\x85",
          "\ufeff", "\x00", "\x1b[2J", "<<<<<<< HEAD\n", "=======\n", ">>>>>>> b\n", "~", "null",
          "true", "0o17", "0x1F", "1e3", ".inf", ".nan", "2026-02-30", "typ: ", "policy", "åtgärdsplan",
          "id: ", "titel: ", "åtgärder:\n", "ansvarig: ", "samverkan: ", "klart_senast: ", "våren 2026",
          "fokusområde: ", "socialforvaltningen", "polisen", "utfall: {2025: 1}", "9" * 5000]
SEED_DIRS = [ROOT / "tests" / "cases", ROOT / "tests" / "data" / "fuzz", ROOT / "examples"]


class Violation(AssertionError):
    """A finding where none can be, or something the reporters cannot format."""


def _base_files() -> dict[str, bytes]:
    base = ROOT / "tests" / "cases" / "base"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*.yaml"))}


_BASE: dict[str, bytes] = {}


def _located(findings: list[Any], texts: dict[str, str]) -> None:
    from trygg.load.fast import split_lines

    for f in findings:
        loc = f.location
        if loc.path == "." and f.code[0] == "L" and loc.line == 0:
            continue  # a duty of the municipality, not of a file
        if loc.path not in texts:
            raise Violation(f"finding in a file that is not there: {f}")
        lines = split_lines(texts[loc.path])
        if texts[loc.path].strip() and loc.line < 1:
            raise Violation(f"finding without a line in a file with content: {f}")
        if loc.line and not 1 <= loc.line <= len(lines) + 1:
            raise Violation(f"line {loc.line} of {len(lines)}: {f}")
        if loc.line:
            width = len(lines[loc.line - 1]) if loc.line <= len(lines) else 0
            if not 1 <= loc.column <= width + 1:
                raise Violation(f"column {loc.column} of {width}: {f}")


def check_input(data: bytes) -> bool:
    """Load, check and report one input; raises on anything issue 6 forbids. True when the input
    read as a mapping and went through the whole check, False when loading refused it."""
    from pathlib import PurePosixPath

    from trygg.check import check_repository
    from trygg.load.fast import parse_bytes
    from trygg.repo import load_from_blobs
    from trygg.reporters.json import format_json
    from trygg.reporters.text import format_text

    loaded = parse_bytes(data, "dokument/fuzz.yaml")
    _located(loaded.findings, {loaded.path: loaded.text})
    if loaded.data is None:
        return False
    if not _BASE:
        _BASE.update(_base_files())
    repo = load_from_blobs(Path(PurePosixPath("/arkiv")), {**_BASE, "dokument/fuzz.yaml": data})
    result = check_repository(repo, today=TODAY)
    _located(result.findings, {f.path: f.loaded.text for f in repo.files})
    text = format_text(result, lang="sv", color=True)
    if any(ch in text for ch in "\x07\x08\x0b\x0c\r\x7f\u202e"):
        raise Violation("a control character reached the text report")
    json.loads(format_json(result, lang="en"))
    return True


# ---- running ------------------------------------------------------------------------------------


class Stats:
    def __init__(self, save: Path, slow: float) -> None:
        self.save = save
        self.slow = slow
        self.runs = 0
        self.checked = 0
        self.crashes: dict[str, Path] = {}
        self.started = time.monotonic()

    def run(self, data: bytes) -> None:
        self.runs += 1
        begun = time.monotonic()
        try:
            self.checked += check_input(data)
            took = time.monotonic() - begun
            if took <= self.slow:
                return
            key, problem = "slow", f"slow: {took:.1f} s"
        except Violation as exc:  # the same broken promise for the same code is one crash
            code = re.search(r"code='(\w+)'", str(exc))
            key = f"Violation {str(exc).split()[0]} {code.group(1) if code else ''}"
            problem = f"Violation: {str(exc)[:300]}"
        except Exception as exc:  # noqa: BLE001 - every exception is what the fuzzer looks for
            tb = traceback.extract_tb(exc.__traceback__)
            where = next((f"{Path(fr.filename).name}:{fr.lineno}" for fr in reversed(tb)
                          if "/trygg/" in fr.filename), "?")
            key = f"{type(exc).__name__} at {where}"
            problem = f"{key}: {str(exc)[:200]}"
        if key in self.crashes:
            return
        file = self.save / f"crash-{hashlib.sha1(data).hexdigest()[:12]}.yaml"
        file.write_bytes(data)
        self.crashes[key] = file
        print(f"CRASH #{len(self.crashes)} after {self.runs} inputs: {problem}\n  saved {file}", flush=True)

    def summary(self, engine: str) -> str:
        took = time.monotonic() - self.started
        lines = [(f"engine {engine}: {self.runs} inputs in {took:.0f} s ({self.runs / max(took, 1e-9):.0f}/s), "
                  f"{self.checked} of them checked as documents of a repository, "
                  f"{len(self.crashes)} distinct crashes")]
        lines += [f"  {key}: {path}" for key, path in self.crashes.items()]
        return "\n".join(lines)


def seeds() -> list[bytes]:
    out = []
    for d in SEED_DIRS:
        if d.is_dir():
            out += [p.read_bytes() for p in sorted(d.rglob("*.yaml")) if p.is_file() and p.stat().st_size < 200_000]
    return out


def mutate(data: bytes, pool: list[bytes], rnd: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rnd.choice([1, 1, 1, 2, 2, 3, 6])):
        op = rnd.randrange(7)
        i = rnd.randrange(len(buf) + 1)
        if op == 0 and buf:  # flip bits
            j = rnd.randrange(len(buf))
            buf[j] ^= 1 << rnd.randrange(8)
        elif op == 1:  # a token
            buf[i:i] = rnd.choice(TOKENS).encode("utf-8")
        elif op == 2 and buf:  # delete a span
            del buf[i: i + rnd.randint(1, 16)]
        elif op == 3 and buf:  # duplicate a line
            start = buf.rfind(b"\n", 0, i) + 1
            end = buf.find(b"\n", i)
            end = len(buf) if end < 0 else end + 1
            buf[start:start] = buf[start:end]
        elif op == 4 and pool:  # splice another seed in
            other = rnd.choice(pool)
            j = rnd.randrange(len(other) + 1)
            buf[i:i] = other[j: j + rnd.randint(1, 200)]
        elif op == 5:  # a random byte
            buf[i:i] = bytes([rnd.randrange(256)])
        elif op == 6 and buf:  # truncate
            del buf[i:]
    return bytes(buf)


def run_random(seconds: float, stats: Stats, seed: int) -> None:
    rnd = random.Random(seed)
    pool = seeds()
    deadline = time.monotonic() + seconds

    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError("no result within 10 s")

    signal.signal(signal.SIGALRM, alarm)
    for data in pool:  # the seeds themselves first
        stats.run(data)
    while time.monotonic() < deadline:
        data = mutate(rnd.choice(pool), pool, rnd)
        signal.alarm(10)
        try:
            stats.run(data)
        finally:
            signal.alarm(0)
        if rnd.random() < 0.05:
            pool.append(data)  # keep some mutants to mutate further


def _dict_entry(token: str) -> str:
    """A libFuzzer dictionary line: printable ASCII as is, every other byte as \\xNN."""
    body = "".join(chr(b) if 32 <= b < 127 and b not in b'\\"' else f"\\x{b:02x}" for b in token.encode("utf-8"))
    return f'"{body}"\n'


def run_atheris(seconds: float, stats: Stats) -> None:
    import atheris

    with atheris.instrument_imports(include=["trygg"]):
        import trygg.check
        import trygg.load.fast
        import trygg.repo
        import trygg.reporters.json
        import trygg.reporters.text  # noqa: F401
    corpus = Path(tempfile.mkdtemp(prefix="trygg-fuzz-corpus-"))
    for i, data in enumerate(seeds()):
        (corpus / f"seed-{i:04d}").write_bytes(data)
    dictionary = corpus.parent / f"{corpus.name}.dict"
    dictionary.write_text("".join(_dict_entry(t) for t in TOKENS if len(t) < 64), encoding="ascii")
    deadline = time.monotonic() + seconds

    def target(data: bytes) -> None:
        stats.run(data)
        if time.monotonic() > deadline:
            print(stats.summary("atheris (libFuzzer)"), flush=True)
            shutil.rmtree(corpus, ignore_errors=True)
            dictionary.unlink(missing_ok=True)
            os._exit(0)

    atheris.Setup([sys.argv[0], str(corpus), f"-dict={dictionary}", "-timeout=10", "-rss_limit_mb=4096",
                   f"-max_total_time={int(seconds) + 30}", "-print_final_stats=0"], target)
    atheris.Fuzz()


# ---- timing the hostile inputs of tests/test_hardening.py ----------------------------------------


def hostile() -> None:
    import tracemalloc

    from trygg.load.fast import MAX_FILE_BYTES, parse_bytes, parse_text

    def bomb() -> str:
        lines = ["typ: policy", 'a0: &a0 ["lol"]']
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
        return "\n".join(lines) + "\n"

    measure = "  - id: m-{i}\n    titel: Fältassistenter i Hagalund kväll {i}\n    ansvarig: polisen\n" \
              "    samverkan: [socialforvaltningen]\n    start: 2025-03-01\n    klart_senast: våren 2026\n"
    under_limit = "typ: åtgärdsplan\nid: stor\ntitel: Stor\nåtgärder:\n"
    under_limit += "".join(measure.format(i=i) for i in range((MAX_FILE_BYTES - 1000) // 170))
    under_limit_bytes = under_limit.encode("utf-8")[: MAX_FILE_BYTES - 200]
    under_limit_bytes = under_limit_bytes[: under_limit_bytes.rfind(b"\n  - id:") + 1]
    inputs: dict[str, tuple[Any, Any]] = {
        "billion laughs (9 levels of 9)": (parse_text, bomb()),
        "flow nesting 100 000 deep": (parse_text, "x: " + "[" * 100_000 + "]" * 100_000),
        "block nesting 3 000 deep (4.5 MB)": (
            parse_text, "".join(" " * i + "k:\n" for i in range(3000)) + " " * 3000 + "v\n"),
        "50 MB file (refused)": (parse_bytes, b"typ: policy\n" + b"#" * (50 << 20)),
        f"{len(under_limit_bytes) / 2**20:.1f} MiB plan, just under the limit": (parse_bytes, under_limit_bytes),
        "one 5 MB line": (parse_text, "typ: policy\ntitel: " + "ord " * 1_250_000 + "\n"),
    }
    print(f"{'input':45} {'time':>9} {'peak (tracemalloc)':>20}  findings")
    for name, (fn, data) in inputs.items():
        begun = time.perf_counter()
        result = fn(data, "x.yaml")
        took = time.perf_counter() - begun
        tracemalloc.start()  # a second run: tracemalloc slows the first several times over
        fn(data, "x.yaml")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        codes = ",".join(f.code for f in result.findings) or "none"
        print(f"{name:45} {took:8.3f}s {peak / 2**20:16.1f} MiB  {codes}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=60.0)
    parser.add_argument("--engine", choices=["atheris", "random"], default=None)
    parser.add_argument("--save", type=Path, default=None, help="where crash inputs go")
    parser.add_argument("--slow", type=float, default=5.0, help="an input slower than this is a crash")
    parser.add_argument("--seed", type=int, default=0, help="for the random engine")
    parser.add_argument("--hostile", action="store_true", help="time the hostile inputs and exit")
    args = parser.parse_args(argv)
    if args.hostile:
        hostile()
        return 0
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "random"
    save = args.save or Path(tempfile.mkdtemp(prefix="trygg-fuzz-crashes-"))
    save.mkdir(parents=True, exist_ok=True)
    stats = Stats(save, args.slow)
    print(f"fuzzing for {args.seconds:.0f} s with {engine}; crash inputs go to {save}", flush=True)
    if engine == "atheris":
        run_atheris(args.seconds, stats)  # exits the process when the time is up
    run_random(args.seconds, stats, args.seed)
    print(stats.summary("random mutation"))
    return 1 if stats.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
