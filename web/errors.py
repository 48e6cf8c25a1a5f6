"""Friendly error answers: a page for people, JSON for the API. Never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

TITLES = {
    400: "That request did not make sense",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not possible here",
    413: "Too large",
    415: "Wrong kind of content",
    422: "Nothing could be added",
    500: "Something went wrong",
    503: "The archive is unavailable",
}


def _message(error: HTTPException) -> str:
    if error.code == 413:
        limit = request.max_content_length or 0
        return (
            f"That upload is larger than the {limit // 2**20} MB this archive accepts in one "
            "go. Nothing was added. Add fewer or smaller files at a time (ARCHIVE_MAX_UPLOAD_MB "
            "sets the limit)."
        )
    if error.code == 404 and error.description == _DEFAULT_404:
        return "There is no page at this address. Try a search instead."
    if error.code == 500:
        return "The archive could not answer this request. Nothing was changed."
    return error.description or ""


_DEFAULT_404 = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(error: HTTPException):
    code = error.code or 500
    message = _message(error)
    if wants_json():
        response = jsonify(error=message, status=code)
        response.status_code = code
    else:
        response = (
            render_template(
                "errors/error.html", code=code, title=TITLES.get(code, error.name), message=message
            ),
            code,
        )
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return render_error(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())
