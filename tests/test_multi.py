"""`trygg check DIR` over a directory of municipality repositories: every repository checked,
paths prefixed with the repository's directory, a table per municipality, the same result on
one core as on several."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, write_repo

BROKEN = "typ: policy\nid: p\ntitel: Policy\nsyftet: [Trygghet]\n"


def corpus(tmp_path: Path) -> Path:
    top = tmp_path / "län"
    write_repo(top / "alfa", {})
    write_repo(top / "beta", {"dokument/p.yaml": BROKEN})
    write_repo(top / "grupp" / "gamma", {"trygg.yaml": 'kommun: Gamma kommun\nkommunkod: "9003"\n'})
    return top


def test_many_municipalities_text(cli, tmp_path: Path) -> None:
    top = corpus(tmp_path)
    run = cli("check", str(top), "--today", TODAY, "--format", "concise", "--no-cache")
    assert run.code == 1
    assert "beta/dokument/p.yaml:4:1: S102 [fel] Okänd nyckel 'syftet'" in run.out
    table = run.out.split("\n\n")[-1].splitlines()
    assert table[0].split() == ["katalog", "kommun", "filer", "fel", "varningar", "info"]
    assert table[2].split()[:3] == ["beta", "Testby", "kommun"]  # worst first
    assert {row.split()[0] for row in table[2:]} == {"alfa", "beta", "grupp/gamma"}


def test_machine_output_stays_parseable_and_table_goes_to_stderr(cli, tmp_path: Path) -> None:
    top = corpus(tmp_path)
    run = cli("check", str(top), "--today", TODAY, "--format", "json", "--no-cache")
    files = {f["file"] for f in run.json["findings"]}
    assert "beta/dokument/p.yaml" in files
    assert files == {"beta/dokument/p.yaml"}
    assert run.json["summary"]["files"] == 16  # 5 + 6 + 5 files
    assert "katalog" in run.err


def test_one_core_and_two_cores_agree(cli, tmp_path: Path) -> None:
    top = corpus(tmp_path)
    one = cli("check", str(top), "--today", TODAY, "--format", "json", "--no-cache", "--jobs", "1")
    two = cli("check", str(top), "--today", TODAY, "--format", "json", "--no-cache", "--jobs", "2")
    assert one.out == two.out and one.code == two.code


def test_directory_without_any_repository_exits_2(cli, tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    assert cli("check", str(tmp_path / "tom")).code == 2


# A file with a finding in a repository of its own for each kind of line break: LF, CRLF, CR,
# and a line separator (U+2028) inside a quoted title, which YAML and str.splitlines both
# count as a line break (so the finding is on line 8 there).
PLAN_LINES = ["typ: åtgärdsplan", "id: plan", "titel: Plan", "åtgärder:", "  - id: p-1",
              "    titel: Trygghetsvandringar", "    ansvarg: socialforvaltningen"]


def line_breaks_corpus(tmp_path: Path) -> Path:
    top = tmp_path / "län"
    for name, text in {"lf": "\n".join(PLAN_LINES) + "\n",
                       "crlf": "\r\n".join(PLAN_LINES) + "\r\n",
                       "cr": "\r".join(PLAN_LINES),
                       "ls": "\n".join(PLAN_LINES).replace("Plan", '"Plan\u2028 2026"') + "\n"}.items():
        write_repo(top / name, {"dokument/p.yaml": text.encode("utf-8")})
    return top


def test_quoted_lines_follow_every_kind_of_line_break(cli, tmp_path: Path) -> None:
    top = line_breaks_corpus(tmp_path)
    cold = cli("check", str(top), "--today", TODAY, "--jobs", "1")
    first = cli("check", str(top), "--today", TODAY, "--jobs", "2")
    warm = cli("check", str(top), "--today", TODAY, "--jobs", "2")  # from each repository's cache
    for name, line in {"lf": 7, "crlf": 7, "cr": 7, "ls": 8}.items():
        assert f"{name}/dokument/p.yaml:{line}:5: S102" in cold.out
        assert f"\n{line} |     ansvarg: socialforvaltningen\n" in cold.out.split(f"{name}/dokument/p.yaml")[1]
    assert cold.out == first.out == warm.out


def test_batches_keep_every_job_in_order_and_shrink_towards_the_end() -> None:
    from trygg.multi import MAX_BATCH, _batches

    jobs = [(str(i), None, True) for i in range(290)]
    batches = _batches(jobs, 2)  # type: ignore[arg-type]
    assert [job for batch in batches for job in batch] == jobs
    sizes = [len(batch) for batch in batches]
    assert max(sizes) == MAX_BATCH and sizes == sorted(sizes, reverse=True) and sizes[-8:] == [1] * 8
    assert _batches(jobs[:3], 2) == [[job] for job in jobs[:3]]  # type: ignore[arg-type]


def test_progress_counts_every_repository(tmp_path: Path) -> None:
    from trygg.multi import check_many, find_repositories

    top = corpus(tmp_path)
    seen: list[tuple[int, int]] = []
    result, rows = check_many(top, find_repositories(top), today=date.fromisoformat(TODAY),
                              use_cache=False, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert [r.directory for r in rows] == ["alfa", "beta", "grupp/gamma"] and result.files == 16


def test_as_many_workers_as_cores_this_process_may_use(tmp_path: Path, monkeypatch) -> None:
    """One usable core (CPU affinity, as in a container limited to one) checks in this process."""
    import os

    import trygg.multi

    top = corpus(tmp_path)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(trygg.multi, "ProcessPoolExecutor", lambda **kw: pytest.fail("started workers"))
    result, rows = trygg.multi.check_many(top, trygg.multi.find_repositories(top),
                                          today=date.fromisoformat(TODAY), use_cache=False)
    assert len(rows) == 3 and result.files == 16


def test_related_places_carry_their_repository_directory(cli, tmp_path: Path) -> None:
    """A duplicate id in one of many municipalities: its first definition is named with the
    municipality's directory too, so code scanning opens the right file."""
    import json

    top = corpus(tmp_path)
    (top / "beta" / "dokument" / "p.yaml").write_text(
        "typ: policy\nid: p\ntitel: Policy\n", encoding="utf-8")
    (top / "beta" / "dokument" / "q.yaml").write_text(
        "typ: policy\nid: p\ntitel: Samma id\n", encoding="utf-8")
    run = cli("check", str(top), "--today", TODAY, "--format", "sarif", "--no-cache")
    (result,) = [r for r in json.loads(run.out)["runs"][0]["results"] if r["ruleId"] == "R101"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "beta/dokument/q.yaml"
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "beta/dokument/p.yaml"
    assert related["physicalLocation"]["region"]["startLine"] == 2
