"""Machine-readable findings, versioned: ``{"version": 1, "tool": …, "findings": […], "summary": …}``.

The shape is documented in docs/output-json.md; fields are only ever added within a version.
"""

from __future__ import annotations

import json
from typing import Any

from trygg import __version__
from trygg.check import CheckResult
from trygg.findings import Finding, Severity
from trygg.messages import render

JSON_VERSION = 1


def finding_dict(finding: Finding, lang: str) -> dict[str, Any]:
    r = render(finding.code, finding.params, lang)
    return {
        "code": finding.code,
        "name": r.title,
        "severity": finding.severity.value,
        "message": r.message,
        "hint": r.hint,
        "file": finding.location.path,
        "line": finding.location.line or None,
        "column": finding.location.column or None,
    }


def format_json(result: CheckResult, *, lang: str = "sv") -> str:
    doc = {
        "version": JSON_VERSION,
        "tool": {"name": "trygg", "version": __version__},
        "root": str(result.root),
        "today": result.today.isoformat(),
        "findings": [finding_dict(f, lang) for f in result.findings],
        "summary": {
            "files": result.files,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "info": result.count(Severity.INFO),
            "exit_code": result.exit_code,
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
