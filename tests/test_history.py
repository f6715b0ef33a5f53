"""History from real git repositories with a scripted, pinned multi-year history (tests/githelpers.py)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from githelpers import BERTIL, git, scripted

from trygg.history import GitUnavailable, open_history
from trygg.report import Period, build_context
from trygg.snapshot import Parser, split_pieces
from trygg.timeline import Timeline

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scripted(tmp_path_factory.mktemp("history") / "kommun")


def ids(rows: list[dict]) -> list[str]:
    return sorted(r["id"] for r in rows)


def context(root: Path, year: int, **kwargs: object) -> dict:
    return build_context(root, Period.year(year), today=TODAY, **kwargs)  # type: ignore[arg-type]


# ---- the log ----------------------------------------------------------------------------------

def test_log_follows_the_first_parent_line(repo: Path) -> None:
    entries = open_history(repo).log()
    subjects = [e.commit.subject for e in entries]
    assert subjects[0] == "Första planen"
    assert "Ny åtgärd a-8" not in subjects  # on the merged branch, not the main line
    assert "Merge branch 'sommarjobb'" in subjects
    merge = entries[subjects.index("Merge branch 'sommarjobb'")]
    assert [c.path for c in merge.changes] == ["dokument/plan-2025.yaml"]
    assert entries[1].commit.author == BERTIL[0] and entries[1].commit.day == date(2024, 3, 10)


def test_timeline_cut_is_the_last_commit_on_or_before_a_day(repo: Path) -> None:
    timeline = Timeline(open_history(repo))
    assert timeline.entries[timeline.cut(date(2024, 12, 31))].commit.subject == "Flytta a-5 till planen för 2025"
    assert timeline.entries[timeline.cut(date(2024, 8, 31))].commit.subject == "a-3 genomförd"
    assert timeline.cut(date(2023, 10, 31)) == -1


# ---- the two years the issue asks about --------------------------------------------------------

def test_year_2024(repo: Path) -> None:
    ctx = context(repo, 2024)
    assert ctx["history"] and ctx["git"]["available"]
    assert ctx["git"]["commit"]["subject"] == "Flytta a-5 till planen för 2025"
    assert [(r["id"], r["completed"]) for r in ctx["completed"]] == [("a-3", date(2024, 8, 31))]
    assert ids(ctx["late"]) == ["a-2"]
    changes = ctx["changes"]
    assert ids(changes["added"]) == ["a-6"] and changes["added"][0]["date"] == date(2024, 6, 15)
    assert ids(changes["removed"]) == ["a-4"] and changes["removed"][0]["date"] == date(2024, 10, 1)
    assert [(m["id"], m["from"], m["to"]) for m in changes["moved"]] == [
        ("a-5", "dokument/plan.yaml", "dokument/plan-2025.yaml")]
    by_id = {c["id"]: c for c in changes["changed"]}
    assert (by_id["a-1"]["postponed"], by_id["a-1"]["postponed_days"]) == (2, 184 + 181)
    assert (by_id["a-1"]["due_from"], by_id["a-1"]["due_to"]) == ("Q2 2024", "Q2 2025")
    assert by_id["a-2"]["owner_changes"] == [
        {"date": date(2024, 5, 20), "old": "Socialförvaltningen", "new": "Kommunstyrelsen"}]
    assert (changes["postponed"], changes["owner_changed"]) == (1, 1)


def test_year_2025(repo: Path) -> None:
    ctx = context(repo, 2025)
    assert ctx["git"]["commit"]["subject"] == "Merge branch 'sommarjobb'"
    assert [(r["id"], r["completed"]) for r in ctx["completed"]] == [("a-1", date(2025, 4, 1))]
    late = {r["id"]: r for r in ctx["late"]}
    assert sorted(late) == ["a-6", "a-7", "a-8"]
    # 'planperiodens slut' is the end of the holding document's giltighet.till
    assert late["a-8"]["due"] == date(2025, 12, 31) and late["a-8"]["days_late"] == 1
    changes = ctx["changes"]
    assert ids(changes["added"]) == ["a-7", "a-8"]
    assert {r["id"]: r["date"] for r in changes["added"]}["a-8"] == date(2025, 10, 1)  # merged then
    assert ids(changes["removed"]) == ["a-3"] and changes["moved"] == []
    by_id = {c["id"]: c for c in changes["changed"]}
    assert (by_id["a-2"]["postponed"], by_id["a-2"]["postponed_days"]) == (1, 730)
    assert by_id["a-6"]["owner_changes"][0]["new"] == "Socialförvaltningen"
    assert (changes["postponed"], changes["owner_changed"]) == (1, 1)


def test_the_state_at_period_end_ignores_later_commits(repo: Path) -> None:
    """a-7 was completed in 2026; the 2025 report must still call it late, and a-1 (done 2025) open in 2024."""
    ctx = context(repo, 2025)
    assert {r["id"]: r["status"] for r in ctx["measures"]}["a-7"] == "ej påbörjad"
    assert "a-7" in ids(ctx["late"])
    ctx_2024 = context(repo, 2024)
    assert {r["id"]: r["status"] for r in ctx_2024["measures"]}["a-1"] == "ej påbörjad"


def test_a_part_year_period(repo: Path) -> None:
    ctx = build_context(repo, Period.parse("2024-01-01..2024-08-31"), today=TODAY)
    assert [r["id"] for r in ctx["completed"]] == ["a-3"]
    assert ids(ctx["changes"]["added"]) == ["a-6"] and ctx["changes"]["removed"] == []
    assert ctx["git"]["commit"]["subject"] == "a-3 genomförd"


def test_a_period_not_yet_over_stops_at_today(repo: Path) -> None:
    ctx = build_context(repo, Period.year(2025), today=date(2025, 3, 15))
    assert ctx["period"]["as_of"] == date(2025, 3, 15) and not ctx["period"]["complete"]
    assert ctx["git"]["commit"]["subject"] == "Ny åtgärd a-7"


def test_owner_report_counts_only_that_owner(repo: Path) -> None:
    ctx = context(repo, 2024, owner="socialnamnden")  # includes Socialförvaltningen, which serves it
    assert ctx["owner"]["includes"] == ["Socialförvaltningen"]
    assert {r["id"] for r in ctx["measures"]} == {"a-1"}
    assert [c["id"] for c in ctx["changes"]["changed"]] == ["a-1", "a-2"]  # a-2 left Socialförvaltningen


# ---- one measure's life -------------------------------------------------------------------------

def test_history_of_one_measure(repo: Path, cli, golden) -> None:
    run = cli("history", "a-1", str(repo))
    assert run.code == 0, run.err
    golden("historik-a-1.txt", run.out)
    lines = run.out.splitlines()
    assert lines[0] == "Åtgärd a-1: Fältassistenter kvällstid"
    assert "2024-03-10  fc59053  Bertil Berg: Skjut upp a-1" in lines
    assert "klart senast: Q2 2024 → Q4 2024 (uppskjuten 184 dagar)" in run.out
    assert "klart senast: Q4 2024 → Q2 2025 (uppskjuten 181 dagar)" in run.out
    assert "status: ej påbörjad → genomförd" in run.out
    assert "tillkom i dokument/plan.yaml (plan)" in run.out


def test_history_follows_a_moved_measure(repo: Path, cli) -> None:
    run = cli("history", "a-5", str(repo), "--lang", "en")
    assert run.code == 0, run.err
    assert "moved from dokument/plan.yaml to dokument/plan-2025.yaml" in run.out
    assert "removed" not in run.out


def test_history_of_an_unknown_measure_is_exit_2_with_a_suggestion(repo: Path, cli) -> None:
    run = cli("history", "a-11", str(repo))
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err == "trygg: ingen åtgärd med id 'a-11' finns i historiken; menade du 'a-1'?\n"


def test_history_shows_uncommitted_edits(tmp_path: Path, cli) -> None:
    root = scripted(tmp_path / "k")
    plan = root / "dokument" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('klart_senast: "2026"', 'klart_senast: "2027"'),
                    encoding="utf-8")
    run = cli("history", "a-2", str(root))
    assert "Ej incheckat i arbetskatalogen:" in run.out
    assert "klart senast: 2026 → 2027 (uppskjuten 365 dagar)" in run.out


# ---- when the history is not all there ----------------------------------------------------------

def test_without_git_the_history_sections_say_why(tmp_path: Path) -> None:
    copy = tmp_path / "kopia"
    shutil.copytree(scripted(tmp_path / "k"), copy, ignore=shutil.ignore_patterns(".git"))
    ctx = context(copy, 2025)
    assert not ctx["history"] and ctx["changes"] == {"available": False}
    assert ctx["git"]["reason"] == "katalogen ligger inte i ett git-arkiv"
    # The files on disk say a-7 was done 2026-02-01; the dated follow-up log keeps 2025 honest.
    assert {r["id"]: r["status"] for r in ctx["measures"]}["a-7"] == "ej påbörjad"
    assert ids(ctx["late"]) == ["a-6", "a-7", "a-8"]


def test_without_a_git_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trygg.history

    def missing() -> None:
        raise GitUnavailable("no-git", "Bad git executable.")

    monkeypatch.setattr(trygg.history, "_import_git", missing)
    ctx = context(scripted(tmp_path / "k"), 2025)
    assert ctx["git"]["reason"] == "git finns inte installerat på den här datorn"


def test_a_directory_git_does_not_track(tmp_path: Path) -> None:
    root = scripted(tmp_path / "k")
    untracked = root / "annan-kommun"
    shutil.copytree(root, untracked, ignore=shutil.ignore_patterns(".git"))
    ctx = context(untracked, 2025)
    assert ctx["git"]["reason"].startswith("ingen incheckning i git-arkivet")


def test_a_shallow_clone_is_detected_and_explained(tmp_path: Path) -> None:
    root = scripted(tmp_path / "k")
    clone = tmp_path / "grund"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{root}", str(clone))
    ctx = context(clone, 2025)
    assert ctx["git"]["shallow"]
    assert any("fetch-depth: 0" in note and "grund klon" in note for note in ctx["git"]["notes"])


def test_a_dirty_working_tree_is_reported(tmp_path: Path) -> None:
    root = scripted(tmp_path / "k")
    (root / "dokument" / "ny.yaml").write_text("typ: policy\nid: ny\ntitel: Ny\n", encoding="utf-8")
    (root / "README.md").write_text("inte yaml\n", encoding="utf-8")
    ctx = context(root, 2025)
    assert ctx["git"]["dirty"] == ["dokument/ny.yaml"]
    assert any("inte är incheckade" in note and "dokument/ny.yaml" in note for note in ctx["git"]["notes"])


def test_history_began_inside_the_period(repo: Path) -> None:
    ctx = context(repo, 2023)
    assert ids(ctx["changes"]["added"]) == ["a-1", "a-2", "a-3", "a-4", "a-5"]
    assert any("Historiken börjar 2023-11-01" in note for note in ctx["git"]["notes"])


def test_a_period_before_the_history_uses_the_files(repo: Path) -> None:
    ctx = context(repo, 2022)
    assert not ctx["history"] and "historiken börjar 2023-11-01" in ctx["git"]["reason"]


# ---- cost: one git log, one cat-file, no process per commit -----------------------------------

def test_git_is_asked_a_constant_number_of_times(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import git as gitpython

    calls: list[str] = []
    original = gitpython.cmd.Git.execute

    def counting(self, command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(" ".join(str(c) for c in command[:2]))
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(gitpython.cmd.Git, "execute", counting)
    context(repo, 2024)
    assert len(calls) <= 8, calls
    assert sum(1 for c in calls if c.endswith("log")) == 1
    assert sum(1 for c in calls if "cat-file" in c) <= 2


def test_unchanged_measures_are_parsed_once(repo: Path) -> None:
    parser = Parser()
    timeline = Timeline(open_history(repo), parser)
    timeline.span(-1, len(timeline.entries) - 1)
    assert parser.full_parses == 0
    # 8 measures, ~20 distinct versions of them, a handful of headers: far fewer than files × commits
    assert parser.piece_parses < 45


# ---- the text cut agrees with the full reader -------------------------------------------------

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize("file", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_pieces_parse_like_the_whole_file(file: Path) -> None:
    parser = Parser()
    data = file.read_bytes()
    assert parser.parse(data, file.name) == parser._full(data.decode("utf-8"), file.name)


def test_a_flow_list_is_read_whole() -> None:
    parser = Parser()
    content = parser.parse("typ: x\nåtgärder: [ {id: a} ]\n".encode(), "x.yaml")
    assert [i["id"] for _k, i in content.items] == ["a"] and parser.full_parses == 1


@pytest.mark.parametrize("text", [
    "typ: x\nåtgärder:\n  - &a {id: a}\n  - *a\n",  # anchors
    "---\ntyp: x\nåtgärder:\n  - id: a\n",          # document marker
    "typ: x\nåtgärder:\n\t- id: a\n",               # tab
])
def test_unusual_text_is_left_to_the_full_reader(text: str) -> None:
    assert split_pieces(text) is None


def test_items_at_column_zero_and_comments_between_them() -> None:
    text = "typ: x\nåtgärder:\n# först\n- id: a\n  titel: A\n\n# mellan\n- id: b\nslut: 1\n"
    header, chunks = split_pieces(text)  # type: ignore[misc]
    assert [c for _k, c in chunks] == ["- id: a\n  titel: A\n\n# mellan\n", "- id: b\n"]
    assert "slut: 1" in header and "åtgärder:" in header
    parsed = Parser().parse(text.encode(), "x.yaml")
    assert [i["id"] for _k, i in parsed.items] == ["a", "b"] and parsed.header["slut"] == 1


def test_not_a_git_repository_raises(tmp_path: Path) -> None:
    (tmp_path / "trygg.yaml").write_text("kommun: X\nkommunkod: '0001'\n", encoding="utf-8")
    env_ceiling = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=False, cwd=tmp_path,
                                 capture_output=True, text=True)
    if env_ceiling.returncode == 0:
        pytest.skip("the temporary directory is inside a git repository")
    with pytest.raises(GitUnavailable) as info:
        open_history(tmp_path)
    assert info.value.reason == "not-a-repository"


def test_a_measure_removed_and_brought_back_elsewhere(tmp_path: Path, cli) -> None:
    from githelpers import CONFIG, ORGS, History, measure, plan

    x1 = measure("x-1", "Återkommande åtgärd", due="2025")
    x2 = measure("x-1", "Återkommande åtgärd", due="2026")
    root = (History(tmp_path / "k")
            .commit("2025-01-10", "Ny", {"trygg.yaml": CONFIG, "organisationer.yaml": ORGS,
                                         "dokument/a.yaml": plan("a", [x1])})
            .commit("2025-02-10", "Bort", {"dokument/a.yaml": plan("a", [])})
            .commit("2025-03-10", "Tillbaka", {"dokument/b.yaml": plan("b", [x2], focus=False)})
            .build())
    run = cli("history", "x-1", str(root))
    assert "togs bort ur dokument/a.yaml (a)" in run.out
    assert "återinfördes i dokument/b.yaml (fanns senast i dokument/a.yaml)" in run.out
    assert "klart senast: 2025 → 2026 (uppskjuten 365 dagar)" in run.out


def test_a_commit_with_broken_yaml_does_not_remove_the_measures(tmp_path: Path) -> None:
    from githelpers import CONFIG, ORGS, History, measure, plan

    good = plan("a", [measure("x-1", "En", due="2025"), measure("x-2", "Två", due="2025")])
    root = (History(tmp_path / "k")
            .commit("2024-12-01", "Ny", {"trygg.yaml": CONFIG, "organisationer.yaml": ORGS,
                                         "dokument/a.yaml": good})
            .commit("2025-02-01", "Trasig", {"dokument/a.yaml": good.replace("titel: \"En\"", "titel: \"En")})
            .commit("2025-02-02", "Lagad", {"dokument/a.yaml": good.replace('"2025"', '"2026"', 1)})
            .build())
    ctx = context(root, 2025)
    changes = ctx["changes"]
    assert changes["added"] == [] and changes["removed"] == []
    assert [u["path"] for u in changes["unreadable"]] == ["dokument/a.yaml"]
    assert [(c["id"], c["postponed_days"]) for c in changes["changed"]] == [("x-1", 365)]
