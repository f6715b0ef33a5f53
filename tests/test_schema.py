"""The committed JSON Schemas are current, every example validates against them with the
jsonschema library, and schemas and models agree on the invalid cases too."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from conftest import CASES, EXAMPLES
from trygg.load.fast import read_yaml
from trygg.schema import SCHEMA_NAMES, schemas, stale_schemas

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"


def test_committed_schemas_are_current() -> None:
    assert stale_schemas(SCHEMA_DIR) == [], "run `trygg schema` and commit schemas/"


def test_schema_check_command_reports_stale(tmp_path: Path, cli) -> None:
    assert cli("schema", "--dir", str(tmp_path), "--check").code == 1
    assert cli("schema", "--dir", str(tmp_path)).code == 0
    assert cli("schema", "--dir", str(tmp_path), "--check").code == 0
    (tmp_path / "policy.schema.json").write_text("{}", encoding="utf-8")
    run = cli("schema", "--dir", str(tmp_path), "--check")
    assert run.code == 1 and "policy.schema.json" in run.out


def _schema_for(file: Path, data: dict) -> dict:
    kind = "trygg.yaml" if file.name == "trygg.yaml" else data["typ"]
    return schemas()[f"{SCHEMA_NAMES[kind]}.schema.json"]


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.name != "expected.txt")


EXAMPLE_FILES = _yaml_files(EXAMPLES)


@pytest.mark.parametrize("file", EXAMPLE_FILES, ids=[str(p.relative_to(EXAMPLES)) for p in EXAMPLE_FILES])
def test_example_validates_against_schema(file: Path) -> None:
    loaded = read_yaml(file, file.name)
    assert loaded.findings == []
    validator = jsonschema.Draft202012Validator(_schema_for(file, loaded.data),
                                                format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(loaded.data)]
    assert errors == []


@pytest.mark.parametrize("file", EXAMPLE_FILES, ids=[str(p.relative_to(EXAMPLES)) for p in EXAMPLE_FILES])
def test_example_has_schema_modeline(file: Path) -> None:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    loaded = read_yaml(file, file.name)
    kind = "trygg.yaml" if file.name == "trygg.yaml" else loaded.data["typ"]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (file.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == (SCHEMA_DIR / f"{SCHEMA_NAMES[kind]}.schema.json").resolve()


SCHEMA_CASES = ["unknown-key", "unknown-key-folded", "wrong-type", "impossible-date", "date-format",
                "missing-field", "bad-time", "bad-config"]


@pytest.mark.parametrize("case", SCHEMA_CASES)
def test_schema_and_model_agree_on_invalid_cases(case: str) -> None:
    """Where trygg reports a schema error, the JSON Schema rejects the file too."""
    case_dir = CASES / "invalid" / case
    for file in _yaml_files(case_dir):
        loaded = read_yaml(file, file.name)
        validator = jsonschema.Draft202012Validator(_schema_for(file, loaded.data),
                                                    format_checker=jsonschema.FormatChecker())
        assert not validator.is_valid(loaded.data), file


def test_schema_and_model_agree_on_valid_base() -> None:
    for file in _yaml_files(CASES / "base"):
        loaded = read_yaml(file, file.name)
        validator = jsonschema.Draft202012Validator(_schema_for(file, loaded.data),
                                                    format_checker=jsonschema.FormatChecker())
        assert validator.is_valid(loaded.data), file


def test_docs_format_md_is_current() -> None:
    from trygg.formatdocs import format_markdown

    docs = Path(__file__).parent.parent / "docs" / "format.md"
    assert docs.read_text(encoding="utf-8") == format_markdown(), "run `trygg schema --markdown > docs/format.md`"


def test_every_key_of_every_model_is_in_the_format_docs() -> None:
    from trygg.formatdocs import format_markdown
    from trygg.model import ALL_TYPES, ProjectConfig
    from trygg.validate import model_at  # noqa: F401  (the same walk the validator uses)

    text = format_markdown()
    seen: set[type] = set()

    def keys(model: type) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            assert f"| `{field.alias or name}` |" in text, (model.__name__, name)

    for model in [ProjectConfig, *ALL_TYPES.values()]:
        keys(model)
