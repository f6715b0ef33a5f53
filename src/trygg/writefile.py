"""Atomic writes: a temporary file in the same directory, flushed, then renamed over the target.

A crash, an exception or a kill half-way leaves the old file exactly as it was. The temporary
file is hidden (``.name.PID-XXXX.tmp``, never read as a document) and removed on every error
that can be caught; one left by a process that was killed outright is removed by the next write
of the same file.
"""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` (UTF-8) atomically, keeping the old file's permissions."""
    target = Path(target)
    data = text.encode("utf-8")  # an unencodable text fails here, before anything is touched
    mode = _mode_for(target)
    _sweep(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _sync_directory(target.parent)


def _mode_for(target: Path) -> int:
    """The old file's permissions, or what a newly created file gets (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux shows it without changing it (setting it, even briefly, races with other threads)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sweep(target: Path) -> None:
    """Remove temporary files of ``target`` left by processes that no longer exist."""
    try:
        leftovers = list(target.parent.glob(f".{glob.escape(target.name)}.*-*.tmp"))
    except OSError:
        return
    for tmp in leftovers:
        pid = tmp.name[len(target.name) + 2:].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        try:
            tmp.unlink()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else, or we cannot tell
        return True
    return True


def _sync_directory(directory: Path) -> None:
    """Flush the rename itself to disk (best effort: not every system can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
