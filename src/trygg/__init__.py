"""trygg: a municipality's safety and crime-prevention governance as version-controlled YAML.

Cheap to import: the public functions load their modules on first use, so that
``trygg --version`` does not pay for pydantic, jinja2 or git.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "check", "load"]


def load(path: Any) -> Any:
    """Load the municipality repository at or above ``path``; see :func:`trygg.repo.load_repository`."""
    from trygg.repo import load_repository

    return load_repository(path)


def check(path: Any, **options: Any) -> Any:
    """Check the repository at or above ``path``; see :func:`trygg.check.run_check`."""
    from trygg.check import run_check

    return run_check(path, **options)
