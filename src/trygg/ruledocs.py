"""Rule documentation, generated from the rules' docstrings: `trygg rules` and docs/rules.md."""

from __future__ import annotations

from trygg.messages import render
from trygg.rules import ALL_RULES, FAMILIES, REGISTRY, Rule

_SEVERITY_EN = {"fel": "error", "varning": "warning", "info": "info"}


def rule_title(rule: Rule, lang: str = "sv") -> str:
    return render(rule.code, {}, lang).title


def rule_table(lang: str = "sv") -> str:
    """One line per rule: code, name, default severity and the docstring's first line."""
    rows = []
    width = max(len(rule_title(r, lang)) for r in ALL_RULES)
    for r in ALL_RULES:
        sev = r.severity.value if lang == "sv" else _SEVERITY_EN[r.severity.value]
        rows.append(f"{r.code}  {rule_title(r, lang):<{width}}  {sev:<7}  {r.summary}")
    return "\n".join(rows) + "\n"


def rule_text(code: str, lang: str = "sv") -> str | None:
    rule = REGISTRY.get(code.upper())
    if rule is None:
        return None
    family = FAMILIES[rule.family][0 if lang == "sv" else 1]
    sev = rule.severity.value if lang == "sv" else _SEVERITY_EN[rule.severity.value]
    head = f"{rule.code} {rule_title(rule, lang)} ({family}, {sev})"
    return f"{head}\n{'=' * len(head)}\n\n{rule.doc}\n"


def rules_markdown() -> str:
    """docs/rules.md: every rule, grouped by family, from its docstring."""
    out = ["# Regelkatalog / Rule catalogue", "",
           "Genererad från reglernas docstrings med `trygg rules --markdown > docs/rules.md`; "
           "ändra inte för hand. Allvarlighet kan ändras i `trygg.yaml` under "
           "`inställningar: regler: allvarlighet:`.", ""]
    for letter, (name, name_en) in FAMILIES.items():
        rules = [r for r in ALL_RULES if r.family == letter]
        if not rules:
            continue
        out += [f"## {letter} – {name} / {name_en}", ""]
        out += ["| kod | namn | allvarlighet | sammanfattning |", "|---|---|---|---|"]
        for r in rules:
            out.append(f"| [{r.code}](#{r.code.lower()}) | {rule_title(r)} | {r.severity.value} | {r.summary} |")
        out.append("")
        for r in rules:
            body = r.doc.split("\n", 1)
            rest = body[1].strip() if len(body) > 1 else ""
            out += [f"### {r.code}", "",
                    f"**{rule_title(r)}** ({rule_title(r, 'en')}) – standard: `{r.severity.value}`", "",
                    f"{body[0]}", ""]
            if rest:
                out += [rest, ""]
    return "\n".join(out).rstrip() + "\n"
