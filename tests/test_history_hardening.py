"""Git surprises and hostile repositories (issue 6) for `trygg report`, `trygg diff` and `trygg history`.

Every case builds a real git repository in ``tmp_path`` and runs the CLI through its entry point.
What is asserted: never a traceback or an "internal error"; "could not run" is one explained line
on stderr and exit code 2; where the history can still be told, it is told, with a note saying
what was skipped and why. Hostile text must stay text in Markdown, and user templates stay in
their sandbox and their directory.
"""

from __future__ import annotations

import os
import re
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from conftest import TODAY
from githelpers import CONFIG, GIT_ENV, ORGS, git, measure, plan
from mdtables import cells, parse, tables, walk

from trygg.history import open_history
from trygg.load.fast import MAX_FILE_BYTES

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# ---- building repositories byte by byte ------------------------------------------------------


def new_repo(tmp_path: Path, name: str = "kommun") -> Path:
    root = tmp_path / name
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


def commit(root: Path, when: str, message: str | bytes, files: dict[str | bytes, str | bytes | None],
           author: str = "Anna Andersson") -> None:
    """Write ``files`` (path → content, None deletes; either may be bytes) and commit on ``when``."""
    for name, content in files.items():
        raw_name = name if isinstance(name, bytes) else name.encode("utf-8")
        target = Path(os.fsdecode(os.fsencode(root) + b"/" + raw_name))
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    stamp = f"{when}T12:00:00+01:00"
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "GIT_AUTHOR_NAME": author}
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True, capture_output=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-F", "-"], cwd=root, env=env, check=True,
                   capture_output=True, input=message if isinstance(message, bytes) else message.encode())


def first_plan(*measures: str) -> dict[str | bytes, str | bytes | None]:
    return {"trygg.yaml": CONFIG, "organisationer.yaml": ORGS,
            "dokument/a.yaml": plan("a", list(measures) or [measure("x-1", "En"), measure("x-2", "Två")])}


GOOD = plan("a", [measure("x-1", "En"), measure("x-2", "Två")])
LATER = GOOD.replace('"2025"', '"2026"', 1)  # x-1 postponed a year


def two_commits(tmp_path: Path) -> Path:
    root = new_repo(tmp_path)
    commit(root, "2025-01-10", "Första planen", first_plan())
    commit(root, "2025-03-01", "Skjut upp x-1", {"dokument/a.yaml": LATER})
    return root


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository the tests only read."""
    return two_commits(tmp_path_factory.mktemp("two-years"))


def clean(run) -> None:  # type: ignore[no-untyped-def]
    """Whatever happened, it was said in trygg's words: no traceback, no internal error."""
    assert "Traceback" not in run.err and "Internt fel" not in run.err and "Internal error" not in run.err, run.err
    run.out.encode("utf-8")  # everything printed can be encoded (no lone surrogates)


def could_not_run(run) -> str:  # type: ignore[no-untyped-def]
    clean(run)
    assert run.code == 2 and run.out == "", (run.code, run.out)
    assert run.err.count("\n") == 1 and run.err.startswith("trygg: "), run.err
    return run.err


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def report(cli, root: Path, year: str = "2025", *args: str):  # type: ignore[no-untyped-def]
    run = cli("report", str(root), "--year", year, "--today", TODAY, *args)
    clean(run)
    assert run.code == 0, run.err
    return run


# ---- where history is missing -----------------------------------------------------------------


def _outside_any_repository(path: Path) -> None:
    probe = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, check=False)
    if probe.returncode == 0:
        pytest.skip("the temporary directory is inside a git repository")


def test_not_a_git_repository(tmp_path: Path, cli) -> None:
    root = tmp_path / "kopia"
    root.mkdir()
    _outside_any_repository(root)
    for name, content in first_plan().items():
        (root / str(name)).parent.mkdir(parents=True, exist_ok=True)
        (root / str(name)).write_text(str(content), encoding="utf-8")
    run = report(cli, root)
    assert "förändringar under perioden kan inte visas: katalogen ligger inte i ett git-arkiv." in run.out
    assert could_not_run(cli("diff", "HEAD", "-C", str(root))) == \
        "trygg: historiken går inte att läsa: katalogen ligger inte i ett git-arkiv\n"
    assert could_not_run(cli("history", "x-1", str(root), "--lang", "en")) == \
        "trygg: the history cannot be read: the directory is not in a git repository\n"


