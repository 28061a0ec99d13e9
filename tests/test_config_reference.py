"""docs/configuration.md is generated from Settings and must not drift from it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from config.settings import Settings, env_name

REPO = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("config_reference", REPO / "scripts" / "config_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def test_the_committed_configuration_reference_is_current():
    committed = GENERATOR.OUTPUT.read_text(encoding="utf-8") if GENERATOR.OUTPUT.exists() else ""
    assert committed == GENERATOR.render(), (
        f"docs/configuration.md is stale (config/settings.py changed); regenerate it with: {GENERATOR.COMMAND}"
    )


def test_every_setting_is_listed_with_its_variable_default_and_meaning():
    text = GENERATOR.render()
    for name, field in Settings.model_fields.items():
        [row] = [line for line in text.splitlines() if line.startswith(f"| `{env_name(name)}`")]
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert len(cells) == 4, row
        assert cells[2], f"{name} has no default shown"
        assert field.description and field.description.split("(")[0].strip() in cells[3]


def test_secrets_are_marked_and_show_no_value():
    text = GENERATOR.render()
    for variable in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "POSTINGS_REDIS_URL"):
        [row] = [line for line in text.splitlines() if line.startswith(f"| `{variable}`")]
        assert "🔒" in row and "| unset |" in row


def test_check_mode_names_the_command_when_the_file_is_stale(tmp_path, capsys):
    stale = tmp_path / "configuration.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert GENERATOR.main(["--check", "--output", str(stale)]) == 1
    assert GENERATOR.COMMAND in capsys.readouterr().err
    assert GENERATOR.main(["--output", str(stale)]) == 0
    assert GENERATOR.main(["--check", "--output", str(stale)]) == 0
