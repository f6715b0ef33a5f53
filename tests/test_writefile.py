"""No data loss: :func:`trygg.writefile.write_atomic` replaces a file completely or not at all.

Each test breaks a write at a different moment (the data half written, the flush, the rename,
an interrupt, a SIGKILL of the whole process) and finds the old file byte for byte as it was,
and no temporary file left over.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trygg import writefile
from trygg.writefile import write_atomic

OLD = "typ: policy\nid: gammal\ntitel: Det som redan stod här\n"
NEW = "typ: policy\nid: ny\ntitel: Det nya åäö\n" * 1000
SRC = Path(__file__).parent.parent / "src"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    file = tmp_path / "dokument" / "plan.yaml"
    file.parent.mkdir()
    file.write_text(OLD, encoding="utf-8")
    os.chmod(file, 0o640)
    return file


def untouched(target: Path) -> None:
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(target.parent) == [target.name], "a temporary file was left behind"
    assert target.stat().st_mode & 0o777 == 0o640


def test_replaces_the_content_and_keeps_the_permissions(target: Path) -> None:
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW.encode("utf-8")
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(target.parent) == [target.name]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "ny.yaml", "a: 1\n")
    finally:
        os.umask(old)
    assert (tmp_path / "ny.yaml").stat().st_mode & 0o777 == 0o640  # 0666 less the umask, not 0600


def test_line_endings_are_written_as_given(tmp_path: Path) -> None:
    write_atomic(tmp_path / "crlf.yaml", "a: 1\r\nb: 2\r\n")
    assert (tmp_path / "crlf.yaml").read_bytes() == b"a: 1\r\nb: 2\r\n"


def test_the_rename_fails(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(src: str, dst: str) -> None:
        raise OSError(errno.EXDEV, "rename failed")

    monkeypatch.setattr(writefile.os, "replace", replace)
    with pytest.raises(OSError):
        write_atomic(target, NEW)
    untouched(target)


def test_the_flush_fails(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(writefile.os, "fsync", fsync)
    with pytest.raises(OSError):
        write_atomic(target, NEW)
    untouched(target)


def test_the_disk_fills_up_half_way(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    written: list[int] = []

    def write(fd: int, data: bytes) -> int:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(real(fd, bytes(data[: len(data) // 2])))
        return written[-1]

    monkeypatch.setattr(writefile.os, "write", write)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, NEW)
    untouched(target)


def test_interrupted_with_ctrl_c(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writefile.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    untouched(target)


def test_text_that_cannot_be_encoded_touches_nothing(target: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "titel: caf\udce9\n")  # a lone surrogate from a non-UTF-8 file name
    untouched(target)


def test_the_target_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "plan.yaml", NEW)
    assert os.listdir(tmp_path) == ["plan.yaml"]


def test_the_directory_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "saknas" / "plan.yaml", NEW)


def _killed_mid_write(target: Path, where: str) -> None:
    """Run write_atomic in a child process, stop it at ``where`` and kill it with SIGKILL."""
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(SRC)!r})
        import trygg.writefile as w
        real_write = os.write
        def pause(*args):
            print("ready", flush=True)
            time.sleep(60)
        if {where!r} == "write":  # half the data is on disk, then the process dies
            def write(fd, data):
                real_write(fd, bytes(data[: len(data) // 2]))
                os.fsync(fd)
                pause()
            w.os.write = write
        else:
            w.os.{where} = pause
        w.write_atomic(w.Path({str(target)!r}), {NEW!r})
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL")
@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_killed_half_way(target: Path, where: str) -> None:
    """A killed process cannot clean up: the old file is intact, the temporary file it leaves is
    hidden (trygg never reads it as a document) and the next write of the file removes it."""
    _killed_mid_write(target, where)
    assert target.read_text(encoding="utf-8") == OLD
    leftovers = [n for n in os.listdir(target.parent) if n != target.name]
    assert len(leftovers) == 1 and leftovers[0].startswith(".plan.yaml.") and leftovers[0].endswith(".tmp")
    write_atomic(target, NEW)
    assert target.read_text(encoding="utf-8") == NEW
    assert os.listdir(target.parent) == [target.name]


def test_a_live_writers_temporary_file_is_left_alone(target: Path) -> None:
    mine = target.parent / f".plan.yaml.{os.getppid()}-abcd1234.tmp"  # our parent: alive
    mine.write_text("halvfärdig", encoding="utf-8")
    write_atomic(target, NEW)
    assert mine.exists()
