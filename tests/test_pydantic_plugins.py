"""trygg never pays for looking for pydantic plugins it does not use, and never hides one a user's
own code asks for (trygg.pydantic_plugins)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import TODAY, write_repo

PLUGIN = """
calls = []


class Plugin:
    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, settings):
        calls.append(schema_type.__name__)
        return None, None, None


plugin = Plugin()
"""


def _python(code: str, path: Path, **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    clean["PYTHONPATH"] = os.pathsep.join([str(path), clean.get("PYTHONPATH", "")])
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**clean, **env})
    return run.stdout.strip().splitlines()


def _installed_plugin(tmp_path: Path) -> Path:
    """A pydantic plugin installed the way a package installs one: an entry point."""
    (tmp_path / "spion.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "spion-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spion\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\nspion = spion:plugin\n", encoding="utf-8")
    return tmp_path


def test_a_check_imports_no_package_metadata(tmp_path: Path) -> None:
    """With plugins disabled for every validator trygg and typer build, the plugin loader (and
    importlib.metadata, ~20 ms) is never imported during a check."""
    root = write_repo(tmp_path / "r", {})
    code = ("import sys\nfrom trygg.cli import main\n"
            f"main(['check', {str(root)!r}, '--today', {TODAY!r}, '--no-cache', '--jobs', '1'])\n"
            "print('importlib.metadata' in sys.modules, 'pydantic.plugin._loader' in sys.modules)\n")
    assert _python(code, tmp_path)[-1] == "False False"


def test_a_plugin_the_users_own_models_ask_for_is_still_found(tmp_path: Path) -> None:
    """The stand-in answers only what the real loader would answer without looking: a model built
    with plugins enabled gets the installed plugin, inside the stand-in's time as after it."""
    path = _installed_plugin(tmp_path)
    code = ("import pydantic\nfrom trygg.pydantic_plugins import plugin_loader_on_demand, without_pydantic_plugins\n"
            "import spion\n"
            "with plugin_loader_on_demand():\n"
            "    with without_pydantic_plugins():\n"
            "        pydantic.TypeAdapter(int)\n"
            "    print(spion.calls)\n"
            "    pydantic.TypeAdapter(str)\n"
            "    print(spion.calls)\n"
            "pydantic.TypeAdapter(float)\n"
            "print(spion.calls)\n")
    assert _python(code, path) == ["[]", "['str']", "['str', 'float']"]


def test_plugins_disabled_by_name_are_left_to_pydantic(tmp_path: Path) -> None:
    path = _installed_plugin(tmp_path)
    code = ("import pydantic\nfrom trygg.pydantic_plugins import plugin_loader_on_demand\nimport spion\n"
            "with plugin_loader_on_demand():\n"
            "    pydantic.TypeAdapter(int)\n"
            "print(spion.calls)\n")
    assert _python(code, path, PYDANTIC_DISABLE_PLUGINS="spion") == ["[]"]
    assert _python(code, path, PYDANTIC_DISABLE_PLUGINS="annan") == ["['int']"]

