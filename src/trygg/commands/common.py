"""Option types and helpers shared by the commands."""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class Lang(str, Enum):
    sv = "sv"
    en = "en"


def language(lang: Optional[Lang]) -> str:
    if lang is not None:
        return lang.value
    env = os.environ.get("TRYGG_LANG", "sv")
    return env if env in ("sv", "en") else "sv"


def use_color(output: Optional[Path]) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


class OutputExists(Exception):
    """Raised by :func:`emit` when ``--output`` names a file with other content and no --force."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def emit(text: str, output: Optional[Path], force: bool = False) -> None:
    """Print ``text``, or write it atomically to ``output`` – never over a different file without force."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from trygg.writefile import write_atomic

    if output.exists() and not force:
        try:
            same = output.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            raise OutputExists(output)
        return
    write_atomic(output, text)


def parse_today(value: Optional[str]) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD") from None


