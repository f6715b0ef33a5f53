"""The fast, located YAML reader.

Why not ruamel round-trip for reading: it is 4-20x slower and its CommentedMaps
take four times the memory (issue 5's measurements). libyaml composes the node
tree; we build plain dicts and lists ourselves so that we decide, in one place,
what a scalar means (YAML 1.2 core schema: ``no`` and ``on`` are strings, ``0755``
is the integer 755, dates stay strings until the models parse them), refuse what
we never want to construct (custom tags, merge keys, alias bombs) and record every
key's and value's position. Nothing here raises on bad input: problems come back
as findings.
"""

from __future__ import annotations

import re
from array import array
from itertools import compress, count, repeat
from operator import contains
from pathlib import Path
from typing import Any, NoReturn

import yaml

from trygg.findings import Finding, Location, Severity, make

# The reader's parts, imported here too so that ``trygg.load.fast`` stays the one entry point:
# the loaded file (no PyYAML), the scalar rules (no PyYAML), the one-pass event reader, and the
# text-level helpers and limits (no PyYAML).
from trygg.load.events import _Loader, read_events
from trygg.load.loaded import LoadedYaml, Path_
from trygg.load.scalars import (
    _EXPLICIT_TYPES,
    _PLAIN_TEXT_START,
    ALLOWED_SCALAR_TAGS,
    MAP_TAG,
    PLAIN_TAG,
    SEQ_TAG,
    STR_TAG,
    resolve_plain,
)
from trygg.load.text import BREAK as _BREAK
from trygg.load.text import MAX_DEPTH, MAX_FILE_BYTES, printable_path, split_lines, strip_bom

# An expanded document may be this many times larger than its node count
# (aliases legitimately repeat a little) before we call it an alias bomb.
MAX_EXPANSION = 10
MIN_EXPANSION_BUDGET = 100_000
# libyaml's composer (PyYAML's Cython CParser) recurses in C once per level of nesting. Built
# against libyaml 0.2.5 (Debian's) it segfaults at about 25 000 levels on an 8 MB stack; in a thread
# with a 128 KB stack (musl's default) it does at about 370 levels even with the bundled libyaml
# 0.2.6, which itself stops at 1 000. So before composing we bound the depth cheaply: at most
# 2 + twice the widest line prefix of spaces and '-', '?', ':' indicators (block nesting), plus
# 1 + the '[' and '{' that do not open a one-line innermost collection (flow nesting). Only when that
# bound could exceed about 270 do we count the real depth from libyaml's event stream, which keeps
# its own stack and does not recurse.
_PRESCAN_OPENERS = 150
_PRESCAN_PREFIX = 60
# One pattern per line break: a literal first character lets the regex engine skip ahead fast.
_DEEP_PREFIX = [re.compile(f"{start}[ \t?:-]{{{_PRESCAN_PREFIX}}}")
                for start in ("^", "\n", "\r", "\x85", "\u2028", "\u2029")]
# An innermost flow collection on one line with nothing between its brackets that could hide
# a bracket (quotes, a comment, a tag); removing these lowers any nesting by at most one level.
_FLOW_LEAF = re.compile(r"\[[^\[\]{}\n\r#'\"!&*]*\]|\{[^\[\]{}\n\r#'\"!&*]*\}")


