"""`trygg check DIR` over a directory of municipality repositories: every repository checked,
paths prefixed with the repository's directory, a table per municipality, the same result on
one core as on several."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import TODAY, write_repo
from hypothesis import given
from hypothesis import strategies as st

from trygg.load.text import split_lines
from trygg.multi import keep_lines

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


BREAKS = ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0c", "\x1e"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Lines, short and a few long ones, ended by one to three kinds of line break (LF, CRLF or
    both more often than not: those are the files whose lines are found without splitting)."""
    kinds = draw(st.sampled_from([["\n"], ["\r\n"], ["\n", "\r\n"]])  # the usual, counted
                 | st.lists(st.sampled_from(BREAKS), min_size=1, max_size=3, unique=True))
    line = st.text("ab é\t", max_size=6) | st.text("ab", min_size=100, max_size=400)  # some long
    pieces = draw(st.lists(st.tuples(line, st.sampled_from(kinds)), max_size=40))
    text = "".join(line + brk for line, brk in pieces)
    return text[: -len(pieces[-1][1])] if pieces and draw(st.booleans()) else text


@given(texts(), st.sets(st.integers(min_value=1, max_value=45)))
def test_kept_lines_are_the_files_lines(text: str, numbers: set[int]) -> None:
    """Either way a reporter splits the reduced text (as YAML, or as str.splitlines), every
    wanted line reads as in the file, and no line is invented past the file's last."""
    kept = keep_lines(text, sorted(numbers))
    for split in (split_lines, str.splitlines):
        lines, reduced = split(text), split(kept)
        for n in numbers:
            assert (reduced[n - 1] if n <= len(reduced) else "") == (lines[n - 1] if n <= len(lines) else "")
        assert len(reduced) <= len(lines)


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