def test_an_empty_repository(tmp_path: Path, cli) -> None:
    """git init, files on disk, no commit: before, diff said the revision 'HEAD' did not exist."""
    root = new_repo(tmp_path)
    for name, content in first_plan().items():
        (root / str(name)).parent.mkdir(parents=True, exist_ok=True)
        (root / str(name)).write_text(str(content), encoding="utf-8")
    run = report(cli, root)
    assert f"kan inte visas: git-arkivet {root.resolve()} har ingen incheckning på den aktuella grenen ännu." in unescaped(run.out)
    assert "## Status vid periodens slut" in run.out  # the rest of the report, from the files on disk
    expected = f"trygg: historiken går inte att läsa: git-arkivet {root.resolve()} har ingen incheckning på den aktuella grenen ännu\n"
    assert could_not_run(cli("diff", "HEAD", "-C", str(root))) == expected
    assert could_not_run(cli("history", "x-1", str(root))) == expected


def test_an_unborn_branch_can_still_be_compared_with_another(tmp_path: Path, cli) -> None:
    root = two_commits(tmp_path)
    git(root, "checkout", "-q", "--orphan", "ny")
    assert "ingen incheckning på den aktuella grenen" in unescaped(report(cli, root).out)
    assert "ingen incheckning på den aktuella grenen" in could_not_run(cli("diff", "HEAD", "-C", str(root)))
    run = cli("diff", "main", "-C", str(root))
    clean(run)
    assert run.code == 0 and "Inga ändringar" in run.out


def test_a_damaged_repository(tmp_path: Path, cli) -> None:
    """A blob git does not have is a located note; a commit it cannot read is one line, or a report
    from the files on disk saying so. Before, the missing blob was 'not a document'."""
    root = two_commits(tmp_path)
    blob = git(root, "rev-parse", "HEAD~1:dokument/a.yaml").stdout.strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    why = f"Filen kan inte läsas: git object {blob[:7]} is missing (Y114)"
    assert why in report(cli, root).out
    for args in (["history", "x-1", str(root)], ["diff", "HEAD~1", "-C", str(root)]):
        run = cli(*args)
        clean(run)
        assert run.code == 0 and why in run.out and "gick inte att läsa i" in run.out
    first = git(root, "rev-parse", "HEAD~1").stdout.strip()
    (root / ".git" / "objects" / first[:2] / first[2:]).unlink()
    assert f"git kunde inte läsa arkivet: Could not read {first}" in report(cli, root).out
    assert could_not_run(cli("history", "x-1", str(root))).startswith("trygg: historiken går inte att läsa: git kunde")


def test_a_shallow_clone(tmp_path: Path, cli) -> None:
    """The oldest commit of a shallow clone looks like it added every file; it must not be told so."""
    root = new_repo(tmp_path)
    commit(root, "2024-06-01", "Första planen", first_plan(measure("x-1", "En")))
    commit(root, "2025-02-01", "Ny åtgärd x-2", {"dokument/a.yaml": GOOD})
    commit(root, "2025-03-01", "Skjut upp x-1", {"dokument/a.yaml": LATER})
    commit(root, "2025-04-01", "Ny åtgärd x-3", {"dokument/a.yaml": LATER + measure("x-3", "Tre")})
    clone = tmp_path / "grund"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{root}", str(clone))

    run = report(cli, clone)
    assert "grund klon (shallow clone) och historiken börjar 2025-03-01" in run.out
    assert "fetch-depth: 0" in run.out
    added = next(t for t in tables(run.out) if t[0][:2] == ["Åtgärd", "Ansvarig"] and "Tillkom" in t[0])
    assert [row[0] for row in added[1:]] == ["Tre (x-3)"]  # not x-1 and x-2, which the clone only starts with

    history = cli("history", "x-1", str(clone))
    clean(history)
    assert history.code == 0 and "fetch-depth: 0" in history.out
    assert "tillkom" not in history.out  # x-1 was there before the clone's history begins

    err = could_not_run(cli("diff", "HEAD~3", "-C", str(clone)))
    assert "revisionen 'HEAD~3' finns inte i git-arkivet, som är en grund klon" in err and "fetch-depth: 0" in err


