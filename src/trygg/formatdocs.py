"""docs/format.md: every key of every document, generated from the models.

Officials read this, so types are told in words ("datum (ÅÅÅÅ-MM-DD)", "id eller lista
av id", "ett av: grön, gul, röd") and every nested part (Åtgärd, Uppföljning …) has a
section of its own. A test fails when the file is stale.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from trygg.model import ALL_TYPES, ProjectConfig
from trygg.model.types import Datum, Id, IdList, Text, Tidpunkt

INTRO = {
    "trygg.yaml": "Arkivets rotfil: kommunen och inställningarna för kontrollerna.",
    "policy": "Beslutas av kommunfullmäktige: värdegrund, syfte, prioriteringar och roller; gäller oftast tills vidare.",
    "strategi": "Beslutas av kommunstyrelsen: en begränsad period, fokusområden och inriktningar, ansvar och uppföljning.",
    "riktlinjer": "Roller och arbetsmodell (t.ex. EST) med rytmen för uppföljning och rapportering.",
    "program": "Prioriterade områden och insatser, var och en med ansvarig och samverkansparter.",
    "samverkansöverenskommelse": "Kommunen och lokalpolisområdet: parter, period, fokusproblem, medborgarlöften och gemensamma åtgärder.",
    "lägesbild": "Kartläggning och analys av brottsligheten (4 § lag 2023:196): problem, orsaker och källor.",
    "åtgärdsplan": "Åtgärder utifrån lägesbilden, kopplade till problem, orsaker och fokusområden.",
    "organisationer": "Alla aktörer som kan vara ansvariga eller samverkansparter: nämnder, förvaltningar, bolag, råd, roller, externa aktörer.",
}
_BY_VALIDATOR = {"_parse_id": "id", "_id_list": "id eller lista av id", "_parse_date": "datum (ÅÅÅÅ-MM-DD)",
                 "_time": "tidpunkt (datum, år, 'våren 2026', 'Q2 2026', 'löpande' …)", "_text": "text",
                 "_municipality_code": "fyra siffror"}

_NAMES = {
    "ProjectConfig": "trygg.yaml", "Settings": "Inställningar", "RuleSettings": "Regelinställningar",
    "Thresholds": "Gränser", "OrganisationRegister": "Organisationsregister", "Organisation": "Organisation",
    "Period": "Giltighet/period", "Decision": "Beslut", "Measure": "Åtgärd", "FollowUp": "Uppföljning",
    "Indicator": "Indikator", "Value": "Värde", "Role": "Roll", "Heading": "Rubrik (fokusområde, inriktning, prioritering)",
    "Cadence": "Rytm", "Problem": "Problem", "Cause": "Orsak", "Source": "Källa", "Signatory": "Undertecknare",
}


def _section(model: type[BaseModel]) -> str:
    return _NAMES.get(model.__name__, model.__name__)


def _anchor(model: type[BaseModel]) -> str:
    return _section(model).split(" (")[0].lower().replace("/", "").replace(".", "").replace(" ", "-")


def _describe(tp: Any, nested: list[type[BaseModel]]) -> str:
    for known, words in ((Datum, "datum (ÅÅÅÅ-MM-DD)"), (IdList, "id eller lista av id"), (Id, "id"),
                         (Tidpunkt, "tidpunkt (datum, år, 'våren 2026', 'Q2 2026', 'löpande' …)"), (Text, "text")):
        if tp == known:
            return words
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _describe(typing.get_args(tp)[0], nested)
    if origin is typing.Union or origin is types.UnionType:
        parts = [_describe(a, nested) for a in typing.get_args(tp) if a is not type(None)]
        return " eller ".join(parts)
    if origin is list:
        return "lista av " + _describe(typing.get_args(tp)[0], nested)
    if origin is dict:
        k, v = typing.get_args(tp)
        return f"mappning {_describe(k, nested)} → {_describe(v, nested)}"
    if origin is typing.Literal:
        return " / ".join(f"`{a}`" for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "ett av: " + ", ".join(f"`{m.value}`" for m in tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp not in nested:
            nested.append(tp)
        return f"[{_section(tp)}](#{_anchor(tp)})"
    return {str: "text", int: "heltal", float: "tal", bool: "`true` eller `false`"}.get(tp, str(tp))


def _field_type(field: Any, nested: list[type[BaseModel]]) -> str:
    """Pydantic moves a field's own Annotated metadata out of the annotation; read it back."""
    for meta in field.metadata:
        func = getattr(meta, "func", None)
        if func is not None and getattr(func, "__name__", "") in _BY_VALIDATOR:
            return _BY_VALIDATOR[func.__name__]
    return _describe(field.annotation, nested)


def _table(model: type[BaseModel], nested: list[type[BaseModel]]) -> list[str]:
    rows = ["| nyckel | värde | krävs | beskrivning |", "|---|---|---|---|"]
    fields = sorted(model.model_fields.items(), key=lambda kv: (kv[1].alias or kv[0]) != "typ")
    for name, field in fields:
        key = field.alias or name
        required = "ja" if field.is_required() else ""
        desc = (field.description or "").replace("|", "\\|")
        kind = _field_type(field, nested).replace("|", "\\|")
        rows.append(f"| `{key}` | {kind} | {required} | {desc} |")
    return rows


def format_markdown() -> str:
    out = ["# Filformat / File format", "",
           "Genererad från modellerna med `trygg schema --markdown > docs/format.md`; ändra inte för hand. "
           "Varje fil har också ett JSON Schema i `schemas/` som redigerare använder.", ""]
    nested: list[type[BaseModel]] = []
    top: list[tuple[str, str, type[BaseModel]]] = [("trygg.yaml", "trygg.yaml", ProjectConfig)]
    top += [(kind, f"typ: {kind}", model) for kind, model in ALL_TYPES.items()]
    for kind, title, model in top:
        out += [f"## {title}", "", INTRO[kind], ""]
        out += _table(model, nested) + [""]
    out += ["## Delar / Parts", ""]
    done: set[type[BaseModel]] = set()
    while nested:
        model = nested.pop(0)
        if model in done:
            continue
        done.add(model)
        out += [f"### {_section(model)}", ""]
        out += _table(model, nested) + [""]
    return "\n".join(out).rstrip() + "\n"
