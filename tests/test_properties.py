"""Properties (hypothesis) of loading and checking, over generated YAML rather than chosen cases.

1. A generated valid repository (trygg.yaml, organisationer.yaml, a plan whose measures refer to
   the organisations and to its focus areas) gives no error findings.
2. Any mutation of it (a key deleted or misspelt, a scalar of another type, a tab, a truncated
   file, a duplicated key, a broken id reference, flipped bytes, hostile fragments) gives located
   findings or a clean run: never an exception, every finding in a file of the repository, on a
   line and column that exist (1 <= line <= lines + 1, 1 <= column <= line length + 1), and the
   text and JSON reporters format it.
3. The fast loader (libyaml + our builder) reads generated documents exactly as ruamel.yaml's
   round-trip loader does under YAML 1.2: the same values (issue 5: the fast path changes nothing).
4. ... and puts every key and every list item on the line and column ruamel's ``lc`` gives.
5. Arbitrary text made of YAML's special characters never makes the loader raise, and what it
   reports is located inside the text.

Documents are written by a small emitter that picks, per node, block or flow style and plain,
single-quoted, double-quoted or literal scalars, so the loader sees the styles people write.
"""

from __future__ import annotations

import io
import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ruamel_reference import plain as ruamel_plain
from trygg.check import check_repository
from trygg.findings import Severity
from trygg.load.fast import LoadedYaml, parse_text, resolve_plain, split_lines
from trygg.repo import load_from_blobs
from trygg.reporters.json import format_json
from trygg.reporters.text import format_text

TODAY = date(2026, 11, 23)
LIGHT = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- an emitter with random styles -------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-zÅÄÖåäöé_][A-Za-z0-9ÅÄÖåäöé_ ./()-]*")
_FLOW_PLAIN = re.compile(r"[A-Za-zÅÄÖåäöé_][A-Za-z0-9ÅÄÖåäöé_ ./()-]*")
_DATE_LIKE = re.compile(r"\d{4}-\d\d?-\d\d?")
# Characters a double-quoted scalar must escape: YAML's non-printable ones and its line breaks.
_MUST_ESCAPE = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff\\\\\"]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def _escape(ch: str) -> str:
    return _ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


