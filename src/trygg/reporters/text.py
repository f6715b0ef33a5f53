"""Text for people: each finding as ``file:line:col: CODE [severity] message``, the source line
with a marker under the column, and the hint; a summary by severity at the end.

Everything that comes from a user's files (paths, quoted values and ids, source lines) passes
through :func:`safe` first, so a YAML value cannot move the cursor, recolour, retitle or clear
the terminal, or forge a finding on a line of its own.
"""

from __future__ import annotations

import re
from typing import Any

from trygg.check import CheckResult
from trygg.findings import Finding, Severity
from trygg.load.text import split_lines
from trygg.messages import plural, render, ui

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


# C0 and C1 control characters (ESC starts terminal sequences, CR and LF forge lines), DEL,
# bidirectional marks and overrides that reorder what is shown ("Trojan Source"), the Unicode
# line and paragraph separators, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Source lines longer than this are shown as a window around the column.
_MAX_SOURCE = 200
_CONTEXT = 80


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def safe(text: str) -> str:
    """``text`` with every character that could act on a terminal written as an escape (\\x1b, \\n, \\u202e)."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def _safe_param(value: Any) -> Any:
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, (list, tuple)):
        return [_safe_param(v) for v in value]
    return value


def _c(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def format_text(result: CheckResult, *, lang: str = "sv", color: bool = False, concise: bool = False) -> str:
    out: list[str] = []
    previous_path: str | None = None
    # What every finding of a severity, and of a file, shares is worked out once: a check of
    # many municipalities prints tens of thousands of findings.
    styles = {severity: _Style(severity, lang, color) for severity in Severity}
    files: dict[str, _File] = {}
    hint = ui("hint", lang)
    for finding in result.findings:
        path = finding.location.path
        if not concise and previous_path is not None:
            out.append("")
        previous_path = path
        file = files.get(path)
        if file is None:
            file = files[path] = _File(path, result.sources, color)
        out.extend(_format_one(finding, lang, styles[finding.severity], file, hint, concise))
    if out:
        out.append("")
    out.append(summary(result, lang))
    return "\n".join(out) + "\n"


class _Style:
    """How a finding of one severity is marked up: its label, and the escapes that colour its
    code and its caret line (empty without colour)."""

    __slots__ = ("caret_open", "close", "code_open", "label")

    def __init__(self, severity: Severity, lang: str, color: bool) -> None:
        colour = _COLORS[severity]
        self.code_open = f"\x1b[1;{colour}m" if color else ""
        self.caret_open = f"\x1b[{colour}m" if color else ""
        self.close = "\x1b[0m" if color else ""
        self.label = _c(ui(f"severity.{severity.value}", lang), colour, color)


class _File:
    """What the findings in one file share: its path as shown, the escapes around a location
    (bold), and its lines, split when first quoted."""

    __slots__ = ("_lines", "_text", "close", "open", "path")

    def __init__(self, path: str, texts: dict[str, str], color: bool) -> None:
        self.path = safe(path)
        self.open = "\x1b[1m" if color else ""
        self.close = "\x1b[0m" if color else ""
        self._text = texts.get(path, "")
        self._lines: list[str] | None = None

    def line(self, number: int) -> str | None:
        """Line ``number`` (1-based) as YAML counts lines, or None if the file has no such line."""
        lines = self._lines
        if lines is None:
            lines = self._lines = split_lines(self._text)
        return lines[number - 1] if 0 < number <= len(lines) else None


def _format_one(finding: Finding, lang: str, style: _Style, file: _File, hint: str,
                concise: bool) -> list[str]:
    r = render(finding.code, {k: _safe_param(v) for k, v in finding.args}, lang)
    loc = finding.location
    where = f"{file.path}:{loc.line}:{loc.column}" if loc.line else file.path  # safe(str(loc))
    head = (f"{file.open}{where}{file.close}: {style.code_open}{finding.code}{style.close} "
            f"[{style.label}] {r.message}")
    if concise:
        return [head]
    lines = [head]
    pad = " " * len(str(loc.line)) if loc.line else " "
    source = file.line(loc.line) if loc.line else None
    if source is not None:
        shown, offset = _source_line(source, loc.column)
        lines.append(f"{pad} |")
        lines.append(f"{loc.line} | {shown}")
        lines.append(f"{pad} | {style.caret_open}{' ' * offset}^{style.close}")
    if r.hint:
        lines.append(f"{pad} = {hint}: {r.hint}")
    return lines


def _source_line(line: str, column: int) -> tuple[str, int]:
    """The source line as shown (escaped, a window of it when long) and the caret's offset in it."""
    line = line.replace("\t", " ")
    col = max(column - 1, 0)
    start, end = 0, len(line)
    if end <= _MAX_SOURCE and not _UNSAFE.search(line):  # the usual line: shown as it is
        return line, min(col, end)
    if end > _MAX_SOURCE:
        start = max(0, min(col - _CONTEXT, end - 2 * _CONTEXT))
        end = min(end, start + 2 * _CONTEXT)
    before = ("…" if start else "") + safe(line[start:col])
    return before + safe(line[col:end]) + ("…" if end < len(line) else ""), len(before)


def summary(result: CheckResult, lang: str = "sv") -> str:
    total = len(result.findings)
    if total == 0:
        return ui("summary.clean", lang, files=result.files)
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    return ui("summary", lang, total=total, files=result.files, errors=errors, warnings=warnings,
              infos=result.count(Severity.INFO), w_finding=plural("finding", total, lang),
              w_file=plural("file", result.files, lang), w_error=plural("error", errors, lang),
              w_warning=plural("warning", warnings, lang))
