"""Guards for the choices that keep importing the models and building their schemas cheap.

Each choice is explained where it is made (trygg.model and its modules); these tests keep a
later edit from undoing one silently. Nothing here is timed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pydantic

import trygg.model
from trygg.model import ProjectConfig
from trygg.model.config import Settings

MODEL_DIR = Path(trygg.model.__file__).parent


def test_model_modules_keep_annotations_evaluated() -> None:
    for path in sorted(MODEL_DIR.glob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert "from __future__ import annotations" not in lines, path.name


def test_no_field_uses_the_builtin_list_as_default_factory() -> None:
    from trygg.model import base, config, documents, measure, org

    for module in (base, config, documents, measure, org):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
                for name, field in value.model_fields.items():
                    assert field.default_factory is not list, f"{value.__name__}.{name}"


def test_missing_settings_equal_validated_defaults() -> None:
    config = ProjectConfig.model_validate({"kommun": "Exempelby", "kommunkod": "0184"})
    assert config.settings == Settings.model_validate({})
    assert config.settings.model_fields_set == set()
    assert config.settings.model_dump() == Settings.model_validate({}).model_dump()


def test_missing_settings_do_not_build_the_settings_validators() -> None:
    # In a fresh interpreter: other tests may already have built Settings.
    code = (
        "from trygg.model import ProjectConfig\n"
        "from trygg.model.config import RuleSettings, Settings, Thresholds\n"
        "ProjectConfig.model_validate({'kommun': 'Exempelby', 'kommunkod': '0184'})\n"
        "print([m.__pydantic_complete__ for m in (Settings, RuleSettings, Thresholds)])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[False, False, False]"