def test_a_detached_head(tmp_path: Path, cli) -> None:
    root = two_commits(tmp_path)
    git(root, "checkout", "-q", "--detach", "HEAD~1")
    run = report(cli, root)
    assert "Läget bygger på incheckningen" in run.out and "”Första planen”" in run.out
    history = cli("history", "x-1", str(root))
    clean(history)
    assert history.code == 0 and "Skjut upp" not in history.out  # HEAD is the older commit
    diff = cli("diff", "main", "HEAD", "-C", str(root))
    clean(diff)
    assert diff.code == 0 and "klart senast: 2026 → 2025 (tidigarelagd 365 dagar)" in diff.out


def _merge_in_progress(tmp_path: Path) -> Path:
    root = two_commits(tmp_path)
    git(root, "checkout", "-q", "-b", "annan", "HEAD~1")
    commit(root, "2025-03-02", "Annat datum", {"dokument/a.yaml": GOOD.replace('"2025"', '"2027"', 1)})
    git(root, "checkout", "-q", "main")
    merge = subprocess.run(["git", "merge", "annan"], cwd=root, capture_output=True, text=True, check=False,
                           env={**os.environ, **GIT_ENV})
    assert merge.returncode != 0 and "CONFLICT" in merge.stdout
    return root


def test_a_merge_in_progress_with_conflict_markers(tmp_path: Path, cli) -> None:
    """Before: diff and history read the conflicted file as empty and said x-1 and x-2 were removed."""
    root = _merge_in_progress(tmp_path)
    lines = (root / "dokument" / "a.yaml").read_text(encoding="utf-8").splitlines()
    marker = lines.index("<<<<<<< HEAD") + 1

    run = report(cli, root)
    assert "En sammanslagning (merge) pågår i arbetskatalogen" in run.out
    assert "1 filer har ändringar som inte är incheckade och ingår inte: dokument/a.yaml" in run.out

    diff = cli("diff", "HEAD", "-C", str(root))
    clean(diff)
    assert diff.code == 0
    assert f"Obs! dokument/a.yaml:{marker}:1 gick inte att läsa i arbetskatalogen: Olöst sammanslagningskonflikt" in diff.out
    assert "Den andra versionen av filen används i stället" in diff.out
    assert "Inga ändringar i åtgärder eller styrdokument." in diff.out and "Borttagna" not in diff.out

    history = cli("history", "x-1", str(root), "--lang", "en")
    clean(history)
    assert history.code == 0
    assert f"dokument/a.yaml:{marker}:1 could not be read in the working tree: Unresolved merge conflict" in history.out
    assert "Now: dokument/a.yaml" in history.out and "removed" not in history.out


# ---- versions that cannot be read ----------------------------------------------------------------


def test_a_commit_with_invalid_yaml_is_skipped_with_a_note(tmp_path: Path, cli) -> None:
    """Before: history skipped it silently, and diff called every measure in the file new."""
    root = new_repo(tmp_path)
    commit(root, "2025-01-10", "Första planen", first_plan())
    commit(root, "2025-02-01", "Trasig", {"dokument/a.yaml": GOOD.replace('titel: "En"', 'titel: "En'),
                                          "dokument/b.yaml": "typ: åtgärdsplan\nid: b\n  fel: [\n"})
    commit(root, "2025-03-01", "Lagad", {"dokument/a.yaml": LATER})

    history = cli("history", "x-1", str(root))
    clean(history)
    assert history.code == 0
    assert re.search(r"Obs! dokument/a\.yaml:\d+:\d+ gick inte att läsa i incheckningen \w{7} \(2025-02-01\): "
                     r"YAML-syntaxfel.*\(Y101\)\. Den tidigare versionen av filen används i stället\.", history.out)
    assert "klart senast: 2025 → 2026 (uppskjuten 365 dagar)" in history.out
    assert "togs bort" not in history.out

    diff = cli("diff", "HEAD~1", "HEAD", "-C", str(root))
    clean(diff)
    assert diff.code == 0
    assert re.search(r"dokument/a\.yaml:\d+:\d+ gick inte att läsa i HEAD~1 \(\w{7}\)", diff.out)
    assert "dokument/b.yaml:3:6 gick inte att läsa i HEAD~1" in diff.out and "Filen hoppas över." in diff.out
    assert "Tillkomna" not in diff.out and "tillkomna" not in diff.out.split("\n", 1)[0]

    run = report(cli, root)
    assert "Filer som inte gick att läsa i en incheckning:" in run.out
    assert re.search(r"^- dokument/a\.yaml:\d+:\d+ gick inte att läsa i incheckningen", run.out, re.MULTILINE)
    assert "dokument/b.yaml:3:6 gick inte att läsa" in run.out and "Filen hoppas över." in run.out


