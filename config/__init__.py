"""Settings for postings-bot, read from the environment and a .env file."""

from config.settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "load_settings"]
