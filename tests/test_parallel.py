"""Reading a repository's files in a second process (trygg.load.parallel) changes nothing a user sees."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import CASES, EXAMPLES, TODAY, build_case, write_repo
from trygg.cache import read_sources
from trygg.check import run_check
from trygg.load import parallel
from trygg.load.parallel import parse_all


def _parse(sources, workers: int, meanwhile=None):  # type: ignore[no-untyped-def]
    """The parsed files and how many came from the child."""
    with parse_all(sources, workers=workers, meanwhile=meanwhile) as files:
        loaded = list(files)
    return loaded, files.in_child
from trygg.repo import discover

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="forks only on Linux")

PLAN = """typ: åtgärdsplan
id: plan
titel: Plan
giltighet: {{från: 2025-01-01, till: 2026-12-31}}
åtgärder:
  - id: a1
    titel: Trygghetsvandring  # trygg: ignore[A101] ansvar utses i maj
    ansvarig: {owner}
    status: pågår
"""


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)


def _sources(root: Path):  # type: ignore[no-untyped-def]
    return read_sources(root, discover(root, []))


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert [x.path for x in a] == [y.path for y in b]
    for x, y in zip(a, b):
        assert (x.data, x.text, x.comments, x.findings) == (y.data, y.text, y.comments, y.findings), x.path
        assert (x.values, x.keys) == (y.values, y.keys), x.path


def _mixed_repo(tmp_path: Path) -> Path:
    """Clean files, a byte-order mark, CRLF line ends and an anchor, beside files with findings,
    which the child leaves to the parent: a syntax error and a duplicate key."""
    return write_repo(tmp_path / "r", {
        "dokument/a.yaml": PLAN.format(owner="socialnamnden"),
        "dokument/b.yaml": PLAN.format(owner="'x'").replace("id: plan", "id: plan-b"),
        "dokument/crlf.yaml": PLAN.format(owner="x").replace("id: plan", "id: plan-c").replace("\n", "\r\n"),
        "dokument/bom.yaml": "\ufeff" + PLAN.format(owner="y").replace("id: plan", "id: plan-d"),
        "dokument/syntax.yaml": "typ: policy\nid: [unclosed\n",
        "dokument/dup.yaml": "typ: policy\nid: p\nid: q\n",
        "dokument/anchor.yaml": "typ: policy\nid: &x p\ntitel: *x\n",
    })


def test_the_child_reads_the_clean_files_and_the_result_is_the_same(tmp_path: Path, always_fork: None) -> None:
    root = _mixed_repo(tmp_path)
    (root / "dokument" / "latin1.yaml").write_bytes("typ: policy\ntitel: Trygghet i Malmö\n".encode("latin-1"))
    sources = _sources(root)
    forked, in_child = _parse(sources, 2)
    serial, none = _parse(sources, 1)
    _same(forked, serial)
    assert none == 0
    # the syntax error, the duplicate key and the Latin-1 file have findings: the parent reads them;
    # everything else (the anchored file too, which the child composes) comes from the child
    assert in_child == len(sources) - 3
    assert any(f.code == "Y101" for x in forked for f in x.findings)  # the syntax error, as without a child


@pytest.mark.parametrize("name", ["solna", "sollentuna", "lysekil"])
def test_examples_check_the_same_with_a_second_process(name: str, always_fork: None) -> None:
    today = date.fromisoformat(TODAY)
    forked = run_check(EXAMPLES / name, today=today, workers=2)
    serial = run_check(EXAMPLES / name, today=today, workers=1)
    assert forked.findings == serial.findings and forked.findings


def test_broken_cases_check_the_same_with_a_second_process(tmp_path: Path, always_fork: None) -> None:
    today = date.fromisoformat(TODAY)
    for case in sorted((CASES / "invalid").iterdir()):
        root = build_case(tmp_path, case)
        assert run_check(root, today=today, workers=2).findings == run_check(root, today=today, workers=1).findings, case.name


@pytest.mark.parametrize("dies_at", ["trygg.yaml", "dokument/bom.yaml"])
def test_a_child_that_dies_leaves_the_rest_to_the_parent(tmp_path: Path, always_fork: None, dies_at: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What the child sent before it died is used; the parent reads the rest itself."""
    root = _mixed_repo(tmp_path)
    sources = _sources(root)
    parent = os.getpid()
    import trygg.load.fast as fast

    real = fast.parse_bytes

    def dies_in_the_child(raw: bytes, display: str):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and display == dies_at:
            os._exit(3)
        return real(raw, display)

    monkeypatch.setattr(fast, "parse_bytes", dies_in_the_child)
    forked, in_child = _parse(sources, 2)
    before = [s.display for s in sources].index(dies_at)
    assert before == 0 or before > 2  # trygg.yaml first; bom.yaml after a few clean files
    assert in_child == before  # every file before it was clean, and came from the child
    _same(forked, _parse(sources, 1)[0])


