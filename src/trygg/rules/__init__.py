"""The rule catalogue: an explicit registry of small rules, each documented by its docstring.

Families: A ansvar, T tid, K täckning, L lagkrav 2023:196, P personuppgifter, N undantag.
:func:`run_rules` runs them, applies the configuration in trygg.yaml (select, ignore,
per-file ignores, severity overrides) and the inline suppressions.
"""

from __future__ import annotations

import fnmatch
from datetime import date

from trygg.findings import Finding, Severity, make
from trygg.repo import Repository
from trygg.rules import ansvar, lagkrav, personuppgifter, tackning, tid, undantag
from trygg.rules.base import FAMILIES, Context, Rule

ALL_RULES: list[Rule] = [*ansvar.RULES, *tid.RULES, *tackning.RULES, *lagkrav.RULES,
                         *personuppgifter.RULES, *undantag.RULES]
REGISTRY: dict[str, Rule] = {r.code: r for r in ALL_RULES}
# Codes that are not rules but can be named in configuration: reading, schema, references.
_OTHER_PREFIXES = ("Y", "S", "R")

__all__ = ["ALL_RULES", "FAMILIES", "REGISTRY", "Rule", "run_rules"]


def _matches(code: str, patterns: list[str]) -> bool:
    return any(code.startswith(p.strip().upper()) for p in patterns)


def _known(pattern: str) -> bool:
    p = pattern.strip().upper()
    return any(code.startswith(p) for code in REGISTRY) or p.startswith(_OTHER_PREFIXES)


def _config_findings(repo: Repository) -> list[Finding]:
    """Unknown codes and severities in trygg.yaml, located at the value."""
    cfg = repo.config
    if cfg is None or repo.config_file is None:
        return []
    loaded = repo.config_file.loaded
    base = ("inställningar", "regler")
    out = []
    rules = cfg.settings.rules
    for key, values in (("välj", rules.select), ("ignorera", rules.ignore)):
        for i, v in enumerate(values):
            if not _known(v):
                out.append(make("N103", Severity.ERROR, loaded.location(base + (key, i)), rule=v))
    for code, sev in rules.severity.items():
        if not _known(code):
            out.append(make("N103", Severity.ERROR, loaded.location(base + ("allvarlighet", code), key=True), rule=code))
        try:
            Severity.parse(sev)
        except KeyError:
            out.append(make("N104", Severity.ERROR, loaded.location(base + ("allvarlighet", code)), value=sev))
    try:
        Severity.parse(rules.fail_on)
    except KeyError:
        out.append(make("N104", Severity.ERROR, loaded.location(base + ("misslyckas_vid",)), value=rules.fail_on))
    for pattern, codes in rules.per_file.items():
        for i, v in enumerate(codes):
            if not _known(v):
                out.append(make("N103", Severity.ERROR, loaded.location(base + ("ignorera_per_fil", pattern, i)), rule=v))
    return out


def run_rules(repo: Repository, today: date, loader_findings: list[Finding] | None = None) -> list[Finding]:
    """Every rule's findings, with the configuration and the inline suppressions applied.

    ``loader_findings`` (schema, reference and YAML findings) go through the same filters
    and suppressions, so one mechanism governs everything the user is told.
    """
    cfg = repo.config
    settings = cfg.settings if cfg is not None else None
    ctx = Context(repo, today, settings)
    rules_cfg = settings.rules if settings else None

    def enabled(code: str) -> bool:
        if rules_cfg is None:
            return True
        if rules_cfg.select and not _matches(code, rules_cfg.select):
            return code[0] in _OTHER_PREFIXES and not _matches(code, rules_cfg.ignore)
        return not _matches(code, rules_cfg.ignore)

    findings = list(loader_findings or [])
    for r in ALL_RULES:
        if r.family == "N" or not enabled(r.code):
            continue
        findings.extend(r.check(ctx))
    findings = [f for f in findings if enabled(f.code)]
    if rules_cfg is not None and rules_cfg.per_file:
        findings = [f for f in findings if not any(
            fnmatch.fnmatch(f.location.path, pattern) and _matches(f.code, codes)
            for pattern, codes in rules_cfg.per_file.items())]
    if rules_cfg is not None and rules_cfg.severity:
        overrides = {}
        for code, sev in rules_cfg.severity.items():
            try:
                overrides[code.upper()] = Severity.parse(sev)
            except KeyError:
                continue
        findings = [f.with_severity(overrides[f.code]) if f.code in overrides else f for f in findings]
    sups = undantag.suppressions(ctx)
    findings, used = undantag.apply(findings, sups)
    ctx.used_suppressions = used
    for r in undantag.RULES:
        if enabled(r.code):
            findings.extend(r.check(ctx))
    findings.extend(_config_findings(repo))
    return findings
