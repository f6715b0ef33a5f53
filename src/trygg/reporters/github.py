"""GitHub Actions: one workflow command per finding, and a Markdown job summary.

The runner turns a line such as ``::error file=dokument/plan.yaml,line=7,col=5,title=S102
okänd-nyckel::Okänd nyckel 'ansvarg'`` into an annotation on that line of the pull request.
Everything after a newline is a new command to the runner, so every piece of user text (a
measure's titel ends up in messages) is escaped the way the runner unescapes it: ``%``,
``\\r`` and ``\\n`` in the message, and also ``:`` and ``,`` in the properties. A titel that
contains ``::error`` or a line break therefore stays inside its own annotation.

The job summary (``$GITHUB_STEP_SUMMARY``) is Markdown; user text in it is escaped so that it
cannot open a link, an HTML element or a new table row.
"""

from __future__ import annotations

from trygg.check import CheckResult
from trygg.findings import Finding, Severity
from trygg.messages import render, ui
from trygg.reporters.paths import checkout_prefix

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

# The Markdown summary lists at most this many findings; GitHub caps a summary at 1 MiB.
SUMMARY_ROWS = 200


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (after the second ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=`` …): as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(finding: Finding, lang: str = "sv", prefix: str = "") -> str:
    """One finding as a single line ``::error file=…,line=…,col=…,title=…::message``."""
    r = render(finding.code, finding.params, lang)
    loc = finding.location
    props: list[tuple[str, str]] = []
    if loc.path:
        props.append(("file", prefix + loc.path))
    if loc.line:
        props.append(("line", str(loc.line)))
        if loc.column:
            props.append(("col", str(loc.column)))
    props.append(("title", f"{finding.code} {r.title}"))
    message = r.message if not r.hint else f"{r.message}\n{ui('hint', lang)}: {r.hint}"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(message)}"


def format_github(result: CheckResult, *, lang: str = "sv", prefix: str | None = None) -> str:
    """Workflow commands for every finding, then the plain summary line for the log."""
    from trygg.reporters.text import summary

    if prefix is None:
        prefix = checkout_prefix(result.root)
    lines = [workflow_command(f, lang, prefix) for f in result.findings]
    lines.append(summary(result, lang))
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = "\\`*_[]<>|~&#!()"


def escape_markdown(text: str) -> str:
    """User text as literal Markdown inside a table cell: punctuation backslash-escaped,
    line breaks as ``<br>`` (our own markup; any ``<`` from the user is escaped)."""
    escaped = "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)
    return "<br>".join(escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def format_step_summary(result: CheckResult, *, lang: str = "sv", prefix: str | None = None) -> str:
    """A Markdown job summary: the counts, then a table of findings (at most SUMMARY_ROWS)."""
    from trygg.reporters.text import summary

    if prefix is None:
        prefix = checkout_prefix(result.root)
    out = [f"## {ui('github.heading', lang)}", "", summary(result, lang), ""]
    if result.findings:
        out.append("| " + " | ".join(ui(f"github.column.{c}", lang)
                                      for c in ("where", "code", "severity", "message")) + " |")
        out.append("|---|---|---|---|")
        for finding in result.findings[:SUMMARY_ROWS]:
            r = render(finding.code, finding.params, lang)
            where = escape_markdown(prefix + str(finding.location))
            severity = ui(f"severity.{finding.severity.value}", lang)
            message = escape_markdown(r.message)
            if r.hint:
                message += "<br>" + escape_markdown(f"{ui('hint', lang)}: {r.hint}")
            code = f"{finding.code} {escape_markdown(r.title)}"
            out.append(f"| {where} | {code} | {severity} | {message} |")
        hidden = len(result.findings) - SUMMARY_ROWS
        if hidden > 0:
            out.extend(["", ui("github.more", lang, count=hidden)])
        out.append("")
    return "\n".join(out) + "\n"
