"""Parse a repository's files in a second process while this one prepares the models.

A cold check of one municipality is two chains of work that need nothing from each other until
validation starts: importing PyYAML and parsing every file, and importing the pydantic models,
building their validators and importing the rules. On a machine with more than one core,
:class:`ParsedFiles` forks once: the child imports the parser and parses the files one by one,
sending each one's result as soon as it has it — plain data, comments and the packed positions,
with :mod:`marshal` (plain values only, the fastest way Python has to move them) — while the
parent prepares; the parent then validates each file as it arrives, while the child parses the
next. The parent never imports PyYAML for a clean file.

For ``trygg check`` the child is started even earlier, before typer is imported
(:func:`start_parser`, from :mod:`trygg.cli`): it finds the repository from the command line and
reads and parses its files while the parent imports typer and pydantic, parses the arguments and
reads the same files; the parent uses the child's results only if the child read the same files,
byte for byte (else the child is stopped and another is handed the files).

Whatever the child did not read cleanly (a file with a finding, an unreadable one) the parent
reads itself, exactly as without a child, and if the child stops early the parent reads the
rest. So the result is the same either way (tests compare the two, positions included). No
fork without ``os.fork`` on Linux, on one core, while other threads run, or for files too
small to be worth a process.
"""

from __future__ import annotations

import marshal
import os
import signal
import struct
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from trygg.load.loaded import LoadedYaml
from trygg.load.text import printable_path, strip_bom

if TYPE_CHECKING:
    from typing_extensions import Self

    from trygg.cache import SourceBytes

# Below this many bytes in all, parsing takes a few milliseconds and a second process does not
# pay for itself (see benchmarks/run.py, "one" and the examples).
MIN_PARALLEL_BYTES = 32 * 1024

# What the child sends per clean file: its data, comments, root position, and the positions
# of each mapping and list (as bytes), in the order _containers visits them.
_Clean = tuple[Any, dict[int, str], int, list[bytes]]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is safe here: Linux (fork without exec is unsafe with macOS's system
    libraries), and no other thread that the child would inherit in an unknown state."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


class ParsedFiles:
    """The repository's files, parsed, in order: iterate once, inside ``with``.

    With ``workers`` >= 2 and enough bytes, a forked child parses the files and sends each
    one's result as soon as it has it; the first step of the iteration runs ``meanwhile`` here,
    and then each file is handed on as it arrives, so that validating one overlaps parsing the
    next. Without a child every file is parsed here, one by one, and ``meanwhile`` is not run
    (what it prepares happens on first use anyway). Leaving the ``with`` early, by an error or
    Ctrl-C, stops and reaps the child.
    """

    def __init__(self, sources: Sequence[SourceBytes], *, workers: int = 1,
                 meanwhile: Callable[[], None] | None = None) -> None:
        self.sources = sources
        self.meanwhile = meanwhile
        self.in_child = 0  # how many files the child's parse was used for
        self._pid: int | None = None
        self._pipe: BinaryIO | None = None
        size = sum(len(s.data) for s in sources if s.data is not None)
        if workers >= 2 and size >= MIN_PARALLEL_BYTES and can_fork() and not self._adopt():
            self._fork()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[LoadedYaml]:
        if self._pipe is None:
            for source in self.sources:
                yield _parse_here(source)
            return
        if self.meanwhile is not None:
            self.meanwhile()
        pipe: BinaryIO | None = self._pipe
        for index, source in enumerate(self.sources):
            entry = _next_frame(pipe) if pipe is not None else None
            if entry is _ENDED:  # the child is gone: what is left is read here
                pipe = None
            if isinstance(entry, tuple):
                self.in_child += 1
                yield _from_child(source, entry)
            else:
                yield _parse_here(source)
        self.close()

    def _fork(self) -> None:
        """A parser of our own, started now and handed the files at once."""
        start_parser(cores_known=True)
        self._adopt()

    def _adopt(self) -> bool:
        """Take over the parser :func:`start_parser` started, if one waits: check that the files
        it found for itself are these, byte for byte, or else hand it these."""
        global _WAITING
        if _WAITING is None:
            return False
        pid, files_end, results_end = _WAITING
        _WAITING = None
        results = os.fdopen(results_end, "rb")
        found = _next_frame(results)  # what it parses of its own accord, or None: it waits for files
        try:
            if found is None:
                with os.fdopen(files_end, "wb") as pipe:
                    pipe.write(marshal.dumps([(s.display, s.data) for s in self.sources]))
            else:
                os.close(files_end)
                if found != [(s.display, s.digest) for s in self.sources]:
                    raise OSError("the parser read other files")  # changed meanwhile, or another guess
        except OSError:  # gone, or busy with other files: a new one gets these
            results.close()
            _reap(pid)
            return False
        self._pid, self._pipe = pid, results
        return True

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            _reap(pid)


# A parser started before the command line was parsed: (its pid, where the files go to it,
# where its results come from). See start_parser.
_WAITING: tuple[int, int, int] | None = None


