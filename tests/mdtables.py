"""Read rendered Markdown back as CommonMark (markdown-it-py): tables, headings, HTML, fences.

Why: "the title shows up in the right cell" is only true if a real CommonMark
parser, with GitHub's table and strikethrough extensions, says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt


def parse(text: str) -> list[Any]:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def walk(tokens: list[Any]) -> Iterator[Any]:
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def inline_text(token: Any) -> str:
    """The text a reader sees in an inline token (emphasis markers, links and HTML would show up)."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    result: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in parse(text):
        if token.type == "table_open":
            result.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(inline_text(token))
        elif token.type == "tr_close" and row is not None:
            result[-1].append(row)
            row = None
    return result


def cells(text: str) -> list[str]:
    return [cell for table in tables(text) for row in table for cell in row]


def headings(text: str) -> list[str]:
    tokens = parse(text)
    return [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]


def markup(text: str) -> list[str]:
    """Token types that mean user text turned into markup: HTML, emphasis, links, images, code."""
    bad = {"html_block", "html_inline", "em_open", "strong_open", "link_open", "image", "code_inline",
           "s_open", "bullet_list_open", "ordered_list_open", "blockquote_open", "hr"}
    return [t.type for t in walk(parse(text)) if t.type in bad]


def fences(text: str, info: str = "mermaid") -> list[str]:
    return [t.content for t in parse(text) if t.type == "fence" and t.info.strip() == info]
