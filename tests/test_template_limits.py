"""A user's template under limits: size (``*``, ``**``, ``+``), output, time and memory.

Every hostile template fails fast, at its file and line, in the user's language and with exit
code 2; a normal template and the packaged ones never notice the limits. Tests that need a limit
to strike quickly lower it (the limits are module constants of trygg.templating).
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY
from githelpers import scripted

from trygg import templating


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real git history the tests only read."""
    return scripted(tmp_path_factory.mktemp("gränser") / "kommun")


def report(cli, kommun: Path, template: Path | None = None, *more: str):  # type: ignore[no-untyped-def]
    args = ["report", str(kommun), "--year", "2025", "--today", TODAY, *more]
    return cli(*args, *(["--template", str(template)] if template else []))


def refused(run) -> str:  # type: ignore[no-untyped-def]
    """The run failed as a user error: one line on stderr, nothing on stdout, exit code 2."""
    assert run.code == 2 and run.out == "", (run.code, run.out[:200], run.err)
    assert "Traceback" not in run.err and "Internt fel" not in run.err and "Internal error" not in run.err
    assert run.err.startswith("trygg: ") and run.err.count("\n") == 1, run.err
    return run.err


def written(tmp_path: Path, body: str, name: str = "egen.md.j2") -> Path:
    template = tmp_path / name
    template.write_text("rad ett\n" + body + "\n", encoding="utf-8")
    return template


DOUBLING = "{% set ns = namespace(v=SEED) %}{% for i in range(64) %}{% set ns.v = ns.v OP ns.v %}{% endfor %}"


@pytest.mark.parametrize("body,message", [
    ("{{ 'x' * 10**10 }}", "'*' skulle ge en text på 10 000 000 000 tecken; en mall får bygga högst 1 000 000"),
    ("{{ 10**10 * measures }}", "'*' skulle ge en lista med "),
    ("{{ 9**(9**9) }}", "'**' skulle ge ett tal med omkring 369 693 100 siffror; en mall får räkna med högst 10 000"),
    ("{{ 2**(10**9999) }}", "'**' skulle ge ett tal med omkring 10^9998 siffror"),
    (DOUBLING.replace("SEED", "'ab'").replace("OP", "+"), "'+' skulle ge en text på 1 048 576 tecken"),
    (DOUBLING.replace("SEED", "[1]").replace("OP", "+"), "'+' skulle ge en lista med 1 048 576 element"),
    (DOUBLING.replace("SEED", "3").replace("OP", "*"), "'*' skulle ge ett tal med omkring 15 635 siffror"),
])
def test_operators_refuse_to_build_something_huge(cli, kommun: Path, tmp_path: Path, body: str,
                                                  message: str) -> None:
    template = written(tmp_path, body)
    err = refused(report(cli, kommun, template))
    assert err.startswith(f"trygg: {template}:2: mallen kunde inte fyllas i: {message}"), err


def test_the_limits_speak_english_with_lang_en(cli, kommun: Path, tmp_path: Path) -> None:
    template = written(tmp_path, "{{ 'x' * 10**10 }}")
    err = refused(report(cli, kommun, template, "--lang", "en"))
    assert err == (f"trygg: {template}:2: the template could not be filled in: '*' would make a text of "
                   "10,000,000,000 characters; a template may build at most 1,000,000\n")


def test_the_output_stops_at_its_limit_at_the_line_writing(cli, kommun: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "MAX_OUTPUT", 5_000)
    template = written(tmp_path, "{% for i in range(100000) %}\n{{ 'x' * 1000 }}\n{% endfor %}")
    err = refused(report(cli, kommun, template))
    assert err == f"trygg: {template}:3: mallen kunde inte fyllas i: rapporten blev längre än 5 000 tecken och avbröts\n"


def test_nested_loops_are_stopped_at_the_time_limit(cli, kommun: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "TIME_LIMIT", 0.2)
    template = written(tmp_path, "{% for a in range(100000) %}\n{% for b in range(100000) %}{{ a * b }}"
                                 "{% endfor %}{% endfor %}")
    err = refused(report(cli, kommun, template, "-o", str(tmp_path / "rapport.md")))
    assert err.startswith(f"trygg: {template}:3: mallen kunde inte fyllas i: avbröts efter 0,2 "
                          "sekunder (en för stor loop?)\n"), err
    assert not (tmp_path / "rapport.md").exists()


