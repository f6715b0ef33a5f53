"""The source lines reporters quote, without the rest of each file.

Reporters read a file's text only for the lines findings point at (the text reporter shows
them, SARIF fingerprints them). A check of many municipalities sends each worker's files back
reduced to those lines, and the cache keeps them beside the findings, so a warm check neither
decodes nor splits the files again.

A reduced text keeps every wanted line at its number: the lines before the last wanted one
are left empty and the lines after it are left out, so it splits into the same numbered lines
both ways reporters split text (as YAML counts lines, and as str.splitlines does). A file with
a character where those two disagree (\\x0b, \\x0c, \\x1c-\\x1e) is kept whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from trygg.load.text import OTHER_BREAKS

if TYPE_CHECKING:
    from trygg.findings import Finding

# A file's wanted lines as (number, text), ascending; or, for a file that must go whole, its text.
Quoted = list[tuple[int, str]] | str


def wanted_lines(findings: Iterable[Finding]) -> dict[str, list[int]]:
    """Each file findings point at (themselves or their related places) → its line numbers."""
    wanted: dict[str, set[int]] = {}
    for f in findings:
        for loc in (f.location, *f.related):
            wanted.setdefault(loc.path, set()).add(loc.line)
    return {path: sorted(n for n in numbers if n > 0) for path, numbers in wanted.items()}


def quoted_lines(findings: Iterable[Finding], text_of: Callable[[str], str | None]) -> dict[str, Quoted]:
    """Each file findings point at → the lines they point at (:func:`quote`); ``text_of`` gives a
    file's text by its display path, None for a file it does not know (left out)."""
    out: dict[str, Quoted] = {}
    for path, numbers in wanted_lines(findings).items():
        text = text_of(path)
        if text is not None:
            out[path] = quote(text, numbers)
    return out


def quote(text: str, numbers: list[int]) -> Quoted:
    """The lines of ``text`` numbered ``numbers`` (ascending, 1-based) that it has.

    They are found by counting line breaks over spans of the text rather than by splitting it:
    a check of many municipalities quotes ~20 lines in each of thousands of files of ~1 000
    lines, and splitting them all took a sixth of a warm run.
    """
    if any(c in text for c in OTHER_BREAKS):
        return text
    crlf = "\r" in text
    if any(c in text for c in "\x85\u2028\u2029") or crlf and text.count("\r") != text.count("\r\n"):
        lines = text.splitlines()  # line breaks other than LF and CRLF: rare
        return [(n, lines[n - 1]) for n in numbers if n <= len(lines)]
    out = []
    for n, start, end in _lines_at(text, numbers):
        if crlf and end > start and text[end - 1] == "\r":
            end -= 1  # the CR of CRLF
        out.append((n, text[start:end]))
    return out


def reduced(quoted: Quoted) -> str:
    """The text a reporter reads: the quoted lines at their numbers, empty lines between."""
    if isinstance(quoted, str):
        return quoted
    parts = []
    previous = 0
    for n, line in quoted:
        parts.append("\n" * (n - 1 - previous))
        parts.append(line)
        parts.append("\n")
        previous = n
    return "".join(parts)


def _lines_at(text: str, numbers: Sequence[int]) -> Iterator[tuple[int, int, int]]:
    """``(n, start, end)`` for each line ``n`` of ``numbers`` (ascending, 1-based) that ``text``
    has, where lines end only at a line feed.

    From one wanted line to the next it counts the breaks in a span as long as the lines still
    to pass are expected to be (by the length of those passed so far), a little short of it,
    then steps the last few lines one break at a time; a span that overshoots is halved.
    """
    find, rfind, count = text.find, text.rfind, text.count
    size = len(text)
    pos, line = 0, 1  # line ``line`` starts at ``pos``
    for n in numbers:
        reach = 0.9
        while line < n:
            need = n - line
            if need <= 4:
                for _ in range(need):
                    pos = find("\n", pos) + 1
                    if not pos:
                        return
                line = n
                break
            per_line = pos / (line - 1) if line > 1 else 40.0
            end = pos + int(need * per_line * reach) + 1
            passed = count("\n", pos, end)
            if passed >= need:
                reach /= 2
            elif passed:
                pos = rfind("\n", pos, end) + 1
                line += passed
            else:  # a line longer than the span
                pos = find("\n", end) + 1
                if not pos:
                    return
                line += 1
        if pos >= size:
            return
        end = find("\n", pos)
        yield n, pos, end if end >= 0 else size
