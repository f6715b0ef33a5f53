"""`trygg init`: a new repository that checks from the first minute, never written over a user's files."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY

ROOT = Path(__file__).parent.parent


def test_init_gives_a_repository_whose_only_finding_is_the_undecided_plan(cli, tmp_path: Path) -> None:
    target = tmp_path / "ale"
    run = cli("init", str(target), "--kommun", "Ale kommun", "--kommunkod", "1440", "--today", TODAY)
    assert run.code == 0
    check = cli("check", str(target), "--today", TODAY, "--format", "json", "--no-cache")
    assert [f["code"] for f in check.json["findings"]] == ["L103"]
    assert check.code == 0  # a warning does not fail by default
    first = (target / "dokument" / "atgardsplan-2026.yaml").read_text(encoding="utf-8").splitlines()[0]
    schema = (target / "dokument" / first.split("$schema=")[1]).resolve()
    assert schema == (target / "schemas" / "atgardsplan.schema.json").resolve() and schema.is_file()


def test_init_never_overwrites_without_force(cli, tmp_path: Path) -> None:
    target = tmp_path / "ale"
    target.mkdir()
    (target / "trygg.yaml").write_text("kommun: Mitt eget\nkommunkod: '1440'\n", encoding="utf-8")
    run = cli("init", str(target), "--kommun", "Ale kommun", "--kommunkod", "1440")
    assert run.code == 2 and "--force" in run.err
    assert (target / "trygg.yaml").read_text(encoding="utf-8") == "kommun: Mitt eget\nkommunkod: '1440'\n"
    assert not (target / "organisationer.yaml").exists()  # nothing at all was written
    assert cli("init", str(target), "--kommun", "Ale kommun", "--kommunkod", "1440", "--force").code == 0
    assert "Ale kommun" in (target / "trygg.yaml").read_text(encoding="utf-8")


def test_init_with_ci_and_bad_code(cli, tmp_path: Path) -> None:
    assert cli("init", str(tmp_path / "x"), "--kommun", "X", "--kommunkod", "14400").code == 2
    assert cli("init", str(tmp_path / "g"), "--kommun", "G", "--kommunkod", "1440", "--ci", "gitlab").code == 0
    assert (tmp_path / "g" / ".gitlab-ci.yml").read_text(encoding="utf-8") == \
        (ROOT / "ci-mallar" / "gitlab-ci.yml").read_text(encoding="utf-8")


def test_packaged_ci_templates_equal_the_ones_in_ci_mallar() -> None:
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        assert (ROOT / "src" / "trygg" / "ci" / name).read_bytes() == (ROOT / "ci-mallar" / name).read_bytes()
