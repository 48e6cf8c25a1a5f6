"""The web archive: a Flask app over the same `Archive` the CLI uses."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask, g, jsonify, render_template, request

from archive.archive import Archive
from archive.search import SearchRequest
from archive.settings import Settings
from web.security import WriteAccess, write_access_for


def create_app(settings: Settings | None = None, *, write_access: WriteAccess | None = None):
    """The app factory: one `Archive` per process, shared by its request threads."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        ARCHIVE_SETTINGS=settings,
    )
    app.extensions["archive"] = Archive(settings.data_dir, ingest_batch=settings.ingest_batch)
    app.extensions["write_access"] = write_access or write_access_for(
        "127.0.0.1", settings.editor_token
    )

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/")
    def search_page():
        result = app.extensions["archive"].search(SearchRequest(q=request.args.get("q", "")))
        g.result = result
        return render_template("search.html", result=result)

    return app
