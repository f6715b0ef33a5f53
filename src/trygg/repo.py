"""A municipality repository: find trygg.yaml, load every document, resolve ids.

Loading never stops at the first problem: each file is read, parsed and
validated on its own, and every finding is collected. Ids are then indexed per
kind (organisations, documents, measures, focus areas, problems …) across the
whole repository and every reference is resolved, with the nearest existing id
suggested when one is unknown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trygg.findings import Finding, Location, Severity, make
from trygg.load.text import printable_path
from trygg.messages.catalogue import ENTITY_KINDS
from trygg.pydantic_plugins import without_pydantic_plugins
from trygg.suggest import suggest

if TYPE_CHECKING:  # pydantic is imported only when documents are validated (not on a cached run)
    from pydantic import BaseModel

    from trygg.cache import SourceBytes
    from trygg.load.loaded import LoadedYaml, Path_

CONFIG_NAME = "trygg.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = {"node_modules", "__pycache__", "venv", ".venv"}


class RepositoryNotFound(Exception):
    """Raised by :func:`find_root` when no trygg.yaml is at or above the path (a user error)."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass
class SourceFile:
    """One YAML file of the repository, as read and (when valid) as a model."""

    path: str
    loaded: LoadedYaml
    kind: str | None = None
    model: BaseModel | None = None


@dataclass
class Entity:
    """Something with an id: where it is defined and what it is."""

    kind: str
    id: str
    obj: Any
    file: SourceFile
    path: Path_

    @property
    def location(self) -> Location:
        return self.file.loaded.location(self.path + ("id",))


@dataclass
class Reference:
    kind: str
    id: str
    key: str
    file: SourceFile
    path: Path_
    owner: Any  # the model object that holds the reference

    @property
    def location(self) -> Location:
        return self.file.loaded.location(self.path)


