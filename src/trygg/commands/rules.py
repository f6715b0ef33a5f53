"""`trygg rules [CODE]`: list the rules, or explain one."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from trygg.commands.common import Lang, language


def rules(
    code: Optional[str] = typer.Argument(None, help="En regelkod, t.ex. T101, för att förklara den."),
    markdown: bool = typer.Option(False, "--markdown", help="Skriv hela katalogen som Markdown (docs/rules.md)."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Språk: sv (standard) eller en."),
) -> int:
    """Lista reglerna, eller förklara en regel."""
    from trygg.ruledocs import rule_table, rule_text, rules_markdown

    lang_code = language(lang)
    if markdown:
        sys.stdout.write(rules_markdown())
        return 0
    if code is None:
        sys.stdout.write(rule_table(lang_code))
        return 0
    text = rule_text(code, lang_code)
    if text is None:
        from trygg.rules import REGISTRY
        from trygg.suggest import suggest

        near = suggest(code.upper(), REGISTRY)
        hint = f" Menade du {near}?" if near else ""
        sys.stderr.write(f"Okänd regel '{code}'.{hint} Se 'trygg rules'.\n")
        return 2
    sys.stdout.write(text)
    return 0
