"""The machine-facing reporters: exact file, line and column in every format, output that
stays one command per finding and parseable whatever the documents say, and the shapes
GitHub, SARIF consumers and GitLab expect."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import TODAY, write_repo
from hypothesis import given
from hypothesis import strategies as st

from trygg.load.text import split_lines
from trygg.reporters.github import escape_data, escape_markdown, escape_property
from trygg.reporters.quoted import quote, reduced

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parent.parent / "docs"

# S102 at 7:5 (unknown key) and S107 at 8:19 (uninterpretable time) in dokument/plan.yaml.
PLAN = """\
typ: åtgärdsplan
id: plan
titel: Plan
åtgärder:
  - id: p-1
    titel: Trygghetsvandringar
    ansvarg: socialforvaltningen
    klart_senast: snart
"""
EXPECTED = [("S102", "dokument/plan.yaml", 7, 5), ("S107", "dokument/plan.yaml", 8, 19)]

HOSTILE = ("Vandring\n::error file=x::pwned\r\n::warning::också %0A 50% | <b>x</b> "
           "[l](http://e) , : ;")
HOSTILE_PLAN = f"""\
typ: åtgärdsplan
id: plan
titel: Plan
åtgärder:
  - id: p-1
    titel: {json.dumps(HOSTILE)}
    ansvarig: socialforvaltningen
    klart_senast: {json.dumps(HOSTILE)}
    {json.dumps("ansvarg,x::y" + HOSTILE)}: 1
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "kommun", {"dokument/plan.yaml": PLAN})


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "kommun", {"dokument/plan.yaml": HOSTILE_PLAN})


def _ours(items: list[Any], path_of: Any) -> list[Any]:
    """Only the findings in the plan this test wrote (rules may add others elsewhere)."""
    return [i for i in items if path_of(i).endswith("dokument/plan.yaml")]


# ---- GitHub workflow commands ----------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    """What the Actions runner does to a value (its escape mappings, reversed)."""
    for escaped, raw in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def _commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    """Parse workflow commands as the runner does; every other line is plain log text."""
    parsed = []
    for line in out.splitlines():
        match = COMMAND.match(line)
        if match:
            props = dict(p.split("=", 1) for p in match.group(2).split(","))
            parsed.append((match.group(1), {k: _unescape(v) for k, v in props.items()},
                           _unescape(match.group(3))))
    return parsed


def test_github_exact_locations(repo: Path, cli) -> None:
    run = cli("check", str(repo), "--today", TODAY, "--format", "github")
    assert run.code == 1
    assert ("::error file=dokument/plan.yaml,line=7,col=5,title=S102 okänd-nyckel::"
            "Okänd nyckel 'ansvarg'%0Atips: Menade du 'ansvarig'?") in run.out.splitlines()
    ours = _ours(_commands(run.out), lambda c: c[1]["file"])
    got = [(props["title"].split()[0], props["file"], int(props["line"]), int(props["col"]))
           for _, props, _ in ours]
    assert got == EXPECTED
    assert run.out.splitlines()[-1].startswith(tuple("0123456789"))  # the summary, not a command


def test_github_english(repo: Path, cli) -> None:
    run = cli("check", str(repo), "--today", TODAY, "--format", "github", "--lang", "en")
    assert ("title=S102 unknown-key::Unknown key 'ansvarg'%0Ahint: Did you mean 'ansvarig'?"
            in run.out)


def test_github_hostile_text_cannot_forge_commands(hostile: Path, cli) -> None:
    run = cli("check", str(hostile), "--today", TODAY, "--format", "github")
    lines = run.out.splitlines()
    commands = _commands(run.out)
    # one line per finding plus the summary: no text broke out onto a line of its own
    assert len(lines) == len(commands) + 1
    ours = ("::error file=dokument", "::warning file=dokument")
    assert not any("pwned" in line and not line.startswith(ours) for line in lines)
    assert all(set(props) <= {"file", "line", "col", "title"} for _, props, _ in commands)
    messages = [msg for _, props, msg in commands if props.get("file") == "dokument/plan.yaml"]
    # the runner gets the user's text back exactly, inside the one annotation
    assert any(HOSTILE in msg for msg in messages)
    assert any(("ansvarg,x::y" + HOSTILE) in msg for msg in messages)


@given(st.text())
def test_escaping_round_trips_and_keeps_one_line(text: str) -> None:
    data, prop = escape_data(text), escape_property(text)
    assert "\n" not in data and "\r" not in data
    assert not set(prop) & {"\n", "\r", ":", ","}
    assert _unescape(data) == text
    assert _unescape(prop) == text


