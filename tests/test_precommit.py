"""The pre-commit hook, with the real ``pre-commit``, and the CI files municipalities copy.

The hook test installs trygg from a git repository into pre-commit's own environment (pip,
from the package index), so it takes a while; it runs by default, and
``TRYGG_SKIP_PRECOMMIT=1`` skips it where there is no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write_repo
from ruamel.yaml import YAML

TRYGG = Path(__file__).parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Testby kommun", "GIT_AUTHOR_EMAIL": "trygghet@testby.invalid",
    "GIT_COMMITTER_NAME": "Testby kommun", "GIT_COMMITTER_EMAIL": "trygghet@testby.invalid",
    "GIT_AUTHOR_DATE": "2026-11-23T09:00:00+01:00",
    "GIT_COMMITTER_DATE": "2026-11-23T09:00:00+01:00",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
BAD_PLAN = """\
typ: åtgärdsplan
id: plan
titel: Plan
åtgärder:
  - id: p-1
    titel: Trygghetsvandringar
    ansvarg: socialforvaltningen
"""


def _yaml(path: Path) -> Any:
    """YAML 1.2 as GitHub and GitLab read it (``on:`` is a key, not a boolean)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_hook_definition() -> None:
    (hook,) = _yaml(TRYGG / ".pre-commit-hooks.yaml")
    assert hook["id"] == "trygg-check"
    assert hook["entry"] == "trygg check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["files"] == r"\.ya?ml$"


def test_github_actions_template() -> None:
    workflow = _yaml(TRYGG / "ci-mallar" / "github-actions.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in steps]
    sarif = next(r for r in runs if "--format sarif" in r)
    sarif_file = sarif.split("--output")[1].split()[0]
    upload = next(s for s in steps
                  if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == sarif_file
    assert upload["if"] == "always()"
    assert runs[-1].strip() == "trygg check"  # the last step fails the job, with annotations


def test_gitlab_ci_template() -> None:
    config = _yaml(TRYGG / "ci-mallar" / "gitlab-ci.yml")
    job = config["trygg"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    report = next(line for line in job["script"] if "--format gitlab" in line)
    report_file = report.split("--output")[1].split()[0]
    assert job["artifacts"]["reports"]["codequality"] == report_file
    assert job["artifacts"]["when"] == "always"
    assert job["script"][-1].strip() == "trygg check"


@pytest.mark.parametrize("template, schema", [("github-actions.yml", "vendor.github-workflows"),
                                              ("gitlab-ci.yml", "vendor.gitlab-ci")])
def test_ci_templates_match_the_published_schemas(template: str, schema: str) -> None:
    """check-jsonschema ships the GitHub workflow and GitLab CI schemas, so this is offline."""
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                          str(TRYGG / "ci-mallar" / template)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def _git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def _hook_repository(target: Path, env: dict[str, str]) -> str:
    """A git repository holding this working tree's trygg (what is under test, committed or
    not), as pre-commit will clone and pip-install it. Returns its commit."""
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(TRYGG / name, target / name)
    shutil.copytree(TRYGG / "src", target / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "trygg")):
        assert _git(target, *args, env=env).returncode == 0
    return _git(target, "rev-parse", "HEAD", env=env).stdout.strip()


@pytest.mark.skipif(os.environ.get("TRYGG_SKIP_PRECOMMIT") == "1",
                    reason="TRYGG_SKIP_PRECOMMIT=1: needs the package index to install the hook")
def test_pre_commit_hook_blocks_a_bad_commit_and_lets_a_good_one_through(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT", "GITHUB_"))}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    hooks = tmp_path / "trygg"
    hooks.mkdir()
    rev = _hook_repository(hooks, env)

    kommun = write_repo(tmp_path / "kommun", {".pre-commit-config.yaml": (
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: trygg-check\n")})
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "Kommunens styrdokument")):
        assert _git(kommun, *args, env=env).returncode == 0

    # try-repo on the whole (good) repository: installs the hook environment once
    tried = subprocess.run([*pre_commit, "try-repo", str(hooks), "trygg-check", "--all-files"],
                           cwd=kommun, env=env, capture_output=True, text=True)
    assert tried.returncode == 0, tried.stdout + tried.stderr
    assert "trygg check" in tried.stdout and "Passed" in tried.stdout

    # a real commit through the installed hook (the same environment, already built)
    assert subprocess.run([*pre_commit, "install"], cwd=kommun, env=env,
                          capture_output=True).returncode == 0
    head = _git(kommun, "rev-parse", "HEAD", env=env).stdout
    (kommun / "dokument" / "plan.yaml").write_text(BAD_PLAN, encoding="utf-8")
    _git(kommun, "add", "dokument/plan.yaml", env=env)
    bad = _git(kommun, "commit", "-m", "Åtgärdsplan", env=env)
    assert bad.returncode != 0
    assert "dokument/plan.yaml:7:5: S102" in bad.stdout + bad.stderr
    assert _git(kommun, "rev-parse", "HEAD", env=env).stdout == head

    fixed = BAD_PLAN.replace("ansvarg:", "ansvarig:")
    (kommun / "dokument" / "plan.yaml").write_text(fixed, encoding="utf-8")
    _git(kommun, "add", "dokument/plan.yaml", env=env)
    good = _git(kommun, "commit", "-m", "Åtgärdsplan", env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert _git(kommun, "rev-parse", "HEAD", env=env).stdout != head
