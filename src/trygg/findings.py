"""The one record everything a user is told is made of.

Schema errors, YAML syntax errors and rule findings are all a :class:`Finding`:
a stable code, a severity, a located message and an optional hint. Findings are
immutable and sort by file, line and column, so reporters never re-order them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How bad a finding is. The value is what users write in trygg.yaml."""

    ERROR = "fel"
    WARNING = "varning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self.value]

    @classmethod
    def parse(cls, text: str) -> "Severity":
        aliases = {"fel": cls.ERROR, "error": cls.ERROR, "varning": cls.WARNING,
                   "warning": cls.WARNING, "info": cls.INFO, "information": cls.INFO}
        return aliases[text.strip().lower()]


_RANKS = {"fel": 3, "varning": 2, "info": 1}
# value → member: a dict lookup, where calling the Enum costs more than the rest of decoding a
# finding (a warm check of many municipalities decodes tens of thousands)
SEVERITY_OF = {s.value: s for s in Severity}


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: path as given relative to the repository, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Finding:
    """Something the user is told. ``args`` fill the message template for the chosen language."""

    code: str
    severity: Severity
    location: Location
    args: tuple[tuple[str, Any], ...] = field(default=())
    related: tuple[Location, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code)

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.args)

    def with_severity(self, severity: Severity) -> "Finding":
        return Finding(self.code, severity, self.location, self.args, self.related)


def make(code: str, severity: Severity, location: Location, *, related: tuple[Location, ...] = (),
         **args: Any) -> Finding:
    """Build a finding; ``related`` are other places it concerns (SARIF relatedLocations), the
    other keyword arguments become the message parameters."""
    return Finding(code, severity, location, tuple(sorted((k, _frozen(v)) for k, v in args.items())),
                   related)


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a list or mapping from the user's file (a value of the wrong type
    is a parameter of its finding): findings are de-duplicated in a set, and a list in them
    made ``trygg check`` fail with "unhashable type" instead of reporting the wrong type."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, set):
        return frozenset(_frozen(v) for v in value)
    return value