def test_hostile_file_name_stays_in_its_property(tmp_path: Path, cli) -> None:
    root = write_repo(tmp_path / "kommun", {"dokument/a,title=x::b.yaml": PLAN})
    run = cli("check", str(root), "--today", TODAY, "--format", "github")
    files = {props.get("file") for _, props, _ in _commands(run.out)}
    assert "dokument/a,title=x::b.yaml" in files
    assert "::error file=dokument/a%2Ctitle=x%3A%3Ab.yaml,line=7,col=5," in run.out


def test_github_is_the_default_in_github_actions(repo: Path, cli, monkeypatch,
                                                 tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = cli("check", str(repo), "--today", TODAY)
    assert run.out.startswith("::")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## trygg check\n")  # appended, not overwritten
    assert "| dokument/plan.yaml:7:5 | S102 okänd-nyckel | fel | Okänd nyckel 'ansvarg'" in text
    # an explicit format wins, and only the github format writes the summary
    run = cli("check", str(repo), "--today", TODAY, "--format", "text")
    assert "dokument/plan.yaml:7:5: S102" in run.out
    assert summary.read_text(encoding="utf-8") == text


def test_unwritable_step_summary_is_a_warning_not_a_failure(repo: Path, cli, monkeypatch,
                                                            tmp_path: Path) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "dir" / "s.md"))
    run = cli("check", str(repo), "--today", TODAY, "--format", "github")
    assert run.code == 1
    assert "jobbsammanfattningen" in run.err


def test_step_summary_escapes_user_text(hostile: Path) -> None:
    from datetime import date

    from trygg.check import run_check
    from trygg.reporters.github import format_step_summary

    result = run_check(hostile, today=date.fromisoformat(TODAY))
    text = format_step_summary(result)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == len(result.findings) + 1  # the header and one row per finding
    assert "<b>" not in text and "](http" not in text
    assert all(line.count("|") - line.count("\\|") == 5 for line in rows)


def test_escape_markdown() -> None:
    assert escape_markdown("a|b\nc <i>") == "a\\|b<br>c \\<i\\>"


# ---- SARIF --------------------------------------------------------------------------------------