def test_a_commit_with_a_file_that_is_not_utf8(tmp_path: Path, cli) -> None:
    root = new_repo(tmp_path)
    commit(root, "2025-01-10", "Första planen", first_plan())
    commit(root, "2025-02-01", "Latin-1", {"dokument/a.yaml": GOOD.replace('"En"', '"Caf\xe9"').encode("latin-1")})
    commit(root, "2025-03-01", "Lagad", {"dokument/a.yaml": LATER})
    history = cli("history", "x-1", str(root), "--format", "markdown")
    clean(history)
    assert history.code == 0
    assert "gick inte att läsa i incheckningen" in history.out
    assert "dokument/a.yaml:1:6 gick inte att läsa i incheckningen" in history.out
    assert "Filen är inte UTF-8: byten 0xE5 kan inte läsas" in unescaped(history.out)
    assert "titel:" not in history.out  # nothing invented from the unreadable version
    diff = cli("diff", "HEAD~1", "HEAD~2", "-C", str(root))
    clean(diff)
    assert diff.code == 0 and "(Y104)" in diff.out and "Inga ändringar" in diff.out


def test_a_blob_over_the_size_limit_is_never_read(tmp_path: Path, cli) -> None:
    root = new_repo(tmp_path)
    commit(root, "2025-01-10", "Första planen", first_plan())
    huge = GOOD + "# " + "x" * MAX_FILE_BYTES + "\n"
    commit(root, "2025-02-01", "Stor", {"dokument/a.yaml": huge})
    commit(root, "2025-03-01", "Lagad", {"dokument/a.yaml": LATER})

    history = open_history(root)
    big = git(root, "rev-parse", "HEAD~1:dokument/a.yaml").stdout.strip()
    small = git(root, "rev-parse", "HEAD:dokument/a.yaml").stdout.strip()
    tracemalloc.start()
    try:
        got = dict(history.read_blobs([big, small], limit=MAX_FILE_BYTES))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got[big] is None and got[small] == LATER.encode()
    assert peak < 2 * 1024 * 1024, peak  # skipped by its size in cat-file's header, not read

    run = report(cli, root)
    assert re.search(r"dokument/a\.yaml:1:1 gick inte att läsa i incheckningen \w{7} \(2025-02-01\): "
                     r"Filen är större än 10 MB och läses inte \(Y116\)", run.out)
    out = cli("history", "x-1", str(root))
    clean(out)
    assert "(Y116)" in out.out and "klart senast: 2025 → 2026" in out.out and "togs bort" not in out.out
    diff = cli("diff", "HEAD~2", "HEAD~1", "-C", str(root))
    clean(diff)
    assert "(Y116)" in diff.out and "Inga ändringar" in diff.out


def test_file_names_that_are_not_utf8_neither_collide_nor_break_output(tmp_path: Path, cli) -> None:
    """Before: both names became 'caf\ufffd.yaml', one file hid the other, and the working tree's
    name (with the byte kept) differed from git's, so diff and history called the measure moved."""
    root = new_repo(tmp_path)
    commit(root, "2025-01-10", "Första planen", first_plan())
    commit(root, "2025-02-01", "Två namn", {
        b"dokument/caf\xe9.yaml": plan("e9", [measure("e-9", "Med é")], focus=False),
        b"dokument/caf\xe8.yaml": plan("e8", [measure("e-8", "Med è")], focus=False)})

    run = report(cli, root)
    found = cells(run.out)
    assert "Med é (e-9)" in found and "Med è (e-8)" in found
    assert "dokument/caf\\xe9.yaml" in found and "dokument/caf\\xe8.yaml" in found  # as `trygg check` shows them

    history = cli("history", "e-9", str(root))
    clean(history)
    assert "Nu: dokument/caf\\xe9.yaml" in history.out and "tillkom i dokument/caf\\xe9.yaml (e9)" in history.out
    assert "Ej incheckat" not in history.out

    diff = cli("diff", "HEAD~1", "-C", str(root))
    clean(diff)
    assert "+ e-8  Med è" in diff.out and "+ e-9  Med é" in diff.out and "flyttades" not in diff.out
    assert cli("diff", "HEAD", "-C", str(root)).out.endswith("Inga ändringar i åtgärder eller styrdokument.\n")


