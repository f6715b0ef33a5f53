"""JSON Schemas for editors and peers, generated from the pydantic models.

One file per document ``typ`` plus trygg.yaml, named with ASCII names so that
modelines stay portable: ``# yaml-language-server: $schema=../../schemas/strategi.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_NAMES = {
    "policy": "policy", "strategi": "strategi", "riktlinjer": "riktlinjer", "program": "program",
    "samverkansöverenskommelse": "samverkansoverenskommelse", "lägesbild": "lagesbild",
    "åtgärdsplan": "atgardsplan", "organisationer": "organisationer", "trygg.yaml": "trygg",
}
SCHEMA_BASE = "https://trygg.invalid/schemas/"


def schemas() -> dict[str, dict[str, Any]]:
    """File name → schema for every document kind."""
    from trygg.model import ALL_TYPES, ProjectConfig

    models: dict[str, Any] = {**ALL_TYPES, "trygg.yaml": ProjectConfig}
    out = {}
    for kind, model in models.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        name = SCHEMA_NAMES[kind]
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "$id": f"{SCHEMA_BASE}{name}.schema.json", **schema}
        out[f"{name}.schema.json"] = schema
    return out


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory``, atomically; return the files that changed."""
    from trygg.writefile import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, schema in schemas().items():
        target = directory / name
        text = render_schema(schema)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)
            changed.append(target)
    return changed


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files missing or different from what the models generate."""
    stale = []
    for name, schema in schemas().items():
        target = directory / name
        if not target.exists() or target.read_text(encoding="utf-8") != render_schema(schema):
            stale.append(name)
    return stale
