"""A parsed file: its plain data and the position of every key and value.

No PyYAML here, so that code which only holds or reads loaded files (validation, the rules,
the parent of a parallel read) does not import the parser.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trygg.findings import Finding, Location, Severity
from trygg.load.text import split_lines

if TYPE_CHECKING:
    import yaml

Path_ = tuple[str | int, ...]


@dataclass
class LoadedYaml:
    """A parsed YAML file: plain data plus the 1-based position of every key and value.

    While building the values the loader notes, per mapping and per list, the positions of
    its entries in a flat array of integers (``line << 24 | column``, 0-based): no tuple or
    path per node, nothing for the garbage collector to scan. :meth:`position` walks the data
    and those arrays; :attr:`values` and :attr:`keys` give every position as tables (YAML path
    → (line, column)), built on first use.
    """

    path: str
    text: str
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    # line numbers (1-based) → comment text after '#', for inline suppressions
    comments: dict[int, str] = field(default_factory=dict)
    # id of each mapping and list in ``data`` → [key, value, key, value …] or [item, item …]
    spots: dict[int, array[int]] = field(default_factory=dict, repr=False, compare=False)
    root_spot: int = field(default=0, repr=False, compare=False)
    # the composed document when building it stopped at a fatal problem (or it was not a
    # mapping): positions then come from the tables, which hold what was reached before the stop
    root: yaml.Node | None = field(default=None, repr=False, compare=False)
    _tables: tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]] | None = field(
        default=None, repr=False, compare=False)

    @property
    def values(self) -> dict[Path_, tuple[int, int]]:
        """YAML path → position of the value there, for every value."""
        return self._positions()[0]

    @property
    def keys(self) -> dict[Path_, tuple[int, int]]:
        """YAML path → position of the key that names it, for every mapping entry."""
        return self._positions()[1]

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(
            f.severity is Severity.ERROR for f in self.findings)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where ``path`` is; the key's position with ``key=True``. Falls back to the nearest parent."""
        find = self._find if self.spots else self._find_in_tables
        key_pos, value_pos = find(path)
        if key and key_pos is not None:
            return key_pos
        if value_pos is not None:
            return value_pos
        while path:
            path = path[:-1]
            key_pos, value_pos = find(path)
            if value_pos is not None:
                return value_pos
            if key_pos is not None:
                return key_pos
        return (1, 1)

    def location(self, path: Path_, *, key: bool = False) -> Location:
        line, col = self.position(path, key=key)
        return Location(self.path, line, col)

    def line_text(self, line: int) -> str:
        lines = split_lines(self.text)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _find_in_tables(self, path: Path_) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        values, keys = self._positions()
        return keys.get(path), values.get(path)

    def _find(self, path: Path_) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """(key position, value position) of exactly ``path``, walking the data."""
        node = self.data
        key_spot, spot = -1, self.root_spot
        for part in path:
            spots = self.spots.get(id(node))
            if spots is None:
                return None, None
            if type(node) is dict:
                if part not in node:
                    return None, None
                for i, name in enumerate(node):
                    if name == part:
                        key_spot, spot = spots[2 * i], spots[2 * i + 1]
                        break
            elif isinstance(part, int) and 0 <= part < len(node):
                key_spot, spot = -1, spots[part]
            else:
                return None, None
            node = node[part]
        return (_unpack(key_spot) if key_spot >= 0 else None), _unpack(spot)

    def _positions(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        if self._tables is None:
            values: dict[Path_, tuple[int, int]] = {}
            keys: dict[Path_, tuple[int, int]] = {}
            self._tables = (values, keys)
            if self.root is not None:  # composed, so PyYAML and the builder are loaded already
                from trygg.load.fast import _Abort, _Builder

                try:
                    _Builder(LoadedYaml(self.path, "")).record(self.root, (), 0, values, keys)
                except _Abort:
                    pass  # what was reached before the stop, as the build saw it
            elif self.spots:
                values[()] = _unpack(self.root_spot)
                self._tabulate(self.data, (), values, keys)
        return self._tables

    def _tabulate(self, node: Any, path: Path_, values: dict[Path_, tuple[int, int]],
                  keys: dict[Path_, tuple[int, int]]) -> None:
        spots = self.spots.get(id(node))
        if spots is None:
            return
        if type(node) is dict:
            for i, (name, child) in enumerate(node.items()):
                here = path + (name,)
                keys[here] = _unpack(spots[2 * i])
                values[here] = _unpack(spots[2 * i + 1])
                self._tabulate(child, here, values, keys)
        else:
            for i, child in enumerate(node):
                here = path + (i,)
                values[here] = _unpack(spots[i])
                self._tabulate(child, here, values, keys)


def _unpack(spot: int) -> tuple[int, int]:
    """A packed 0-based mark (``line << 24 | column``) as a 1-based (line, column)."""
    return (spot >> 24) + 1, (spot & 0xFFFFFF) + 1