def test_an_error_in_the_parent_stops_and_reaps_the_child(tmp_path: Path, always_fork: None) -> None:
    sources = _sources(_mixed_repo(tmp_path))

    def fails() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _parse(sources, 2, meanwhile=fails)
    with pytest.raises(ChildProcessError):  # no child left behind, not even a zombie
        os.waitpid(-1, os.WNOHANG)


def test_one_worker_or_small_files_never_fork(tmp_path: Path) -> None:
    sources = _sources(_mixed_repo(tmp_path))
    assert _parse(sources, 2)[1] == 0  # a few hundred bytes: below MIN_PARALLEL_BYTES
    parallel.MIN_PARALLEL_BYTES, saved = 0, parallel.MIN_PARALLEL_BYTES
    try:
        assert _parse(sources, 1)[1] == 0
    finally:
        parallel.MIN_PARALLEL_BYTES = saved


def test_the_cli_parent_does_not_import_pyyaml_for_clean_files(tmp_path: Path) -> None:
    """What the child parses, the parent never parses again: `trygg check` (all cores) leaves
    PyYAML to the child; with --jobs 1 it parses itself. Same output either way."""
    files = {f"dokument/p{i}.yaml": PLAN.format(owner="socialnamnden").replace("id: plan", f"id: plan-{i}")
             + "".join(f"  - id: m{i}-{j}\n    titel: Åtgärd {j} {'x' * 200}\n    ansvarig: socialnamnden\n"
                       for j in range(40)) for i in range(6)}
    root = write_repo(tmp_path / "r", files)
    code = ("import sys\nfrom trygg.cli import main\nfrom trygg.load import parallel\n"
            "parallel.usable_cores = lambda: 2\n"
            f"main(['check', {str(root)!r}, '--today', {TODAY!r}, '--no-cache', '--format', 'concise'"
            "] + sys.argv[1:])\n"
            "print('PYYAML' if 'yaml' in sys.modules else 'NO_PYYAML')\n")
    two = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    one = subprocess.run([sys.executable, "-c", code, "--jobs", "1"], capture_output=True, text=True)
    assert two.stdout.splitlines()[-1] == "NO_PYYAML", two.stderr
    assert one.stdout.splitlines()[-1] == "PYYAML"
    assert two.stdout.splitlines()[:-1] == one.stdout.splitlines()[:-1]
    # the comments travelled with the data: the needless suppression on line 7 is reported
    assert any(line.startswith("dokument/p0.yaml:7:") and "A101" in line for line in two.stdout.splitlines())


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)


