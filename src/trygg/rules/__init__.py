"""The rule catalogue: an explicit registry of small rules, each documented by its docstring."""

from __future__ import annotations

from datetime import date

from trygg.findings import Finding
from trygg.repo import Repository


def run_rules(repo: Repository, today: date) -> list[Finding]:
    """Every rule's findings for the repository (the catalogue grows in issue 3)."""
    return []
