"""Pydantic validation errors → located findings.

Pydantic reports a ``loc`` in alias terms (the Swedish keys) plus, for unions,
the names of union members. We keep the parts that exist in the YAML, group the
errors that land on one value, and say what is wrong in the user's words: the
unknown key with the nearest valid one, the missing field at its parent, the
impossible date with an example of the right form.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from trygg.findings import Finding, Severity, make
from trygg.load.loaded import LoadedYaml, Path_
from trygg.suggest import suggest

_PROBLEMS_SV = {
    "string_type": "förväntade text",
    "int_type": "förväntade ett heltal", "int_parsing": "förväntade ett heltal",
    "int_from_float": "förväntade ett heltal",
    "float_type": "förväntade ett tal", "float_parsing": "förväntade ett tal",
    "bool_type": "förväntade true eller false", "bool_parsing": "förväntade true eller false",
    "list_type": "förväntade en lista", "dict_type": "förväntade en mappning (nycklar med värden)",
    "model_type": "förväntade en mappning (nycklar med värden)",
    "model_attributes_type": "förväntade en mappning (nycklar med värden)",
    "trygg_id": "förväntade ett id (text)", "trygg_idlist": "förväntade ett id eller en lista med id",
    "string_pattern_mismatch": "har fel form",
    "greater_than_equal": "är för litet", "greater_than": "är för litet",
    "less_than_equal": "är för stort", "string_too_short": "får inte vara tomt",
    "literal_error": "är inte ett tillåtet värde", "enum": "är inte ett tillåtet värde",
}
_PROBLEMS_EN = {
    "string_type": "expected text", "int_type": "expected a whole number", "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number", "float_type": "expected a number",
    "float_parsing": "expected a number", "bool_type": "expected true or false",
    "bool_parsing": "expected true or false", "list_type": "expected a list",
    "dict_type": "expected a mapping (keys with values)", "model_type": "expected a mapping (keys with values)",
    "model_attributes_type": "expected a mapping (keys with values)",
    "trygg_id": "expected an id (text)", "trygg_idlist": "expected an id or a list of ids",
    "string_pattern_mismatch": "has the wrong form", "greater_than_equal": "is too small",
    "greater_than": "is too small", "less_than_equal": "is too large", "string_too_short": "must not be empty",
    "literal_error": "is not an allowed value", "enum": "is not an allowed value",
}


def validate(loaded: LoadedYaml, model: type[BaseModel], data: Any | None = None) -> tuple[BaseModel | None, list[Finding]]:
    """Validate the loaded data against ``model``; every error becomes a located finding."""
    data = loaded.data if data is None else data
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, errors_to_findings(loaded, model, exc.errors(include_url=False))


def _clean_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Path_, bool]:
    """Keep the loc parts that index into ``data``; say whether the last part was a missing key."""
    path: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and i == len(loc) - 1:
            path.append(part)
            return tuple(path), True
        # else: a union member's name or a normalised list index: skip it
    return tuple(path), False


def errors_to_findings(loaded: LoadedYaml, model: type[BaseModel], errors: list[Any]) -> list[Finding]:
    groups: dict[Path_, list[dict[str, Any]]] = {}
    order: list[Path_] = []
    findings: list[Finding] = []
    for err in errors:
        etype = err["type"]
        path, missing = _clean_loc(loaded.data, tuple(err["loc"]))
        if etype == "missing" or (missing and etype != "extra_forbidden"):
            key = str(err["loc"][-1])
            findings.append(make("S103", Severity.ERROR, loaded.location(path[:-1], key=True), key=key))
            continue
        if etype == "invalid_key":  # a number (or other non-text) where a key's name should be
            etype = "extra_forbidden"
        if etype == "extra_forbidden":
            key = str(path[-1]) if path else str(err["loc"][-1])
            allowed = allowed_keys(model, path[:-1])
            args: dict[str, Any] = {"key": key, "allowed": ", ".join(allowed)}
            hint = suggest(key, allowed)
            if hint:
                args["suggestion"] = hint
            findings.append(make("S102", Severity.ERROR, loaded.location(path, key=True), **args))
            continue
        if path not in groups:
            groups[path] = []
            order.append(path)
        groups[path].append(err)
    for path in order:
        findings.append(_value_finding(loaded, path, groups[path]))
    return findings


def _value_finding(loaded: LoadedYaml, path: Path_, errs: list[dict[str, Any]]) -> Finding:
    key = _key_name(path)
    value = errs[0].get("input")
    location = loaded.location(path)
    types_ = [e["type"] for e in errs]
    expected: list[str] = []
    for e in errs:
        ctx = e.get("ctx") or {}
        if e["type"] in ("enum", "literal_error") and "expected" in ctx:
            expected.extend(x.strip().strip("'") for x in str(ctx["expected"]).replace(" or ", ", ").split(","))
    if "trygg_date" in types_ and not expected:
        args: dict[str, Any] = {"key": key, "value": value}
        example = _date_example(value)
        if example:
            args["example"] = example
        return make("S105", Severity.ERROR, location, **args)
    if "trygg_time" in types_:
        return make("S107", Severity.ERROR, location, key=key, value=value)
    if expected:
        wants = "ett datum (ÅÅÅÅ-MM-DD) eller " if "trygg_date" in types_ else ""
        args = {"key": key, "value": value,
                "problem": f"'{value}' är inte tillåtet",
                "problem_en": f"'{value}' is not allowed",
                "expected": f"Tillåtet: {wants}{', '.join(repr(x) for x in expected)}."}
        hint = suggest(str(value), expected)
        if hint:
            args["suggestion"] = hint
        return make("S104", Severity.ERROR, location, **args)
    etype = types_[0]
    problem = _PROBLEMS_SV.get(etype, errs[0].get("msg", etype))
    problem_en = _PROBLEMS_EN.get(etype, errs[0].get("msg", etype))
    if etype == "string_pattern_mismatch":
        pattern = (errs[0].get("ctx") or {}).get("pattern", "")
        problem += f" (mönster {pattern})"
        problem_en += f" (pattern {pattern})"
    return make("S104", Severity.ERROR, location, key=key, value=value, problem=problem,
                problem_en=problem_en, expected="")


def _key_name(path: Path_) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "(dokumentet)"


def _date_example(value: Any) -> str | None:
    """Turn '31/12/2025' or '31.12.2025' into '2025-12-31' when that is what was meant."""
    import re
    from datetime import date

    text = str(value).strip()
    m = re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            return None
    return None


# ---- finding the model that sits at a YAML path, for "valid keys here" ----------------------


def _candidates(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(_candidates(arg))
        return out
    return [tp]


def _step(tp: Any, part: Any) -> Any:
    for cand in _candidates(tp):
        origin = typing.get_origin(cand)
        if isinstance(cand, type) and issubclass(cand, BaseModel) and isinstance(part, str):
            for name, field in cand.model_fields.items():
                if (field.alias or name) == part:
                    return field.annotation
        if origin in (list, tuple) and isinstance(part, int):
            return typing.get_args(cand)[0]
        if origin is dict:
            return typing.get_args(cand)[1]
    return None


def model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    tp: Any = model
    for part in path:
        tp = _step(tp, part)
        if tp is None:
            return None
    for cand in _candidates(tp):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def allowed_keys(model: type[BaseModel], path: Path_) -> list[str]:
    target = model_at(model, path)
    if target is None:
        return []
    return [field.alias or name for name, field in target.model_fields.items()]
