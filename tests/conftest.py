"""Shared helpers: build municipality repositories in a temp dir and run the real CLI."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from trygg.cli import main

CASES = Path(__file__).parent / "cases"
EXAMPLES = Path(__file__).parent.parent / "examples"
TODAY = "2026-11-23"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect text output by default, also when the suite itself runs in GitHub Actions
    (where `trygg check` switches to workflow commands and writes a job summary)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``trygg`` in-process through its entry point; returns exit code and output."""

    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def build_case(tmp_path: Path, case: Path) -> Path:
    """The base repository with the case's files laid over it."""
    root = tmp_path / case.name
    shutil.copytree(CASES / "base", root)
    for file in case.rglob("*"):
        if file.is_file() and file.name != "expected.txt":
            target = root / file.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    return root


def write_repo(root: Path, files: dict[str, str | bytes]) -> Path:
    """A repository from a dict of relative path → content, on top of the base case."""
    shutil.copytree(CASES / "base", root, dirs_exist_ok=True)
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Regenerate the golden files under tests/golden/ instead of comparing with them.")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/<name>, or write it there with --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = Path(__file__).parent / "golden" / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {path} did not exist; written now – review and commit it")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"differs from {path}; rerun with --update-golden if the change is intended"

    return check


@pytest.fixture
def failing_scandir(monkeypatch: pytest.MonkeyPatch):
    """Make repository discovery fail to list one directory (by name) with the given OSError."""
    import os

    import trygg.repo

    def install(name: str, error: OSError) -> None:
        real = os.scandir

        def scandir(path):  # type: ignore[no-untyped-def]
            if Path(path).name == name:
                raise error
            return real(path)

        monkeypatch.setattr(trygg.repo.os, "scandir", scandir)

    return install
