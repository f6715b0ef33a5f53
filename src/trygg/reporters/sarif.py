"""SARIF 2.1.0, the format GitHub code scanning and many editors read.

A SARIF log carries rule metadata next to the results, so a reviewer who meets ``S102`` in
the code-scanning view can read what it means without trygg installed. Rule metadata comes
from the message catalogue (every code trygg can report) and, where the rule registry
documents a rule, from its docstring and default severity. Locations are relative to the
git checkout (``%SRCROOT%``), because that is what code scanning resolves paths against.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections import Counter
from pathlib import Path
from typing import Any

from trygg import __version__
from trygg.check import CheckResult
from trygg.findings import Finding, Location, Severity
from trygg.messages import CATALOGUE, codes, render, ui
from trygg.reporters.paths import as_uri_reference, checkout_prefix, checkout_root

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Placeholder until the project has a public home; the same reserved host as the schema ids.
INFORMATION_URI = "https://trygg.invalid/"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Reading, schema and reference findings are always errors; rule codes default to warning
# unless the rule registry says otherwise.
_ALWAYS_ERRORS = ("Y", "S", "R")


def _generic(template: str) -> str:
    """A message template with its fields shown as '…': "Okänd nyckel '…'"."""
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            parts.append("…")
    return "".join(parts)


def _sentences(*parts: str) -> str:
    """Join texts as sentences: "A" + "B." → "A. B."; "A?" + "B." → "A? B."."""
    return " ".join(p if p.endswith((".", "?", "!", "…")) else p + "." for p in parts if p)


def _registry() -> dict[str, Any]:
    """The rule registry of trygg.rules (code → rule with ``severity`` and ``doc``) when it has
    one; the catalogue alone is enough when it has not."""
    import importlib

    registry = getattr(importlib.import_module("trygg.rules"), "REGISTRY", None)
    return dict(registry) if isinstance(registry, dict) else {}


def rule_descriptor(code: str, lang: str, registered: Any = None) -> dict[str, Any]:
    """The SARIF reportingDescriptor for one code."""
    entry = CATALOGUE.get(code, {})
    texts = entry.get(lang) or entry.get("sv") or (code, code)
    title, message = texts[0], _generic(texts[1])
    hints = [h for h in (_generic(t) for t in reversed(texts[2:])) if h.strip("… ")]
    help_text = hints[0] if hints else message
    if registered is not None:
        severity = registered.severity
    else:
        severity = Severity.ERROR if code.startswith(_ALWAYS_ERRORS) else Severity.WARNING
    doc = getattr(registered, "doc", "") or ""
    full = doc.split("\n\n")[0].replace("\n", " ") if doc else _sentences(message, help_text)
    descriptor: dict[str, Any] = {
        "id": code,
        "name": title,
        "shortDescription": {"text": message},
        "fullDescription": {"text": full},
        "help": {"text": f"{help_text}\n\n{doc}" if doc else help_text},
        "defaultConfiguration": {"level": LEVELS[severity]},
    }
    if doc:
        descriptor["help"]["markdown"] = doc
    return descriptor


def _fingerprint(finding: Finding, uri: str, source_line: str) -> str:
    """Stable across runs and line moves: code, file, the stripped source line and the
    message parameters (not the rendered text, so ``--lang`` does not change it)."""
    params = json.dumps(finding.params, sort_keys=True, ensure_ascii=False, default=str)
    raw = "\0".join((finding.code, uri, source_line.strip(), params))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _physical(location: Location, prefix: str) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": as_uri_reference(prefix + location.path), "uriBaseId": SRCROOT}}
    if location.line:
        region = {"startLine": location.line}
        if location.column:
            region["startColumn"] = location.column
        physical["region"] = region
    return physical


def format_sarif(result: CheckResult, *, lang: str = "sv", prefix: str | None = None) -> str:
    """The whole check as one SARIF log with a single run."""
    if prefix is None:
        prefix = checkout_prefix(result.root)
    registry = _registry()
    all_codes = sorted(set(codes()) | set(registry) | {f.code for f in result.findings})
    index = {code: i for i, code in enumerate(all_codes)}
    lines: dict[str, list[str]] = {}
    if result.sources:
        lines = {path: text.splitlines() for path, text in result.sources.items()}
    seen: Counter[str] = Counter()
    results = []
    for finding in result.findings:
        r = render(finding.code, finding.params, lang)
        text = r.message if not r.hint else f"{r.message}\n{ui('hint', lang)}: {r.hint}"
        item: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": text},
        }
        loc = finding.location
        if loc.path:
            item["locations"] = [{"physicalLocation": _physical(loc, prefix)}]
            source = lines.get(loc.path, [])
            line_text = source[loc.line - 1] if 0 < loc.line <= len(source) else ""
            digest = _fingerprint(finding, prefix + loc.path, line_text)
            seen[digest] += 1
            item["partialFingerprints"] = {"trygg/v1": f"{digest}:{seen[digest]}"}
        related = [{"id": i, "physicalLocation": _physical(rel, prefix)}
                   for i, rel in enumerate(finding.related) if rel.path]
        if related:
            item["relatedLocations"] = related
        results.append(item)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "trygg",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "language": lang,
            "rules": [rule_descriptor(code, lang, registry.get(code)) for code in all_codes],
        }},
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    base = _base_uri(result.root)
    if base is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base}}
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _base_uri(root: Path) -> str | None:
    """``file:///…/`` of the checkout (or of the trygg root outside git), when it is on disk."""
    top = checkout_root(root) or (root.resolve() if root.is_dir() else None)
    if top is None:
        return None
    uri = top.as_uri()
    return uri if uri.endswith("/") else uri + "/"