@dataclass
class Repository:
    root: Path
    config_file: SourceFile | None = None
    files: list[SourceFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    entities: dict[str, dict[str, Entity]] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    @property
    def config(self) -> Any:
        return self.config_file.model if self.config_file else None

    def documents(self, kind: str | None = None) -> Iterator[SourceFile]:
        for f in self.files:
            if f.model is not None and f.kind not in (None, "organisationer") and (kind is None or f.kind == kind):
                yield f

    def get(self, kind: str, id_: str) -> Entity | None:
        return self.entities.get(kind, {}).get(id_)

    def all(self, kind: str) -> list[Entity]:
        return list(self.entities.get(kind, {}).values())


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding trygg.yaml."""
    start = start.resolve()
    try:
        current = start if start.is_dir() else start.parent
    except OSError:
        current = start.parent
    for candidate in (current, *current.parents):
        try:
            if (candidate / CONFIG_NAME).is_file():
                return candidate
        except OSError:  # a directory we may not search: look further up
            continue
    raise RepositoryNotFound(start)


def discover(root: Path, unreadable: list[tuple[Path, OSError]] | None = None) -> list[Path]:
    """Every YAML file that belongs to the repository at ``root``.

    Hidden files and directories, ``SKIP_DIRS`` and nested repositories (a directory with its
    own trygg.yaml) are skipped; so is anything that is neither a directory nor a regular file.
    Links to directories are never followed. A link to a file is read only when its target is a
    file inside the repository that is not also found under its own name (it would be read, and
    its ids defined, twice); loops and links out of the repository are skipped. The walk keeps
    its own stack (``os.walk`` recurses on Python < 3.12, so a very deep tree crashed it) and
    never raises: a directory that cannot be listed goes to ``unreadable`` with its error.
    """
    root = root.resolve()
    found: list[Path] = []
    links: list[Path] = []
    stack = [root]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except FileNotFoundError:  # removed while we walked: nothing left to check
            continue
        except OSError as exc:
            if unreadable is not None:
                unreadable.append((here, exc))
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not os.path.exists(os.path.join(entry.path, CONFIG_NAME)):
                        subdirs.append(Path(entry.path))
                elif name.endswith(YAML_SUFFIXES):
                    if entry.is_symlink():
                        links.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        found.append(Path(entry.path))
            except OSError:  # vanished or cannot be examined: as if it were not there
                continue
        stack.extend(reversed(subdirs))
    real = set(found)
    for link in links:
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link or a loop
            continue
        if root in target.parents and os.path.isfile(target) and target not in real:
            real.add(target)
            found.append(link)
    config = str(root / CONFIG_NAME)
    cut = len(str(root))  # every path found starts with root: sort by the rest, as text
    found.sort(key=lambda p: (str(p) != config, str(p)[cut:]))
    return found


def load_repository(path: Path | str) -> Repository:
    """Load, validate and index the repository at or above ``path``."""
    root = find_root(Path(path))
    unreadable: list[tuple[Path, OSError]] = []
    from trygg.load.fast import read_yaml

    sources = [read_yaml(file, file.relative_to(root).as_posix()) for file in discover(root, unreadable)]
    repo = build_repository(root, sources)
    repo.findings.extend(unreadable_findings(root, unreadable))
    return repo


def unreadable_findings(root: Path, unreadable: list[tuple[Path, OSError]]) -> list[Finding]:
    """Directories that could not be listed: their documents are missing, so say so (Y117)."""
    out = []
    for directory, exc in unreadable:
        where = printable_path(directory.relative_to(root).as_posix() + "/")
        out.append(make("Y117", Severity.ERROR, Location(where), reason=exc.strerror or str(exc)))
    return out


def load_from_blobs(root: Path, blobs: dict[str, bytes]) -> Repository:
    """A repository from file contents (e.g. one git commit): relative POSIX path → bytes.

    The caller chooses the files (as :func:`discover` would: trygg.yaml and every
    other ``*.yaml``/``*.yml`` outside hidden directories and nested repositories).
    """
    from trygg.load.fast import parse_bytes

    names = sorted(blobs, key=lambda n: (n != CONFIG_NAME, n))
    return build_repository(root, [parse_bytes(blobs[n], n) for n in names])


# A document's declared type, read from its bytes before any parse: only to prepare validators.
_DECLARED_KIND = re.compile(rb"^typ:[ \t]*[\"']?([^\s\"'#]+)", re.MULTILINE)


def prepare_validators(sources: Iterable[SourceBytes]) -> None:
    """Build, ahead of validation, the validators of the document types the files declare.

    Pydantic builds a model's validator on its first use; doing it while another process
    parses the files takes it off the critical path. A wrong guess costs only time.
    """
    from trygg.model import ALL_TYPES, ProjectConfig

    wanted: dict[str, type[BaseModel]] = {}
    for source in sources:
        if source.display == CONFIG_NAME:
            wanted["config"] = ProjectConfig
        elif source.data is not None and (match := _DECLARED_KIND.search(source.data)):
            kind = match.group(1).decode("utf-8", "replace")
            if kind in ALL_TYPES:
                wanted[kind] = ALL_TYPES[kind]
    with without_pydantic_plugins():
        for model in wanted.values():
            model.model_rebuild()


def build_repository(root: Path, sources: Iterable[LoadedYaml]) -> Repository:
    """Validate parsed files against their models, then index ids and resolve references.

    ``sources`` is iterated once, so each file can be validated as soon as it is parsed."""
    from trygg.model import ALL_TYPES, ProjectConfig
    from trygg.validate import validate

    repo = Repository(root)
    with without_pydantic_plugins():
        for loaded in sources:
            source = SourceFile(loaded.path, loaded)
            repo.files.append(source)
            repo.findings.extend(loaded.findings)
            if loaded.data is None:
                continue
            if loaded.path == CONFIG_NAME:
                repo.config_file = source
                source.kind = "trygg.yaml"
                source.model, problems = validate(loaded, ProjectConfig)
                repo.findings.extend(problems)
                continue
            kind = _document_kind(loaded, ALL_TYPES, repo.findings)
            if kind is None:
                continue
            source.kind = kind
            source.model, problems = validate(loaded, ALL_TYPES[kind])
            repo.findings.extend(problems)
    _resolve(repo, _index(repo))
    return repo


def _document_kind(loaded: LoadedYaml, types: dict[str, Any], findings: list[Finding]) -> str | None:
    allowed = ", ".join(types)
    if "typ" not in loaded.data:
        findings.append(make("S106", Severity.ERROR, loaded.location(()), allowed=allowed))
        return None
    value = loaded.data["typ"]
    if isinstance(value, str) and value in types:
        return value
    args: dict[str, Any] = {"value": value, "allowed": allowed}
    hint = suggest(str(value), types)
    if hint:
        args["suggestion"] = hint
    findings.append(make("S101", Severity.ERROR, loaded.location(("typ",)), **args))
    return None


# ---- indexing and resolving ------------------------------------------------------------------

# (model class name, field name) → the kind of entity the field defines or references
_DEFINES = {
    ("OrganisationRegister", "organisations"): "org",
    ("*", "measures"): "measure",
    ("Agreement", "promises"): "measure",
    ("*", "focus_areas"): "focus",
    ("*", "directions"): "direction",
    ("Policy", "priorities"): "priority",
    ("*", "problems"): "problem",
    ("Agreement", "focus_problems"): "problem",
    ("Problem", "causes"): "cause",
}
_REFERS = {
    ("Measure", "owner"): "org", ("Measure", "partners"): "org",
    ("Measure", "focus_areas"): "focus", ("Measure", "directions"): "direction",
    ("Measure", "problems"): "problem", ("Measure", "causes"): "cause",
    ("Decision", "body"): "org", ("*", "document_owner"): "org", ("*", "replaces"): "document",
    ("*", "applies_to"): "org", ("*", "coordination"): "org", ("Role", "organisation"): "org",
    ("ActionPlan", "based_on"): "document", ("ActionPlan", "implements"): "document",
    ("Agreement", "parties"): "org", ("Signatory", "organisation"): "org",
    ("Heading", "focus_area"): "focus", ("Cadence", "forum"): "org", ("Cadence", "responsible"): "org",
    ("FollowUp", "reported_by"): "org", ("Organisation", "serves"): "org",
    ("Organisation", "part_of"): "org", ("Organisation", "members"): "org",
}


def _lookup(table: dict[tuple[str, str], str], cls: str, name: str) -> str | None:
    return table.get((cls, name)) or table.get(("*", name))


def _is_model(value: Any) -> bool:
    kind = type(value)
    known = _IS_MODEL.get(kind)
    if known is None:  # pydantic's model_fields is a descriptor: asking each time costs (issue 5)
        known = _IS_MODEL[kind] = hasattr(kind, "model_fields")
    return known


_IS_MODEL: dict[type, bool] = {}


def walk_models(obj: BaseModel, path: Path_) -> Iterator[tuple[BaseModel, str, str, Any, Path_]]:
    """Every (model, field name, alias, value, YAML path) below ``obj``, depth first."""
    for name, info in type(obj).model_fields.items():
        value = getattr(obj, name)
        alias = info.alias or name
        here = path + (alias,)
        yield obj, name, alias, value, here
        if _is_model(value):
            yield from walk_models(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if _is_model(item):
                    yield from walk_models(item, here + (i,))


_RAW_DEFINES = {"organisationer": "org", "åtgärder": "measure", "medborgarlöften": "measure",
                "fokusområden": "focus", "inriktningar": "direction", "prioriteringar": "priority",
                "problem": "problem", "fokusproblem": "problem", "orsaker": "cause"}


def _index_raw(repo: Repository, source: SourceFile, data: Any, path: Path_) -> None:
    """Ids of a document that failed validation, so that references into it do not cascade."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        kind = _RAW_DEFINES.get(key) if isinstance(key, str) else None
        if not isinstance(value, list):
            continue
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            if kind and isinstance(item.get("id"), (str, int)) and not isinstance(item.get("id"), bool):
                _define(repo, kind, str(item["id"]), None, source, path + (key, i))
            _index_raw(repo, source, item, path + (key, i))


def _index(repo: Repository) -> list[Reference]:
    """Define every id, in file order, and gather every reference on the same walk.

    References are resolved only after all files are indexed (:func:`_resolve`), so a
    reference may point forward; the walk visits fields in declaration order, defining a
    list's ids before descending into its items, as :func:`walk_models` yields them.
    """
    references: list[Reference] = []
    for source in repo.files:
        if source.kind == "trygg.yaml" or source.kind is None:
            continue
        if source.model is None:
            data = source.loaded.data
            if source.kind != "organisationer" and isinstance(data.get("id"), (str, int)):
                _define(repo, "document", str(data["id"]), None, source, ())
            _index_raw(repo, source, data, ())
            continue
        if source.kind != "organisationer":
            doc_id = getattr(source.model, "id", None)
            _define(repo, "document", str(doc_id), source.model, source, ())
        _walk(repo, source, source.model, (), references)
    return references


@dataclass(frozen=True)
class _FieldPlan:
    """What the index does with one field of one model class, worked out once per class."""

    name: str
    alias: str
    defines: str | None  # the kind of entity a list in this field defines
    refers: str | None  # the kind of entity this field's ids refer to
    descend: bool  # whether a value here can be, or be a list holding, a model


_PLANS: dict[type, tuple[_FieldPlan, ...]] = {}


def _plan(cls: type[BaseModel]) -> tuple[_FieldPlan, ...]:
    """The fields of ``cls`` the index must look at; fields of plain values are left out."""
    plan = _PLANS.get(cls)
    if plan is None:
        fields = []
        for name, info in cls.model_fields.items():
            defines = _lookup(_DEFINES, cls.__name__, name)
            refers = _lookup(_REFERS, cls.__name__, name)
            descend = _admits_model(info.annotation)
            if defines or refers or descend:
                fields.append(_FieldPlan(name, info.alias or name, defines, refers, descend))
        plan = _PLANS[cls] = tuple(fields)
    return plan


def _admits_model(tp: Any, in_list: bool = False) -> bool:
    """Whether a value of annotation ``tp`` can be a model or (outside a list) a list of models.

    These are exactly the values :func:`walk_models` descends into. Anything this cannot
    read (``Any``, a forward reference, an unknown construct) counts as yes.
    """
    import types
    import typing

    from pydantic import BaseModel

    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _admits_model(typing.get_args(tp)[0], in_list)
    if origin is typing.Union or origin is types.UnionType:
        return any(_admits_model(arg, in_list) for arg in typing.get_args(tp))
    if isinstance(tp, type) and origin is None:
        return issubclass(tp, BaseModel)
    if origin is list:
        args = typing.get_args(tp)
        return not in_list and (not args or _admits_model(args[0], True))
    if origin in (dict, tuple, set, frozenset, typing.Literal):
        return False  # walk_models never looks inside these
    return True


def _walk(repo: Repository, source: SourceFile, obj: BaseModel, path: Path_,
          references: list[Reference]) -> None:
    """One model: define the ids its lists hold, note its references, then its children."""
    values = obj.__dict__
    for plan in _PLANS.get(type(obj)) or _plan(type(obj)):
        value = values[plan.name]
        if value is None:
            continue
        here = path + (plan.alias,)
        if plan.defines and isinstance(value, list):
            for i, item in enumerate(value):
                if _is_model(item) and hasattr(item, "id"):
                    _define(repo, plan.defines, str(item.id), item, source, here + (i,))
        if plan.refers:
            if isinstance(value, list):
                for i, ref in enumerate(value):
                    if isinstance(ref, str):
                        references.append(Reference(plan.refers, ref, plan.alias, source, here + (i,), obj))
            elif isinstance(value, str):
                references.append(Reference(plan.refers, value, plan.alias, source, here, obj))
        if plan.descend:
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if _is_model(item):
                        _walk(repo, source, item, here + (i,), references)
            elif _is_model(value):
                _walk(repo, source, value, here, references)


def _define(repo: Repository, kind: str, id_: str, obj: Any, source: SourceFile, path: Path_) -> None:
    table = repo.entities.setdefault(kind, {})
    entity = Entity(kind, id_, obj, source, path)
    if id_ in table:
        first = table[id_]
        repo.findings.append(make("R101", Severity.ERROR, entity.location, id=id_,
                                  kind=ENTITY_KINDS[kind]["sv"][0].capitalize(),
                                  kind_en=ENTITY_KINDS[kind]["en"][0].capitalize(),
                                  first=str(first.location), related=(first.location,)))
        return
    table[id_] = entity


def _resolve(repo: Repository, references: list[Reference]) -> None:
    """Record the references and report each whose id no file defines."""
    repo.references.extend(references)
    for reference in references:
        if reference.id not in repo.entities.get(reference.kind, {}):
            repo.findings.append(_unknown(repo, reference))


def _unknown(repo: Repository, ref: Reference) -> Finding:
    table = repo.entities.get(ref.kind, {})
    candidates = list(table)
    hint = suggest(ref.id, candidates)
    if hint is None and ref.kind == "org":  # a short name or alias was written instead of the id
        named = [e for e in table.values() if e.obj is not None]
        for entity in named:
            names = [entity.obj.short_name, entity.obj.name, *entity.obj.aliases]
            if any(n and n.lower() == ref.id.lower() for n in names):
                hint = entity.id
                break
        if hint is None:
            by_name = {n: e.id for e in named
                       for n in (e.obj.short_name, e.obj.name, *e.obj.aliases) if n}
            near = suggest(ref.id, by_name)
            hint = by_name[near] if near else None
    names, names_en = ENTITY_KINDS[ref.kind]["sv"], ENTITY_KINDS[ref.kind]["en"]
    args: dict[str, Any] = {"id": ref.id, "key": ref.key, "kind": names[1], "kind_en": names_en[1],
                            "where": names[2], "where_en": names_en[2]}
    if hint:
        args["suggestion"] = hint
    return make("R102", Severity.ERROR, ref.location, **args)
