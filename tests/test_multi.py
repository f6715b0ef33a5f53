"""`trygg check DIR` over a directory of municipality repositories: every repository checked,
paths prefixed with the repository's directory, a table per municipality, the same result on
one core as on several."""

from __future__ import annotations

from pathlib import Path

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
