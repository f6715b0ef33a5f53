"""Data-driven acceptance cases: every broken repository under cases/invalid gives exactly the
expected findings (code, file, line, column and key parameters); every valid one gives none."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, TODAY, build_case

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


def _expected(case: Path) -> list[tuple[str, str, int, int, dict[str, str]]]:
    rows = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        code, where, *params = line.split()
        path, row, col = where.rsplit(":", 2)
        rows.append((code, path, int(row), int(col), dict(p.split("=", 1) for p in params)))
    return rows


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path, tmp_path: Path, cli) -> None:
    from trygg.check import run_check
    from datetime import date

    root = build_case(tmp_path, case)
    result = run_check(root, today=date.fromisoformat(TODAY))
    got = [(f.code, f.location.path, f.location.line, f.location.column, f.params) for f in result.findings]
    expected = _expected(case)
    assert sorted((c, p, l, k) for c, p, l, k, _ in got) == sorted((c, p, l, k) for c, p, l, k, _ in expected)
    for code, path, line, col, params in expected:
        match = next(g for g in got if g[:4] == (code, path, line, col))
        for key, value in params.items():
            assert str(match[4].get(key)) == value, (code, key, match[4])
    run = cli("check", str(root), "--today", TODAY)
    assert run.code == 1
    assert "Traceback" not in run.out + run.err
    for code, path, line, col, _ in expected:
        assert f"{path}:{line}:{col}: {code}" in run.out


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(case: Path, tmp_path: Path, cli) -> None:
    root = build_case(tmp_path, case)
    run = cli("check", str(root), "--today", TODAY, "--format", "json")
    assert run.json["findings"] == []
    assert run.code == 0