def _pos(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def read_yaml(file: Path, display: str) -> LoadedYaml:
    """Read and parse one file; every problem is a located finding, never an exception."""
    display = printable_path(display)
    try:
        with file.open("rb") as handle:  # never more than the limit, however large the file
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        result = LoadedYaml(display, "")
        result.findings.append(make("Y114", Severity.ERROR, Location(display), reason=exc.strerror or str(exc)))
        return result
    return parse_bytes(raw, display)


def parse_bytes(raw: bytes, display: str) -> LoadedYaml:
    display = printable_path(display)
    if len(raw) > MAX_FILE_BYTES:
        result = LoadedYaml(display, "")
        result.findings.append(make("Y116", Severity.ERROR, Location(display, 1, 1),
                                    limit=MAX_FILE_BYTES // (1024 * 1024)))
        return result
    raw = strip_bom(raw)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16's byte-order mark: say so, not "Latin-1"
        result = LoadedYaml(display, "")
        result.findings.append(make("Y118", Severity.ERROR, Location(display, 1, 1)))
        return result
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        result = LoadedYaml(display, raw.decode("utf-8", errors="replace"))
        before = raw[: exc.start].decode("utf-8")
        line, column = _line_col(before, len(before))
        bad = raw[exc.start]
        guess = bytes([bad]).decode("latin-1")
        result.findings.append(make("Y104", Severity.ERROR, Location(display, line, column),
                                    byte=f"0x{bad:02X}", guess=guess))
        return result
    return parse_text(text, display)


def _scan_text(text: str, result: LoadedYaml) -> bool:
    """Line-level checks: merge-conflict markers (fatal) and comments for inline suppressions."""
    lines = split_lines(text)
    if "<<<<<<<" in text or ">>>>>>> " in text:
        markers = [n for n, ln in enumerate(lines, 1)
                   if ln.startswith(("<<<<<<< ", ">>>>>>> ")) or ln == "<<<<<<<"]
        if markers:
            for n in markers:
                result.findings.append(make("Y111", Severity.ERROR, Location(result.path, n, 1)))
            return False
    if "#" in text:  # look closer only at the lines with a '#', found without a Python loop
        for number in compress(count(1), map(contains, lines, repeat("#"))):
            line = lines[number - 1]
            idx = _comment_start(line)
            if idx is not None:
                result.comments[number] = line[idx + 1:].strip()
    return True


def _tab_findings(text: str, path: str) -> list[Finding]:
    """Tabs in indentation: YAML forbids them, and libyaml's message does not say so plainly."""
    found = []
    for number, line in enumerate(split_lines(text), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t-"))]
        if "\t" in indent:
            found.append(make("Y102", Severity.ERROR, Location(path, number, indent.index("\t") + 1)))
    return found


def _comment_start(line: str) -> int | None:
    """Index of the '#' that starts a comment, ignoring '#' inside quotes or words."""
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"" and (i == 0 or line[i - 1] in " :[{,-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


def parse_text(text: str, display: str) -> LoadedYaml:
    result = LoadedYaml(display, text)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        result.findings.append(make("Y105", Severity.ERROR, Location(display, 1, 1)))
        _scan_text(text, result)
        return result
    if not _scan_text(text, result):
        return result
    too_deep = _too_deep(text)
    if too_deep is not None:
        result.findings.append(make("Y109", Severity.ERROR, Location(display, *too_deep), limit=MAX_DEPTH))
        return result
    clean = read_events(text)
    if clean is not None:
        result.data, result.spots, result.root_spot = clean
        return result
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "").strip()
        tabs = _tab_findings(text, display)
        if tabs:
            result.findings.extend(tabs)
            return result
        from trygg.load.yamlerrors import translate

        problem_sv, problem_en = translate(problem, exc.context or "")
        result.findings.append(make("Y101", Severity.ERROR, Location(display, line, col),
                                    problem=problem_sv, problem_en=problem_en))
        return result
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        # libyaml gives a byte offset into its UTF-8 copy; find the character ourselves.
        bad = _NOT_PRINTABLE.search(text)
        line, col = _line_col(text, bad.start()) if bad else (1, 1)
        result.findings.append(make("Y101", Severity.ERROR, Location(display, line, col),
                                    problem=str(getattr(exc, "reason", exc))))
        return result
    except RecursionError:
        result.findings.append(make("Y109", Severity.ERROR, Location(display, 1, 1), limit=MAX_DEPTH))
        return result
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        result.findings.append(make("Y105", Severity.ERROR, Location(display, 1, 1)))
        return result
    if len(nodes) > 1:
        second = nodes[1]
        result.findings.append(make("Y112", Severity.ERROR, _loc(display, second)))
        return result
    root = nodes[0]
    builder = _Builder(result)
    if ("*" in text and "&" in text) and not builder.check_budget(root):  # no anchor, no alias
        return result
    try:
        data = builder.build(root, 0)
    except _Abort:
        result.root = root
        result.spots.clear()
        return result
    if not isinstance(data, dict):
        result.root = root
        result.spots.clear()
        result.findings.append(make("Y106", Severity.ERROR, _loc(display, root),
                                    found=_kind_name(data), found_en=_kind_name_en(data)))
        return result
    mark = root.start_mark
    result.root_spot = mark.line << 24 | mark.column
    result.data = data
    return result


# ---- the usual document, read in one pass over libyaml's events --------------------------------

# What YAML allows in a stream (c-printable); libyaml refuses everything else.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` of ``text``, counting breaks as YAML does."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, pos):
        line, start = line + 1, match.end()
    return line, pos - start + 1


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first exceeds MAX_DEPTH, when the cheap bound says it might be unsafe to compose."""
    openers = text.count("[") + text.count("{")
    if openers > _PRESCAN_OPENERS:
        openers = openers - len(_FLOW_LEAF.findall(text)) + 1
    if openers <= _PRESCAN_OPENERS and not any(
            pattern.search(text) for i, pattern in enumerate(_DEEP_PREFIX)
            if i < 2 or pattern.pattern[0] in text):
        return None  # depth <= 150 + 2 * 59 + 2: composing recurses at most 270 levels
    depth = -1  # the root collection is level 0, as in _Builder.build
    try:
        for event in yaml.parse(text, Loader=_Loader):  # libyaml's parser keeps its own stack
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or "") and exc.problem_mark is not None:
            return exc.problem_mark.line + 1, exc.problem_mark.column + 1  # libyaml >= 0.2.6 stops at 1000
        # otherwise composing stops at the same error, no deeper than we got
    except yaml.YAMLError:
        pass
    return None


def _loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _kind_name(value: Any) -> str:
    if isinstance(value, list):
        return "lista"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "tomt värde"
    return type(value).__name__


def _kind_name_en(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "empty"
    return type(value).__name__


class _Abort(Exception):
    """Stops building one file after a fatal, already-reported problem."""


class _Builder:
    def __init__(self, result: LoadedYaml) -> None:
        self.result = result
        self.path = result.path
        self.spots = result.spots

    def check_budget(self, root: yaml.Node) -> bool:
        """Refuse alias bombs before expanding anything: compute the expanded size, memoised."""
        sizes: dict[int, int] = {}
        distinct = 0
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        first_alias: yaml.Node | None = None
        seen_parents: set[int] = set()
        while stack:
            node, done = stack.pop()
            key = id(node)
            if done:
                if isinstance(node, yaml.MappingNode):
                    total = 1 + sum(sizes[id(k)] + sizes[id(v)] for k, v in node.value)
                elif isinstance(node, yaml.SequenceNode):
                    total = 1 + sum(sizes[id(c)] for c in node.value)
                else:
                    total = 1
                sizes[key] = total
                continue
            if key in sizes or key in seen_parents:
                if key in seen_parents and key not in sizes:
                    # a node that contains itself: a recursive alias
                    self.result.findings.append(make("Y109", Severity.ERROR, _loc(self.path, node), limit=MAX_DEPTH))
                    return False
                if first_alias is None:
                    first_alias = node
                continue
            distinct += 1
            seen_parents.add(key)
            stack.append((node, True))
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    stack.append((k, False))
                    stack.append((v, False))
            elif isinstance(node, yaml.SequenceNode):
                for c in node.value:
                    stack.append((c, False))
        budget = max(MIN_EXPANSION_BUDGET, MAX_EXPANSION * distinct)
        if sizes[id(root)] > budget:
            where = first_alias if first_alias is not None else root
            self.result.findings.append(make("Y110", Severity.ERROR, _loc(self.path, where),
                                             size=sizes[id(root)], budget=budget))
            return False
        return True

    def build(self, node: yaml.Node, depth: int) -> Any:
        """The value of ``node`` at nesting ``depth`` (the root is 0).

        Plain and quoted scalars inside a collection – nearly every node – are resolved inline;
        everything else goes through :meth:`scalar` and :meth:`key`, in the same order, so the
        findings are the same as node-by-node building would give. The position of every
        entry goes to the collection's array in :attr:`LoadedYaml.spots`.
        """
        if depth > MAX_DEPTH:
            self.result.findings.append(make("Y109", Severity.ERROR, _loc(self.path, node), limit=MAX_DEPTH))
            raise _Abort
        kind = type(node)
        if kind is ScalarNode:
            return self.scalar(node)
        depth += 1
        inline = depth <= MAX_DEPTH  # a scalar child cannot be too deep
        spots = array("q")
        spot = spots.append
        if kind is SequenceNode:
            if node.tag != SEQ_TAG:
                self.bad_tag(node)
            items: list[Any] = []
            append = items.append
            for child in node.value:
                mark = child.start_mark
                if inline and type(child) is ScalarNode:
                    tag = child.tag
                    if tag is PLAIN_TAG:
                        text = child.value
                        append(text if text[:1] in _PLAIN_TEXT_START else resolve_plain(text))
                        spot(mark.line << 24 | mark.column)
                        continue
                    if tag is STR_TAG:
                        append(child.value)
                        spot(mark.line << 24 | mark.column)
                        continue
                append(self.build(child, depth))
                spot(mark.line << 24 | mark.column)
            self.spots[id(items)] = spots
            return items
        if kind is MappingNode:
            if node.tag != MAP_TAG:
                self.bad_tag(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if not (type(key_node) is ScalarNode and key_node.tag is PLAIN_TAG
                        and key[:1] in _PLAIN_TEXT_START):  # a plain word is its own key
                    key = self.key(key_node)
                    if key is _SKIP:
                        continue
                if key in out:
                    self.duplicate(node, key_node, key)
                    continue
                mark = key_node.start_mark
                spot(mark.line << 24 | mark.column)
                mark = value_node.start_mark
                if inline and type(value_node) is ScalarNode:
                    tag = value_node.tag
                    if tag is PLAIN_TAG:
                        text = value_node.value
                        out[key] = text if text[:1] in _PLAIN_TEXT_START else resolve_plain(text)
                        spot(mark.line << 24 | mark.column)
                        continue
                    if tag is STR_TAG:
                        out[key] = value_node.value
                        spot(mark.line << 24 | mark.column)
                        continue
                out[key] = self.build(value_node, depth)
                spot(mark.line << 24 | mark.column)
            self.spots[id(out)] = spots
            return out
        raise _Abort  # pragma: no cover - libyaml has no other node kinds

    def bad_tag(self, node: yaml.Node) -> NoReturn:
        self.result.findings.append(make("Y107", Severity.ERROR, _loc(self.path, node), tag=node.tag))
        raise _Abort

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == PLAIN_TAG:  # YAML 1.2 core schema
            return resolve_plain(node.value)
        if tag == STR_TAG:  # quoted, block scalar, '!' or an explicit !!str
            return node.value
        wanted = _EXPLICIT_TYPES.get(tag)
        if wanted is None:
            self.bad_tag(node)
        value = resolve_plain(node.value)  # an explicit !!int "12" is the integer 12, quoted or not
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            self.result.findings.append(make("Y115", Severity.ERROR, _loc(self.path, node),
                                             tag="!!" + tag.rsplit(":", 1)[-1], value=node.value))
            raise _Abort
        return float(value) if float in wanted and isinstance(value, int) else value

    def key(self, key_node: yaml.Node) -> Any:
        """The key a mapping entry is stored under, or ``_SKIP`` for one that is left out."""
        if type(key_node) is not ScalarNode:
            self.result.findings.append(make("Y113", Severity.ERROR, _loc(self.path, key_node)))
            return _SKIP
        if key_node.tag not in ALLOWED_SCALAR_TAGS:
            self.bad_tag(key_node)
        key = self.scalar(key_node)
        if key == "<<" and not key_node.style:
            self.result.findings.append(make("Y108", Severity.ERROR, _loc(self.path, key_node)))
            return _SKIP
        if isinstance(key, float) or key is None or isinstance(key, bool):
            key = key_node.value  # such keys are never meant as numbers; keep the text
        return key

    def duplicate(self, node: yaml.MappingNode, key_node: yaml.Node, key: Any) -> None:
        first = _Builder(LoadedYaml(self.path, "")).entries(node)[key][0]  # quietly: reported once
        self.result.findings.append(make(
            "Y103", Severity.ERROR, _loc(self.path, key_node), key=str(key),
            first_line=first.start_mark.line + 1))

    def entries(self, node: yaml.MappingNode) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
        """Key → (key node, value node) for the entries :meth:`build` keeps (the first of equal
        keys); findings go to this builder's result. Stops, with what it has, where building would."""
        found: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        try:
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key is not _SKIP and key not in found:
                    found[key] = (key_node, value_node)
        except _Abort:
            pass
        return found

    def record(self, node: yaml.Node, path: Path_, depth: int, values: dict[Path_, tuple[int, int]],
               keys: dict[Path_, tuple[int, int]]) -> None:
        """Every position below ``node`` into the tables, visiting nodes as :meth:`build` does."""
        if depth > MAX_DEPTH:
            raise _Abort
        values[path] = _pos(node)
        kind = type(node)
        if kind is ScalarNode:
            self.scalar(node)
        elif kind is SequenceNode:
            if node.tag != SEQ_TAG:
                self.bad_tag(node)
            for i, child in enumerate(node.value):
                self.record(child, path + (i,), depth + 1, values, keys)
        elif kind is MappingNode:
            if node.tag != MAP_TAG:
                self.bad_tag(node)
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key is _SKIP or key in seen:
                    continue
                seen.add(key)
                keys[path + (key,)] = _pos(key_node)
                self.record(value_node, path + (key,), depth + 1, values, keys)


ScalarNode, SequenceNode, MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
# what Builder.key returns for an entry that is left out (a key that is not a scalar, a merge key)
_SKIP: Any = object()
