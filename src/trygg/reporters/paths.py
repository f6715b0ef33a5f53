"""Paths as CI systems want them: relative to the root of the git checkout.

trygg reports paths relative to the directory holding ``trygg.yaml``. GitHub annotations,
SARIF and GitLab Code Quality resolve paths against the root of the checked-out repository,
which is a different directory when a municipality keeps its documents in a subdirectory.
The machine-facing reporters therefore prefix each path with where the trygg root sits in
the git work tree.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote


def checkout_root(root: Path) -> Path | None:
    """The nearest directory at or above ``root`` that holds ``.git`` (a directory, or a file
    for worktrees and submodules), or None when ``root`` is not inside a git work tree."""
    try:
        start = root.resolve()
    except OSError:
        return None
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def checkout_prefix(root: Path) -> str:
    """Where ``root`` sits in its git work tree, as ``"sub/dir/"``.

    ``""`` when it is the top of the work tree or not in one."""
    top = checkout_root(root)
    if top is None:
        return ""
    relative = root.resolve().relative_to(top).as_posix()
    return "" if relative == "." else relative + "/"


def as_uri_reference(path: str) -> str:
    """A relative path as a URI reference: percent-encoded (å, spaces, '#', '%'), '/' kept."""
    return quote(path, safe="/")
