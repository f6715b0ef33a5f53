"""Run a check over one municipality repository and return the result as data.

The core never prints or exits: :func:`run_check` returns a :class:`CheckResult`
whose findings are sorted by file, line and column, and whose ``exit_code`` says
what the CLI should exit with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from trygg.findings import Finding, Severity
from trygg.repo import Repository, load_repository


@dataclass
class CheckResult:
    root: Path
    findings: list[Finding]
    files: int
    repository: Repository | None = None
    fail_on: Severity = Severity.ERROR
    today: date = field(default_factory=date.today)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        return 1 if any(f.severity.rank >= self.fail_on.rank for f in self.findings) else 0


def run_check(path: Path | str, *, today: date | None = None) -> CheckResult:
    """Load, validate and resolve the repository at or above ``path``, then run the rules."""
    return check_repository(load_repository(path), today=today)


def check_repository(repo: Repository, *, today: date | None = None) -> CheckResult:
    """Run the rules over an already loaded repository (from disk or from a git commit)."""
    from trygg.rules import run_rules

    today = today or date.today()
    fail_on = Severity.ERROR
    findings = run_rules(repo, today, loader_findings=repo.findings)
    config = repo.config
    if config is not None:
        try:
            fail_on = Severity.parse(config.settings.rules.fail_on)
        except KeyError:
            pass
    findings = sorted(set(findings), key=lambda f: f.sort_key)
    return CheckResult(repo.root, findings, len(repo.files), repo, fail_on, today)
