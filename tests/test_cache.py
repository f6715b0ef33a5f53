"""The check cache: a warm run says exactly what a cold one says, anything that decides the
result invalidates it, it is never committed, and a warm run does not import pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, write_repo

from trygg.cache import CACHE_DIR

BROKEN = "typ: policy\nid: p\ntitel: Policy\nsyftet: [Trygghet]\n"


def entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob("check-*.json"))


def test_warm_run_is_identical_to_cold_in_every_format(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": BROKEN})
    for fmt in ("text", "json", "sarif", "gitlab", "github"):
        cold = cli("check", str(root), "--today", TODAY, "--format", fmt, "--no-cache")
        first = cli("check", str(root), "--today", TODAY, "--format", fmt)
        warm = cli("check", str(root), "--today", TODAY, "--format", fmt)
        assert cold.out == first.out == warm.out, fmt
        assert cold.code == warm.code == 1
    assert len(entries(root)) == 1


def test_no_cache_writes_nothing(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    cli("check", str(root), "--today", TODAY, "--no-cache")
    assert not (root / CACHE_DIR).exists()


def test_changes_invalidate(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": BROKEN})
    assert cli("check", str(root), "--today", TODAY).code == 1
    (root / "dokument/p.yaml").write_text(BROKEN.replace("syftet", "syfte"), encoding="utf-8")
    assert cli("check", str(root), "--today", TODAY).code == 0
    cfg = root / "trygg.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "inställningar:\n  regler:\n    misslyckas_vid: info\n",
                   encoding="utf-8")
    (root / "dokument/p.yaml").write_text(BROKEN.replace("syftet", "syfte") + "# trygg: ignore[T101]\n",
                                          encoding="utf-8")
    assert cli("check", str(root), "--today", TODAY).code == 1  # N101/N102 now fail at 'info'
    different_day = cli("check", str(root), "--today", "2031-01-01", "--format", "json")
    assert any(f["code"] == "T108" for f in different_day.json["findings"])
    assert len(entries(root)) == 4


def test_cache_is_ignored_by_git_and_by_discovery(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    cli("check", str(root), "--today", TODAY)
    assert (root / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert CACHE_DIR not in status
    run = cli("check", str(root), "--today", TODAY, "--format", "json")
    assert run.json["summary"]["files"] == 5


def test_unwritable_cache_is_not_an_error(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {})
    (root / CACHE_DIR).write_text("a file where the directory should be", encoding="utf-8")
    assert cli("check", str(root), "--today", TODAY).code == 0


def test_corrupt_entry_is_recomputed(cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": BROKEN})
    cli("check", str(root), "--today", TODAY)
    entries(root)[0].write_text("{not json", encoding="utf-8")
    run = cli("check", str(root), "--today", TODAY, "--format", "concise")
    assert run.code == 1 and "S102" in run.out


def test_warm_run_does_not_import_pydantic(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": BROKEN})
    code = ("import sys\nfrom trygg.cli import main\n"
            f"main(['check', {str(root)!r}, '--today', {TODAY!r}, '--format', 'concise'])\n"
            "print('PYDANTIC_MODELS' if 'trygg.model' in sys.modules else 'NO_MODELS')\n")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert first.stdout.strip().endswith("PYDANTIC_MODELS")
    assert warm.stdout.strip().endswith("NO_MODELS")


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000, 70_000, 200_000])
def test_reading_a_file_stops_one_byte_past_the_limit(tmp_path: Path, size: int) -> None:
    from trygg.cache import _read_head

    file = tmp_path / "f.yaml"
    file.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    for most in (1, 100, 101, 65_537, 150_001, 10 * 2**20 + 1):
        assert _read_head(file, most) == file.read_bytes()[:most]


def test_reading_a_file_that_grows_after_its_size_was_taken(tmp_path: Path, monkeypatch) -> None:
    import os

    from trygg import cache

    file = tmp_path / "f.yaml"
    file.write_bytes(b"a" * 300_000)
    real = os.fstat
    monkeypatch.setattr(cache.os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], 10, *real(fd)[7:])))
    assert cache._read_head(file, 200_001) == b"a" * 200_001
    assert cache._read_head(file, 10**6) == b"a" * 300_000


def test_warm_runs_keep_and_reuse_the_quoted_lines(cli, tmp_path: Path, monkeypatch) -> None:
    """The run that stores the findings keeps the lines they point at with the entry (here with
    CRLF line breaks and a line separator, U+2028, in a value); a warm run quotes them from there
    without decoding a file, and says exactly what a cold run says."""
    import json

    import trygg.check

    crlf = BROKEN.replace("\n", "\r\n")
    separator = BROKEN.replace("Policy", '"Poli\u2028cy"').replace("id: p", "id: q")
    root = write_repo(tmp_path / "r", {"dokument/p.yaml": crlf.encode(), "dokument/q.yaml": separator})
    cold = cli("check", str(root), "--today", TODAY, "--no-cache")
    assert "4 | syftet: [Trygghet]\n" in cold.out and "5 | syftet: [Trygghet]\n" in cold.out
    assert cli("check", str(root), "--today", TODAY).out == cold.out  # stores the findings
    (entry,) = entries(root)
    quoted = json.loads(entry.read_text(encoding="utf-8"))["quoted"]
    assert quoted["dokument/p.yaml"] == [[4, "syftet: [Trygghet]"]]
    assert cli("check", str(root), "--today", TODAY).out == cold.out
    monkeypatch.setattr(trygg.check, "_text", lambda data: pytest.fail("decoded a file"))
    for fmt in ("text", "sarif"):
        assert cli("check", str(root), "--today", TODAY, "--format", fmt).out == \
            cli("check", str(root), "--today", TODAY, "--format", fmt, "--no-cache").out


def test_corrupt_quoted_lines_are_recomputed(cli, tmp_path: Path) -> None:
    import json

    root = write_repo(tmp_path / "r", {"dokument/p.yaml": BROKEN})
    cold = cli("check", str(root), "--today", TODAY, "--no-cache")
    cli("check", str(root), "--today", TODAY)
    cli("check", str(root), "--today", TODAY)
    (entry,) = entries(root)
    doc = json.loads(entry.read_text(encoding="utf-8"))
    doc["quoted"]["dokument/p.yaml"] = [["fyra", 4]]
    entry.write_text(json.dumps(doc), encoding="utf-8")
    assert cli("check", str(root), "--today", TODAY).out == cold.out


def test_an_entry_stored_with_the_texts_keeps_the_quoted_lines_at_once(tmp_path: Path) -> None:
    from trygg import cache
    from trygg.findings import Location, Severity, make

    findings = [make("S102", Severity.ERROR, Location("dokument/p.yaml", 4, 1), key="syftet"),
                make("L103", Severity.WARNING, Location("trygg.yaml", 1, 1))]
    texts = {"dokument/p.yaml": BROKEN.replace("\n", "\r\n"), "trygg.yaml": "kommun: X\n", "annan.yaml": "a: 1\n"}
    cache.store(tmp_path, "k", findings, 3, Severity.ERROR, texts)
    entry = cache.load(tmp_path, "k")
    assert entry is not None and entry.findings == findings and entry.files == 3
    assert entry.quoted == {"dokument/p.yaml": "\n\n\nsyftet: [Trygghet]\n", "trygg.yaml": "kommun: X\n"}
    cache.store(tmp_path, "utan", findings, 3, Severity.ERROR)
    assert cache.load(tmp_path, "utan").quoted is None  # type: ignore[union-attr]
