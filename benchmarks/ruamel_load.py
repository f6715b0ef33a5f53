"""The obvious baseline for issue 5's target 1: load every YAML file of a repository with ruamel.yaml
round-trip (YAML 1.2, line and column on every node) and do nothing else.

    python benchmarks/ruamel_load.py DIR

Files are found as ``trygg check`` finds them (every ``*.yaml``/``*.yml`` below DIR outside hidden
directories), without importing trygg, so this measures ruamel alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ruamel.yaml import YAML


def yaml_files(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / n for n in sorted(filenames)
                  if n.endswith((".yaml", ".yml")) and not n.startswith(".")]
    return found


def main(argv: list[str]) -> int:
    yaml = YAML(typ="rt")
    nodes = 0
    for file in yaml_files(Path(argv[0] if argv else ".")):
        with file.open("rb") as handle:
            data = yaml.load(handle)
        nodes += len(data) if data is not None else 0
    print(f"{nodes} top-level keys loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