def start_parser(*, cores_known: bool = False,
                 guess: Callable[[], Sequence[SourceBytes] | None] | None = None) -> None:
    """Fork the parsing process at once, for a command that will probably parse files (check).

    With ``guess`` the child finds the files itself (``guess`` returns them, or None, or raises)
    and parses them at once, while this process imports typer and pydantic and reads the same
    files; :meth:`ParsedFiles._adopt` uses its results only if its files are byte for byte the
    same. Without (or when the guess fails) it imports PyYAML and waits to be handed the files.
    Not used — a warm run, ``--jobs 1``, too few bytes, an error — it is stopped by
    :func:`stop_parser`.
    """
    global _WAITING
    if _WAITING is not None or not can_fork() or (not cores_known and usable_cores() < 2):
        return
    files_out, files_in = os.pipe()
    results_out, results_in = os.pipe()
    _widen(files_in)
    _widen(results_in)
    try:
        pid = os.fork()
    except OSError:  # no memory or process slots for a child: the files are read here
        for fd in (files_out, files_in, results_out, results_in):
            os.close(fd)
        return
    if pid == 0:  # pragma: no cover - the child; coverage does not follow a fork
        os.close(files_in)
        os.close(results_out)
        code = 1
        try:
            _early_child(guess, files_out, results_in)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing the parent's buffers twice
    os.close(files_out)
    os.close(results_in)
    _WAITING = (pid, files_in, results_out)


def _early_child(guess: Callable[[], Sequence[SourceBytes] | None] | None, files_fd: int,
                 results_fd: int) -> None:  # pragma: no cover - runs in the child
    """The early parser: its own files if ``guess`` finds enough of them, else the ones it is
    handed. The first frame says which: the files' display paths and digests, or None. When the
    guess is that nothing will be parsed (a cached result) or too little to ask it for, it stops
    at once; should the check ask after all, it finds it gone and starts another."""
    guessed: Sequence[SourceBytes] | None = None
    if guess is not None:
        try:
            guessed = guess()
        except Exception:  # noqa: BLE001 - a failed guess only means waiting for the files
            guessed = None
        else:
            if guessed is None or sum(len(s.data) for s in guessed if s.data is not None) < MIN_PARALLEL_BYTES:
                return
    with os.fdopen(results_fd, "wb") as pipe:
        _send(pipe, None if guessed is None else [(s.display, s.digest) for s in guessed])
        import trygg.load.fast  # noqa: F401 - PyYAML, while the parent parses the arguments

        if guessed is not None:
            _child(guessed, pipe)
            return
        with os.fdopen(files_fd, "rb") as files:
            wanted = files.read()
        _child([_Wanted(display, data) for display, data in marshal.loads(wanted)] if wanted else [], pipe)


def stop_parser() -> None:
    """Stop and reap a parser :func:`start_parser` started that nothing used."""
    global _WAITING
    if _WAITING is None:
        return
    pid, files_end, results_end = _WAITING
    _WAITING = None
    os.close(files_end)
    os.close(results_end)
    _reap(pid)


class _Wanted(NamedTuple):
    """A file as the early parser receives it."""

    display: str
    data: bytes | None


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)  # done already, or its work is not wanted any more
    except ProcessLookupError:  # pragma: no cover - reaped elsewhere
        pass
    os.waitpid(pid, 0)


def parse_all(sources: Sequence[SourceBytes], *, workers: int = 1,
              meanwhile: Callable[[], None] | None = None) -> ParsedFiles:
    """Every source parsed, in order (see :class:`ParsedFiles`); use it in a ``with`` block."""
    return ParsedFiles(sources, workers=workers, meanwhile=meanwhile)


# A frame on the pipe: the length of what follows (4 bytes, little-endian), then the marshalled
# _Clean tuple of one file, or None for a file the parent must read itself.
_HEADER = struct.Struct("<I")
_ENDED: Any = object()


def _widen(fd: int) -> None:
    """Let the pipe hold a whole repository's results, so the child does not wait for the parent
    to finish ``meanwhile`` (Linux lets an unprivileged process ask for up to 1 MiB)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # the default 64 KiB: slower, not wrong


def _child(sources: Sequence[SourceBytes] | Sequence[_Wanted], pipe: BinaryIO) -> None:
    from trygg.load.fast import parse_bytes

    for source in sources:
        entry: _Clean | None = None
        if source.data is not None:
            result = parse_bytes(source.data, source.display)
            if not (result.findings or result.data is None or result.root is not None):
                spots = [result.spots[id(node)].tobytes() for node in _containers(result.data)]
                entry = (result.data, result.comments, result.root_spot, spots)
        _send(pipe, entry)


def _send(pipe: BinaryIO, value: Any) -> None:
    """One frame, on its way at once."""
    payload = marshal.dumps(value)
    pipe.write(_HEADER.pack(len(payload)))
    pipe.write(payload)
    pipe.flush()


def _next_frame(pipe: BinaryIO) -> Any:
    """The next file's entry from the child: a _Clean tuple, None, or _ENDED when the child
    stopped before sending it whole."""
    header = pipe.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return _ENDED
    (size,) = _HEADER.unpack(header)
    payload = pipe.read(size)
    if len(payload) < size:
        return _ENDED
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):  # pragma: no cover - a frame arrives whole or not at all
        return _ENDED


def _containers(data: Any) -> list[Any]:
    """Every mapping and list in ``data``, breadth first: an order that depends only on its structure."""
    found = [data]
    append = found.append
    for node in found:  # grows while it is walked
        for child in (node.values() if type(node) is dict else node):
            kind = type(child)
            if kind is dict or kind is list:
                append(child)
    return found


def _parse_here(source: SourceBytes) -> LoadedYaml:
    from trygg.load.fast import parse_bytes, read_yaml  # PyYAML: only for what the child left

    if source.data is not None:
        return parse_bytes(source.data, source.display)
    return read_yaml(source.path, source.display)


def _from_child(source: SourceBytes, entry: _Clean) -> LoadedYaml:
    data, comments, root_spot, packed = entry
    spots = {id(node): array("q", raw) for node, raw in zip(_containers(data), packed)}
    text = strip_bom(source.data or b"").decode("utf-8")  # as parse_bytes decodes it
    return LoadedYaml(printable_path(source.display), text, data,
                      comments=comments, spots=spots, root_spot=root_spot)
