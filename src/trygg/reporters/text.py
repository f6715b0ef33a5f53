"""Text for people: each finding as ``file:line:col: CODE [severity] message``, the source line
with a marker under the column, and the hint; a summary by severity at the end."""

from __future__ import annotations

from trygg.check import CheckResult
from trygg.findings import Finding, Severity
from trygg.messages import plural, render, ui

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _c(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def format_text(result: CheckResult, *, lang: str = "sv", color: bool = False, concise: bool = False) -> str:
    out: list[str] = []
    previous_path: str | None = None
    lines_cache: dict[str, list[str]] = {}
    texts = result.sources
    for finding in result.findings:
        if not concise and previous_path is not None:
            out.append("")
        previous_path = finding.location.path
        out.extend(_format_one(finding, lang, color, concise, texts, lines_cache))
    if out:
        out.append("")
    out.append(summary(result, lang))
    return "\n".join(out) + "\n"


def _format_one(finding: Finding, lang: str, color: bool, concise: bool,
                texts: dict[str, str], cache: dict[str, list[str]]) -> list[str]:
    r = render(finding.code, finding.params, lang)
    sev = ui(f"severity.{finding.severity.value}", lang)
    head = (f"{_c(str(finding.location), '1', color)}: {_c(finding.code, '1;' + _COLORS[finding.severity], color)} "
            f"[{_c(sev, _COLORS[finding.severity], color)}] {r.message}")
    if concise:
        return [head]
    lines = [head]
    loc = finding.location
    if loc.path not in cache:
        cache[loc.path] = texts.get(loc.path, "").splitlines()
    source = cache[loc.path]
    width = len(str(loc.line)) if loc.line else 1
    pad = " " * width
    if loc.line and 0 < loc.line <= len(source):
        text = source[loc.line - 1].replace("\t", " ")
        lines.append(f"{pad} |")
        lines.append(f"{loc.line} | {text}")
        marker = " " * max(loc.column - 1, 0) + "^"
        lines.append(f"{pad} | {_c(marker, _COLORS[finding.severity], color)}")
    if r.hint:
        lines.append(f"{pad} = {ui('hint', lang)}: {r.hint}")
    return lines


def summary(result: CheckResult, lang: str = "sv") -> str:
    total = len(result.findings)
    if total == 0:
        return ui("summary.clean", lang, files=result.files)
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    return ui("summary", lang, total=total, files=result.files, errors=errors, warnings=warnings,
              infos=result.count(Severity.INFO), w_finding=plural("finding", total, lang),
              w_file=plural("file", result.files, lang), w_error=plural("error", errors, lang),
              w_warning=plural("warning", warnings, lang))
