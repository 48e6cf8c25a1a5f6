"""The archive the app serves: one `Archive` per process, shared by the request threads
(it is thread-safe for reading and serialises writes itself)."""

from __future__ import annotations

from flask import Flask, current_app

from archive.archive import Archive
from archive.settings import Settings


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions["archive"] = Archive.from_settings(settings)


def get_archive() -> Archive:
    return current_app.extensions["archive"]


def get_settings() -> Settings:
    return current_app.config["ARCHIVE_SETTINGS"]
