"""The command line as a user meets it: exit codes, the text format, languages, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TODAY, write_repo
from trygg import __version__


def test_version(cli) -> None:
    run = cli("--version")
    assert run.code == 0 and run.out.strip() == f"trygg {__version__}"


def test_no_repository_exits_2_with_a_located_explanation(cli, tmp_path: Path) -> None:
    run = cli("check", str(tmp_path))
    assert run.code == 2
    assert "R103" in run.err and "trygg.yaml" in run.err and "Traceback" not in run.err


def test_bad_arguments_exit_2(cli, tmp_path: Path) -> None:
    assert cli("check", "--bogus").code == 2
    assert cli("check", str(tmp_path), "--format", "xml").code == 2
    bad_date = cli("check", str(tmp_path), "--today", "31/12/2025")
    assert bad_date.code == 2 and "ÅÅÅÅ-MM-DD" in bad_date.err


def test_internal_error_is_one_line_and_exit_2(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_repo(tmp_path / "r", {})

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("trygg.check.run_check", boom)
    run = cli("check", str(root))
    assert run.code == 2
    assert "Traceback" not in run.err
    assert run.err.count("\n") == 1 and "Internt fel" in run.err and "ZeroDivisionError" in run.err


def test_clean_repository_exits_0_with_summary(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    run = cli("check", str(root), "--today", TODAY)
    assert run.code == 0
    assert run.out.strip() == "Inga anmärkningar i 5 filer."


def test_check_from_a_subdirectory_finds_the_root(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    run = cli("check", str(root / "dokument"), "--today", TODAY)
    assert run.code == 0


def test_text_format_shows_source_line_marker_and_hint(cli, tmp_path: Path) -> None:
    text = "typ: policy\nid: p\ntitel: Policy\nsyftet: [Trygghet]\n"
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": text})
    run = cli("check", str(root), "--today", TODAY)
    assert run.code == 1
    lines = run.out.splitlines()
    i = lines.index("dokument/p.yaml:4:1: S102 [fel] Okänd nyckel 'syftet'")
    assert lines[i + 1:i + 5] == ["  |", "4 | syftet: [Trygghet]", "  | ^", "  = tips: Menade du 'syfte'?"]
    assert lines[-1] == "1 anmärkning i 6 filer: 1 fel, 0 varningar, 0 info."


def test_english(cli, tmp_path: Path) -> None:
    text = "typ: policy\nid: p\ntitel: Policy\nsyftet: [Trygghet]\n"
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": text})
    run = cli("check", str(root), "--today", TODAY, "--lang", "en")
    assert "S102 [error] Unknown key 'syftet'" in run.out
    assert "= hint: Did you mean 'syfte'?" in run.out


def test_no_colour_unless_terminal(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "typ: policy\nid: p\ntitel: Policy\nsyftet: x\n"
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": text})
    assert "\x1b[" not in cli("check", str(root)).out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("check", str(root)).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("check", str(root)).out


def test_output_file_is_written_atomically(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    out = tmp_path / "resultat.json"
    run = cli("check", str(root), "--today", TODAY, "--format", "json", "--output", str(out))
    assert run.code == 0 and run.out == ""
    assert '"version": 1' in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".resultat")] == []


def test_output_is_never_overwritten_without_force(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    out = tmp_path / "resultat.txt"
    out.write_text("mina anteckningar\n", encoding="utf-8")
    run = cli("check", str(root), "--today", TODAY, "--output", str(out))
    assert run.code == 2 and "--force" in run.err
    assert out.read_text(encoding="utf-8") == "mina anteckningar\n"
    assert cli("check", str(root), "--today", TODAY, "--output", str(out), "--force").code == 0
    assert out.read_text(encoding="utf-8").startswith("Inga anmärkningar")
    # the same content again is not an overwrite
    assert cli("check", str(root), "--today", TODAY, "--output", str(out)).code == 0
    report = tmp_path / "rapport.md"
    report.write_text("handskriven\n", encoding="utf-8")
    run = cli("report", str(root), "--year", "2026", "--today", TODAY, "--no-git", "--output", str(report))
    assert run.code == 2 and report.read_text(encoding="utf-8") == "handskriven\n"


def test_checking_one_file_reports_only_that_file(cli, tmp_path: Path) -> None:
    broken = "typ: policy\nid: p\ntitel: Policy\nsyftet: x\n"
    other = "typ: policy\nid: q\ntitel: Policy\nägare: x\n"
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": broken, "dokument/q.yaml": other})
    whole = cli("check", str(root), "--today", TODAY, "--format", "json", "--no-cache")
    assert {f["file"] for f in whole.json["findings"]} == {"dokument/p.yaml", "dokument/q.yaml"}
    one = cli("check", str(root / "dokument" / "q.yaml"), "--today", TODAY, "--format", "json")
    assert [(f["file"], f["code"]) for f in one.json["findings"]] == [("dokument/q.yaml", "S102")]
    assert one.code == 1
    clean = cli("check", str(root / "organisationer.yaml"), "--today", TODAY)
    assert clean.code == 0


def test_help_lists_every_command_and_a_typo_gets_a_suggestion(cli) -> None:
    run = cli("--help")
    assert run.code == 0
    listed = [line.split()[0] for line in run.out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == ["check", "schema", "report", "diff", "history", "rules", "followup", "init"]
    typo = cli("chek")
    assert typo.code == 2 and "check" in typo.err


def test_a_command_imports_no_other_command(tmp_path: Path) -> None:
    """`trygg check` builds and imports only itself (issue 5: nothing a command does not use)."""
    import subprocess
    import sys

    root = write_repo(tmp_path / "r", {})
    code = ("import sys\nfrom trygg.cli import main\n"
            f"main(['check', {str(root)!r}, '--today', {TODAY!r}, '--no-cache'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('trygg.commands.')))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "['trygg.commands.check', 'trygg.commands.common']"


def test_validation_looks_for_no_pydantic_plugins(tmp_path: Path) -> None:
    """trygg's validators are built without third-party pydantic plugins (as typer builds its
    own), so a check never scans the installed packages' entry points for one; the user's own
    setting of PYDANTIC_DISABLE_PLUGINS is left as it was."""
    import subprocess
    import sys

    root = write_repo(tmp_path / "r", {})
    code = ("import os, sys\nfrom trygg.cli import main\nimport pydantic.plugin._loader as plugins\n"
            f"main(['check', {str(root)!r}, '--today', {TODAY!r}, '--no-cache', '--jobs', '1'])\n"
            "print(plugins._plugins is None, os.environ.get('PYDANTIC_DISABLE_PLUGINS'))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"})
    assert run.stdout.strip().splitlines()[-1] == "True None"


@pytest.mark.parametrize(("args", "expected"), [
    (["check"], (".", None, True, None)),
    (["check", "kommun", "--today", "2026-01-31", "--no-cache", "-j", "1"], ("kommun", "2026-01-31", False, "1")),
    (["check", "--format=json", "-o", "ut.json", "--force", "-j2", "--", "-konstig"], ("-konstig", None, True, "2")),
    (["check", "--lang", "en", "--jobs=3", "a/b.yaml"], ("a/b.yaml", None, True, "3")),
    (["check", "--help"], None),
    (["check", "a", "b"], None),
    (["check", "--today"], None),
    (["check", "--no-cache=1"], None),
    (["check", "-x"], None),
    (["report", "--year", "2025"], None),
])
def test_the_entry_point_reads_a_check_command_line_as_click_will(args: list[str], expected: tuple | None) -> None:
    """Before typer is imported, `trygg check`'s command line is read to start parsing early."""
    from trygg.cli import read_check_line

    assert read_check_line(args) == expected


