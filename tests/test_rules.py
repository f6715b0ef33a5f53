"""Each rule on small inline YAML over the clean base repository, in the manner of yamllint's
rule tests: the files that differ, today's date, and the expected (code, file, line, column)."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from conftest import write_repo
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trygg.check import run_check

TODAY = date(2026, 11, 23)

PLAN_HEAD = """typ: åtgärdsplan
id: atgardsplan-2026
titel: Åtgärdsplan 2026
beslut:
  organ: kommunstyrelsen
  datum: 2026-04-20
giltighet:
  från: 2026-05-01
  till: 2027-12-31
baserad_på: [lagesbild-2026]
åtgärder:
"""


def findings(tmp_path: Path, files: dict[str, str], code: str, today: date = TODAY) -> list[tuple[str, int, int]]:
    root = write_repo(tmp_path / "repo", files)
    result = run_check(root, today=today)
    return [(f.location.path, f.location.line, f.location.column) for f in result.findings if f.code == code]


def plan(measures: str) -> dict[str, str]:
    return {"dokument/atgardsplan.yaml": PLAN_HEAD + measures}


M = """  - id: ap-1
    titel: Ny belysning på stråket till centrum
    problem: lb-p1
    fokusområde: fo-1
"""


def test_base_is_clean(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "repo", {})
    assert run_check(root, today=TODAY).findings == []


def test_a101_no_owner(tmp_path: Path) -> None:
    assert findings(tmp_path, plan(M + "    klart_senast: 2027\n"), "A101") == [("dokument/atgardsplan.yaml", 12, 9)]


def test_a102_several_owners(tmp_path: Path) -> None:
    assert findings(tmp_path, plan(M + "    ansvarig: [kommunstyrelsen, socialforvaltningen]\n"), "A102") == [
        ("dokument/atgardsplan.yaml", 16, 15)]
    assert findings(tmp_path, plan(M + "    ansvarig: kommunstyrelsen\n    samverkan: [socialforvaltningen]\n"), "A102") == []


AGREEMENT = """typ: samverkansöverenskommelse
id: so-2026
titel: Samverkansöverenskommelse 2026–2027
parter: [kommunstyrelsen, polisen]
giltighet: {från: 2026-01-01, till: 2027-12-31}
medborgarlöften:
  - id: ml-1
    titel: Vi ska tillsammans genomföra trygghetsvandringar
    ansvarig: [kommunstyrelsen, polisen]
    uppföljning:
      - {datum: 2026-09-01, status: pågår, bedömning: grön}
åtgärder:
  - id: so-a1
    titel: Gemensam lägesbild varje vecka
    fokusområde: fo-1
    ansvarig: {owner}
    uppföljning:
      - {{datum: 2026-09-01, status: pågår}}
