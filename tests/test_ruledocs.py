"""Every rule is documented (docstring with a failing and a passing example), has messages in
Swedish and English, and docs/rules.md is what the docstrings generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from trygg.messages import CATALOGUE
from trygg.ruledocs import rules_markdown
from trygg.rules import ALL_RULES, REGISTRY

DOCS = Path(__file__).parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), "run `trygg rules --markdown > docs/rules.md`"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_is_documented(code: str) -> None:
    rule = REGISTRY[code]
    assert rule.summary, f"{code} has no docstring"
    if code[0] not in "L":  # the legal-duty rules describe repository-wide facts, not a line to fix
        assert "Fel" in rule.doc or "Exempel" in rule.doc, f"{code} lacks a failing example"
        assert "Rätt" in rule.doc or "Exempel" in rule.doc, f"{code} lacks a passing example"
    assert set(CATALOGUE[code]) == {"sv", "en"}
    assert f"### {code}" in rules_markdown()


def test_codes_are_unique_and_ordered_by_family() -> None:
    codes = [r.code for r in ALL_RULES]
    assert len(codes) == len(set(codes))


def test_every_catalogue_entry_has_both_languages() -> None:
    for code, entry in CATALOGUE.items():
        assert set(entry) >= {"sv", "en"}, code
        assert len(entry["sv"]) >= 2 and len(entry["en"]) >= 2, code


def test_rules_command_lists_and_explains(cli) -> None:
    listing = cli("rules")
    assert listing.code == 0
    assert all(code in listing.out for code in REGISTRY)
    one = cli("rules", "t108")
    assert one.code == 0 and "ny mandatperiod" in one.out
    english = cli("rules", "--lang", "en")
    assert "revision-due" in english.out
    unknown = cli("rules", "T1O1")
    assert unknown.code == 2 and "Menade du T1" in unknown.err
