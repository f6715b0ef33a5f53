"""The measures and documents of one version of a repository, cheap enough to build for every commit.

Why not :func:`trygg.repo.load_from_blobs` for every commit: a full load of a
30-measure plan costs ~20 ms, and a year of history has hundreds of versions of
each plan. Between two versions usually one measure changed. So a file is cut,
by its text, into a *header* (everything but the measure lists) and one chunk
per measure list item (``åtgärder:`` and ``medborgarlöften:`` at the top
level); each piece is parsed with trygg's own YAML 1.2 reader and cached by its
text, so an unchanged measure is never parsed twice. When the text is not in the
simple block form the cut assumes (flow lists, document markers, tabs, anchors
shared between items …) or a piece does not parse alone, the whole file is
parsed instead: the result is always what the full reader says.

A :class:`Snapshot` is what history, diff and report compare: measures by id
(:class:`MeasureState`), document headers by id (:class:`DocHeader`), the
organisation names and the season settings of that version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trygg.findings import Finding
from trygg.repo import CONFIG_NAME, SKIP_DIRS, YAML_SUFFIXES

MEASURE_KEYS = ("åtgärder", "medborgarlöften")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def select_paths(paths: Iterable[str]) -> list[str]:
    """The files of a version that belong to the repository, as :func:`trygg.repo.discover` decides.

    ``paths`` are POSIX paths relative to the repository root. YAML files only,
    no hidden directories or files, and nothing inside a nested repository (a
    directory with its own trygg.yaml).
    """
    paths = list(paths)
    nested = {p[: -len(CONFIG_NAME)] for p in paths if p.endswith("/" + CONFIG_NAME)}
    out = []
    for p in paths:
        parts = p.split("/")
        if not p.endswith(YAML_SUFFIXES) or any(part.startswith(".") for part in parts):
            continue
        if any(part in SKIP_DIRS for part in parts[:-1]):
            continue
        if any(p.startswith(prefix) for prefix in nested if prefix):
            continue
        out.append(p)
    return sorted(out, key=lambda n: (n != CONFIG_NAME, n))


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def id_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if isinstance(v, (str, int)) and not isinstance(v, bool))
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return (str(value).strip(),)
    return ()


@dataclass(frozen=True)
class DocHeader:
    """What the history needs of a document: its identity and validity."""

    path: str
    id: str | None
    kind: str | None
    title: str | None
    start: date | None
    end: date | None
    until_further_notice: bool
    decided: date | None
    replaces: tuple[str, ...]
    data: Mapping[str, Any] = field(compare=False, repr=False, hash=False, default_factory=dict)

    @staticmethod
    def from_data(path: str, data: Mapping[str, Any]) -> DocHeader:
        validity: Mapping[str, Any] = data["giltighet"] if isinstance(data.get("giltighet"), dict) else {}
        decision: Mapping[str, Any] = data["beslut"] if isinstance(data.get("beslut"), dict) else {}
        raw_id = data.get("id")
        return DocHeader(
            path=path,
            id=str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else None,
            kind=data.get("typ") if isinstance(data.get("typ"), str) else None,
            title=str(data["titel"]) if data.get("titel") is not None else None,
            start=as_date(validity.get("från")),
            end=as_date(validity.get("till")),
            until_further_notice=validity.get("till") == "tills vidare",
            decided=as_date(decision.get("datum")),
            replaces=id_list(data.get("ersätter")),
            data=data,
        )


@dataclass(frozen=True)
class FileContent:
    """One version of one file: its header data and its measure list items, as written.

    A version that cannot be read (``ok`` false) says why in ``problem``: the first
    error the full reader reports, located in the file, or Y116 for a file too large.
    """

    header: Mapping[str, Any]
    items: tuple[tuple[str, Mapping[str, Any]], ...]
    ok: bool = True
    problem: Finding | None = field(default=None, compare=False)


BROKEN = FileContent({}, (), ok=False)


def unreadable(data: bytes | None, path: str) -> FileContent:
    """A version that cannot be read, and why; ``data`` None: larger than the size limit."""
    from trygg.findings import Location, Severity, make
    from trygg.load.fast import MAX_FILE_BYTES, parse_bytes, printable_path

    if data is None or len(data) > MAX_FILE_BYTES:
        problem: Finding | None = make("Y116", Severity.ERROR, Location(printable_path(path), 1, 1),
                                       limit=MAX_FILE_BYTES // (1024 * 1024))
    else:
        errors = [f for f in parse_bytes(data, path).findings if f.severity is Severity.ERROR]
        problem = min(errors, key=lambda f: f.sort_key) if errors else None
    return FileContent({}, (), ok=False, problem=problem)


class Parser:
    """Parses file versions, caching by blob (sha or content) and by header and item text.

    One parser lives for one command run; the caches are what makes a year of
    history cost little more than the measures that actually changed.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, FileContent] = {}
        self._pieces: dict[str, Any] = {}
        self.derived: dict[Any, Any] = {}
        self.full_parses = 0
        self.piece_parses = 0

    def parse(self, data: bytes, path: str, key: str | None = None) -> FileContent:
        """The content of ``data``; ``key`` (a blob sha) skips even the text cut when seen before."""
        if key is not None and key in self._by_key:
            return self._by_key[key]
        content = self._parse(data, path)
        if key is not None:
            self._by_key[key] = content
        return content

    def _parse(self, data: bytes, path: str) -> FileContent:
        from trygg.load.text import MAX_FILE_BYTES, strip_bom

        if len(data) > MAX_FILE_BYTES:
            return unreadable(None, path)
        data = strip_bom(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return unreadable(data, path)
        pieces = split_pieces(text)
        if pieces is not None:
            header_text, chunks = pieces
            header = self._piece(header_text, path)
            items: list[tuple[str, Mapping[str, Any]]] = []
            for list_key, chunk in chunks:
                item = self._piece(f"{list_key}:\n{chunk}", path)
                if not (isinstance(item, dict) and isinstance(item.get(list_key), list)
                        and len(item[list_key]) == 1 and isinstance(item[list_key][0], dict)):
                    break
                items.append((list_key, item[list_key][0]))
            else:
                if isinstance(header, dict) and all(header.get(k) is None for k in MEASURE_KEYS):
                    return FileContent({k: v for k, v in header.items() if k not in MEASURE_KEYS}, tuple(items))
        return self._full(text, path)

    def _piece(self, text: str, path: str) -> Any:
        if text in self._pieces:
            return self._pieces[text]
        from trygg.findings import Severity
        from trygg.load.fast import parse_text

        self.piece_parses += 1
        loaded = parse_text(text, path)
        value = None if any(f.severity is Severity.ERROR for f in loaded.findings) else loaded.data
        self._pieces[text] = value
        return value

    def _full(self, text: str, path: str) -> FileContent:
        from trygg.load.fast import parse_text

        self.full_parses += 1
        loaded = parse_text(text, path)
        if not isinstance(loaded.data, dict):
            from trygg.findings import Severity

            errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
            return FileContent({}, (), ok=False, problem=min(errors, key=lambda f: f.sort_key) if errors else None)
        data = loaded.data
        items: list[tuple[str, Mapping[str, Any]]] = []
        for list_key in MEASURE_KEYS:
            value = data.get(list_key)
            if isinstance(value, list):
                items.extend((list_key, item) for item in value if isinstance(item, dict))
        header = {k: v for k, v in data.items() if k not in MEASURE_KEYS}
        return FileContent(header, tuple(items))


_KEY_REST = re.compile(r"[ \t]*(?:#[^\n]*)?\n")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_FIRST = re.compile(r"^(?:[ \t]*(?:#.*)?\n)*( *)-(?: |\n)", re.MULTILINE)


def _unsafe(text: str) -> bool:
    """Directives, document markers, tab indentation or anchors: leave such a file to the full reader."""
    if text.startswith(("---", "...", "%")) or "\n---" in text or "\n..." in text or "\n%" in text:
        return True
    if "\t" in text and _TAB_INDENT.search(text):
        return True
    at = text.find("&")
    while at != -1:
        if (at == 0 or text[at - 1].isspace()) and at + 1 < len(text) and not text[at + 1].isspace():
            return True
        at = text.find("&", at + 1)
    return False


def _list_keys(text: str) -> list[tuple[str, int, int]]:
    """``(key, start of its line, start of the next line)`` of every top-level measure list key."""
    found = []
    for key in MEASURE_KEYS:
        needle = key + ":"
        at = text.find(needle)
        while at != -1:
            if at == 0 or text[at - 1] == "\n":
                rest = _KEY_REST.match(text, at + len(needle))
                if rest:
                    found.append((key, at, rest.end()))
            at = text.find(needle, at + 1)
    return sorted(found, key=lambda k: k[1])


def split_pieces(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``(header text, [(list key, item text)])``, or None when the text is not in plain block form.

    A measure list is the top-level key line followed by block sequence items at
    one indentation; it ends at the first line (not blank, not a comment) that is
    less indented, or as indented but not an item. Regular expressions over the
    whole text, not a loop over lines: this runs for every version of every file.
    """
    if not text.endswith("\n"):
        text += "\n"
    if _unsafe(text):
        return None
    header: list[str] = []
    chunks: list[tuple[str, str]] = []
    position = 0
    for key, line_start, body in _list_keys(text):
        if line_start < position:
            return None
        first = _FIRST.match(text, body)
        if first is None:
            return None
        pad = first.group(1)
        # Regular expressions that begin with a literal newline: sre scans for it quickly.
        end_match = re.compile(r"\n(?!" + pad + r" )(?!" + pad + r"-[ \n])(?![ \t]*(?:#[^\n]*)?\n)").search(
            text, body - 1)
        end = end_match.start() + 1 if end_match else len(text)
        header.append(text[position:body])
        region = text[body:end]
        starts = [m.start() for m in re.finditer(r"\n(?=" + pad + r"-[ \n])", "\n" + region)]
        if not starts:
            return None
        lead = region[: starts[0]]
        rest = [region[a:b] for a, b in zip(starts, starts[1:] + [len(region)])]
        if lead.strip() and not all(ln.strip().startswith("#") for ln in lead.splitlines() if ln.strip()):
            return None
        chunks.extend((key, item) for item in rest)
        position = end
    header.append(text[position:])
    return "".join(header), chunks


@dataclass(frozen=True)
class MeasureState:
    """One measure in one version: where it is, what it says, and the values history compares."""

    id: str
    path: str
    document: str | None
    list_key: str
    raw: Mapping[str, Any] = field(compare=False, repr=False)
    title: str | None
    owner: tuple[str, ...]
    partners: tuple[str, ...]
    focus: tuple[str, ...]
    due_text: str | None
    due: date | None
    status: str
    start: date | None

    @property
    def is_promise(self) -> bool:
        return self.list_key == "medborgarlöften"


def measure_state(raw: Mapping[str, Any], path: str, list_key: str, header: DocHeader,
                  seasons: Mapping[str, str]) -> MeasureState | None:
    from trygg.timeexpr import last_day

    raw_id = raw.get("id")
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool) or not str(raw_id).strip():
        return None
    due_value = raw.get("klart_senast")
    due_text = str(due_value).strip() if due_value is not None and not isinstance(due_value, bool) else None
    due = None
    if due_text:
        try:
            due = last_day(due_text, plan_end=header.end, seasons=dict(seasons))
        except (KeyError, ValueError):
            due = None
    return MeasureState(
        id=str(raw_id).strip(), path=path, document=header.id, list_key=list_key, raw=raw,
        title=str(raw["titel"]) if raw.get("titel") is not None else None,
        owner=id_list(raw.get("ansvarig")), partners=id_list(raw.get("samverkan")),
        focus=id_list(raw.get("fokusområde")), due_text=due_text, due=due,
        status=current_status(raw), start=as_date(raw.get("start")))


def current_status(raw: Mapping[str, Any]) -> str:
    """As :attr:`trygg.model.Measure.current_status`: the status field, else the newest logged one."""
    status = raw.get("status")
    if isinstance(status, str) and status.strip():
        return status.strip()
    log = raw.get("uppföljning")
    dated: list[tuple[date, str]] = []
    if isinstance(log, list):
        for entry in log:
            day = as_date(entry.get("datum")) if isinstance(entry, dict) else None
            if day is not None and isinstance(entry.get("status"), str):
                dated.append((day, entry["status"].strip()))
    if dated:
        return max(dated, key=lambda d: d[0])[1]
    return "ej påbörjad"


@dataclass
class Snapshot:
    """Measures and documents of one version, keyed by id (the first file wins on duplicates)."""

    files: dict[str, FileContent] = field(default_factory=dict)
    measures: dict[str, MeasureState] = field(default_factory=dict)
    documents: dict[str, DocHeader] = field(default_factory=dict)
    seasons: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def build(files: Mapping[str, FileContent], cache: dict[Any, Any] | None = None) -> Snapshot:
        """The snapshot of these file versions; ``cache`` (a parser's) keeps what each file yields."""
        snap = Snapshot(dict(files))
        config = files.get(CONFIG_NAME)
        if config is not None:
            settings = config.header.get("inställningar")
            seasons = settings.get("tidstolkning") if isinstance(settings, dict) else None
            if isinstance(seasons, dict):
                snap.seasons = {str(k): str(v) for k, v in seasons.items()}
        for path in sorted(files, key=lambda n: (n != CONFIG_NAME, n)):
            if path == CONFIG_NAME:
                continue
            content = files[path]
            key = (path, id(content), tuple(sorted(snap.seasons.items())))
            if cache is not None and key in cache:
                derived = cache[key][1]
            else:
                derived = _derive(path, content, snap.seasons, cache)
                if cache is not None:  # keep the content alive so that its id stays unique
                    cache[key] = (content, derived)
            header, states, names = derived
            for org_id, name in names:
                snap.names.setdefault(org_id, name)
            if header.id is not None and header.kind != "organisationer":
                snap.documents.setdefault(header.id, header)
            for state in states:
                snap.measures.setdefault(state.id, state)
        return snap

    def name(self, org_id: str) -> str:
        """The organisation's name in this version, or the id when the register does not know it."""
        return self.names.get(org_id, org_id)


def _derive(path: str, content: FileContent, seasons: Mapping[str, str], cache: dict[Any, Any] | None
            ) -> tuple[DocHeader, list[MeasureState], list[tuple[str, str]]]:
    """What one file version contributes to a snapshot: its header, measures and organisation names."""
    header = DocHeader.from_data(path, content.header)
    names: list[tuple[str, str]] = []
    if header.kind == "organisationer":
        for org in content.header.get("organisationer") or []:
            if isinstance(org, dict) and org.get("id") is not None and org.get("namn") is not None:
                names.append((str(org["id"]), str(org["namn"])))
        return header, [], names
    states = []
    context = (path, header.id, header.end, tuple(sorted(seasons.items())))
    for list_key, raw in content.items:
        # An unchanged item is the same (cached) object in every version: so is its state,
        # which lets the timeline skip comparing it.
        key = ("state", id(raw), list_key, context)
        if cache is not None and key in cache:
            state = cache[key][1]
        else:
            state = measure_state(raw, path, list_key, header, seasons)
            if cache is not None:
                cache[key] = (raw, state)
        if state is not None:
            states.append(state)
    return header, states, names
