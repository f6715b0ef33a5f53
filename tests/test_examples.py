"""The examples tell the truth: `trygg check --today 2026-11-23` on each bundled municipality
reports the real governance gaps the seed documents show, and no schema or reference errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import EXAMPLES, TODAY


def check(cli, name: str):  # type: ignore[no-untyped-def]
    run = cli("check", str(EXAMPLES / name), "--today", TODAY, "--format", "json")
    assert "Traceback" not in run.out + run.err
    return run, run.json["findings"]


@pytest.mark.parametrize("name", ["solna", "sollentuna", "lysekil"])
def test_examples_have_no_schema_or_reference_errors(cli, name: str) -> None:
    _, findings = check(cli, name)
    assert [f for f in findings if f["code"][0] in "YSR"] == []


def test_lysekil_guidelines_expired_and_no_situation_report(cli) -> None:
    run, findings = check(cli, "lysekil")
    t107 = [(f["file"], f["line"]) for f in findings if f["code"] == "T107"]
    assert ("dokument/riktlinjer-2018.yaml", 18) in t107
    expired = next(f for f in findings if f["code"] == "T107" and f["file"] == "dokument/riktlinjer-2018.yaml")
    assert "2022-12-31" in expired["message"]
    codes = {f["code"] for f in findings}
    assert {"L101", "L103"} <= codes  # no lägesbild, no decided åtgärdsplan after 2022
    # the communication plan the guidelines require has no owner in the source
    assert any(f["code"] == "A101" and "kommunikationsplan" in f["message"] for f in findings)
    assert run.code == 1


def test_solna_programme_never_followed_up(cli) -> None:
    _, findings = check(cli, "solna")
    programme = "dokument/trygghetsprogram-2008-2011.yaml"
    never = {f["message"].split("'")[1] for f in findings if f["code"] == "T106" and f["file"] == programme}
    assert len(never) == 26 and all(m.startswith("tp-") for m in never)
    # the programme expired in 2011 and nothing newer of its kind exists
    assert any(f["code"] == "T107" and f["file"] == programme for f in findings)
    # the likabehandlingsplan insats names no owner in the source
    assert [f["message"] for f in findings if f["code"] == "A101"] == ["Åtgärden 'tp-2.10' saknar ansvarig"]


def test_solna_strategy_due_for_revision_with_new_mandate_period(cli) -> None:
    _, findings = check(cli, "solna")
    t108 = [f for f in findings if f["code"] == "T108"]
    assert [(f["file"], f["line"]) for f in t108] == [("dokument/trygghetsstrategi-2024-2026.yaml", 24)]
    assert "2026-10-15" in t108[0]["message"]


def test_solna_policy_is_replaced_so_not_expired(cli) -> None:
    _, findings = check(cli, "solna")
    assert not [f for f in findings if f["file"] == "dokument/trygghetspolicy-2008.yaml" and f["code"][0] == "T"]


def test_sollentuna_one_late_measure(cli) -> None:
    _, findings = check(cli, "sollentuna")
    late = [f["message"] for f in findings if f["code"] == "T101"]
    assert len(late) == 1 and "ap25-kamera-turebergs-torg" in late[0]


def test_english_output(cli) -> None:
    run = cli("check", str(EXAMPLES / "lysekil"), "--today", TODAY, "--lang", "en", "--format", "concise")
    assert "was valid until 2022-12-31" in run.out
    assert "findings in" in run.out


def test_entry_point_as_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "trygg", "check", str(EXAMPLES / "sollentuna"),
                           "--today", TODAY, "--format", "concise"],
                          capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "T101" in proc.stdout and "Traceback" not in proc.stderr
