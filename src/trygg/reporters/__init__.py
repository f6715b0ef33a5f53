"""Findings → output. Reporters format; they never check, print or exit.

:func:`format_result` picks the reporter by name and imports only that one, so the command
line stays a few lines and pays only for the format it asked for.
"""

from __future__ import annotations

from trygg.check import CheckResult

FORMATS = ("text", "concise", "json", "github", "sarif", "gitlab")


def format_result(result: CheckResult, fmt: str, *, lang: str = "sv", color: bool = False) -> str:
    """The result in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt in ("text", "concise"):
        from trygg.reporters.text import format_text

        return format_text(result, lang=lang, color=color, concise=fmt == "concise")
    if fmt == "json":
        from trygg.reporters.json import format_json

        return format_json(result, lang=lang)
    if fmt == "github":
        from trygg.reporters.github import format_github

        return format_github(result, lang=lang)
    if fmt == "sarif":
        from trygg.reporters.sarif import format_sarif

        return format_sarif(result, lang=lang)
    if fmt == "gitlab":
        from trygg.reporters.gitlab import format_gitlab

        return format_gitlab(result, lang=lang)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
