"""The web archive: a Flask app over the same `Archive` the CLI uses."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask

from archive.settings import Settings
from web import (
    add,
    api,
    articles,
    auth,
    curation,
    db,
    errors,
    facet_pages,
    feeds,
    guide,
    maps,
    search,
    security,
    templating,
)
from web.security import WriteAccess, write_access_for


def create_app(
    settings: Settings | None = None,
    *,
    write_access: WriteAccess | None = None,
    test_config: dict | None = None,
) -> Flask:
    """The app factory. Without `write_access`, writes need the editor token, or are refused
    when none is set (`archive serve` opens them to the local user on a loopback address)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    limit = settings.max_upload_mb * 1024 * 1024
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=limit,
        MAX_FORM_MEMORY_SIZE=limit,  # a long pasted article is form text, not a file
        SESSION_COOKIE_NAME="archive_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        ARCHIVE_SETTINGS=settings,
    )
    app.config.update(test_config or {})
    app.json.sort_keys = False  # keep the documented field order of the JSON contracts
    db.init_app(app, settings)
    security.init_app(app, write_access or write_access_for("0.0.0.0", settings.editor_token))
    errors.init_app(app)
    templating.init_app(app)
    for module in (search, articles, add, auth, curation, api, feeds, facet_pages, maps, guide):
        app.register_blueprint(module.bp)
    return app
