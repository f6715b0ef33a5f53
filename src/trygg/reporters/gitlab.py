"""GitLab Code Quality: a JSON array GitLab shows in merge requests and the pipeline.

GitLab matches issues between the source and target branch by ``fingerprint``, so it must
be the same for the same problem on every run and different for different problems: a hash
of the code, the path, the line and column and the message parameters (not the rendered
text, so ``--lang`` does not change it). Paths are relative to the git checkout.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from trygg.check import CheckResult
from trygg.findings import Finding, Severity
from trygg.messages import render
from trygg.reporters.paths import checkout_prefix

# GitLab's scale is info, minor, major, critical, blocker. A trygg error fails the run but is
# a documentation fault, not an outage: major, as most linters map their errors.
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def fingerprint(finding: Finding, path: str) -> str:
    """A stable hash of code, path, line, column and message parameters."""
    loc = finding.location
    params = json.dumps(finding.params, sort_keys=True, ensure_ascii=False, default=str)
    raw = "\0".join((finding.code, path, str(loc.line), str(loc.column), params))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue(finding: Finding, lang: str = "sv", prefix: str = "") -> dict[str, Any]:
    """One finding as a Code Quality issue."""
    r = render(finding.code, finding.params, lang)
    path = prefix + finding.location.path
    return {
        "type": "issue",
        "description": f"{finding.code} {r.message}",
        "check_name": finding.code,
        "fingerprint": fingerprint(finding, path),
        "severity": SEVERITIES[finding.severity],
        "location": {"path": path, "lines": {"begin": finding.location.line or 1}},
    }


def format_gitlab(result: CheckResult, *, lang: str = "sv", prefix: str | None = None) -> str:
    """Every finding as a Code Quality issue, in the check's order."""
    if prefix is None:
        prefix = checkout_prefix(result.root)
    issues = [issue(f, lang, prefix) for f in result.findings]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
