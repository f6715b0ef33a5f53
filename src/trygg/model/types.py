"""Value types shared by every model: dates, ids, time expressions, Swedish enumerations.

Dates arrive as strings (YAML 1.2 has no timestamp type) and are parsed strictly:
``2025-13-01`` and ``31/12/2025`` are errors with a located, explained message.
Time expressions (``klart_senast``) keep the words officials write — ``våren
2020``, ``Q2 2025``, ``2019–2020``, ``löpande`` — and resolve to a last day in
:mod:`trygg.timeexpr`, where the choices are visible and configurable.
"""

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from trygg.timeexpr import TIME_PATTERN, parse_time_expression


class Lenient:
    """A value type that accepts more than its Python type: ``func`` turns what a document may
    hold (``json_schema``) into the value before pydantic checks the type.

    The same core schema as ``BeforeValidator(func), WithJsonSchema(json_schema)``, as one
    annotation whose function pydantic need not inspect for an info argument (``func`` takes
    none): cold validation of a 300-measure municipality, schema builds included, went from
    224 M to 211 M instructions. :mod:`trygg.formatdocs` names the type by ``func``.
    """

    __slots__ = ("func", "json_schema")

    def __init__(self, func: Callable[[Any], Any], json_schema: dict[str, Any]) -> None:
        self.func = func
        self.json_schema = json_schema

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.func, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return self.json_schema.copy()


DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATE = re.compile(DATE_PATTERN)


def _parse_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("trygg_date", "impossible date {value}", {"value": value}) from None
    raise PydanticCustomError("trygg_date", "not a date {value}", {"value": value})


Datum = Annotated[date, Lenient(_parse_date,
                                {"type": "string", "format": "date", "pattern": DATE_PATTERN})]


def _parse_id(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("trygg_id", "not an id {value}", {"value": value})
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise PydanticCustomError("trygg_id", "not an id {value}", {"value": value})


ID_SCHEMA = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}
Id = Annotated[str, Lenient(_parse_id, ID_SCHEMA)]


def _id_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [_parse_id(value)]
    if isinstance(value, list):
        return [_parse_id(v) for v in value]
    raise PydanticCustomError("trygg_idlist", "not an id or list {value}", {"value": value})


IdList = Annotated[list[str], Lenient(_id_list, {"anyOf": [ID_SCHEMA,
                                                          {"type": "array", "items": ID_SCHEMA},
                                                          {"type": "null"}]})]


def _time(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("trygg_time", "not a time {value}", {"value": value})
    text = str(value).strip()
    if parse_time_expression(text) is None:
        raise PydanticCustomError("trygg_time", "not a time {value}", {"value": value})
    return text


Tidpunkt = Annotated[str, Lenient(_time, {"anyOf": [
    {"type": "string", "pattern": TIME_PATTERN},
    {"type": "integer", "minimum": 1900, "maximum": 2200}]})]


def _text(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, Lenient(_text, {"anyOf": [{"type": "string"}, {"type": "number"}]})]

TEXT_LIST_SCHEMA = {"type": "array", "items": {"type": "string"}}


class Status(str, Enum):
    NOT_STARTED = "ej påbörjad"
    ONGOING = "pågår"
    DONE = "genomförd"
    CANCELLED = "avbruten"
    CONTINUOUS = "löpande"


class Assessment(str, Enum):
    GREEN = "grön"
    YELLOW = "gul"
    RED = "röd"


class MeasureKind(str, Enum):
    ONE_OFF = "punktinsats"
    ORDINARY = "ordinarie verksamhet"
    PROJECT = "projekt"


class Prevention(str, Enum):
    SOCIAL = "social"
    SITUATIONAL = "situationell"
    BOTH = "social och situationell"


class Horizon(str, Enum):
    SHORT = "kort"
    LONG = "lång"


class Trend(str, Enum):
    RISING = "ökande"
    FALLING = "minskande"
    STABLE = "oförändrad"
    UNKNOWN = "okänd"


class OrgKind(str, Enum):
    COUNCIL = "fullmäktige"
    BOARD = "nämnd"
    COMMITTEE = "utskott"
    ADMINISTRATION = "förvaltning"
    DEPARTMENT = "avdelning"
    UNIT = "enhet"
    ROLE = "roll"
    COMPANY = "bolag"
    FOUNDATION = "stiftelse"
    ADVISORY = "råd"
    GROUP = "grupp"
    COLLECTIVE = "samlingsnamn"
    ORGANISATION = "organisation"
    MUNICIPALITY = "kommun"


class Sector(str, Enum):
    MUNICIPAL = "kommun"
    POLICE = "polis"
    RESCUE = "räddningstjänst"
    REGION = "region"
    STATE = "stat"
    CIVIL = "civilsamhälle"
    BUSINESS = "näringsliv"
    PROPERTY = "fastighetsägare"
    ACADEMIA = "akademi"
    OTHER = "övrig"


class Revision(str, Enum):
    NEW_TERM = "ny mandatperiod"


class UntilFurtherNotice(str, Enum):
    UNTIL_FURTHER_NOTICE = "tills vidare"


def _empty_list() -> list[Any]:
    # Not ``default_factory=list``: pydantic inspects every factory's signature when it builds
    # a schema, and for the builtin ``list`` inspect parses a text signature (tokenize and
    # compile) each time. A plain function's signature is cheap: validating a 300-measure
    # municipality cold (schemas built on first use) went from 259 M to 224 M instructions.
    return []


def optional_list(**kwargs: Any) -> Any:
    return Field(default_factory=_empty_list, **kwargs)
