"""Escaping text that officials wrote before it lands in Markdown or in a Mermaid chart.

Why a module of its own: a report is read on GitHub, GitLab or in MkDocs, and a
title such as ``Trygg | säker``, ``# Viktigt``, ``<script>`` or one with a line
break must come out as that text, in the table cell or list item where the
template put it, and never as a new column, heading, HTML or a broken table.

:func:`escape` makes text safe *anywhere inline* (paragraph, list item, heading,
table cell) under CommonMark and GitHub's extensions: line breaks become spaces,
every character that can start markup is backslash-escaped (CommonMark allows a
backslash before any ASCII punctuation), and what is only special at the start
of a line (a list marker ``-``/``+``/``1.`` followed by a space, a rule of ``-`` or
``=``) is escaped there. The result is a
:class:`Markdown` string, which the template environment passes through as is;
every other string is escaped on output (see :mod:`trygg.templating`).

:func:`mermaid_text` is stricter: inside a Mermaid block Markdown escapes do not
apply, so it keeps only letters, digits and a few harmless punctuation marks.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Markdown", "escape", "mermaid_text", "plain"]


class Markdown(str):
    """Text that is already valid Markdown (our own markup, or escaped user text)."""

    __slots__ = ()


# Line breaks as CommonMark and Python see them, plus the Unicode separators.
_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])[ \t]*")
# Control characters (C0 and C1, but the line breaks above) and the bidirectional overrides
# that would let a title show its characters in another order than they have.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters that can open markup anywhere in a line (CommonMark + GFM + GitHub math).
_INLINE = re.compile(r"([\\`*_\[\]<>|#~$&])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BREAK_LINE = re.compile(r"^[-=+ ]+$")


def plain(value: Any) -> str:
    """One line of text: control characters removed, line breaks and tabs as single spaces.

    A file name that is not UTF-8 reaches us with its bytes as lone surrogates; they are
    shown as ``trygg check`` shows them (``caf\\xe9.yaml``), since no output can encode them.
    """
    text = _CONTROL.sub("", _printable(str(value)))
    text = _BREAKS.sub(" ", text).replace("\t", " ")
    return re.sub(r" {2,}", " ", text).strip()


def _printable(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        from trygg.load.text import printable_path

        try:
            return printable_path(text)
        except UnicodeError:  # a surrogate that is no escaped byte (from a YAML "\\ud800")
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def escape(value: Any) -> Markdown:
    """``value`` as Markdown that renders as exactly that text, on one line."""
    if isinstance(value, Markdown):
        return value
    text = _INLINE.sub(r"\\\1", plain(value))
    if (text[:1] in ("-", "+") and text[1:2] in ("", " ")) or _BREAK_LINE.match(text):
        text = "\\" + text
    text = _ORDERED.sub(r"\1\\\2", text)
    return Markdown(text)


_MERMAID_KEEP = set(" .,-–+/'?!()")
_MERMAID_KEYWORDS = {"title", "section", "dateformat", "axisformat", "excludes", "includes",
                     "todaymarker", "tickinterval", "weekday", "click", "acctitle", "accdescr",
                     "inclusiveenddates", "topaxis", "pie", "gantt", "showdata"}


def mermaid_text(value: Any, limit: int = 60) -> Markdown:
    """Text safe inside a Mermaid gantt or pie line: no ``:``, ``;``, ``#``, ``%``, quotes or fences."""
    kept = "".join(ch if ch.isalnum() or ch in _MERMAID_KEEP else " " for ch in plain(value))
    text = re.sub(r" {2,}", " ", kept).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if not text:
        text = "–"
    first = text.split(" ", 1)[0].lower()
    if first in _MERMAID_KEYWORDS:
        text = "· " + text
    return Markdown(text)
