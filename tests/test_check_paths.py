"""`trygg check` on file-system trouble it must report rather than pass over."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TODAY, write_repo

POLICY = "typ: policy\nid: p\ntitel: Policy\n"


def test_check_reports_an_unreadable_directory(cli, tmp_path: Path, failing_scandir) -> None:
    root = write_repo(tmp_path / "repo", {"dokument/låst/p.yaml": POLICY})
    failing_scandir("låst", PermissionError(13, "Permission denied"))
    run = cli("check", str(root), "--today", TODAY, "--format", "json")
    assert [(f["code"], f["file"]) for f in run.json["findings"]] == [("Y117", "dokument/låst/")]
    assert run.code == 1
    warm = cli("check", str(root), "--today", TODAY, "--format", "json")
    assert warm.out == run.out


def test_cache_reads_no_more_than_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trygg.load.fast
    from trygg.cache import read_sources

    monkeypatch.setattr(trygg.load.fast, "MAX_FILE_BYTES", 100)
    root = write_repo(tmp_path / "repo", {"dokument/stor.yaml": POLICY + "# " + "x" * 1000 + "\n"})
    sources = {s.display: s.data for s in read_sources(root, [root / "dokument" / "stor.yaml"])}
    assert len(sources["dokument/stor.yaml"]) == 101
