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

The sandbox keeps out of trygg's internals but not out of the machine's time and
memory, so a user's template also runs under limits (the packaged ones are
trusted and run without them): ``*``, ``**`` and ``+`` refuse, before computing,
to build a text or list longer than :data:`MAX_LENGTH` or a number of more than
:data:`MAX_DIGITS` digits (``'x' * 10**10``, ``9**(9**9)``); the output stops at
:data:`MAX_OUTPUT` characters; loading and filling in stop after
:data:`TIME_LIMIT` seconds (nested loops); and on Linux the address space may
grow by :data:`MEMORY_LIMIT` MB at most (whatever else builds something huge:
``~`` in a loop, ``center(10**9)``). Each is the template's error at its line,
in the user's language.

Escaping is the environment's job, not the template author's: in a Markdown
environment every ``{{ value }}`` that is a plain string is escaped with
:func:`trygg.mdescape.escape` on output (``finalize``); only values marked
:class:`~trygg.mdescape.Markdown` pass through. In a text environment strings
are made single-line and stripped of control characters, so a title cannot
move the terminal's cursor.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from trygg.mdescape import Markdown, escape, mermaid_text, plain

if TYPE_CHECKING:
    from jinja2 import Environment

PACKAGED = Path(__file__).parent / "templates"
KINDS = ("markdown", "text")
MAX_TEMPLATE_BYTES = 1024 * 1024

# What a user's template may do (module constants, so a test can lower them). The largest
# generated report (5 000 measures, 2.3 M characters) fills in in about 2 s on a laptop.
TIME_LIMIT = 10.0  # seconds of processor time to load and fill in (Unix, main thread)
MAX_OUTPUT = 20_000_000  # characters of output
MAX_LENGTH = 1_000_000  # characters or items one '*' or '+' may build
MAX_DIGITS = 10_000  # digits of a number one '*' or '**' may build
MEMORY_LIMIT = 1024  # MB the address space may grow by (Linux, one thread)


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

    if kind not in KINDS:
        raise ValueError(kind)
    loaders: list[Any] = [_confined_loader(user_dir)] if user_dir else []
    loaders.append(FileSystemLoader(str(PACKAGED)))
    options: dict[str, Any] = {"loader": ChoiceLoader(loaders), "undefined": StrictUndefined,
                               "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True,
                               "autoescape": False, "finalize": _finalize(kind, lang)}
    env = _sandbox()(lang, **options) if user_dir else Environment(**options)
    env.filters.update(_filters(lang))
    return env


@lru_cache(maxsize=1)
def _sandbox() -> Any:
    """Jinja's sandbox with ``*``, ``**`` and ``+`` checked before they compute (see :func:`_too_large`).

    A class built on first use because Jinja is imported only then: ``trygg check``
    imports this module for :func:`label` and should not pay for Jinja.
    """
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def __init__(self, lang: str, **options: Any) -> None:
            super().__init__(**options)
            self.lang = lang

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            excess = _too_large(operator, left, right)
            if excess is not None:
                what, size, limit = excess
                raise SecurityError(_limit_message(what, self.lang, op=operator, size=size, limit=limit))
            return super().call_binop(context, operator, left, right)

    return LimitedSandbox


def _too_large(operator: str, left: Any, right: Any) -> tuple[str, int, int] | None:
    """``(what, size, limit)`` when ``left operator right`` would build a text, list or number over
    its limit, else None; from the operands' sizes alone, so nothing huge is ever computed."""
    from fractions import Fraction

    def integer(value: Any) -> bool:
        return isinstance(value, int)  # bool too: True * 'x' is 'x'

    sequence = (str, list, tuple)
    if integer(left) and integer(right):
        if operator == "**":
            # exact rational arithmetic: the exponent may itself have thousands of digits
            digits = int(right * Fraction(math.log10(abs(left)))) + 1 if right > 0 and abs(left) > 1 else 1
        elif operator == "*":
            digits = int((left.bit_length() + right.bit_length()) * math.log10(2)) + 1
        else:
            return None
        return ("number", digits, MAX_DIGITS) if digits > MAX_DIGITS else None
    if operator == "*" and integer(left) != integer(right):
        items, times = (right, left) if integer(left) else (left, right)
        size = len(items) * max(times, 0) if isinstance(items, sequence) else 0
    elif operator == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        items, size = left, len(left) + len(right)
    else:
        return None
    return ("text" if isinstance(items, str) else "items", size, MAX_LENGTH) if size > MAX_LENGTH else None


