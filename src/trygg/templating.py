"""The one Jinja environment factory: every report, diff and history text is rendered through it.

Why one place: the rules every template lives under are decided here once –
the user's template directory first and the packaged templates second (so a
municipality overrides one file, or ``{% extends "sv/rapport.md.j2" %}`` and
replaces one block), ``StrictUndefined`` (a misspelt variable is an error, not
an empty cell), ``trim_blocks``/``lstrip_blocks``, and the filters. A template
from the user runs in Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment`:
it is data someone sent, not code we trust. Its directory is confined too: a
name with ``..``, an absolute name or a symbolic link that leads out of the
directory is a template that does not exist, and a template that is not UTF-8 or
larger than 1 MB is an error at its file and line. Whatever goes wrong while a
user's template renders – an undefined name, ``1/0``, endless recursion – is
reported as that template's error, with its file and line, not as trygg's bug.
What the sandbox does not do is bound time and memory: a template can still ask
for ``'x' * 10**10``, as any program the municipality chooses to run can.

Escaping is the environment's job, not the template author's: in a Markdown
environment every ``{{ value }}`` that is a plain string is escaped with
:func:`trygg.mdescape.escape` on output (``finalize``); only values marked
:class:`~trygg.mdescape.Markdown` pass through. In a text environment strings
are made single-line and stripped of control characters, so a title cannot
move the terminal's cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trygg.mdescape import Markdown, escape, mermaid_text, plain

if TYPE_CHECKING:
    from jinja2 import Environment

PACKAGED = Path(__file__).parent / "templates"
KINDS = ("markdown", "text")
MAX_TEMPLATE_BYTES = 1024 * 1024


class TemplateProblem(Exception):
    """Raised by :func:`render` when a template cannot be found, parsed or rendered (a user error)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def format_number(value: Any, lang: str) -> str:
    """1185 for 1185.0, 12,5 (sv) or 12.5 (en) for 12.5."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if lang == "sv" else text


def label(value: Any, lang: str) -> str:
    """A domain word (a status, an assessment, a document type) in ``lang``; unknown words as they are."""
    from trygg.messages.catalogue import UI

    texts = UI.get(f"ord.{value}")
    return texts.get(lang, texts["sv"]) if texts else str(value)


def _filters(lang: str) -> dict[str, Callable[..., Any]]:
    """Every filter templates may use, registered in one place."""
    def date_filter(value: Any) -> Any:
        if value is None:
            return "–"
        return value.isoformat() if isinstance(value, date) else value

    return {
        "md": escape,
        "mermaid": mermaid_text,
        "plain": plain,
        "date": date_filter,
        "num": lambda value: format_number(value, lang),
        "label": lambda value: label(value, lang),
        "raw": Markdown,  # for the packaged templates' own markup built in Python
    }


def _finalize(kind: str, lang: str) -> Callable[[Any], Any]:
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Markdown):
            return value
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return format_number(value, lang)
        if kind == "markdown":
            return escape(value)
        return plain(value)

    return finalize


@lru_cache(maxsize=16)
def environment(kind: str = "markdown", lang: str = "sv", user_dir: str | None = None) -> Environment:
    """The environment for ``kind`` output in ``lang``; sandboxed when ``user_dir`` is given."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    if kind not in KINDS:
        raise ValueError(kind)
    loaders: list[Any] = [_confined_loader(user_dir)] if user_dir else []
    loaders.append(FileSystemLoader(str(PACKAGED)))
    cls = SandboxedEnvironment if user_dir else Environment
    env = cls(loader=ChoiceLoader(loaders), undefined=StrictUndefined, trim_blocks=True,
              lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
              finalize=_finalize(kind, lang))
    env.filters.update(_filters(lang))
    return env


def _confined_loader(directory: str) -> Any:
    """A loader for the user's template directory that serves nothing from outside it."""
    import os

    from jinja2 import BaseLoader, TemplateNotFound, TemplateSyntaxError
    from jinja2.loaders import split_template_path

    base = os.path.realpath(directory)

    class ConfinedLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            pieces = split_template_path(template)  # refuses '..'
            filename = os.path.join(base, *pieces)
            real = os.path.realpath(filename)
            if os.path.commonpath([real, base]) != base or not os.path.isfile(real):
                raise TemplateNotFound(template)  # absent, or a link out of the directory
            with open(real, "rb") as handle:
                raw = handle.read(MAX_TEMPLATE_BYTES + 1)
            if len(raw) > MAX_TEMPLATE_BYTES:
                raise TemplateSyntaxError(f"larger than {MAX_TEMPLATE_BYTES // 1024} kB", 1, template, filename)
            try:
                source = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise TemplateSyntaxError(f"not UTF-8 (byte 0x{raw[exc.start]:02X})",
                                          raw[: exc.start].count(b"\n") + 1, template, filename) from None
            mtime = os.path.getmtime(real)
            return source, filename, lambda: os.path.exists(real) and os.path.getmtime(real) == mtime

    return ConfinedLoader()


def render(name: str, context: dict[str, Any], *, kind: str = "markdown", lang: str = "sv",
           user_template: Path | None = None) -> str:
    """Render the packaged template ``name`` (e.g. ``sv/rapport.md.j2``) or the user's.

    ``user_template`` is a file (rendered instead of ``name``) or a directory
    searched before the packaged templates (so ``DIR/sv/rapport.md.j2`` replaces
    the packaged one and anything it does not replace still comes from trygg).
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    user_dir: str | None = None
    if user_template is not None:
        user_template = Path(user_template).resolve()
        if user_template.is_dir():
            user_dir = str(user_template)
        elif user_template.is_file():
            user_dir = str(user_template.parent)
            name = user_template.name
        else:
            raise TemplateProblem("not-found", str(user_template))
        env = environment(kind, lang, user_dir)
    else:
        env = environment(kind, lang)
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"syntax:{exc.message}", f"{exc.filename or exc.name}:{exc.lineno}") from None
    except TemplateNotFound as exc:
        raise TemplateProblem("not-found", str(exc.name)) from None
    where = user_template or name
    try:
        text = template.render(**context)
    except TemplateSyntaxError as exc:  # in a template it includes or extends
        raise TemplateProblem(f"syntax:{exc.message}", f"{exc.filename or exc.name}:{exc.lineno}") from None
    except TemplateNotFound as exc:  # {% include %} of a name that is not in the directory
        raise TemplateProblem(f"render:no template '{exc.name}' here or among trygg's own",
                              _template_line(exc, where, user_dir)) from None
    except (UndefinedError, SecurityError) as exc:
        raise TemplateProblem(f"render:{exc}", _template_line(exc, where, user_dir)) from None
    except TemplateError as exc:
        raise TemplateProblem(f"render:{exc}", _template_line(exc, where, user_dir)) from None
    except Exception as exc:  # the user's template did it (1/0, recursion …); ours would be a bug
        if user_template is None:
            raise
        raise TemplateProblem(f"render:{type(exc).__name__}: {exc}", _template_line(exc, where, user_dir)) from None
    return text if text.endswith("\n") else text + "\n"


def _template_line(exc: BaseException, name: Path | str, user_dir: str | None = None) -> str:
    """``file:line`` of the innermost template frame that raised, from the traceback Jinja rewrites."""
    tb = exc.__traceback__
    where = str(name)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == str(name) or (user_dir and filename.startswith(user_dir)):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
