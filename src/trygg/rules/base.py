"""What every rule needs: the :class:`Rule` record, the :func:`rule` decorator and the
:class:`Context` that gives rules the repository in the terms they reason in (measures
with their documents, due dates resolved, organisations by id)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache, cached_property
from typing import Any, NamedTuple

from trygg.findings import Finding, Location, Severity, make
from trygg.load.loaded import Path_
from trygg.model.config import Settings
from trygg.model.documents import Agreement, Document, Plan
from trygg.model.measure import Measure
from trygg.model.org import Organisation
from trygg.model.types import Status, UntilFurtherNotice
from trygg.repo import Repository, SourceFile
from trygg.timeexpr import last_day

CheckFn = Callable[["Context"], Iterable[Finding]]
_CLOSED = frozenset((Status.DONE, Status.CANCELLED))
# Asked about a file's whole text: can a value in it hold what a rule seeks?
TextTest = Callable[[str], bool]

FAMILIES = {
    "A": ("Ansvar", "Responsibility"),
    "T": ("Tid", "Time"),
    "K": ("Täckning", "Knowledge-based coverage"),
    "L": ("Lagkrav 2023:196", "Legal duties 2023:196"),
    "P": ("Personuppgifter", "Personal data"),
    "N": ("Undantag", "Suppressions"),
}


# Rule and Suppression are NamedTuples and MeasureRef a plain class, not dataclasses: making a
# dataclass costs about 4 M instructions (it compiles each generated method), a NamedTuple a
# fifth of that, and these three were most of what importing the rules cost.
class Rule(NamedTuple):
    code: str
    severity: Severity
    check: CheckFn

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


def rule(code: str, severity: Severity) -> Callable[[CheckFn], Rule]:
    """Turn a documented check function into a :class:`Rule`."""

    def wrap(fn: CheckFn) -> Rule:
        return Rule(code, severity, fn)

    return wrap


class MeasureRef:
    """A measure where it stands: its document, file, YAML path and section.

    Compared and hashed by identity: there is one per measure in a run, and the
    :class:`Context` remembers by it what it has worked out about the measure.
    """

    __slots__ = ("document", "file", "measure", "path", "section")

    def __init__(self, measure: Measure, document: Document, file: SourceFile, path: Path_,
                 section: str) -> None:
        self.measure = measure
        self.document = document
        self.file = file
        self.path = path
        self.section = section  # "åtgärder" or "medborgarlöften"

    def location(self, *keys: str | int) -> Location:
        return self.file.loaded.location(self.path + keys)


class Context:
    """The repository as rules see it. One per run; derived data is computed once."""

    def __init__(self, repo: Repository, today: date, settings: Settings | None = None) -> None:
        self.repo = repo
        self.today = today
        self.settings = settings or Settings()
        self.thresholds = self.settings.thresholds
        # (suppression, code) pairs that suppressed a finding; set before the N rules run
        self.used_suppressions: set[Any] = set()
        self._texts_matching: dict[tuple[re.Pattern[str], TextTest | None],
                                   list[tuple[SourceFile, Path_, str]]] = {}
        # (klart_senast, plan end) → last day, and each measure's: the time rules ask for every
        # measure's due date and status several times, the ansvar rules for its owners
        self._due: dict[tuple[str, date | None], date | None] = {}
        self._due_of: dict[MeasureRef, date | None] = {}
        self._owners_of: dict[MeasureRef, list[tuple[int, Organisation]]] = {}
        self._status_of: dict[MeasureRef, Status] = {}

    # ---- findings ---------------------------------------------------------------------------
    def finding(self, code: str, location: Location, **args: Any) -> Finding:
        from trygg.rules import REGISTRY

        return make(code, REGISTRY[code].severity, location, **args)

    # ---- documents and measures ---------------------------------------------------------------
    @cached_property
    def documents(self) -> list[tuple[SourceFile, Document]]:
        return [(f, f.model) for f in self.repo.documents() if isinstance(f.model, Document)]

    @cached_property
    def measures(self) -> list[MeasureRef]:
        out = []
        for file, doc in self.documents:
            if isinstance(doc, Plan):
                for i, m in enumerate(doc.measures):
                    out.append(MeasureRef(m, doc, file, ("åtgärder", i), "åtgärder"))
            if isinstance(doc, Agreement):
                for i, m in enumerate(doc.measures):
                    out.append(MeasureRef(m, doc, file, ("åtgärder", i), "åtgärder"))
                for i, m in enumerate(doc.promises):
                    out.append(MeasureRef(m, doc, file, ("medborgarlöften", i), "medborgarlöften"))
        return out

    @cached_property
    def text_values(self) -> list[tuple[SourceFile, Path_, str]]:
        """Every string value of every file with its path."""
        return [(file, path, text) for file in self.repo.files if file.loaded.data is not None
                for path, text in iter_strings(file.loaded.data)]

    def texts_matching(self, pattern: re.Pattern[str], in_text: TextTest | None = None,
                       ) -> list[tuple[SourceFile, Path_, str]]:
        """The string values in which ``pattern`` is found, in :attr:`text_values` order.

        Gathered once per pattern for the text-scanning rules: a repository holds tens of
        thousands of strings and only a few can hold what they seek, so only those get a path
        built. ``in_text``, when given, is first asked about each file's whole text, and a file
        it says no to is not walked at all: it must say yes to the text of every file in which a
        value matches (see :func:`written_plainly` for what a text shows of its values).
        """
        key = (pattern, in_text)
        found = self._texts_matching.get(key)
        if found is None:
            found = self._texts_matching[key] = [
                (file, path, text) for file in self.repo.files
                if file.loaded.data is not None and (in_text is None or in_text(file.loaded.text))
                for path, text in strings_matching(file.loaded.data, pattern.search)]
        return found

    @cached_property
    def organisations(self) -> dict[str, Organisation]:
        """Organisation id → the organisation, for the rules' thousand lookups."""
        return {id_: e.obj for id_, e in self.repo.entities.get("org", {}).items()
                if isinstance(e.obj, Organisation)}

    def org(self, id_: str) -> Organisation | None:
        return self.organisations.get(id_)

    def owners(self, ref: MeasureRef) -> list[tuple[int, Organisation]]:
        """The measure's owners that are in the register, with their place in ``ansvarig``."""
        owners = self._owners_of.get(ref)
        if owners is None:
            get = self.organisations.get
            owners = self._owners_of[ref] = [(i, o) for i, oid in enumerate(ref.measure.owner)
                                             if (o := get(oid)) is not None]
        return owners

    @staticmethod
    def valid_from(doc: Document) -> date | None:
        if doc.validity and doc.validity.start:
            return doc.validity.start
        return doc.decision.date if doc.decision else None

    @staticmethod
    def valid_to(doc: Document) -> date | None:
        if doc.validity and isinstance(doc.validity.end, date):
            return doc.validity.end
        return None

    @staticmethod
    def until_further_notice(doc: Document) -> bool:
        return bool(doc.validity and doc.validity.end is UntilFurtherNotice.UNTIL_FURTHER_NOTICE)

    def due(self, ref: MeasureRef) -> date | None:
        """The last day of the measure's klart_senast; None for 'löpande' or none given."""
        try:
            return self._due_of[ref]
        except KeyError:
            pass
        due = None
        if ref.measure.due is not None:
            key = (ref.measure.due, self.valid_to(ref.document))
            if key not in self._due:
                self._due[key] = last_day(key[0], plan_end=key[1], seasons=self.settings.seasons)
            due = self._due[key]
        self._due_of[ref] = due
        return due

    def status(self, ref: MeasureRef) -> Status:
        """The measure's current status (its own, else the newest followed up), worked out once."""
        status = self._status_of.get(ref)
        if status is None:
            status = self._status_of[ref] = ref.measure.current_status
        return status

    def is_closed(self, ref: MeasureRef) -> bool:
        return self.status(ref) in _CLOSED

    def is_late(self, ref: MeasureRef) -> bool:
        due = self.due(ref)
        return due is not None and due < self.today and not self.is_closed(ref)

    def replaced_ids(self) -> dict[str, str]:
        """Document id → the id of the document that replaces it."""
        out: dict[str, str] = {}
        for _file, doc in self.documents:
            for old in doc.replaces:
                out.setdefault(old, doc.id)
        return out


