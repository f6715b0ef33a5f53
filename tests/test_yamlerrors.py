"""Syntax errors are told in the user's words, at libyaml's line and column."""

from __future__ import annotations

import pytest

from trygg.load.fast import parse_text
from trygg.messages import render

CASES = [
    ("titel: Trygghet: en plan\n", (1, 16), "ett kolon följt av mellanslag"),
    ("syfte: [trygghet, säkerhet\nid: x\n", (2, 3), "saknar ',' eller avslutande ']'"),
    ('titel: "Trygghet\n', (2, 1), "filen tog slut mitt i ett värde"),
    ("typ: policy\n  id: x\n", (2, 5), "ett kolon följt av mellanslag"),
    ("beslut:\n  organ: ks\n datum: 2020-01-01\n", (3, 2), "raden passar inte in"),
    ("kontakt: @sakerhet\n", (1, 10), "ett tecken som inte kan inleda ett värde"),
    ("a: *okant\n", (1, 4), "ett alias (*namn)"),
    ("a: &mall_ä x\n", (1, 10), "får bara innehålla"),
]


@pytest.mark.parametrize("text,where,words", CASES)
def test_syntax_error_in_swedish_at_the_right_place(text: str, where: tuple[int, int], words: str) -> None:
    findings = parse_text(text, "f.yaml").findings
    assert [(f.code, f.location.line, f.location.column) for f in findings] == [("Y101", *where)]
    assert words in render("Y101", findings[0].params, "sv").message
    english = render("Y101", findings[0].params, "en").message
    assert english.startswith("YAML syntax error: ") and "(libyaml)" not in english