"""


def test_a102_joint_owners_in_agreement_are_fine_but_two_on_one_side_are_not(tmp_path: Path) -> None:
    ok = AGREEMENT.replace("{owner}", "[kommunstyrelsen, polisen]").replace("{{", "{").replace("}}", "}")
    assert findings(tmp_path / "a", {"dokument/so.yaml": ok}, "A102") == []
    bad = ok.replace("ansvarig: [kommunstyrelsen, polisen]\n    uppföljning:\n      - {datum: 2026-09-01, status: pågår, bedömning",
                     "ansvarig: [kommunstyrelsen, socialforvaltningen]\n    uppföljning:\n      - {datum: 2026-09-01, status: pågår, bedömning")
    assert findings(tmp_path / "b", {"dokument/so.yaml": bad}, "A102") == [("dokument/so.yaml", 9, 15)]


def test_a104_joint_measure_needs_both_sides(tmp_path: Path) -> None:
    text = AGREEMENT.replace("{owner}", "kommunstyrelsen").replace("{{", "{").replace("}}", "}")
    assert findings(tmp_path, {"dokument/so.yaml": text}, "A104") == [("dokument/so.yaml", 16, 15)]


def test_a103_external_sole_owner(tmp_path: Path) -> None:
    assert findings(tmp_path, plan(M + "    ansvarig: polisen\n"), "A103") == [("dokument/atgardsplan.yaml", 16, 15)]


def test_a105_owner_formed_later(tmp_path: Path) -> None:
    org = (Path(__file__).parent / "cases/base/organisationer.yaml").read_text(encoding="utf-8")
    org = org.replace("    namn: Socialnämnden\n", "    namn: Socialnämnden\n    giltighet: {från: 2027-01-01}\n")
    files = {"organisationer.yaml": org, **plan(M + "    ansvarig: socialnamnden\n    start: 2026-06-01\n")}
    assert findings(tmp_path, files, "A105") == [("dokument/atgardsplan.yaml", 16, 15)]


def test_a106_partner_is_owner(tmp_path: Path) -> None:
    text = M + "    ansvarig: kommunstyrelsen\n    samverkan: [polisen, kommunstyrelsen]\n"
    assert findings(tmp_path, plan(text), "A106") == [("dokument/atgardsplan.yaml", 17, 26)]


def test_a107_group_without_members_and_a108_vague_partner(tmp_path: Path) -> None:
    org = (Path(__file__).parent / "cases/base/organisationer.yaml").read_text(encoding="utf-8")
    org += ("  - id: tryggheetsradet\n    namn: Trygghetsrådet\n    slag: råd\n"
            "  - id: andra-myndigheter\n    namn: Andra myndigheter\n    slag: samlingsnamn\n")
    text = M + "    ansvarig: kommunstyrelsen\n    samverkan: [tryggheetsradet, andra-myndigheter]\n"
    files = {"organisationer.yaml": org, **plan(text)}
    assert findings(tmp_path / "a", files, "A107") == [("dokument/atgardsplan.yaml", 17, 17)]
    assert findings(tmp_path / "b", files, "A108") == [("dokument/atgardsplan.yaml", 17, 34)]


def test_t101_late_with_season_and_t102_due_soon(tmp_path: Path) -> None:
    text = M + "    ansvarig: kommunstyrelsen\n    start: 2026-05-01\n    klart_senast: hösten 2026\n"
    assert findings(tmp_path / "a", plan(text), "T101", today=date(2027, 1, 10)) == [
        ("dokument/atgardsplan.yaml", 18, 19)]
    assert findings(tmp_path / "b", plan(text), "T101", today=date(2026, 12, 31)) == []
    assert findings(tmp_path / "c", plan(text), "T102", today=date(2026, 12, 10)) == [
        ("dokument/atgardsplan.yaml", 18, 19)]


def test_t101_not_when_done_and_t103_done_needs_dated_follow_up(tmp_path: Path) -> None:
    text = M + "    ansvarig: kommunstyrelsen\n    klart_senast: Q2 2026\n    status: genomförd\n"
    assert findings(tmp_path / "a", plan(text), "T101") == []
    assert findings(tmp_path / "b", plan(text), "T103") == [("dokument/atgardsplan.yaml", 18, 13)]
    done = text + "    uppföljning:\n      - {datum: 2026-06-20, status: genomförd, bedömning: grön}\n"
    assert findings(tmp_path / "c", plan(done), "T103") == []


def test_t104_due_after_plan_validity(tmp_path: Path) -> None:
    text = M + "    ansvarig: kommunstyrelsen\n    klart_senast: 2028\n"
    assert findings(tmp_path, plan(text), "T104") == [("dokument/atgardsplan.yaml", 17, 19)]


def test_t105_stale_and_t106_never_followed_up(tmp_path: Path) -> None:
    stale = (M + "    ansvarig: kommunstyrelsen\n    start: 2025-06-01\n    klart_senast: löpande\n"
             "    uppföljning:\n      - datum: 2025-09-30\n        status: pågår\n")
    assert findings(tmp_path / "a", plan(stale), "T105") == [("dokument/atgardsplan.yaml", 20, 16)]
    never = M + "    ansvarig: kommunstyrelsen\n    start: 2025-06-01\n    klart_senast: löpande\n"
    assert findings(tmp_path / "b", plan(never), "T106") == [("dokument/atgardsplan.yaml", 12, 9)]


def test_t107_expired_and_newest_of_its_kind(tmp_path: Path) -> None:
    old = ("typ: riktlinjer\nid: riktlinjer-2018\ntitel: Riktlinjer\n"
           "giltighet:\n  från: 2018-05-17\n  till: 2022-12-31\n")
    assert findings(tmp_path / "a", {"dokument/r.yaml": old}, "T107") == [("dokument/r.yaml", 6, 9)]
    new = "typ: riktlinjer\nid: riktlinjer-2024\ntitel: Nya riktlinjer\nersätter: [riktlinjer-2018]\n"
    assert findings(tmp_path / "b", {"dokument/r.yaml": old, "dokument/r2.yaml": new}, "T107") == []


def test_t108_revision_new_mandate_period(tmp_path: Path) -> None:
    base = (Path(__file__).parent / "cases/base/dokument/strategi.yaml").read_text(encoding="utf-8")
    older = base.replace("datum: 2026-11-02", "datum: 2023-12-18")
    assert findings(tmp_path / "a", {"dokument/strategi.yaml": older}, "T108") == [("dokument/strategi.yaml", 12, 11)]
    assert findings(tmp_path / "b", {"dokument/strategi.yaml": older}, "T108", today=date(2026, 10, 14)) == []


def test_t109_reference_to_replaced_document(tmp_path: Path) -> None:
    files = {"dokument/p.yaml": "typ: policy\nid: policy-2008\ntitel: Policy\n",
             "dokument/p2.yaml": "typ: policy\nid: policy-2024\ntitel: Policy\nersätter: [policy-2008]\n",
             "dokument/x.yaml": PLAN_HEAD.replace("atgardsplan-2026", "plan-x").replace(
                 "baserad_på: [lagesbild-2026]", "baserad_på: [lagesbild-2026]\nkonkretiserar: [policy-2008]") + "  []\n"}
    files["dokument/x.yaml"] = files["dokument/x.yaml"].replace("åtgärder:\n  []\n", "")
    assert findings(tmp_path, files, "T109") == [("dokument/x.yaml", 11, 17)]


def test_t110_inverted_validity(tmp_path: Path) -> None:
    text = "typ: policy\nid: p\ntitel: P\ngiltighet:\n  från: 2026-01-01\n  till: 2025-12-31\n"
    assert findings(tmp_path, {"dokument/p.yaml": text}, "T110") == [("dokument/p.yaml", 6, 9)]


def test_k101_focus_area_without_measure(tmp_path: Path) -> None:
    base = (Path(__file__).parent / "cases/base/dokument/strategi.yaml").read_text(encoding="utf-8")
    text = base.replace("    titel: Förebyggande insatser\n", "    titel: Förebyggande insatser\n  - id: fo-2\n    titel: Stadsmiljön\n")
    assert findings(tmp_path, {"dokument/strategi.yaml": text}, "K101") == [("dokument/strategi.yaml", 18, 9)]


def test_k102_prioritised_problem_without_measure(tmp_path: Path) -> None:
    text = M.replace("    problem: lb-p1\n", "") + "    ansvarig: kommunstyrelsen\n"
    assert findings(tmp_path, plan(text), "K102") == [("dokument/lagesbild.yaml", 6, 9)]
    via_cause = text + "    orsak: lb-p1-o1\n"
    assert findings(tmp_path / "b", plan(via_cause), "K102") == []


def test_k103_unlinked_measure(tmp_path: Path) -> None:
    text = "  - id: ap-1\n    titel: Belysning\n    ansvarig: kommunstyrelsen\n"
    assert findings(tmp_path, plan(text), "K103") == [("dokument/atgardsplan.yaml", 12, 9)]


def test_k104_indicator_incomplete_and_k106_outcome(tmp_path: Path) -> None:
    text = (M.replace("Ny belysning på stråket till centrum", "Minska andelen otrygga till 26 %")
            + "    ansvarig: kommunstyrelsen\n    indikatorer:\n      - namn: Andel otrygga\n")
    assert findings(tmp_path / "a", plan(text), "K104") == [("dokument/atgardsplan.yaml", 18, 15)]
    assert findings(tmp_path / "b", plan(text), "K106") == [("dokument/atgardsplan.yaml", 13, 12)]


def test_k105_promise_without_follow_up(tmp_path: Path) -> None:
    text = AGREEMENT.replace("{owner}", "[kommunstyrelsen, polisen]").replace("{{", "{").replace("}}", "}")
    text = text.replace("    uppföljning:\n      - {datum: 2026-09-01, status: pågår, bedömning: grön}\n", "", 1)
    assert findings(tmp_path, {"dokument/so.yaml": text}, "K105") == [("dokument/so.yaml", 7, 9)]


def test_l101_l103_l105_on_an_empty_repository(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    (root / "trygg.yaml").write_text('kommun: X\nkommunkod: "1234"\n', encoding="utf-8")
    codes = {f.code: (f.location.path, f.location.line) for f in run_check(root, today=TODAY).findings}
    assert codes == {"L101": ("trygg.yaml", 1), "L103": ("trygg.yaml", 1), "L105": ("trygg.yaml", 1)}


def test_l102_old_situation_report_and_l104_plan_on_old_report(tmp_path: Path) -> None:
    old = (Path(__file__).parent / "cases/base/dokument/lagesbild.yaml").read_text(encoding="utf-8")
    assert findings(tmp_path / "a", {"dokument/lagesbild.yaml": old.replace("2026-03-01", "2024-03-01")}, "L102") == [
        ("dokument/lagesbild.yaml", 4, 12)]
    newer = old.replace("lagesbild-2026", "lagesbild-2027").replace("lb-p1", "lb27-p1").replace("prioriterad: true", "prioriterad: false").replace("2026-03-01", "2026-09-01")
    assert findings(tmp_path / "b", {"dokument/lagesbild27.yaml": newer}, "L104") == [("dokument/atgardsplan.yaml", 10, 13)]


def test_p_rules_personal_data(tmp_path: Path) -> None:
    text = (M + "    ansvarig: kommunstyrelsen\n    kontakt: Anna 811218-9876, anna.a@gmail.com, 070-123 45 67\n")
    assert findings(tmp_path / "a", plan(text), "P101") == [("dokument/atgardsplan.yaml", 17, 14)]
    assert findings(tmp_path / "b", plan(text), "P102") == [("dokument/atgardsplan.yaml", 17, 14)]
    assert findings(tmp_path / "c", plan(text), "P103") == [("dokument/atgardsplan.yaml", 17, 14)]
    ok = M + "    ansvarig: kommunstyrelsen\n    kontakt: växeln 08-746 10 00, trygghet@kommun.se\n"
    assert [c for c in ("P101", "P102", "P103") if findings(tmp_path / ("d" + c), plan(ok), c)] == []


def test_inline_suppression_and_unused_suppression(tmp_path: Path) -> None:
    text = M + ("    ansvarig: kommunstyrelsen\n"
                "    klart_senast: 2026-06-30  # trygg: ignore[T101] KS beslutade 2026-06-15 om förlängning\n")
    assert findings(tmp_path / "a", plan(text), "T101") == []
    assert findings(tmp_path / "b", plan(text), "N101") == []
    unused = text.replace("2026-06-30", "2027-06-30")
    assert findings(tmp_path / "c", plan(unused), "N101") == [("dokument/atgardsplan.yaml", 17, 33)]
    bare = text.replace(" KS beslutade 2026-06-15 om förlängning", "")
    assert findings(tmp_path / "d", plan(bare), "N102") == [("dokument/atgardsplan.yaml", 17, 33)]


def test_configuration_ignore_severity_and_unknown_code(tmp_path: Path) -> None:
    text = M + "    ansvarig: kommunstyrelsen\n    klart_senast: 2026-06-30\n"
    cfg = ('kommun: Testby kommun\nkommunkod: "9999"\ninställningar:\n  regler:\n'
           '    ignorera: [T1]\n    allvarlighet: {K103: fel}\n    välj: [X9]\n')
    files = {"trygg.yaml": cfg, **plan(text)}
    root = write_repo(tmp_path / "r", files)
    result = run_check(root, today=TODAY)
    assert not [f for f in result.findings if f.code.startswith("T1")]
    assert [(f.code, f.location.line, f.location.column) for f in result.findings if f.code == "N103"] == [("N103", 7, 12)]


def test_per_file_ignore_and_fail_on(tmp_path: Path) -> None:
    text = M + "    ansvarig: kommunstyrelsen\n    klart_senast: 2026-06-30\n"
    cfg = ('kommun: Testby kommun\nkommunkod: "9999"\ninställningar:\n  regler:\n'
           '    ignorera_per_fil: {"dokument/atgard*.yaml": [T101]}\n    misslyckas_vid: varning\n')
    root = write_repo(tmp_path / "r", {"trygg.yaml": cfg, **plan(text)})
    assert [f.code for f in run_check(root, today=TODAY).findings] == []
    text2 = text.replace("    problem: lb-p1\n    fokusområde: fo-1\n", "")
    root2 = write_repo(tmp_path / "r2", {"trygg.yaml": cfg, **plan(text2)})
    result = run_check(root2, today=TODAY)
    assert {f.code for f in result.findings} == {"K103", "K102"}
    assert result.exit_code == 1  # warnings fail with misslyckas_vid: varning


# ---- P rules: a file's text is searched before its values are walked ---------------------------
# personuppgifter skips the values of a file whose text cannot hold a hit (trygg.rules.base.
# written_plainly); these are the ways a value differs from the text that the skip must see through.

def test_p_rules_see_values_that_yaml_writes_otherwise(tmp_path: Path) -> None:
    def p(code: str, name: str, kontakt: str) -> list[tuple[str, int, int]]:
        text = M + "    ansvarig: kommunstyrelsen\n    kontakt: " + kontakt
        return findings(tmp_path / name, plan(text), code)

    at_kontakt = [("dokument/atgardsplan.yaml", 17, 14)]
    # a line break folded into the space between the date part and the number
    assert p("P101", "folded", "Anna 811218\n      9876\n") == at_kontakt
    assert p("P103", "folded-mobile", "ring 070-123\n      45 67\n") == at_kontakt
    assert p("P103", "folded-crlf", "ring 070-123\r\n      45 67\r\n") == at_kontakt
    assert p("P101", "block", ">-\n      Anna 811218\n      9876\n") == at_kontakt
    # double-quoted escapes: a character written as \x.. or \u.., a line joined by a backslash
    assert p("P101", "escape", '"Anna 8112\\x318-9876"\n') == at_kontakt
    assert p("P101", "joined", '"Anna 8112\\\n      18-9876"\n') == at_kontakt
    assert p("P102", "escape-at", '"anna.a\\x40gmail.com"\n') == at_kontakt
    assert p("P103", "escape-mobile", '"07\\u0030-123 45 67"\n') == at_kontakt
    # decimal digits of other scripts are digits to \d
    assert p("P101", "arabic-indic", "Anna ٨١١٢١٨-٩٨٧٦\n") == at_kontakt
    assert p("P101", "fullwidth", "Anna ８１１２１８９８７６\n") == at_kontakt


def test_other_digit_leads_cover_every_decimal_digit_outside_ascii() -> None:
    from trygg.rules.personuppgifter import _OTHER_DIGIT_LEADS

    digits = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdecimal()]
    assert all(re.fullmatch(r"\d", d) for d in digits)  # \d is str.isdecimal
    assert {d.encode()[0] for d in digits if not d.isascii()} == set(_OTHER_DIGIT_LEADS)
    assert min(ord(d) for d in digits if not d.isascii()) == 0x660


_HITS = ["811218-9876", "19811218+9876", "8112189876", "811218 9876", "070-123 45 67", "+46 70 123 45 67",
         "0046701234567", "anna.a@gmail.com", "A.B@Hotmail.COM", "٨١١٢١٨-٩٨٧٦", "０７０１２３４５６７"]


@st.composite
def _scalars(draw: st.DrawFn) -> str:
    """A YAML scalar written in a random style whose value holds one of _HITS or a near miss."""
    hit = draw(st.sampled_from(_HITS))
    chars = list(draw(st.sampled_from(["", "Anna ", "tel:", "x"])) + hit + draw(st.sampled_from(["", " ring", ".", "1"])))
    if draw(st.booleans()):  # a near miss: one character dropped
        del chars[draw(st.integers(0, len(chars) - 1))]
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded"]))
    out = []
    for ch in chars:
        if ch == " " and draw(st.integers(0, 2)) == 0:
            ch = draw(st.sampled_from(["\n      ", "\r\n      ", "\n\n      ", "  \n\t    "]))
        elif style == "double":
            ch = draw(st.sampled_from([ch, ch, f"\\x{ord(ch):02x}" if ord(ch) < 256 else ch, f"\\u{ord(ch):04x}",
                                       "\\\n      " + ch, "\\\n    \\ " if ch == " " else ch]))
        out.append(ch)
    body = "".join(out)
    if style == "single":
        return "'" + body + "'"
    if style == "double":
        return '"' + body + '"'
    if style in ("literal", "folded"):
        return ("|" if style == "literal" else ">") + "\n      " + body.replace("\n\t", "\n  ").lstrip()
    return body.strip()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_scalars())
def test_a_file_whose_values_hold_a_hit_is_never_skipped(scalar: str) -> None:
    from trygg.load.fast import parse_text
    from trygg.rules import personuppgifter as pu
    from trygg.rules.base import strings_matching

    loaded = parse_text("kontakt: " + scalar + "\nanteckning: x\n", "x.yaml")
    assume(loaded.data is not None)
    for candidate, in_text, find in ((pu._DIGITS, pu._may_hold_personnummer, pu._personnummer),
                                     (pu._AT, pu._may_hold_email, pu._email),
                                     (pu._DIGITS, pu._may_hold_mobile, pu._mobile)):
        hits = [v for _, v in strings_matching(loaded.data, candidate.search) if find(v)]
        assert not hits or in_text(loaded.text), (hits, loaded.text)


def test_k106_cheap_test_ignores_case_as_the_search_does() -> None:
    """tackning._may_name_a_change looks for _CHANGE_HINTS in the lower-cased title: every word of
    _CHANGE holds one, and every character that matches one of their letters when case is ignored
    lower-cases to that letter."""
    from trygg.rules.tackning import _CHANGE, _CHANGE_HINTS, _may_name_a_change

    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for letter in set("".join(_CHANGE_HINTS)):
        matches = re.findall(re.escape(letter), everything, re.IGNORECASE)
        assert {m.lower() for m in matches} == {letter}, letter
    words = re.search(r"\((.*)\)", _CHANGE.pattern).group(1).split("|")  # type: ignore[union-attr]
    assert all(_may_name_a_change(w) and _may_name_a_change(w.upper()) for w in words)
    assert _may_name_a_change("MINS\u212aA andelen")  # the Kelvin sign is a 'k' to IGNORECASE
    assert not _may_name_a_change("Trygghetsvandringar i centrum")
