"""Read a repository's files in a second process while this one prepares the models.

A cold check of one municipality is two chains of work that need nothing from each other until
validation starts: importing PyYAML and parsing every file, and importing the pydantic models,
building their validators and importing the rules. On a machine with more than one core,
:func:`parse_all` forks once: the child imports the parser, parses every file and sends back
what the parse gave — plain data, comments and the packed positions — with :mod:`marshal`
(plain values only, the fastest way Python has to move them), while the parent runs
``meanwhile``. The parent never imports PyYAML for a clean file.

Whatever the child did not read cleanly (a file with a finding, one that needed composing, an
unreadable one) the parent reads itself, exactly as without a child; if the child fails in any
way, the parent reads everything. So the result is the same either way (a test compares the
two, positions included). No fork without ``os.fork`` on Linux, on one core, while other
threads run, or for files too small to be worth a process.
"""

from __future__ import annotations

import marshal
import os
import signal
import sys
from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from trygg.load.loaded import LoadedYaml
from trygg.load.text import printable_path

if TYPE_CHECKING:
    from trygg.cache import SourceBytes

# Below this many bytes in all, parsing takes a few milliseconds and a second process does not
# pay for itself (see benchmarks/run.py, "one" and the examples).
MIN_PARALLEL_BYTES = 32 * 1024

# What the child sends per clean file: its index, data, comments, root position, and the
# positions of each mapping and list (as bytes), in the order _containers visits them.
_Clean = tuple[int, Any, dict[int, str], int, list[bytes]]


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


def parse_all(sources: Sequence[SourceBytes], *, workers: int = 1,
              meanwhile: Callable[[], None] | None = None) -> tuple[list[LoadedYaml], int]:
    """Every source parsed, in order, and how many of them the second process read.

    With ``workers`` >= 2 and enough bytes, the files are parsed in a forked child while this
    process runs ``meanwhile`` (without a child, ``meanwhile`` is not run: what it prepares
    happens on first use anyway).
    """
    size = sum(len(s.data) for s in sources if s.data is not None)
    if workers < 2 or size < MIN_PARALLEL_BYTES or not can_fork():
        return _read(sources, {}), 0
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or process slots for a child: read here
        os.close(read_end)
        os.close(write_end)
        return _read(sources, {}), 0
    if pid == 0:  # pragma: no cover - the child; coverage does not follow a fork
        os.close(read_end)
        code = 1
        try:
            _child(sources, write_end)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing the parent's buffers twice
    os.close(write_end)
    payload, finished = b"", False
    try:
        if meanwhile is not None:
            meanwhile()
        payload = _read_pipe(read_end)
        finished = True
    finally:
        os.close(read_end)
        if not finished:  # an error or Ctrl-C here: the child's work is not wanted
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    clean = _decode(payload) if status == 0 else {}
    return _read(sources, clean), len(clean)


def _child(sources: Sequence[SourceBytes], fd: int) -> None:
    from trygg.load.fast import parse_bytes

    out: list[_Clean] = []
    for index, source in enumerate(sources):
        if source.data is None:
            continue
        result = parse_bytes(source.data, source.display)
        if result.findings or result.data is None or result.root is not None:
            continue  # the parent reads this one itself
        spots = [result.spots[id(node)].tobytes() for node in _containers(result.data)]
        out.append((index, result.data, result.comments, result.root_spot, spots))
    payload = memoryview(marshal.dumps(out))
    while payload:
        payload = payload[os.write(fd, payload):]
    os.close(fd)


def _read_pipe(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(payload: bytes) -> dict[int, _Clean]:
    try:
        return {entry[0]: entry for entry in marshal.loads(payload)}
    except (EOFError, ValueError, TypeError):  # cut short: read everything here
        return {}


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


def _read(sources: Sequence[SourceBytes], clean: dict[int, _Clean]) -> list[LoadedYaml]:
    loaded = []
    for index, source in enumerate(sources):
        entry = clean.get(index)
        if entry is None:
            from trygg.load.fast import parse_bytes, read_yaml  # PyYAML: only for what is left

            loaded.append(parse_bytes(source.data, source.display) if source.data is not None
                          else read_yaml(source.path, source.display))
            continue
        _, data, comments, root_spot, packed = entry
        spots = {id(node): array("q", raw) for node, raw in zip(_containers(data), packed)}
        assert source.data is not None
        raw = source.data[3:] if source.data.startswith(b"\xef\xbb\xbf") else source.data  # as parse_bytes
        loaded.append(LoadedYaml(printable_path(source.display), raw.decode("utf-8"), data,
                                 comments=comments, spots=spots, root_spot=root_spot))
    return loaded