def test_a_renamed_file_moves_its_measures(tmp_path: Path, cli) -> None:
    root = two_commits(tmp_path)
    git(root, "mv", "dokument/a.yaml", "dokument/plan-2025.yaml")
    commit(root, "2026-04-01", "Byt namn", {})
    history = cli("history", "x-2", str(root))
    clean(history)
    assert "flyttades från dokument/a.yaml till dokument/plan-2025.yaml" in history.out
    assert "togs bort" not in history.out
    run = report(cli, root, "2026", "--lang", "en")
    assert "Added: 0, removed: 0, moved between files: 2" in run.out
    diff = cli("diff", "HEAD~1", "HEAD", "-C", str(root))
    assert "0 tillkomna, 0 borttagna och 2 ändrade åtgärder" in diff.out


def test_odd_commits_do_not_break_the_log(tmp_path: Path, cli) -> None:
    """A subject or file name with the log's old separators (\\x1e, \\x1f), control characters,
    a subject that is not UTF-8, and a date Python cannot represent: once an internal error."""
    root = two_commits(tmp_path)
    commit(root, "2025-04-01", "Ond\x1erad\x1f\x1b[2J\x07 | <b>fet</b>", {
        "dokument/a.yaml": GOOD.replace('"2025"', '"2027"', 1),
        "dokument/b\x1ec\x1f.yaml": plan("b", [measure("b-1", "B")], focus=False)},
        author="Eva\x1f\x1b]0;ägd\x07")
    commit(root, "2025-05-01", b"Latin-1 \xe4mne", {"dokument/a.yaml": GOOD.replace('"2025"', '"2028"', 1)})
    tree = git(root, "rev-parse", "HEAD^{tree}").stdout.strip()
    head = git(root, "rev-parse", "HEAD").stdout.strip()
    raw = (f"tree {tree}\nparent {head}\nauthor A <a@b> 99999999999999 +0100\n"
           f"committer A <a@b> 99999999999999 -9959\n\nLångt fram\n")
    far = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"], cwd=root,
                         input=raw, capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-ref", "refs/heads/main", far)
    git(root, "reset", "-q", "--hard")

    for fmt in ("text", "markdown"):
        run = cli("history", "x-1", str(root), "--format", fmt)
        clean(run)
        assert run.code == 0 and not CONTROL.search(run.out.replace("\n", "")), repr(run.out)
        assert "klart senast: 2027 → 2028" in run.out
    assert "Latin-1 ämne" in cli("history", "x-1", str(root)).out  # git itself reads it as Latin-1
    md = cli("history", "x-1", str(root), "--format", "markdown").out
    assert all(len(row) == 4 for row in tables(md)[0]) and not [
        t for t in walk(parse(md)) if t.type in ("html_inline", "html_block")]
    assert cli("history", "b-1", str(root)).code == 0
    report(cli, root)


# ---- revisions are never options ------------------------------------------------------------------


@pytest.mark.parametrize("revision", ["--output=pwned", "-p", "--all", "-", "--end-of-options", "HEAD\n--all",
                                      "--output=pwned\x1b[2J", "HEAD:dokument"])