class Emitter:
    """Writes plain data as YAML, choosing a style for every node from ``rnd``."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def document(self, data: dict[Any, Any]) -> str:
        lines: list[str] = []
        self.block_mapping(data, 0, lines)
        return "\n".join(lines) + "\n"

    # -- scalars
    def plain_ok(self, text: str, flow: bool) -> bool:
        pattern = _FLOW_PLAIN if flow else _PLAIN
        return (bool(pattern.fullmatch(text)) and text == text.strip() and "  " not in text
                and resolve_plain(text) == text and not _DATE_LIKE.fullmatch(text))

    def string(self, text: str, flow: bool) -> str:
        choice = self.rnd.random()
        if self.plain_ok(text, flow) and choice < 0.6:
            return text
        if choice < 0.8 and not re.search("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff]", text):
            return "'" + text.replace("'", "''") + "'"
        return '"' + _MUST_ESCAPE.sub(lambda m: _escape(m.group()), text) + '"'

    def scalar(self, value: Any, flow: bool) -> str:
        text = self.untagged(value, flow)
        if self.rnd.random() < 0.1 and text:  # now and then the explicit core-schema tag
            tag = {type(None): "null", bool: "bool", int: "int", float: "float", str: "str"}[type(value)]
            if tag != "str" and self.rnd.random() < 0.5:
                text = f"'{text}'"  # !!int '12' is the integer 12
            return f"!!{tag} {text}"
        return text

    def untagged(self, value: Any, flow: bool) -> str:
        if value is None:
            return self.rnd.choice(["~", "null", "Null", "NULL"] + ([] if flow else [""]))
        if isinstance(value, bool):
            words = ["true", "True", "TRUE"] if value else ["false", "False", "FALSE"]
            return self.rnd.choice(words)
        if isinstance(value, int):
            forms = [str(value)]
            if value >= 0:
                forms += [f"0o{value:o}", f"0x{value:x}", f"0x{value:X}", f"+{value}"]
            return self.rnd.choice(forms)
        if isinstance(value, float):
            if value in (float("inf"), float("-inf")):
                return ("-" if value < 0 else "") + self.rnd.choice([".inf", ".Inf", ".INF"])
            text = repr(value)
            return text if "." in text or "e" in text else text + ".0"
        return self.string(str(value), flow)

    def literal(self, text: str) -> bool:
        lines = text.split("\n")
        return (not flow_only_chars(text) and not text.endswith("\n") and all(
            line and not line[0].isspace() and line == line.rstrip() for line in lines))

    # -- collections
    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self.key(k, True)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        return self.scalar(value, True)

    def key(self, key: Any, flow: bool) -> str:
        if isinstance(key, int):
            return str(key)
        return self.string(key, flow)

    def value(self, head: str, value: Any, indent: int, lines: list[str]) -> None:
        """``head`` is 'key:' or '-' already indented; the value follows on it or below it."""
        block = self.rnd.random() < 0.7
        if isinstance(value, dict) and value and block:
            lines.append(head)
            self.block_mapping(value, indent + 2, lines)
        elif isinstance(value, list) and value and block:
            lines.append(head)
            self.block_sequence(value, indent + (self.rnd.choice([0, 2]) if head.endswith(":") else 2), lines)
        elif isinstance(value, (dict, list)):
            lines.append(f"{head} {self.flow(value)}")
        elif isinstance(value, str) and "\n" in value and self.literal(value) and self.rnd.random() < 0.5:
            lines.append(f"{head} |-")
            lines.extend(" " * (indent + 2) + line for line in value.split("\n"))
        else:
            text = self.scalar(value, False)
            lines.append(f"{head} {text}" if text else head)

    def block_mapping(self, mapping: dict[Any, Any], indent: int, lines: list[str], first: str | None = None) -> None:
        for i, (k, v) in enumerate(mapping.items()):
            prefix = first if (i == 0 and first is not None) else " " * indent
            self.value(f"{prefix}{self.key(k, False)}:", v, indent, lines)

    def block_sequence(self, items: list[Any], indent: int, lines: list[str]) -> None:
        for item in items:
            if isinstance(item, dict) and item and self.rnd.random() < 0.7:
                self.block_mapping(item, indent + 2, lines, first=" " * indent + "- ")
            else:
                self.value(" " * indent + "-", item, indent, lines)


def flow_only_chars(text: str) -> bool:
    return bool(re.search("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff\\r]", text))


# ---- strategies ---------------------------------------------------------------------------------

WORDS = ["trygghet", "Hagalund", "fältassistenter", "kväll", "belysning", "Polisen", "skola",
         "ej påbörjad", "no", "on", "yes", "0755", "1.0", "true", "null", "~", "#", ": ", "- ",
         "'", '"', "\\", "{", "[", "&a", "*a", "!foo", "%", "@", "`", "å", "😀", "\t", "\n", "\u2028"]
TEXT = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=20),
)
KEY = st.one_of(
    st.from_regex(r"[a-zåäö_][a-zåäö0-9_-]{0,10}", fullmatch=True).filter(lambda k: resolve_plain(k) == k),
    st.integers(min_value=0, max_value=3000),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=8),
)
SCALAR = st.one_of(
    TEXT, st.integers(min_value=-(10**12), max_value=10**12), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_subnormal=False, width=64),
)
DATA = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(KEY, inner, max_size=4),
), max_leaves=12)
DOCUMENT = st.dictionaries(KEY, DATA, min_size=1, max_size=5)

ORG_KINDS = ["nämnd", "förvaltning", "bolag", "organisation", "råd", "roll"]
DUE = ["2026", "Q2 2026", "våren 2026", "hösten 2027", "tertial 1 2027", "2026-06", "löpande",
       "planperiodens slut", "2026-12-31"]
IDENT = st.from_regex(r"[a-z][a-z0-9]{2,8}", fullmatch=True)


@st.composite
def repositories(draw: st.DrawFn) -> tuple[dict[str, str], list[str]]:
    """A valid municipality repository (path → YAML text) and the ids of its organisations."""
    emit = Emitter(random.Random(draw(st.integers(0, 2**32))))
    ids = draw(st.lists(IDENT, min_size=3, max_size=12, unique=True))
    n_orgs = draw(st.integers(1, max(1, len(ids) - 2)))
    orgs, rest = ids[:n_orgs], ids[n_orgs:]
    focus, measure_ids = rest[:1], rest[1:]
    register = {"typ": "organisationer", "organisationer": [
        {"id": o, "namn": draw(TEXT.filter(str.strip)), "slag": draw(st.sampled_from(ORG_KINDS))} for o in orgs]}
    measures = []
    for m in measure_ids:
        measure: dict[str, Any] = {"id": m, "titel": draw(TEXT.filter(str.strip)),
                                   "fokusområde": focus[0], "ansvarig": draw(st.sampled_from(orgs))}
        partners = draw(st.lists(st.sampled_from(orgs), max_size=3, unique=True))
        if partners:
            measure["samverkan"] = partners
        if draw(st.booleans()):
            measure["start"] = draw(st.dates(date(2020, 1, 1), date(2026, 12, 31))).isoformat()
        if draw(st.booleans()):
            measure["klart_senast"] = draw(st.sampled_from(DUE))
        measures.append(measure)
    plan = {"typ": "åtgärdsplan", "id": "plan", "titel": draw(TEXT.filter(str.strip)),
            "fokusområden": [{"id": focus[0], "titel": "Fokus"}], "åtgärder": measures}
    config = {"kommun": "Testby kommun", "kommunkod": draw(st.sampled_from(["9999", 184, "0184"]))}
    files = {"trygg.yaml": emit.document(config), "organisationer.yaml": emit.document(register),
             "dokument/plan.yaml": emit.document(plan)}
    return files, orgs


# ---- mutations ----------------------------------------------------------------------------------

_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^\s:#'\"{}\[\],]+):", re.MULTILINE)
HOSTILE = ["\t", ": ", "- ", "[", "]", "{", "}", "'", '"', "#", "&a ", "*a", "!foo ", "!!python/object ",
           "<<: ", "---\n", "...\n", "%YAML 1.1\n", "<<<<<<< HEAD\n", ">>>>>>> b\n", "\x00", "\x1b",
           "\r", "\u2028", "\ufeff", "? ", "|", ">", "@", "`", "\\", "é", "\n  ", "\n- "]


def mutate(text: str, kind: str, rnd: random.Random, ids: list[str]) -> str | bytes:
    if not text:
        return rnd.choice(HOSTILE)
    lines = text.split("\n")
    if kind == "delete-line" and len(lines) > 1:
        del lines[rnd.randrange(len(lines) - 1)]
        return "\n".join(lines)
    keys = list(_KEY_LINE.finditer(text))
    if kind == "misspell-key" and keys:
        m = rnd.choice(keys)
        key = m.group(2)
        i = rnd.randrange(len(key))
        bad = rnd.choice([key[:i] + key[i + 1:], key[:i] + "x" + key[i:], key[:i] + key[i:][::-1]]) or "x"
        return text[: m.start(2)] + bad + text[m.end(2):]
    if kind == "retype-value" and keys:
        m = rnd.choice(keys)
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        new = rnd.choice(["[a, b]", "{x: 1}", "12", "-1.5", "true", "~", '""', "2025-13-45", "Q5 2026", "[]", "{}"])
        return text[: m.end()] + " " + new + text[end:]
    if kind == "tab":
        i = rnd.randrange(len(lines))
        j = rnd.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:j] + "\t" + lines[i][j:]
        return "\n".join(lines)
    if kind == "truncate":
        return text[: rnd.randrange(len(text))]
    if kind == "duplicate-key" and keys:
        m = rnd.choice(keys)
        end = text.find("\n", m.start())
        line = text[m.start(): end if end >= 0 else len(text)]
        return text[: m.start()] + line + "\n" + text[m.start():].replace("- ", "  ", 1)
    if kind == "break-reference" and ids:
        victim = rnd.choice(ids)
        return re.sub(rf"(?<![\w-]){re.escape(victim)}(?![\w-])", victim + rnd.choice(["x", "-2", "Å"]), text)
    if kind == "flip-bytes":
        raw = bytearray(text.encode("utf-8", errors="surrogateescape"))
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(raw))
            raw[i] ^= rnd.choice([1, 2, 4, 8, 16, 32, 64, 128, rnd.randrange(1, 256)])
        return bytes(raw)
    if kind == "insert":
        i = rnd.randrange(len(text) + 1)
        return text[:i] + rnd.choice(HOSTILE) + text[i:]
    return text


MUTATIONS = ["delete-line", "misspell-key", "retype-value", "tab", "truncate", "duplicate-key",
             "break-reference", "flip-bytes", "insert"]


def _lines(text: str) -> list[str]:
    return split_lines(text)  # YAML's line breaks, not str.splitlines' (which adds \x1c and others)


def assert_located(blobs: dict[str, bytes]) -> None:
    """Check a repository given as bytes; every finding must be in a file and on a place in it."""
    repo = load_from_blobs(Path("/arkiv"), blobs)
    result = check_repository(repo, today=TODAY)
    texts = {f.path: f.loaded.text for f in repo.files}
    for finding in result.findings:
        loc = finding.location
        if loc.path == "." and finding.code[0] == "L":  # a duty of the municipality, not of a file
            assert loc.line == 0, finding
            continue
        assert loc.path in texts, finding
        lines = _lines(texts[loc.path])
        if texts[loc.path].strip():
            assert loc.line >= 1, finding
        if loc.line:
            assert 1 <= loc.line <= len(lines) + 1, (finding, len(lines))
            width = len(lines[loc.line - 1]) if loc.line <= len(lines) else 0
            assert 1 <= loc.column <= width + 1, (finding, width)
    format_text(result, lang="sv")
    format_text(result, lang="en", color=True)
    json.loads(format_json(result, lang="sv"))


def _blobs(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


# ---- 1 and 2: repositories ----------------------------------------------------------------------


@HEAVY
@given(repositories())
def test_a_valid_repository_has_no_errors(generated: tuple[dict[str, str], list[str]]) -> None:
    files, orgs = generated
    repo = load_from_blobs(Path("/arkiv"), _blobs(files))
    result = check_repository(repo, today=TODAY)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert errors == [], (errors, files)
    assert sorted(e.id for e in repo.all("org")) == sorted(orgs)


@HEAVY
@given(repositories(), st.lists(st.tuples(st.sampled_from(["trygg.yaml", "organisationer.yaml", "dokument/plan.yaml"]),
                                          st.sampled_from(MUTATIONS), st.integers(0, 2**32)), min_size=1, max_size=3))
def test_a_mutated_repository_gives_located_findings_or_none(
        generated: tuple[dict[str, str], list[str]], mutations: list[tuple[str, str, int]]) -> None:
    files, ids = generated
    blobs = _blobs(files)
    for name, kind, seed in mutations:
        current = blobs[name].decode("utf-8", errors="surrogateescape")
        changed = mutate(current, kind, random.Random(seed), ids)
        blobs[name] = changed if isinstance(changed, bytes) else changed.encode("utf-8", errors="surrogateescape")
    assert_located(blobs)


# ---- 3 and 4: the fast path reads what ruamel round-trip reads ----------------------------------


def _ruamel(text: str) -> Any:
    yaml = YAML(typ="rt")  # YAML 1.2 unless the document says otherwise
    return yaml.load(io.StringIO(text))


def _positions(node: Any, loaded: LoadedYaml, path: tuple[Any, ...]) -> None:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            line, col = node.lc.key(key)
            assert loaded.keys[path + (key,)] == (line + 1, col + 1), (path, key)
            # an empty value has no text of its own: libyaml puts it after the colon, ruamel
            # at the next token; trygg reports it on the key's line, which is what people want
            if not isinstance(value, (CommentedMap, CommentedSeq)) and value is not None:
                vline, vcol = node.lc.value(key)
                assert loaded.values[path + (key,)] == (vline + 1, vcol + 1), (path, key)
            _positions(value, loaded, path + (key,))
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            line, col = node.lc.item(i)
            if value is not None:
                assert loaded.values[path + (i,)] == (line + 1, col + 1), (path, i)
            _positions(value, loaded, path + (i,))


@LIGHT
@given(DOCUMENT, st.integers(0, 2**32))
def test_the_fast_loader_reads_what_ruamel_reads(data: dict[Any, Any], seed: int) -> None:
    text = Emitter(random.Random(seed)).document(data)
    loaded = parse_text(text, "doc.yaml")
    assert loaded.findings == [], (text, loaded.findings)
    expected = ruamel_plain(_ruamel(text))
    assert loaded.data == expected, text
    assert loaded.data == data, text  # and both read back what was written


@LIGHT
@given(DOCUMENT, st.integers(0, 2**32))
def test_keys_and_items_are_where_ruamel_says(data: dict[Any, Any], seed: int) -> None:
    text = Emitter(random.Random(seed)).document(data)
    loaded = parse_text(text, "doc.yaml")
    assert loaded.findings == []
    _positions(_ruamel(text), loaded, ())


def test_where_trygg_reads_yaml_1_2_more_strictly_than_ruamel() -> None:
    """ruamel keeps some YAML 1.1 forms under 1.2; the core schema makes them text, and so do we.
    Dates stay text until the models parse them (the foundation's decision)."""
    text = "a: 1_000\nb: 0b11\nc: -0x1F\nd: 2025-01-01\n"
    assert parse_text(text, "x.yaml").data == {"a": "1_000", "b": "0b11", "c": "-0x1F", "d": "2025-01-01"}
    assert ruamel_plain({k: v for k, v in _ruamel(text).items() if k != "d"}) == {"a": 1000, "b": 3, "c": -31}


# ---- 5: arbitrary text --------------------------------------------------------------------------

FRAGMENTS = st.one_of(st.sampled_from(HOSTILE + ["typ: policy\n", "a:", " ", "\n", "x", "1", "- a\n", "  "]),
                      st.text(max_size=3))


@LIGHT
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_any_text_is_read_without_raising(text: str) -> None:
    loaded = parse_text(text, "x.yaml")
    lines = _lines(text)
    for finding in loaded.findings:
        assert 1 <= finding.location.line <= len(lines) + 1, (finding, text)
        width = len(lines[finding.location.line - 1]) if finding.location.line <= len(lines) else 0
        assert 1 <= finding.location.column <= width + 1, (finding, text)