def test_a_parser_started_early_gets_the_files(tmp_path: Path, always_fork: None, two_cores: None) -> None:
    """`trygg check` starts the parsing process before it parses its arguments; the files go to it."""
    sources = _sources(_mixed_repo(tmp_path))
    parallel.start_parser()
    assert parallel._WAITING is not None
    early_pid = parallel._WAITING[0]
    with parse_all(sources, workers=2) as files:
        assert files._pid == early_pid
        loaded = list(files)
    assert parallel._WAITING is None
    assert files.in_child == len(sources) - 2  # all but the syntax error and the duplicate key
    _same(loaded, _parse(sources, 1)[0])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_an_unused_early_parser_is_stopped(two_cores: None) -> None:
    parallel.start_parser()
    assert parallel._WAITING is not None
    parallel.stop_parser()
    assert parallel._WAITING is None
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_an_early_parser_that_died_is_replaced(tmp_path: Path, always_fork: None, two_cores: None) -> None:
    import signal

    sources = _sources(_mixed_repo(tmp_path))
    parallel.start_parser()
    assert parallel._WAITING is not None
    pid = parallel._WAITING[0]
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z":  # until it is dead
        time.sleep(0.001)
    forked, in_child = _parse(sources, 2)
    assert in_child == len(sources) - 2  # a fresh child did the work
    _same(forked, _parse(sources, 1)[0])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("guess", ["right", None, "raises"])
def test_an_early_parser_parses_the_files_it_guessed_or_was_handed(
        tmp_path: Path, always_fork: None, two_cores: None, guess: str | None) -> None:
    """Started with a guess (as `trygg check` starts it), the parser finds and parses the files
    itself, before the check has read them; without one, or when guessing fails (no repository),
    it is handed them. Either way the check uses its work, and the result is the same."""
    from trygg.repo import RepositoryNotFound

    root = _mixed_repo(tmp_path)
    sources = _sources(root)

    def guessing():  # type: ignore[no-untyped-def]
        if guess == "raises":
            raise RepositoryNotFound(tmp_path)
        return _sources(root)

    parallel.start_parser(guess=None if guess is None else guessing)
    early_pid = parallel._WAITING[0]
    with parse_all(sources, workers=2) as files:
        assert files._pid == early_pid
        loaded = list(files)
    assert files.in_child == len(sources) - 2
    _same(loaded, _parse(sources, 1)[0])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_files_that_changed_after_the_guess_are_parsed_as_they_are_now(
        tmp_path: Path, always_fork: None, two_cores: None) -> None:
    """The early parser read a file that was then saved again: its work is not used; what is
    checked is the file as the check read it."""
    root = _mixed_repo(tmp_path)
    guessed = _sources(root)
    (root / "dokument" / "a.yaml").write_text(PLAN.format(owner="ny_namnd"), encoding="utf-8")
    sources = _sources(root)
    parallel.start_parser(guess=lambda: guessed)
    early_pid = parallel._WAITING[0]
    with parse_all(sources, workers=2) as files:
        assert files._pid not in (None, early_pid)  # another parser, handed the files
        loaded = list(files)
    assert files.in_child == len(sources) - 2
    _same(loaded, _parse(sources, 1)[0])
    (changed,) = [x for x in loaded if x.path == "dokument/a.yaml"]
    assert changed.data["åtgärder"][0]["ansvarig"] == "ny_namnd"
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("guess", ["cached", "too-small"])
def test_an_early_parser_with_nothing_to_parse_stops_and_is_replaced_if_asked(
        tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch, guess: str) -> None:
    """A cached result (or too few bytes) means the parser stops at once instead of importing
    PyYAML for nothing; a check that needs a parser after all starts another."""
    sources = _sources(_mixed_repo(tmp_path))
    # too few bytes for the parser, enough for the check
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", sum(len(s.data) for s in sources) + 1)
    parallel.start_parser(guess=lambda: None if guess == "cached" else sources)
    early_pid = parallel._WAITING[0]
    deadline = time.monotonic() + 10
    while Path(f"/proc/{early_pid}/stat").read_text().split(") ")[1][0] != "Z":  # it ends by itself
        assert time.monotonic() < deadline, "the early parser did not stop"
        time.sleep(0.001)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    with parse_all(sources, workers=2) as files:
        assert files._pid not in (None, early_pid)
        loaded = list(files)
    assert files.in_child == len(sources) - 2
    _same(loaded, _parse(sources, 1)[0])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
