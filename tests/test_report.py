"""`trygg report`: golden reports, hostile text read back through CommonMark, templates, errors."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, write_repo
from githelpers import scripted
from mdtables import cells, fences, headings, parse, tables, walk

from trygg.mdescape import escape, mermaid_text

# ---- golden reports ---------------------------------------------------------------------------

GOLDEN_EXAMPLES = [("solna", "2025", "sv"), ("sollentuna", "2025", "sv"), ("lysekil", "2020", "sv"),
                   ("sollentuna", "2025", "en")]


@pytest.mark.parametrize("name,year,lang", GOLDEN_EXAMPLES, ids=lambda v: str(v))
def test_example_reports(cli, golden, name: str, year: str, lang: str) -> None:
    run = cli("report", str(EXAMPLES / name), "--year", year, "--today", TODAY, "--no-git", "--lang", lang)
    assert run.code == 0, run.err
    golden(f"rapport-{name}-{year}{'' if lang == 'sv' else '-' + lang}.md", run.out)


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scripted(tmp_path_factory.mktemp("rapport") / "kommun")


@pytest.mark.parametrize("year,lang", [("2024", "sv"), ("2025", "en")])
def test_reports_from_history(cli, golden, history_repo: Path, year: str, lang: str) -> None:
    """Pinned authors and dates make even the commit ids in these reports reproducible."""
    run = cli("report", str(history_repo), "--year", year, "--today", TODAY, "--lang", lang)
    assert run.code == 0, run.err
    golden(f"rapport-historik-{year}{'' if lang == 'sv' else '-' + lang}.md", run.out)


def test_report_tables_hold_the_numbers(cli, history_repo: Path) -> None:
    run = cli("report", str(history_repo), "--year", "2024", "--today", TODAY)
    status = next(t for t in tables(run.out) if t[0][0] == "Status")
    assert status[-1] == ["Totalt", "4", "1"]
    late = next(t for t in tables(run.out) if t[0][:4] == ["Åtgärd", "Ansvarig", "Klart senast", "Dagar sen"])
    assert late[1] == ["Belysning i parken (a-2)", "Kommunstyrelsen", "2024 (2024-12-31)", "1", "pågår"]
    changed = next(t for t in tables(run.out) if t[0][0] == "Åtgärd" and "Uppskjuten" in t[0])
    assert changed[1][3] == "2 gånger, totalt 365 dagar: Q2 2024 → Q4 2024 (2024-03-10), Q4 2024 → Q2 2025 (2024-11-15)"
    moved = next(t for t in tables(run.out) if t[0][:3] == ["Åtgärd", "Från", "Till"])
    assert moved[1] == ["Nattvandrare (a-5)", "dokument/plan.yaml", "dokument/plan-2025.yaml", "2024-12-20"]


# ---- hostile text ------------------------------------------------------------------------------

HOSTILE = {
    "h-1": "Trygg | säker <script>alert(1)</script>",
    "h-2": "# Rubrik\nmed radbrytning",
    "h-3": "`kod` *fet* _kursiv_ [länk](http://x.se) ![bild](x.png) &amp; $x$ ~~s~~ \\ slut",
    "h-4": "- punkt",
    "h-5": "1. lista",
    "h-6": "<!-- kommentar -->",
    "h-7": "---",
    "h-8": "a\r\nb\u2028c  | d ||",
    "h-9": "> citat: med; semikolon #35; %% och ```",
}
FOCUS = "## Fokus | <b>område</b>"
ORG = "Nämnd | med <i>namn</i>\nny rad"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2028", " ")).strip()


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\u2028", "\\L") + '"'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    measures = "".join(
        f"  - id: {mid}\n    titel: {_yaml(title)}\n    fokusområde: fo-h\n    ansvarig: konstig\n"
        f"    start: 2025-01-01\n    klart_senast: 2025-06-30\n"
        f"    uppföljning:\n      - datum: 2025-05-01\n        status: pågår\n        kommentar: {_yaml(title)}\n"
        for mid, title in HOSTILE.items())
    plan = ("typ: åtgärdsplan\nid: plan-h\ntitel: " + _yaml("Plan | <i>x</i>") + "\n"
            "beslut:\n  organ: kommunstyrelsen\n  datum: 2025-01-01\n"
            "giltighet:\n  från: 2025-01-01\n  till: 2025-12-31\n"
            f"fokusområden:\n  - id: fo-h\n    titel: {_yaml(FOCUS)}\nåtgärder:\n{measures}")
    orgs = (EXAMPLES.parent / "tests" / "cases" / "base" / "organisationer.yaml").read_text(encoding="utf-8")
    orgs += f"  - id: konstig\n    namn: {_yaml(ORG)}\n    slag: nämnd\n"
    return write_repo(tmp_path / "fientlig", {"dokument/plan.yaml": plan, "organisationer.yaml": orgs})


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_hostile_text_stays_text_in_every_cell(cli, hostile: Path, lang: str) -> None:
    run = cli("report", str(hostile), "--year", "2025", "--today", TODAY, "--no-git", "--lang", lang)
    assert run.code == 0, run.err
    found = cells(run.out)
    for mid, title in HOSTILE.items():
        assert f"{flat(title)} ({mid})" in found, (mid, [c for c in found if mid in c])
    assert flat(ORG) in found and flat(FOCUS) in found and "Plan | <i>x</i>" in found
    # every table keeps its shape: as many cells in each row as in its header
    for table in tables(run.out):
        assert len({len(row) for row in table}) == 1, table[0]


def test_hostile_text_makes_no_markup(cli, hostile: Path) -> None:
    run = cli("report", str(hostile), "--year", "2025", "--today", TODAY, "--no-git")
    kinds = Counter(t.type for t in walk(parse(run.out)))
    for kind in ("html_block", "html_inline", "em_open", "link_open", "image", "s_open",
                 "ordered_list_open", "blockquote_open"):
        assert kinds[kind] == 0, kind
    assert kinds["strong_open"] == 3  # the total row of the status table, nothing else
    assert kinds["hr"] == 1 and kinds["bullet_list_open"] == 1  # the footer rule and the summary list
    assert [t.content for t in walk(parse(run.out)) if t.type == "code_inline"] == ["trygg check"]
    assert f"{flat(FOCUS)}" in headings(run.out)
    assert not any(h.startswith("Rubrik") for h in headings(run.out))


def test_hostile_text_in_mermaid_cannot_break_the_chart(cli, hostile: Path) -> None:
    run = cli("report", str(hostile), "--year", "2025", "--today", TODAY, "--no-git")
    gantt = next(f for f in fences(run.out) if f.startswith("gantt"))
    task = re.compile(r"^    [^:;#%`\"<>|]+ :(?:(?:done|active|crit), )?m\d+, \d{4}-\d{2}-\d{2}, \d{4}-\d{2}-\d{2}$")
    lines = gantt.splitlines()
    tasks = [ln for ln in lines if ln.startswith("    ") and not ln.strip().startswith(
        ("title ", "dateFormat", "axisFormat", "section "))]
    assert len(tasks) == len(HOSTILE) + 1 and all(task.match(ln) for ln in tasks), tasks
    section = next(ln for ln in lines if ln.strip().startswith("section "))
    assert not set(section) & set(":;#%`\"<>|")


@pytest.mark.parametrize("text,expected", [
    ("a | b", r"a \| b"), ("# x", r"\# x"), ("<script>", r"\<script\>"), ("x\ny", "x y"),
    ("1. x", r"1\. x"), ("- x", r"\- x"), ("---", r"\---"), ("0.1.0", "0.1.0"), ("-5 grader", "-5 grader"),
    ("a & b", r"a \& b"), ("$5$", r"\$5\$"), ("~~s~~", r"\~\~s\~\~"), ("\x1b[31mröd", "[31mröd".replace("[", r"\[")),
])
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_mermaid_text() -> None:
    assert mermaid_text("Tid: 10; #35 %% ```x```") == "Tid 10 35 x"
    assert mermaid_text("title Fel") == "· title Fel"
    assert mermaid_text("") == "–"
    assert len(mermaid_text("x" * 200)) == 60


# ---- options and errors ------------------------------------------------------------------------

SOLLENTUNA = str(EXAMPLES / "sollentuna")


def test_owner_report(cli) -> None:
    run = cli("report", SOLLENTUNA, "--year", "2025", "--today", TODAY, "--no-git", "--owner", "sollentunahem")
    assert run.code == 0, run.err
    assert "**Ansvarig:** AB Sollentunahem" in run.out
    by_owner = next(t for t in tables(run.out) if t[0][0] == "Ansvarig")
    assert [row[0] for row in by_owner[1:]] == ["AB Sollentunahem"]


def test_unknown_owner_is_exit_2_with_a_suggestion(cli) -> None:
    run = cli("report", SOLLENTUNA, "--year", "2025", "--today", TODAY, "--no-git", "--owner", "sollentunahemm")
    assert run.code == 2 and run.out == ""
    assert run.err == "trygg: 'sollentunahemm' finns inte i organisationsregistret; menade du 'sollentunahem'?\n"


@pytest.mark.parametrize("args,message", [
    (["--year", "2025", "--period", "2025-01-01..2025-02-01"], "ange antingen --year eller --period"),
    (["--period", "2025-13-01..2025-02-01"], "är ingen period"),
    (["--period", "2025-03-01..2025-02-01"], "slutar innan den börjar"),
    (["--period", "våren"], "är ingen period"),
    (["--year", "20251"], "är ingen period"),
])
def test_bad_periods_are_exit_2(cli, args: list[str], message: str) -> None:
    run = cli("report", SOLLENTUNA, *args, "--today", TODAY, "--no-git")
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_a_period(cli) -> None:
    run = cli("report", SOLLENTUNA, "--period", "2025-01-01..2025-08-31", "--today", TODAY, "--no-git")
    assert run.code == 0
    assert run.out.startswith("# Uppföljning av trygghetsarbetet 2025-01-01–2025-08-31 – Sollentuna\n")
    done = next(t for t in tables(run.out) if t[0][:3] == ["Åtgärd", "Ansvarig", "Genomförd"])
    assert [row[2] for row in done[1:]] == ["2025-01-31", "2025-01-31", "2025-08-29"]


def test_no_repository_is_exit_2(cli, tmp_path: Path) -> None:
    run = cli("report", str(tmp_path), "--year", "2025")
    assert run.code == 2 and run.err.startswith("R103 ")


def test_output_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "rapport.md"
    run = cli("report", SOLLENTUNA, "--year", "2025", "--today", TODAY, "--no-git", "--output", str(target))
    assert run.code == 0 and run.out == ""
    assert target.read_text(encoding="utf-8").startswith("# Uppföljning")
    run = cli("report", SOLLENTUNA, "--year", "2025", "--no-git", "--output", str(tmp_path / "nej" / "r.md"))
    assert run.code == 2 and "kunde inte skriva" in run.err


def test_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "trygg", "report", SOLLENTUNA, "--year", "2025",
                           "--today", TODAY, "--no-git", "--lang", "en"], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Follow-up of safety and crime prevention 2025 – Sollentuna")


# ---- the user's own template -----------------------------------------------------------------

def test_a_template_that_extends_the_packaged_one(cli, tmp_path: Path) -> None:
    template = tmp_path / "mall.md.j2"
    template.write_text('{% extends "sv/rapport.md.j2" %}\n{% block summary %}\n'
                        "## Vår sammanfattning\n\n{{ summary.late }} försenade, titel {{ measures[0].title }}.\n"
                        "{% endblock %}\n", encoding="utf-8")
    run = cli("report", SOLLENTUNA, "--year", "2025", "--today", TODAY, "--no-git", "--template", str(template))
    assert run.code == 0, run.err
    assert "## Vår sammanfattning\n\n0 försenade, titel Ny belysning" in run.out
    assert "## Sammanfattning" not in run.out and "## Per ansvarig" in run.out


def test_a_template_of_ones_own_escapes_too(cli, hostile: Path, tmp_path: Path) -> None:
    template = tmp_path / "egen.md.j2"
    template.write_text("| Titel |\n|---|\n{% for m in measures %}| {{ m.title }} |\n{% endfor %}", encoding="utf-8")
    run = cli("report", str(hostile), "--year", "2025", "--today", TODAY, "--no-git", "--template", str(template))
    assert run.code == 0, run.err
    assert [row[0] for row in tables(run.out)[0][1:]] == [flat(t) for t in HOSTILE.values()] + [
        "Fältassistenter på kvällstid"]  # the base case's own measure


@pytest.mark.parametrize("body,message", [
    ("{{ municipality.__class__.__mro__ }}", "kunde inte fyllas i"),
    ("{{ nonexistent }}", "'nonexistent' is undefined"),
    ("{% if %}", "fel i mallen"),
    ("{{ measures[0].title.format.__globals__ }}", "kunde inte fyllas i"),
])
def test_templates_run_in_a_sandbox_with_strict_undefined(cli, tmp_path: Path, body: str, message: str) -> None:
    template = tmp_path / "farlig.md.j2"
    template.write_text("rad ett\n" + body + "\n", encoding="utf-8")
    run = cli("report", SOLLENTUNA, "--year", "2025", "--today", TODAY, "--no-git", "--template", str(template))
    assert run.code == 2 and run.out == "", run.out
    assert message in run.err and "Traceback" not in run.err
    assert "farlig.md.j2" in run.err and ":2" in run.err  # located: the template's file and line


def test_a_missing_template(cli, tmp_path: Path) -> None:
    run = cli("report", SOLLENTUNA, "--year", "2025", "--no-git", "--template", str(tmp_path / "saknas.md.j2"))
    assert run.code == 2 and "finns inte" in run.err


def test_a_template_directory_overrides_by_name(cli, tmp_path: Path) -> None:
    (tmp_path / "mallar" / "en").mkdir(parents=True)
    (tmp_path / "mallar" / "en" / "rapport.md.j2").write_text(
        '{% extends "sv/rapport.md.j2" %}{% block footer %}\nOur footer.\n{% endblock %}', encoding="utf-8")
    run = cli("report", SOLLENTUNA, "--year", "2025", "--today", TODAY, "--no-git", "--lang", "en",
              "--template", str(tmp_path / "mallar"))
    assert run.code == 0, run.err
    assert run.out.endswith("Our footer.\n") and "## Sammanfattning" in run.out


def test_every_context_key_is_documented_for_template_authors() -> None:
    from datetime import date

    from trygg.report import Period, build_context

    docs = (EXAMPLES.parent / "docs" / "rapport.md").read_text(encoding="utf-8")
    context = build_context(SOLLENTUNA, Period.year(2025), today=date(2026, 11, 23), use_git=False)
    missing = [key for key in context if f"`{key}`" not in docs]
    assert not missing, f"document these in docs/rapport.md: {missing}"
    blocks = re.findall(r"{% block (\w+) %}", (EXAMPLES.parent / "src/trygg/templates/sv/rapport.md.j2")
                        .read_text(encoding="utf-8"))
    assert all(f"`{b}`" in docs for b in blocks)
