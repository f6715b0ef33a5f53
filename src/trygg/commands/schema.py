"""`trygg schema`: write or check the JSON Schemas."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def schema(
    directory: Path = typer.Option(Path("schemas"), "--dir", help="Katalogen schemana skrivs till."),
    check_only: bool = typer.Option(False, "--check", help="Skriv inget; avsluta med 1 om något schema är inaktuellt."),
    markdown: bool = typer.Option(False, "--markdown", help="Skriv filformatet som Markdown (docs/format.md) i stället."),
) -> int:
    """Skriv JSON Schema för varje dokumenttyp (för redigerare och andra verktyg)."""
    from trygg.schema import stale_schemas, write_schemas

    if markdown:
        from trygg.formatdocs import format_markdown

        sys.stdout.write(format_markdown())
        return 0

    if check_only:
        stale = stale_schemas(directory)
        for name in stale:
            sys.stdout.write(f"inaktuellt: {directory / name}\n")
        return 1 if stale else 0
    for changed in write_schemas(directory):
        sys.stdout.write(f"skrev {changed}\n")
    return 0


