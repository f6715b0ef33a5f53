"""What the loader knows about text before any YAML is parsed: where lines break, how large a
file may be, how to show a path that is not UTF-8.

Kept apart from :mod:`trygg.load.fast` so that what needs only these – a warm (cached) check,
the text reporter quoting a source line – does not import PyYAML.
"""

from __future__ import annotations

import re

# No governing document comes near this; reading more would take seconds and gigabytes.
MAX_FILE_BYTES = 10 * 1024 * 1024
# Deeper nesting than this is refused (Y109) before anything recurses over it.
MAX_DEPTH = 200

# Line breaks as YAML (and libyaml's marks) count them.
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Where str.splitlines breaks a line and YAML does not. Splitting with BREAK walks the
# regular expression over every character, three times as long as the rest of reading a file.
OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e"


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML numbers them: str.splitlines also breaks at \\x0b, \\x0c and
    \\x1c-\\x1e, which would put findings on the wrong line after such a character."""
    if not any(c in text for c in OTHER_BREAKS):  # the usual case, where str.splitlines agrees
        return text.splitlines()
    lines = BREAK.split(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines


def strip_bom(raw: bytes) -> bytes:
    """The bytes without a UTF-8 byte-order mark: YAML allows one, and it is not part of the text."""
    return raw.removeprefix(b"\xef\xbb\xbf")


def printable_path(display: str) -> str:
    """A path that is valid text: a file name that is not UTF-8 reaches us with its bytes as lone
    surrogates (Python's surrogateescape), which no reporter or output file can encode."""
    try:
        display.encode("utf-8")
        return display
    except UnicodeEncodeError:
        return display.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