def _validate_sarif(log: dict[str, Any]) -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_valid_with_exact_locations(repo: Path, cli, tmp_path: Path) -> None:
    from trygg.messages import codes

    out = tmp_path / "trygg.sarif"
    run = cli("check", str(repo), "--today", TODAY, "--format", "sarif", "--output", str(out))
    assert run.code == 1 and run.out == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    _validate_sarif(log)
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "trygg" and driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(codes()) <= set(rules)
    assert rules["S102"]["name"] == "okänd-nyckel"
    assert rules["S102"]["shortDescription"]["text"] == "Okänd nyckel '…'"
    assert rules["S102"]["help"]["text"]
    assert rules["S102"]["defaultConfiguration"]["level"] == "error"
    results = _ours(sarif_run["results"],
                    lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    got = []
    for r in results:
        physical = r["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == "error"
        got.append((r["ruleId"], physical["artifactLocation"]["uri"],
                    physical["region"]["startLine"], physical["region"]["startColumn"]))
    assert got == EXPECTED
    assert results[0]["message"]["text"] == "Okänd nyckel 'ansvarg'\ntips: Menade du 'ansvarig'?"
    prints = [r["partialFingerprints"]["trygg/v1"] for r in sarif_run["results"]]
    assert len(set(prints)) == len(prints)


def test_sarif_rule_metadata_from_the_registry(repo: Path, cli) -> None:
    """Documented rules bring their docstring and default severity into the SARIF rules."""
    import trygg.rules

    registry = getattr(trygg.rules, "REGISTRY", None)
    if not registry:
        pytest.skip("trygg.rules has no REGISTRY")
    log = cli("check", str(repo), "--today", TODAY, "--format", "sarif").json
    driver = log["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    levels = {"fel": "error", "varning": "warning", "info": "note"}
    for code, rule in registry.items():
        assert rules[code]["defaultConfiguration"]["level"] == levels[rule.severity.value]
        if rule.doc:
            assert rules[code]["help"]["markdown"] == rule.doc
            assert rules[code]["fullDescription"]["text"] in " ".join(rule.doc.split())


def test_sarif_fingerprints_are_stable_across_runs_and_languages(repo: Path, cli) -> None:
    def prints(*extra: str) -> list[str]:
        log = cli("check", str(repo), "--today", TODAY, "--format", "sarif", *extra).json
        return [r["partialFingerprints"]["trygg/v1"] for r in log["runs"][0]["results"]]

    assert prints() == prints() == prints("--lang", "en")


def test_sarif_hostile_text_stays_valid(hostile: Path, cli) -> None:
    run = cli("check", str(hostile), "--today", TODAY, "--format", "sarif")
    log = run.json
    _validate_sarif(log)
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any(HOSTILE in t for t in texts)


def _git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def test_paths_are_relative_to_the_git_checkout(tmp_path: Path, cli) -> None:
    """Documents in a subdirectory of the git repository: CI systems resolve paths from its top."""
    _git_init(tmp_path / "checkout")
    root = write_repo(tmp_path / "checkout" / "trygghet", {"dokument/åtgärdsplan.yaml": PLAN})
    sarif = cli("check", str(root), "--today", TODAY, "--format", "sarif").json
    _validate_sarif(sarif)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert "trygghet/dokument/%C3%A5tg%C3%A4rdsplan.yaml" in uris
    base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == (tmp_path / "checkout").resolve().as_uri() + "/"
    gh = cli("check", str(root), "--today", TODAY, "--format", "github").out
    assert "::error file=trygghet/dokument/åtgärdsplan.yaml,line=7,col=5," in gh
    gl = cli("check", str(root), "--today", TODAY, "--format", "gitlab").json
    expected = {"path": "trygghet/dokument/åtgärdsplan.yaml", "lines": {"begin": 7}}
    assert expected in [i["location"] for i in gl]
    # text and JSON keep paths relative to trygg.yaml, as the user sees the repository
    assert "dokument/åtgärdsplan.yaml:7:5: S102" in cli("check", str(root), "--today", TODAY).out


# ---- GitLab Code Quality --------------------------------------------------------------------


def test_gitlab_exact_locations_and_fingerprints(repo: Path, cli) -> None:
    run = cli("check", str(repo), "--today", TODAY, "--format", "gitlab")
    assert run.code == 1
    issues = run.json
    assert isinstance(issues, list)
    ours = _ours(issues, lambda i: i["location"]["path"])
    got = [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in ours]
    assert got == [(code, path, line) for code, path, line, _ in EXPECTED]
    assert ours[0]["description"] == "S102 Okänd nyckel 'ansvarg'"
    assert ours[0]["severity"] == "major"
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)
    again = cli("check", str(repo), "--today", TODAY, "--format", "gitlab", "--lang", "en").json
    assert [i["fingerprint"] for i in again] == prints


def test_gitlab_hostile_text_stays_parseable(hostile: Path, cli) -> None:
    issues = cli("check", str(hostile), "--today", TODAY, "--format", "gitlab").json
    assert any(HOSTILE in i["description"] for i in issues)


def test_gitlab_severity_mapping() -> None:
    from trygg.findings import Severity
    from trygg.reporters.gitlab import SEVERITIES

    assert SEVERITIES == {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


# ---- JSON: the documented shape ---------------------------------------------------------------


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= _key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= _key_paths(item, prefix + "[]")
    return paths


def test_json_doc_lists_every_key(repo: Path, cli) -> None:
    run = cli("check", str(repo), "--today", TODAY, "--format", "json")
    assert run.json["findings"], "the output must have findings for every key to show"
    doc = (DOCS / "output-json.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([^`]+)` \|", doc, flags=re.MULTILINE))
    assert _key_paths(run.json) == documented
    assert f'"version": {run.json["version"]}' in doc
    assert f"## Version {run.json['version']}" in doc


def test_json_hostile_text_stays_parseable(hostile: Path, cli) -> None:
    findings = cli("check", str(hostile), "--today", TODAY, "--format", "json").json["findings"]
    assert any(HOSTILE in f["message"] for f in findings)


# ---- Text ------------------------------------------------------------------------------------

def test_text_colours_location_code_severity_and_caret_line() -> None:
    """Bold location, the code and label in the severity's colour, the caret line (its indent
    included) in that colour too; a tab in the quoted line shown as a space."""
    from datetime import date

    from trygg.check import CheckResult
    from trygg.findings import Location, Severity, make
    from trygg.reporters.text import format_text

    findings = [make("S102", Severity.ERROR, Location("dokument/plan.yaml", 7, 5), key="ansvarg",
                     suggestion="ansvarig"),
                make("K102", Severity.WARNING, Location("dokument/plan.yaml", 8, 19), problem="p1",
                     title="T")]
    text = "a\n" * 6 + "    ansvarg: x\n" + "\tklart_senast: snart\n"
    result = CheckResult(Path("."), findings, 1, None, Severity.ERROR, date(2026, 1, 1),
                         {"dokument/plan.yaml": text})
    assert format_text(result, color=True) == (
        "\x1b[1mdokument/plan.yaml:7:5\x1b[0m: \x1b[1;31mS102\x1b[0m [\x1b[31mfel\x1b[0m] Okänd nyckel 'ansvarg'\n"
        "  |\n"
        "7 |     ansvarg: x\n"
        "  | \x1b[31m    ^\x1b[0m\n"
        "  = tips: Menade du 'ansvarig'?\n"
        "\n"
        "\x1b[1mdokument/plan.yaml:8:19\x1b[0m: \x1b[1;33mK102\x1b[0m [\x1b[33mvarning\x1b[0m] "
        "Det prioriterade problemet 'p1' (T) har ingen åtgärd\n"
        "  |\n"
        "8 |  klart_senast: snart\n"
        "  | \x1b[33m                  ^\x1b[0m\n"
        "  = tips: Lägg till en åtgärd med 'problem: p1'.\n"
        "\n"
        "2 anmärkningar i 1 fil: 1 fel, 1 varning, 0 info.\n")
    assert "\x1b" not in format_text(result, lang="en")


# ---- The lines reporters quote ---------------------------------------------------------------

BREAKS = ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0c", "\x1e"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Lines, short and a few long ones, ended by one to three kinds of line break (LF, CRLF or
    both more often than not: those are the files whose lines are found without splitting)."""
    kinds = draw(st.sampled_from([["\n"], ["\r\n"], ["\n", "\r\n"]])  # the usual, counted
                 | st.lists(st.sampled_from(BREAKS), min_size=1, max_size=3, unique=True))
    line = st.text("ab é\t", max_size=6) | st.text("ab", min_size=100, max_size=400)  # some long
    pieces = draw(st.lists(st.tuples(line, st.sampled_from(kinds)), max_size=40))
    text = "".join(line + brk for line, brk in pieces)
    return text[: -len(pieces[-1][1])] if pieces and draw(st.booleans()) else text


@given(texts(), st.sets(st.integers(min_value=1, max_value=45)))
def test_kept_lines_are_the_files_lines(text: str, numbers: set[int]) -> None:
    """Either way a reporter splits the reduced text (as YAML, or as str.splitlines), every
    wanted line reads as in the file, and no line is invented past the file's last."""
    quoted = quote(text, sorted(numbers))
    kept = reduced(quoted)
    assert reduced(json.loads(json.dumps(quoted))) == kept  # as the cache keeps it
    for split in (split_lines, str.splitlines):
        lines, kept_lines = split(text), split(kept)
        for n in numbers:
            assert (kept_lines[n - 1] if n <= len(kept_lines) else "") == (lines[n - 1] if n <= len(lines) else "")
        assert len(kept_lines) <= len(lines)


@given(st.text(st.sampled_from("ab\t é\x1b\u202e\u2028"), max_size=300), st.integers(min_value=0, max_value=320))
def test_a_quoted_line_is_escaped_and_windowed_as_before(line: str, column: int) -> None:
    """The usual line (short, nothing to escape) takes a shortcut; it shows what the general
    path would: the line with tabs as spaces, the caret under the column (or the line's end)."""
    from trygg.reporters.text import _CONTEXT, _MAX_SOURCE, _source_line, safe

    spaced = line.replace("\t", " ")
    col = max(column - 1, 0)
    start, end = 0, len(spaced)
    if end > _MAX_SOURCE:
        start = max(0, min(col - _CONTEXT, end - 2 * _CONTEXT))
        end = min(end, start + 2 * _CONTEXT)
    before = ("…" if start else "") + safe(spaced[start:col])
    assert _source_line(line, column) == (before + safe(spaced[col:end]) + ("…" if end < len(spaced) else ""),
                                          len(before))


DUPLICATE = """\
typ: åtgärdsplan
id: plan
titel: Plan
åtgärder:
  - id: a-1
    titel: Trygghetsvandringar
    ansvarig: socialforvaltningen
  - id: a-1
    titel: Samma id igen
    ansvarig: socialforvaltningen
"""


def test_sarif_points_a_duplicate_id_at_its_first_definition(cli, tmp_path: Path) -> None:
    """Code scanning links the second definition of an id to the first (relatedLocations)."""
    root = write_repo(tmp_path / "kommun", {"dokument/plan.yaml": DUPLICATE})
    run = cli("check", str(root), "--today", TODAY, "--format", "sarif")
    log = json.loads(run.out)
    _validate_sarif(log)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "R101"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (8, 9)  # the id itself
    (related,) = result["relatedLocations"]
    physical = related["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "dokument/plan.yaml", "uriBaseId": "%SRCROOT%"}
    assert (physical["region"]["startLine"], physical["region"]["startColumn"]) == (5, 9)
