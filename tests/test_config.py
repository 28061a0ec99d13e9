"""Settings: our POSTINGS_* names, Slack's own names, secrets kept secret, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_postings_variables_and_slack_names_are_read(monkeypatch):
    monkeypatch.setenv("POSTINGS_SOURCE_DIRS", "a, b/c")
    monkeypatch.setenv("POSTINGS_ALLOWED_CHANNEL_IDS", "C1,C2")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-a-real-token")
    monkeypatch.setenv("SLACK_API_BASE_URL", "http://127.0.0.1:9/api")
    settings = load_settings()
    assert settings.source_dirs == [Path("a"), Path("b/c")]
    assert settings.allowed_channel_ids == ["C1", "C2"]
    assert settings.slack_bot_token.get_secret_value() == "xoxb-not-a-real-token"
    assert settings.slack_api_base_url == "http://127.0.0.1:9/api/"


def test_secrets_never_show_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t-signing-value")
    assert "s3cr3t-signing-value" not in repr(load_settings())


def test_an_invalid_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("POSTINGS_PORT", "not-a-port")
    with pytest.raises(SettingsError, match="POSTINGS_PORT"):
        load_settings()
    monkeypatch.delenv("POSTINGS_PORT")
    monkeypatch.setenv("SLACK_API_BASE_URL", "slack.com/api")
    with pytest.raises(SettingsError, match="SLACK_API_BASE_URL"):
        load_settings()


def test_a_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("POSTINGS_TOP_K=7\n")
    assert load_settings().top_k == 7
