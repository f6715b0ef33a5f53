"""`trygg followup`: an edit adds exactly the follow-up and nothing else – comments, order, quoting,
line endings and byte-order mark survive, a broken or unusual file is refused untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY, write_repo

PLAN = """typ: åtgärdsplan
id: atgardsplan-2026
titel: "Åtgärdsplan 2026"   # citattecken som användaren valt
beslut:
  organ: kommunstyrelsen
  datum: 2026-04-20
giltighet:
  från: 2026-05-01
  till: 2027-12-31
baserad_på: [lagesbild-2026]
åtgärder:
  # den viktigaste åtgärden
  - id: ap-1
    titel: 'Ny belysning på stråket'
    problem: lb-p1
    fokusområde: fo-1
    ansvarig: kommunstyrelsen   # KS äger
    status: pågår
    klart_senast: hösten 2027
    uppföljning:
      - datum: 2026-08-31
        status: pågår
        bedömning: grön
"""


def test_adds_the_entry_and_nothing_else(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/atgardsplan.yaml": PLAN})
    run = cli("followup", "ap-1", str(root), "--status", "genomförd", "--assessment", "grön",
              "--comment", "Klart: 14 nya armaturer.", "--date", "2026-11-20")
    assert run.code == 0
    new = (root / "dokument/atgardsplan.yaml").read_text(encoding="utf-8")
    expected = PLAN.replace("    status: pågår\n    klart_senast", "    status: genomförd\n    klart_senast") + (
        "      - datum: 2026-11-20\n        status: genomförd\n        bedömning: grön\n"
        "        kommentar: 'Klart: 14 nya armaturer.'\n")
    assert new == expected
    assert "+      - datum: 2026-11-20" in run.out
    check = cli("check", str(root), "--today", TODAY, "--format", "json", "--no-cache")
    assert check.json["findings"] == []


def test_dry_run_writes_nothing(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/atgardsplan.yaml": PLAN})
    run = cli("followup", "ap-1", str(root), "--comment", "x", "--dry-run")
    assert run.code == 0 and "+        kommentar: x" in run.out
    assert (root / "dokument/atgardsplan.yaml").read_text(encoding="utf-8") == PLAN


def test_crlf_and_bom_are_kept(cli, tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode("utf-8")
    root = write_repo(tmp_path / "r", {"dokument/atgardsplan.yaml": data})
    assert cli("followup", "ap-1", str(root), "--comment", "Rapport till KS", "--date", "2026-11-20").code == 0
    raw = (root / "dokument/atgardsplan.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + PLAN.splitlines()[0].encode("utf-8") + b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.endswith(b"        kommentar: Rapport till KS\r\n")


def test_unknown_id_and_empty_follow_up(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/atgardsplan.yaml": PLAN})
    run = cli("followup", "ap1", str(root), "--comment", "x")
    assert run.code == 2 and "E101" in run.err and "ap-1" in run.err
    assert cli("followup", "ap-1", str(root)).code == 2


def test_broken_file_is_refused_untouched(cli, tmp_path: Path) -> None:
    broken = PLAN.replace("    titel: 'Ny belysning på stråket'\n", "    titel: 'Ny belysning på stråket'\n    ansvarg: x\n")
    root = write_repo(tmp_path / "r", {"dokument/atgardsplan.yaml": broken})
    run = cli("followup", "ap-1", str(root), "--comment", "x")
    assert run.code == 2 and "E102" in run.err
    assert (root / "dokument/atgardsplan.yaml").read_text(encoding="utf-8") == broken


def test_an_edit_that_would_reformat_is_refused(cli, tmp_path: Path) -> None:
    odd = PLAN.replace("    uppföljning:\n      - datum: 2026-08-31\n        status: pågår\n        bedömning: grön\n",
                       "    uppföljning: [{datum: 2026-08-31,   status: pågår}]\n")
    root = write_repo(tmp_path / "r", {"dokument/atgardsplan.yaml": odd})
    run = cli("followup", "ap-1", str(root), "--comment", "x")
    assert run.code == 2 and "E105" in run.err
    assert (root / "dokument/atgardsplan.yaml").read_text(encoding="utf-8") == odd


def _measures(root: Path) -> list[str]:
    from trygg.repo import load_repository

    return sorted(load_repository(root).entities.get("measure", {}))


@pytest.mark.parametrize("name", ["solna", "sollentuna", "lysekil"])
def test_every_example_measure_takes_a_follow_up_as_pure_insertion(name: str, tmp_path: Path) -> None:
    """For every measure of every example: the edit only inserts lines, and the file stays valid."""
    import difflib
    import shutil

    from trygg.edit import add_follow_up
    from trygg.repo import load_repository

    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root, ignore=shutil.ignore_patterns(".trygg_cache"))
    from datetime import date

    for measure in _measures(root):
        edit = add_follow_up(root, measure, when=date(2026, 11, 20), status="pågår",
                             assessment="gul", comment="Delårsrapport: #2 – 'enligt plan': ja")
        ops = difflib.SequenceMatcher(a=edit.old.splitlines(), b=edit.new.splitlines(), autojunk=False).get_opcodes()
        changed = [edit.old.splitlines()[i1:i2] for tag, i1, i2, _, _ in ops if tag not in ("equal", "insert")]
        assert all(all(line.strip().startswith("status:") for line in block) for block in changed), measure
        from trygg.edit import apply

        apply(edit)
        repo = load_repository(root)
        assert [f for f in repo.findings if f.code[0] in "YSR"] == [], measure
        entity = repo.get("measure", measure)
        newest = entity.obj.follow_up[-1]
        assert (newest.date.isoformat(), newest.comment) == ("2026-11-20", "Delårsrapport: #2 – 'enligt plan': ja")