def test_a_template_that_takes_too_long_to_compile_is_stopped(cli, kommun: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja compiles a 1 MB template for half a minute: the time limit covers loading too."""
    monkeypatch.setattr(templating, "TIME_LIMIT", 0.05)
    template = written(tmp_path, "{{ municipality ~ code }}\n" * 20_000)
    err = refused(report(cli, kommun, template))
    assert err.startswith(f"trygg: {template}: mallen kunde inte fyllas i: avbröts efter 0,05 sekunder")


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is RLIMIT_AS, which only Linux enforces")
@pytest.mark.parametrize("body", [
    "{{ 'x'|center(200000000) }}",  # one step no operator check sees
    DOUBLING.replace("SEED", "'ab'").replace("OP", "~"),  # '~' is not an intercepted operator
])
def test_memory_is_limited_where_no_check_sees_it_coming(cli, kommun: Path, tmp_path: Path, body: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "MEMORY_LIMIT", 64)
    template = written(tmp_path, body)
    err = refused(report(cli, kommun, template))
    assert err == f"trygg: {template}:2: mallen kunde inte fyllas i: behövde mer än 64 MB minne och avbröts\n"


def test_the_limits_leave_signals_timers_and_memory_as_they_were(cli, kommun: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    resource = pytest.importorskip("resource")
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers here")
    monkeypatch.setattr(templating, "TIME_LIMIT", 0.1)
    memory = resource.getrlimit(resource.RLIMIT_AS)

    def theirs(signum: int, frame: object) -> None:
        raise AssertionError("their timer fired during the test")

    previous = signal.signal(signal.SIGPROF, theirs)
    signal.setitimer(signal.ITIMER_PROF, 1000)
    try:
        refused(report(cli, kommun, written(tmp_path, "{% for a in range(100000) %}{% for b in range(100000) %}"
                                                      "{% endfor %}{% endfor %}")))
        assert report(cli, kommun, written(tmp_path, "{{ summary.total }}", "snäll.md.j2")).code == 0
        assert signal.getsignal(signal.SIGPROF) is theirs
        remaining, interval = signal.getitimer(signal.ITIMER_PROF)
        assert 0 < remaining <= 1000 and interval == 0
        assert resource.getrlimit(resource.RLIMIT_AS) == memory
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def test_a_time_limit_that_strikes_in_a_finalizer_strikes_again_unprinted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A finalizer cannot raise (Python prints "Exception ignored in …"): the next tick raises instead."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers here")
    from jinja2.exceptions import SecurityError

    monkeypatch.setattr(templating, "TIME_LIMIT", 0.02)
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    class Slow:
        def __del__(self) -> None:
            end = time.process_time() + 0.15
            while time.process_time() < end:  # the limit runs out in here
                pass

    end = time.monotonic() + 5
    with pytest.raises(SecurityError, match="avbröts efter 0,02 sekunder"), \
            templating._time_limit(templating._Guard(), "sv"):  # loading: it may strike anywhere
        Slow()
        while time.monotonic() < end:
            pass
    assert time.monotonic() < end and unraisable == []


def test_a_normal_template_does_not_notice_the_limits(cli, kommun: Path, tmp_path: Path) -> None:
    template = written(tmp_path, "{{ '-' * 20 }} {{ 2 ** 10 }} {{ 10**9999 > 1 }} {{ summary.total + 1 }} "
                                 "{{ (measures + promises)|length }}\n"
                                 "{% for m in measures %}{{ m.id + ': ' + m.title }}\n{% endfor %}")
    run = report(cli, kommun, template)
    assert run.code == 0, run.err
    assert run.out.startswith("rad ett\n\\-------------------- 1024 True ")
    assert run.out.count(": ") >= 3


def test_a_template_that_extends_trygg_s_gives_trygg_s_report(cli, kommun: Path, tmp_path: Path) -> None:
    """The packaged report, run in the sandbox under every limit, comes out the same."""
    template = tmp_path / "samma.md.j2"
    template.write_text('{% extends "sv/rapport.md.j2" %}\n', encoding="utf-8")
    ours = report(cli, kommun)
    theirs = report(cli, kommun, template)
    assert ours.code == theirs.code == 0 and theirs.out == ours.out, theirs.err


def test_the_packaged_templates_run_without_the_limits(cli, kommun: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in ("MAX_OUTPUT", "MAX_LENGTH", "MAX_DIGITS"):
        monkeypatch.setattr(templating, limit, 1)
    monkeypatch.setattr(templating, "TIME_LIMIT", 0.000001)
    run = report(cli, kommun)
    assert run.code == 0 and run.out.startswith("# Uppföljning"), run.err


def test_the_limits_are_documented_as_they_are() -> None:
    docs = (EXAMPLES.parent / "docs" / "rapport.md").read_text(encoding="utf-8")
    for value in (templating.MAX_LENGTH, templating.MAX_DIGITS, templating.MAX_OUTPUT, templating.MEMORY_LIMIT):
        assert f"{value:,}".replace(",", " ") + " " in docs, value
    assert f"{templating.TIME_LIMIT:g} sekunder" in docs and f"{templating.TIME_LIMIT:g} seconds" in docs
