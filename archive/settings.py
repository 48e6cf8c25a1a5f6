"""Every setting in one place: its default, its environment variable and a line of help."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return f"ARCHIVE_{self.name.upper()}"


SETTINGS = (
    Setting("data_dir", "index", "The data directory: articles.sqlite3 and whoosh/."),
    Setting(
        "database_url",
        "",
        "A PostgreSQL database to keep the articles and their search index in "
        "(postgresql://user@host/db) instead of articles.sqlite3 and whoosh/.",
    ),
    Setting(
        "editor_token",
        "",
        "Token that allows adding articles. Empty: on a loopback-only server writes stay "
        "open to the local user; on any other address adding is disabled (and says so).",
    ),
    Setting("secret_key", "", "Key that signs session cookies; generated per process if empty."),
    Setting("page_size", 20, "Search results per page."),
    Setting("facet_size", 10, "Facet values shown before “show more”."),
    Setting("max_upload_mb", 20, "Largest request body the web app accepts, in MB."),
    Setting("session_hours", 12, "How long an editor's sign-in lasts, in hours."),
    Setting(
        "ingest_batch",
        2000,
        "Articles stored before bulk ingest commits them to the index, in a background "
        "process while it stores the next ones (it also commits every 30 seconds).",
    ),
    Setting(
        "search_cache_mb",
        48,
        "Memory for decoded posting lists kept between searches, in MB (0: none). A search "
        "refined by a filter or turned to the next page reads the same words again.",
    ),
)


@dataclass(frozen=True)
class Settings:
    data_dir: str = "index"
    database_url: str = ""
    editor_token: str = ""
    secret_key: str = ""
    page_size: int = 20
    facet_size: int = 10
    max_upload_mb: int = 20
    session_hours: int = 12
    ingest_batch: int = 2000
    search_cache_mb: int = 48

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Defaults, then ARCHIVE_* environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for setting in SETTINGS:
            raw = os.environ.get(setting.env)
            if raw is not None and raw != "":
                kind = type(setting.default)
                values[setting.name] = kind(raw) if kind is not str else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
