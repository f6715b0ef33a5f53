"""Undantag: inline suppressions, ``# trygg: ignore[CODE] motivering`` on the line of a finding.

These two rules run after every other rule, over the findings the others produced
(``ctx.findings``), so that a suppression that no longer suppresses anything is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from trygg.findings import Finding, Location, Severity
from trygg.rules.base import Context, rule

_SUPPRESSION = re.compile(r"trygg:\s*ignore\[([A-Za-z0-9,\s]+)\]\s*(.*)$")


class Suppression(NamedTuple):  # not a dataclass: see trygg.rules.base.Rule
    path: str
    line: int
    column: int
    codes: tuple[str, ...]
    reason: str


def suppressions(ctx: Context) -> list[Suppression]:
    out = []
    for file in ctx.repo.files:
        for line, comment in file.loaded.comments.items():
            m = _SUPPRESSION.search(comment)
            if not m:
                continue
            codes = tuple(c.strip().upper() for c in m.group(1).split(",") if c.strip())
            text = file.loaded.line_text(line)
            column = text.find("trygg:") + 1 if "trygg:" in text else 1
            out.append(Suppression(file.path, line, column, codes, m.group(2).strip()))
    return out


def apply(findings: list[Finding], sups: list[Suppression]) -> tuple[list[Finding], set[tuple[Suppression, str]]]:
    """Remove suppressed findings; return the rest and the (suppression, code) pairs that were used."""
    by_line = {(s.path, s.line): s for s in sups}
    kept: list[Finding] = []
    used: set[tuple[Suppression, str]] = set()
    for f in findings:
        s = by_line.get((f.location.path, f.location.line))
        if s is not None and f.code in s.codes and not f.code.startswith("N"):
            used.add((s, f.code))
            continue
        kept.append(f)
    return kept, used


@rule("N101", Severity.WARNING)
def unused_suppression(ctx: Context) -> Iterator[Finding]:
    """Ett undantag (`# trygg: ignore[KOD]`) undertrycker inte längre något.

    När problemet är åtgärdat ska undantaget bort, annars döljer det nästa problem på raden.

    Fel: `klart_senast: 2027  # trygg: ignore[T101] beslut om förlängning` när åtgärden inte längre är försenad.

    Rätt: ta bort kommentaren.
    """
    for s in suppressions(ctx):
        for code in s.codes:
            if (s, code) not in ctx.used_suppressions:
                yield ctx.finding("N101", Location(s.path, s.line, s.column), rule=code)


@rule("N102", Severity.INFO)
def suppression_without_reason(ctx: Context) -> Iterator[Finding]:
    """Ett undantag saknar motivering.

    Den som läser planen om ett år behöver veta varför regeln inte gäller här.

    Fel: `# trygg: ignore[T101]`.

    Rätt: `# trygg: ignore[T101] KS beslutade 2026-02-10 § 12 att förlänga till hösten`.
    """
    for s in suppressions(ctx):
        if not s.reason:
            yield ctx.finding("N102", Location(s.path, s.line, s.column))


RULES = [unused_suppression, suppression_without_reason]
