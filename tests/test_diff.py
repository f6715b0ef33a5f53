"""`trygg diff`: two versions of the plan compared by id, as text and as a pull-request comment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TODAY
from githelpers import git, measure, plan, scripted
from mdtables import cells, parse, tables, walk


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scripted(tmp_path_factory.mktemp("diff") / "kommun")


def sha(root: Path, subject: str) -> str:
    out = git(root, "log", "--all", "--format=%H %s").stdout
    return next(line.split(" ", 1)[0] for line in out.splitlines() if line.split(" ", 1)[1] == subject)


def test_a_year_of_changes_as_text(cli, repo: Path) -> None:
    run = cli("diff", sha(repo, "Första planen"), sha(repo, "Flytta a-5 till planen för 2025"), "-C", str(repo))
    assert run.code == 0, run.err
    out = run.out
    assert "1 tillkomna, 1 borttagna och 4 ändrade åtgärder; 1 ändringar i styrdokument." in out
    assert "  + a-6  Läxhjälp på biblioteket · ansvarig Kultur- och fritidsnämnden" in out
    assert "  - a-4  Kameror vid stationen" in out
    assert "klart senast: Q2 2024 → Q2 2025 (uppskjuten 365 dagar)" in out
    assert "ansvarig: Socialförvaltningen → Kommunstyrelsen" in out
    assert "flyttades från dokument/plan.yaml till dokument/plan-2025.yaml" in out
    assert "status: ej påbörjad → genomförd" in out and "ny uppföljning 2024-08-31 (genomförd, grön)" in out
    assert "Åtgärdsplan 2025 (dokument/plan-2025.yaml): nytt dokument" in out


def test_documents_expire_between_versions(cli, repo: Path) -> None:
    run = cli("diff", sha(repo, "Merge branch 'sommarjobb'"), sha(repo, "a-7 genomförd"), "-C", str(repo),
              "--lang", "en")
    assert "Åtgärdsplan 2025 (dokument/plan-2025.yaml): expired 2025-12-31" in run.out
    assert "status: not started → completed" in run.out


def test_markdown_for_a_pull_request(cli, golden, repo: Path) -> None:
    run = cli("diff", sha(repo, "Första planen"), sha(repo, "Flytta a-5 till planen för 2025"), "-C", str(repo),
              "--format", "markdown")
    assert run.code == 0
    golden("diff-historik-2024.md", run.out)
    added = next(t for t in tables(run.out) if t[0] == ["Åtgärd", "Ansvarig", "Klart senast", "Fil"])
    assert added[1] == ["Läxhjälp på biblioteket (a-6)", "Kultur- och fritidsnämnden", "2025-03-31",
                        "dokument/plan.yaml"]
    changed = {row[0]: row[1] for row in next(t for t in tables(run.out) if t[0] == ["Åtgärd", "Ändringar"])}
    assert changed["Belysning i parken (a-2)"] == "ansvarig: Socialförvaltningen → Kommunstyrelsen"


def test_the_working_tree_against_head(cli, tmp_path: Path) -> None:
    root = scripted(tmp_path / "k")
    path = root / "dokument" / "plan-2025.yaml"
    text = path.read_text(encoding="utf-8")
    text += measure("a-9", "Ny | <b>fet</b>\nrad", owner="polisen", due="2026")
    text = text.replace("till: 2025-12-31", "till: 2026-12-31")
    path.write_text(text, encoding="utf-8")
    new = root / "dokument" / "plan-2026.yaml"
    new.write_text(plan("plan-2026", [], start="2026-01-01", title="Åtgärdsplan 2026", focus=False)
                   .replace("åtgärder:\n", "ersätter: [plan]\nåtgärder: []\n"), encoding="utf-8")
    run = cli("diff", "HEAD", "-C", str(root), "--format", "markdown", "--today", TODAY)
    assert run.code == 0, run.err
    assert "till **arbetskatalogen**" in run.out
    found = cells(run.out)
    assert "Ny | <b>fet</b> rad (a-9)" in found and "Lokalpolisområde Testby" in found
    assert "giltig till: 2025-12-31 → 2026-12-31" in found
    assert "ersätts av Åtgärdsplan 2026" in found and "nytt dokument" in found
    assert not [t for t in walk(parse(run.out)) if t.type in ("html_inline", "html_block")]


def test_no_changes(cli, repo: Path) -> None:
    run = cli("diff", "HEAD", "HEAD", "-C", str(repo))
    assert run.code == 0 and "Inga ändringar i åtgärder eller styrdokument." in run.out


@pytest.mark.parametrize("revision", ["finns-inte", "--help", "HEAD~99"])
def test_an_unknown_revision_is_exit_2(cli, repo: Path, revision: str) -> None:
    run = cli("diff", "-C", str(repo), "--", revision)
    assert run.code == 2 and run.out == ""
    assert run.err == f"trygg: revisionen '{revision}' finns inte i git-arkivet\n"


def test_without_git_diff_says_why(cli, tmp_path: Path, repo: Path) -> None:
    copy = tmp_path / "kopia"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    run = cli("diff", "HEAD", "-C", str(copy))
    assert run.code == 2
    assert run.err == "trygg: historiken går inte att läsa: katalogen ligger inte i ett git-arkiv\n"


def test_history_without_git_says_why(cli, tmp_path: Path, repo: Path) -> None:
    copy = tmp_path / "kopia"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    run = cli("history", "a-1", str(copy), "--lang", "en")
    assert run.code == 2
    assert run.err == "trygg: the history cannot be read: the directory is not in a git repository\n"


def test_every_kind_of_change_has_a_sentence_in_both_languages() -> None:
    from trygg.changes import compare, describe
    from trygg.snapshot import DocHeader, measure_state

    header = DocHeader.from_data("p.yaml", {"id": "p", "giltighet": {"till": "2025-12-31"}})
    before = measure_state({
        "id": "m", "titel": "A", "beskrivning": "x", "klart_senast": "planperiodens slut",
        "ansvarig": "o1", "samverkan": ["p1"], "fokusområde": "f1", "status": "pågår",
        "indikatorer": [{"namn": "I", "mål": {"år": 2025, "värde": 5}, "utfall": {2024: 3}},
                        {"namn": "Gammal"}]}, "p.yaml", "åtgärder", header, {})
    after = measure_state({
        "id": "m", "titel": "B", "beskrivning": "y", "klart_senast": "Q1 2025",
        "ansvarig": "o2", "samverkan": [], "fokusområde": "f2", "status": "avbruten",
        "indikatorer": [{"namn": "I", "utgångsvärde": {"år": 2023, "värde": 2}, "mål": {"år": 2025, "värde": 4.5},
                         "utfall": {2024: 3, 2025: 3.5}}, {"namn": "Ny"}],
        "uppföljning": [{"datum": "2025-02-01", "status": "avbruten", "bedömning": "röd"}]},
        "q.yaml", "åtgärder", header, {})
    changes = compare(before, after)
    names = {"o1": "Ett", "o2": "Två"}.get
    sv = [describe(c, "sv", lambda i: names(i) or i) for c in changes]
    en = [describe(c, "en", lambda i: names(i) or i) for c in changes]
    assert sv == [
        "flyttades från p.yaml till q.yaml", "titel: A → B", "ansvarig: Ett → Två", "samverkan: p1 → ingen",
        "fokusområde: f1 → f2", "klart senast: planperiodens slut → Q1 2025 (tidigarelagd 275 dagar)",
        "status: pågår → avbruten", "ny indikator: Ny", "indikatorn Gammal togs bort",
        "I: utgångsvärde ingen → 2 (2023)", "I: mål 5 (2025) → 4,5 (2025)", "I: utfall 2025 ingen → 3,5",
        "ny uppföljning 2025-02-01 (avbruten, röd)", "'beskrivning' ändrades"]
    assert en[-2:] == ["new follow-up 2025-02-01 (cancelled, red)", "'beskrivning' changed"]