def test_the_early_reading_knows_every_option_of_check() -> None:
    """The options the entry point reads before typer are exactly those of the check command:
    a new option that takes a value would otherwise be taken for the path."""
    from trygg.app import command_group
    from trygg.cli import CHECK_FLAGS, CHECK_VALUES

    command = command_group().commands["check"]
    options = [p for p in command.params if p.param_type_name == "option"]
    assert {o for p in options if not p.is_flag for o in p.opts} == CHECK_VALUES
    assert {o for p in options if p.is_flag for o in p.opts} == CHECK_FLAGS


def test_the_early_parser_guesses_the_files_a_check_reads(tmp_path: Path) -> None:
    """What the early parser would parse: the repository's files, read as the check reads them;
    nothing when a result for them is cached; no repository is an error it keeps to itself."""
    from datetime import date

    from trygg.cache import read_sources
    from trygg.check import guess_sources, run_check
    from trygg.repo import RepositoryNotFound, discover

    root = write_repo(tmp_path / "r", {"dokument/p.yaml": "typ: policy\nid: p\ntitel: P\n"})
    expected = read_sources(root, discover(root, []))
    assert guess_sources(root / "dokument", today=TODAY, use_cache=True) == expected
    run_check(root, today=date.fromisoformat(TODAY), use_cache=True)
    assert guess_sources(root / "dokument", today=TODAY, use_cache=True) is None
    assert guess_sources(root, today="2026-11-24", use_cache=True) == expected  # another date's key
    assert guess_sources(root, today=TODAY, use_cache=False) == expected
    with pytest.raises(RepositoryNotFound):
        guess_sources(tmp_path, today=None, use_cache=True)


def test_only_the_program_leaves_its_last_objects_to_exit() -> None:
    """`trygg` as a program skips the collector's last pass over what it leaves (gc.freeze, ~50 ms
    after a cold check); called as a function, as tests and library users call it, it leaves the
    collector alone."""
    import subprocess
    import sys

    code = ("import gc, sys\nfrom trygg.cli import main\n"
            "main(['--version'])\nprint(gc.get_freeze_count())\n"
            "sys.argv = ['trygg', '--version']\nmain()\nprint(gc.get_freeze_count() > 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == [f"trygg {__version__}", "0", f"trygg {__version__}", "True"]