def test_a_revision_is_never_an_option(two_years: Path, cli, revision: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import git as gitpython

    root = two_years
    monkeypatch.chdir(root)
    calls: list[list[str]] = []
    original = gitpython.cmd.Git.execute

    def recording(self, command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append([str(c) for c in command])
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(gitpython.cmd.Git, "execute", recording)
    for args in (["diff", "-C", str(root), "--", revision], ["diff", "-C", str(root), "--", "HEAD", revision]):
        err = could_not_run(cli(*args))
        assert err.startswith("trygg: revisionen '") and "finns inte i git-arkivet" in err
        assert "\x1b" not in err
    err = could_not_run(cli("history", "--", revision, str(root)))  # an id is never given to git at all
    assert err.startswith("trygg: ingen åtgärd med id '") and "\x1b" not in err
    assert not list(root.glob("pwned*")) and not list(root.parent.glob("pwned*"))
    named = {f"{revision}^{{commit}}"} | ({revision} - {"--end-of-options"})
    passed = [c for c in calls if any(arg in named for arg in c)]
    if revision.startswith("-") or "\n" in revision:
        assert passed == [], passed  # refused before git saw it
    for command in passed:  # otherwise only ever after --end-of-options
        position = next(i for i, arg in enumerate(command) if arg in named)
        assert "--end-of-options" in command[:position], command


# ---- the repository's own configuration runs nothing ----------------------------------------------


def test_a_repository_whose_config_would_run_programs(tmp_path: Path, cli) -> None:
    """fsmonitor, a filter process (run by `git status` before), a gpg.program for signed commits
    (run by `git log` with log.showSignature), hooks and a pager: none of them may run."""
    root = two_commits(tmp_path)
    commit(root, "2025-04-01", "Signerad", {"dokument/a.yaml": LATER.replace('"Två"', '"Två signerad"')})
    body = git(root, "cat-file", "commit", "HEAD").stdout
    head, _, message = body.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root,
                         input=f"{head}\n{signature}\n\n{message}", capture_output=True, text=True,
                         check=True).stdout.strip()
    git(root, "update-ref", "refs/heads/main", sha)
    proof = tmp_path / "ran"
    program = tmp_path / "program.sh"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{proof}'\ncat\n", encoding="utf-8")
    program.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "post-checkout", "reference-transaction"):
        (hooks / hook).symlink_to(program)
    for key, value in (("core.fsmonitor", str(program)), ("filter.ond.clean", str(program)),
                       ("filter.ond.process", str(program)), ("gpg.program", str(program)),
                       ("log.showSignature", "true"), ("core.hooksPath", str(hooks)),
                       ("core.pager", str(program)), ("diff.external", str(program))):
        git(root, "config", key, value)
    (root / ".git" / "info" / "attributes").write_text("*.yaml filter=ond diff=ond\n", encoding="utf-8")
    (root / "dokument" / "a.yaml").write_text(LATER.replace('"Två"', '"Två ändrad"'), encoding="utf-8")
    os.utime(root / "trygg.yaml", (1, 1))  # stat data that git would refresh through the filter

    run = report(cli, root)
    assert "1 filer har ändringar som inte är incheckade och ingår inte: dokument/a.yaml" in run.out
    assert "Signerad" in run.out
    for args in (["diff", "HEAD~1", "-C", str(root)], ["history", "x-2", str(root)]):
        other = cli(*args)
        clean(other)
        assert other.code == 0, other.err
    assert not proof.exists(), proof.read_text(encoding="utf-8")