def _limit_message(what: str, lang: str, **params: Any) -> str:
    """The catalogue's ``template.limit.<what>`` in ``lang``, its numbers grouped by thousands."""
    from trygg.messages import ui

    def shown(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        if value >= 10**15:  # 2**(10**9999) would have about 10^9998 digits
            return f"10^{int(math.log10(value))}"
        return f"{value:,}".replace(",", " " if lang == "sv" else ",")

    return ui(f"template.limit.{what}", lang, **{key: shown(v) for key, v in params.items()})


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
    The user's template is loaded and filled in under the limits of :func:`_limits`.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

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
    where = user_template or name
    with _limits(lang) if user_dir else nullcontext(_Guard()) as guard:
        try:
            template = _load(env, name, guard)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(f"syntax:{exc.message}", f"{exc.filename or exc.name}:{exc.lineno}") from None
        except TemplateNotFound as exc:
            raise TemplateProblem("not-found", str(exc.name)) from None
        except Exception as exc:  # a limit struck (or Jinja gave up) while it compiled the user's template
            if user_dir is None:
                raise
            raise TemplateProblem(f"render:{_detail(exc, lang, guard)}", str(where)) from None
        try:
            text = template.render(**context) if user_dir is None else _bounded_output(template, context, lang)
        except TemplateSyntaxError as exc:  # in a template it includes or extends
            raise TemplateProblem(f"syntax:{exc.message}", f"{exc.filename or exc.name}:{exc.lineno}") from None
        except TemplateNotFound as exc:  # {% include %} of a name that is not in the directory
            raise TemplateProblem(f"render:no template '{exc.name}' here or among trygg's own",
                                  _template_line(exc, where, user_dir)) from None
        except TemplateError as exc:  # undefined, unsafe, over a limit …
            raise TemplateProblem(f"render:{exc}", _template_line(exc, where, user_dir)) from None
        except Exception as exc:  # the user's template did it (1/0, recursion …); ours would be a bug
            if user_template is None:
                raise
            raise TemplateProblem(f"render:{_detail(exc, lang, guard)}",
                                  _template_line(exc, where, user_dir)) from None
    return text if text.endswith("\n") else text + "\n"


def _load(env: Environment, name: str, guard: _Guard) -> Any:
    """Jinja's compiled ``name``; the time limit stops striking anywhere as soon as it is done."""
    try:
        return env.get_template(name)
    finally:
        guard.loading = False  # before any handler of ours runs: from here on, only in the template


def _detail(exc: Exception, lang: str, guard: _Guard) -> str:
    """What went wrong in a user's template, for ``error.template.render``."""
    from jinja2 import TemplateError

    if isinstance(exc, TemplateError):
        return str(exc)
    if isinstance(exc, MemoryError) and guard.memory_capped:
        return _limit_message("memory", lang, limit=MEMORY_LIMIT)
    return f"{type(exc).__name__}: {exc}"


def _bounded_output(template: Any, context: dict[str, Any], lang: str) -> str:
    """Fill in ``template`` piece by piece and stop at :data:`MAX_OUTPUT` characters.

    The error is thrown into the template where it is writing the piece too many,
    so it carries that line like any other error in the template.
    """
    from jinja2.exceptions import SecurityError

    pieces: list[str] = []
    size = 0
    stream = template.generate(**context)
    for piece in stream:
        size += len(piece)
        if size > MAX_OUTPUT:
            error = SecurityError(_limit_message("output", lang, limit=MAX_OUTPUT))
            stream.throw(error)
            raise error  # not reached: a template cannot catch it
        pieces.append(piece)
    return "".join(pieces)


class _Guard:
    """What :func:`_limits` knows while a user's template is loaded and filled in."""

    def __init__(self) -> None:
        self.loading = True  # Jinja is still compiling it
        self.memory_capped = False  # a MemoryError is then our limit, not the machine's


@contextmanager
def _limits(lang: str) -> Iterator[_Guard]:
    """The time and memory a user's template may take (the limits on size are the sandbox's)."""
    guard = _Guard()
    with _memory_cap(guard), _time_limit(guard, lang):
        yield guard


@contextmanager
def _time_limit(guard: _Guard, lang: str) -> Iterator[None]:
    """Stop the template with a located error once it has run :data:`TIME_LIMIT` seconds.

    Seconds of processor time (ITIMER_PROF), so a busy machine does not fail a large
    report that takes its time. A SIGPROF handler raises the error, so this works
    on Unix and in the main thread only (the one where Python runs signal
    handlers); elsewhere – Windows, a worker thread of a program that uses trygg as
    a library – there is no time limit. The
    handler raises while Jinja compiles the template (a 1 MB template takes it half
    a minute) or where the template's own code runs, never in trygg's code around
    it; until then the timer ticks again every 0.1 s. The ticks also cover an error
    that was swallowed: by Jinja's constant folding, which catches every exception,
    or because it landed in a finalizer (``__del__``, a weakref callback), which
    cannot raise – Python would print it as "Exception ignored in …", so while the
    limit is armed such a report of this error is dropped. The previous handler,
    timer and unraisable hook are put back afterwards.
    """
    import signal
    import threading
    import time

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    from jinja2.exceptions import SecurityError

    message = _limit_message("time", lang, seconds=format_number(TIME_LIMIT, lang))

    def expired(signum: int, frame: FrameType | None) -> None:
        if guard.loading or _in_template(frame):
            raise SecurityError(message)

    def unraisable(info: Any) -> None:
        if not (isinstance(info.exc_value, SecurityError) and str(info.exc_value) == message):
            hook(info)

    hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    previous = signal.signal(signal.SIGPROF, expired)
    delay, interval = signal.setitimer(signal.ITIMER_PROF, TIME_LIMIT, 0.1)
    started = time.process_time()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous if previous is not None else signal.SIG_DFL)
        sys.unraisablehook = hook
        if delay:  # someone else's timer (a profiler's): it runs on, less the time the template took
            signal.setitimer(signal.ITIMER_PROF, max(delay - (time.process_time() - started), 0.001), interval)


def _in_template(frame: FrameType | None) -> bool:
    """Whether a compiled template's code is on the stack (Jinja marks its module globals)."""
    while frame is not None:
        if "__jinja_template__" in frame.f_globals:
            return True
        frame = frame.f_back
    return False


@contextmanager
def _memory_cap(guard: _Guard) -> Iterator[None]:
    """Let the address space grow by :data:`MEMORY_LIMIT` MB at most while the template runs.

    Whatever builds something huge in one step the sandbox does not check
    (``'x'|center(10**9)``, ``~`` doubling a text in a loop) then gets a
    MemoryError instead of driving the machine into swap. The limit (RLIMIT_AS) is
    the whole process's, so it is set only on Linux (macOS does not enforce it) and
    only while trygg runs a single thread, and the previous limit is put back.
    """
    import threading

    if sys.platform != "linux" or threading.active_count() != 1:
        yield
        return
    import os
    import resource

    with open("/proc/self/statm", encoding="ascii") as statm:
        used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + MEMORY_LIMIT * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # a tighter limit is already set
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    guard.memory_capped = True
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


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