def compiled_when_used(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled when first asked for rather than on import.

    Compiling one costs 0.5-2.5 M instructions, and the rules that look closely at a value (is
    this a personnummer, a private e-mail address?) do so only in the rare repository where a
    cheaper test found a candidate.
    """
    return cache(lambda: re.compile(pattern, flags))


def written_plainly(text: str) -> bool:
    """Whether each string value read from ``text`` (a whole YAML file) stands in it as written,
    except for whitespace, so that a rule may search the text before walking the values.

    Only a double-quoted scalar's escapes write a character as something else (``\\x40`` is
    '@', ``\\u0037`` is '7', a backslash at the end of a line joins it to the next one), and
    every escape starts with a backslash. Without one, a string value is a stretch of the text
    in which a run of whitespace holding line breaks became a space or line breaks (folding; a
    block scalar's indentation goes) and a single-quoted ``''`` became ``'``: characters
    side by side in a value are side by side in the text, and one whitespace character between
    two in a value is one or more in the text. Nothing more can be said of an empty text (a
    :class:`LoadedYaml` built by hand) or of one with a backslash anywhere.
    """
    return bool(text) and "\\" not in text


def strings_matching(data: Any, test: Callable[[str], Any]) -> list[tuple[Path_, str]]:
    """The string values in raw YAML data for which ``test`` is true, with their paths, in
    :func:`iter_strings` order; a path is built only for a container or a match."""
    if isinstance(data, str):
        return [((), data)] if test(data) else []
    found: list[tuple[Path_, str]] = []

    def walk(node: Any, path: Path_) -> None:
        for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str):
                if test(value):
                    found.append((path + (key,), value))
            elif isinstance(value, (dict, list)):
                walk(value, path + (key,))

    if isinstance(data, (dict, list)):
        walk(data, ())
    return found


def iter_strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string value in raw YAML data with its path (for text-scanning rules)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from iter_strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from iter_strings(v, path + (i,))