def test_a_partial_clone_fetches_nothing(tmp_path: Path, cli) -> None:
    """A blobless clone would fetch each old blob from its remote – through the repository's own
    core.sshCommand (before: the program ran, and the first failed fetch ended cat-file, so every
    later blob was missing too). Now nothing is fetched and what is here is read."""
    source = two_commits(tmp_path)
    git(source, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "delvis"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{source}", str(clone))
    proof = tmp_path / "ran"
    program = tmp_path / "ssh.sh"
    program.write_text(f"#!/bin/sh\necho \"$*\" >> '{proof}'\nexit 1\n", encoding="utf-8")
    program.chmod(0o755)
    git(clone, "config", "core.sshCommand", str(program))
    git(clone, "config", "protocol.ssh.allow", "always")
    git(clone, "config", "remote.origin.url", "ssh://example.invalid/kommun")
    old = git(clone, "rev-parse", "HEAD~1:dokument/a.yaml").stdout.strip()
    why = f"Filen kan inte läsas: git object {old[:7]} is not in this partial clone (Y114)"

    history = cli("history", "x-1", str(clone))
    clean(history)
    assert history.code == 0 and why in history.out
    assert "Nu: dokument/a.yaml · ansvarig Socialförvaltningen · klart senast 2026" in history.out
    run = report(cli, clone)
    assert why in run.out and "”Skjut upp x-1”" in run.out
    diff = cli("diff", "HEAD~1", "-C", str(clone))
    clean(diff)
    assert why in diff.out
    assert not proof.exists(), proof.read_text(encoding="utf-8")


def test_an_inherited_git_environment_does_not_redirect_trygg(tmp_path: Path, cli,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Decision: trygg reads the repository that holds PATH, as `trygg check PATH` does. GIT_DIR and
    friends (set for git hooks, or by a dotfiles setup) are left out of git's environment."""
    (tmp_path / "a").mkdir()
    root = two_commits(tmp_path / "a")
    other = new_repo(tmp_path, "annan")
    commit(other, "2024-01-10", "Annan kommun", first_plan(measure("o-1", "Annan")))
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(other / ".git" / "objects"))
    history = cli("history", "x-1", str(root))
    clean(history)
    assert history.code == 0 and "2025-03-01" in history.out and "Skjut upp x-1" in history.out
    assert "”Skjut upp x-1”" in report(cli, root).out
    diff = cli("diff", "HEAD~1", "HEAD", "-C", str(root))
    clean(diff)
    assert "klart senast: 2025 → 2026" in diff.out
    assert could_not_run(cli("history", "o-1", str(root))).startswith("trygg: ingen åtgärd med id 'o-1'")
    assert os.environ["GIT_DIR"] == str(other / ".git")  # and the caller's environment is as it was


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the repository away")
def test_a_repository_owned_by_someone_else(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """git's safe.directory check still decides (setting GIT_DIR ourselves would have bypassed it)."""
    root = two_commits(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # no global safe.directory
    monkeypatch.setenv("GIT_DIR", str(root / ".git"))  # an inherited GIT_DIR would bypass it too
    for path in [root, *root.rglob("*")]:
        os.lchown(path, 65534, 65534)
    run = report(cli, root)
    assert "git kunde inte läsa arkivet: detected dubious ownership in repository" in run.out
    err = could_not_run(cli("diff", "HEAD", "-C", str(root)))
    assert "detected dubious ownership" in err


# ---- user templates ------------------------------------------------------------------------------


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "mallar"
    (directory / "delar").mkdir(parents=True)
    (directory / "delar" / "trasig.md").write_text("rad ett\nrad två\n{{ finns_inte }}\n", encoding="utf-8")
    (tmp_path / "hemlig.txt").write_text("HEMLIGT\n", encoding="utf-8")
    (directory / "delar" / "länk.md").symlink_to(tmp_path / "hemlig.txt")
    return directory


@pytest.mark.parametrize("body,message,line", [
    ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe", 2),
    ("{{ ().__class__.__base__.__subclasses__() }}", "is unsafe", 2),
    ("{{ cycler.__init__.__globals__ }}", "is unsafe", 2),
    ("{{ self._TemplateReference__context }}", "is unsafe", 2),
    ("{{ ''|attr('__class__') }}", "is unsafe", 2),
    ("{% include '../../etc/passwd' %}", "no template '../../etc/passwd'", 2),
    ("{% include '/etc/passwd' %}", "no template '/etc/passwd'", 2),
    ("{% include '../hemlig.txt' %}", "no template '../hemlig.txt'", 2),
    ("{% include 'delar/länk.md' %}", "no template 'delar/länk.md'", 2),  # a link out of the directory
    ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero", 2),
    ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}", "RecursionError", 2),
    ("{% for i in range(10**9) %}{% endfor %}", "OverflowError", 2),
])
def test_a_user_template_stays_in_its_sandbox_and_directory(cli, two_years: Path, template_dir: Path,
                                                            body: str, message: str, line: int) -> None:
    template = template_dir / "egen.md.j2"
    template.write_text("rad ett\n" + body + "\n", encoding="utf-8")
    err = could_not_run(cli("report", str(two_years), "--year", "2025", "--today", TODAY, "--template", str(template)))
    assert f"{template}:{line}: mallen kunde inte fyllas i: " in err and message in err, err
    assert "HEMLIGT" not in err and "root:" not in err


def test_template_errors_are_located_in_the_file_that_has_them(cli, two_years: Path, template_dir: Path) -> None:
    template = template_dir / "egen.md.j2"
    template.write_text("rad ett\n{% include 'delar/trasig.md' %}\n", encoding="utf-8")
    err = could_not_run(cli("report", str(two_years), "--year", "2025", "--today", TODAY, "--template", str(template)))
    assert f"{template_dir / 'delar' / 'trasig.md'}:3: mallen kunde inte fyllas i: 'finns_inte' is undefined" in err
    template.write_bytes(b"rad ett\ncaf\xe9 {{ municipality }}\n")
    err = could_not_run(cli("report", str(two_years), "--year", "2025", "--today", TODAY, "--template", str(template)))
    assert err == f"trygg: {template}:2: fel i mallen: not UTF-8 (byte 0xE9)\n"


# ---- hostile text in reports and diffs -------------------------------------------------------------

HOSTILE = {
    "h-1": "Trygg | säker <script>alert(1)</script>",
    "h-2": "# Rubrik\nmed radbrytning",
    "h-3": "`kod` och ``` staket",
    "h-4": "[klicka](javascript:alert(1)) och ]( javascript:alert(2))",
    "h-5": "<img src=x onerror=alert(1)> ![bild](javascript:x)",
    "h-6": "<javascript:alert(3)> &lt;b&gt;",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_repo(tmp_path_factory.mktemp("hostile"))
    commit(root, "2025-01-10", "Första planen", first_plan())
    hostile = [measure(mid, title, owner="polisen", due="2026") for mid, title in HOSTILE.items()]
    hostile.append(measure("h-7", "X").replace('"X"', '"Ond\\e[2J\\a\\e]0;ägd\\a titel"'))  # YAML escapes
    commit(root, "2025-02-01", "Fientliga titlar", {"dokument/a.yaml": plan("a", [
        measure("x-1", "En"), measure("x-2", "Två")] + hostile)})
    renamed = [measure(mid, title + " | igen\n# och <b>igen</b>", owner="polisen", due="2027")
               for mid, title in HOSTILE.items()]
    commit(root, "2025-03-01", "Ändrade titlar | <script>x</script>", {"dokument/a.yaml": plan("a", [
        measure("x-1", "En")] + renamed)})
    return root


def _no_markup(markdown: str, code_spans: bool = False) -> None:
    """No HTML, link, image (or code span, where the template writes none) came from user text."""
    kinds = {t.type for t in walk(parse(markdown))}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}, kinds
    assert code_spans or "code_inline" not in kinds
    for table in tables(markdown):
        assert len({len(row) for row in table}) == 1, table  # every row as wide as its header


def test_hostile_titles_in_a_markdown_diff(hostile: Path, cli) -> None:
    root = hostile
    branch = "fix/<script>|`x`#"
    git(root, "branch", "-f", branch, "HEAD~1")
    run = cli("diff", branch, "HEAD~2", "-C", str(root), "--format", "markdown")
    clean(run)
    assert run.code == 0
    _no_markup(run.out)
    found = cells(run.out)
    flat = {mid: re.sub(r"\s+", " ", title) for mid, title in HOSTILE.items()}
    for mid, title in flat.items():  # removed going back: every title in its own cell, as written
        assert f"{title} ({mid})" in found, (mid, found)
    assert f"Från **{branch}**" not in run.out and "fix/\\<script\\>\\|\\`x\\`\\#" in run.out

    text = cli("diff", branch, "HEAD~2", "-C", str(root))
    clean(text)
    assert "- h-7  Ond[2J]0;ägd titel" in text.out and not CONTROL.search(text.out.replace("\n", ""))

    changed = cli("diff", "HEAD~1", "HEAD", "-C", str(root), "--format", "markdown")
    clean(changed)
    _no_markup(changed.out)
    rows = {row[0]: row[1] for row in next(t for t in tables(changed.out) if t[0] == ["Åtgärd", "Ändringar"])}
    assert rows[f"{flat['h-1']} | igen # och <b>igen</b> (h-1)"].startswith(
        f"titel: {flat['h-1']} → {flat['h-1']} | igen # och <b>igen</b>; klart senast: 2026 → 2027")


def test_hostile_titles_and_subjects_in_markdown_history_and_report(hostile: Path, cli) -> None:
    root = hostile
    history = cli("history", "h-4", str(root), "--format", "markdown")
    clean(history)
    _no_markup(history.out)
    rows = tables(history.out)[0]
    assert rows[-1][1].endswith("Ändrade titlar | <script>x</script>")
    run = report(cli, root)
    _no_markup(run.out, code_spans=True)  # the report's own `trygg check`
    assert f"{HOSTILE['h-4']} | igen # och <b>igen</b> (h-4)" in cells(run.out)
