"""Editing documents without reformatting them: inserted lines, checked, atomic.

Officials add follow-up entries far more often than they restructure a plan, so the
one edit trygg makes is :func:`add_follow_up`. The rules of every edit:

* the user's text is never re-serialised: the located reader says where the measure and
  its follow-up log are, and the new entry is inserted as lines there (serialised by
  ruamel.yaml, indented like its siblings); a ``status:`` value is replaced in place,
  keeping its comment – so comments, key order, quoting and flow lists all survive;
* the new text must differ from the old only by those lines – a check on the line diff
  refuses anything else, writing nothing;
* the new text must load and validate as before (no new finding in that file);
* it is written atomically (:func:`trygg.writefile.write_atomic`), keeping a byte-order
  mark and CRLF line endings.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any


class EditError(Exception):
    """A user error: the edit cannot be made (unknown id, broken file, would reformat)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Edit:
    path: Path
    display: str
    old: str
    new: str
    bom: bool = False
    crlf: bool = False

    @property
    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(True), self.new.splitlines(True),
                                            f"a/{self.display}", f"b/{self.display}"))


def _yaml(text: str) -> Any:
    """A ruamel.yaml round-trip instance with the file's own indentation."""
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    mapping, sequence, offset = _indentation(text)
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as ruamel wants them, read off the file's own block lists."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        m = re.match(r"^(\s*)[^\s#-][^:#]*:\s*(#.*)?$", line)
        if not m:
            continue
        nxt = next((ln for ln in lines[i + 1:] if ln.strip() and not ln.lstrip().startswith("#")), "")
        d = re.match(r"^(\s*)- ", nxt)
        if d:
            offset = len(d.group(1)) - len(m.group(1))
            return 2, offset + 2, offset
    return 2, 4, 2


def _snippet(entry: dict[str, Any], dash_col: int, key_col: int) -> list[str]:
    """The new list item as block YAML, serialised by ruamel and indented to sit among its siblings."""
    from ruamel.yaml import YAML

    y = YAML()
    y.width = 4096
    y.indent(mapping=2, sequence=2, offset=0)
    out = io.StringIO()
    y.dump([entry], out)
    lines = out.getvalue().splitlines()
    inner = " " * (key_col - dash_col - 2) if key_col - dash_col > 2 else ""
    placed = []
    for i, line in enumerate(lines):
        if i == 0:
            placed.append(" " * dash_col + "- " + inner + line[2:])
        else:
            placed.append(" " * key_col + line[2:])
    return placed


def _block_end(loaded: Any, inside: tuple[Any, ...], start_line: int, lines: list[str]) -> int:
    """The last line (1-based) of the block that holds ``inside``: before the next node outside it,
    not counting blank and comment lines that precede that node."""
    n = len(inside)
    following = [pos[0] for table in (loaded.keys, loaded.values) for path, pos in table.items()
                 if pos[0] > start_line and tuple(path[:n]) != inside]
    end = (min(following) - 1) if following else len(lines)
    while end > start_line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def add_follow_up(root: Path, measure_id: str, *, when: date, status: str | None,
                  assessment: str | None, comment: str | None) -> Edit:
    """Append a dated entry to a measure's ``uppföljning`` (and update its ``status`` if it has one).

    The user's text is never re-serialised: the new entry is inserted as lines at the end of
    the follow-up log (or of the measure), and a ``status:`` value is replaced in place.
    """
    from trygg.load.fast import parse_text
    from trygg.model.measure import FollowUp
    from trygg.repo import load_repository
    from trygg.validate import validate

    repo = load_repository(root)
    entity = repo.get("measure", measure_id)
    if entity is None:
        from trygg.suggest import suggest

        near = suggest(measure_id, repo.entities.get("measure", {}))
        raise EditError("E101", id=measure_id, **({"suggestion": near} if near else {}))
    source = entity.file
    before = [f for f in repo.findings if f.location.path == source.path]
    if source.model is None or any(f.code[0] in "YS" for f in before):
        raise EditError("E102", path=source.path)
    entry: dict[str, Any] = {"datum": when}
    if status:
        entry["status"] = status
    if assessment:
        entry["bedömning"] = assessment
    if comment:
        entry["kommentar"] = comment
    try:
        FollowUp.model_validate({**entry, "datum": when.isoformat()})
    except Exception as exc:  # noqa: BLE001 - pydantic's error, told in our words
        raise EditError("E103", problem=str(exc).splitlines()[-1].strip()) from None

    file = repo.root / source.path
    raw = file.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    old = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    crlf = "\r\n" in old
    old = old.replace("\r\n", "\n")
    loaded = parse_text(old, source.path)
    lines = old.splitlines()
    mpath = entity.path
    mline, mcol = loaded.values[mpath]
    log_path = mpath + ("uppföljning",)
    if log_path in loaded.keys:
        items = [p for p in loaded.values if len(p) == len(log_path) + 1 and p[:len(log_path)] == log_path]
        if not items or lines[loaded.values[log_path][0] - 1].rstrip().endswith(("[]", "]")):
            raise EditError("E105", line=loaded.keys[log_path][0])
        key_line, key_col = loaded.values[items[0]]
        dash_col = key_col - 1 - 2  # "- " before the item's first key (1-based → 0-based)
        if lines[key_line - 1][dash_col:dash_col + 2] != "- ":
            raise EditError("E105", line=key_line)
        end = _block_end(loaded, log_path, loaded.keys[log_path][0], lines)
        snippet = _snippet(entry, dash_col, key_col - 1)
    else:
        end = _block_end(loaded, mpath, mline, lines)
        key_indent = mcol - 1
        _m, seq, offset = _indentation(old)
        snippet = [" " * key_indent + "uppföljning:"] + _snippet(entry, key_indent + offset, key_indent + offset + 2)
    new_lines = lines[:end] + snippet + lines[end:]
    if status and (mpath + ("status",)) in loaded.values:
        sline, scol = loaded.values[mpath + ("status",)]
        text = new_lines[sline - 1]
        rest = text[scol - 1:]
        comment_at = rest.find(" #")
        tail = rest[comment_at:] if comment_at >= 0 else ""
        new_lines[sline - 1] = text[: scol - 1] + status + tail
    new = "\n".join(new_lines) + ("\n" if old.endswith("\n") or not old else "")
    _only_additions(old, new, allow_status=bool(status))
    after = parse_text(new, source.path)
    if after.findings:
        raise EditError("E104", path=source.path)
    _model, problems = validate(after, type(source.model))
    if problems:
        raise EditError("E104", path=source.path)
    return Edit(file, source.path, old, new, bom, crlf)


def _only_additions(old: str, new: str, *, allow_status: bool) -> None:
    """Refuse an edit that would change or drop any line the user wrote (other than `status:`)."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag == "equal" or tag == "insert":
            continue
        changed = old.splitlines()[i1:i2]
        if allow_status and tag == "replace" and all(ln.strip().startswith("status:") for ln in changed):
            continue
        raise EditError("E105", line=i1 + 1)


def apply(edit: Edit) -> None:
    """Write the edit atomically, keeping the file's byte-order mark and line endings."""
    from trygg.writefile import write_atomic

    text = edit.new.replace("\n", "\r\n") if edit.crlf else edit.new
    write_atomic(edit.path, ("\ufeff" if edit.bom else "") + text)
