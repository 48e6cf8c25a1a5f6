"""The JSON API: the twin of every page, and adding articles with the editor token."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from archive.model import AddResult, Rejected
from archive.submissions import from_record
from web import security
from web.articles import article_page
from web.db import get_archive
from web.search import run_search
from web.state import SearchState

bp = Blueprint("api", __name__)

MAX_BATCH = 1000


@bp.get("/api/search")
def search():
    state = SearchState.from_args(request.args)
    result = run_search(state)
    data = result.to_json()
    data["pages"] = result.pages
    data["elapsed_ms"] = result.elapsed_ms
    return jsonify(data)


@bp.get("/api/articles/<article_id>")
def article(article_id: str):
    return jsonify(article_page(article_id).to_json())


@bp.get("/api/stats")
def stats():
    """What the archive holds: the home page's figures (no local paths)."""
    return jsonify(get_archive().overview())


def _error(code: int, message: str, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = code
    return response


@bp.post("/api/articles")
def add():
    access = security.write_access()
    if access.mode == "closed":
        return _error(403, access.describe())
    if not security.bearer_allows():
        response = _error(401, "Send the editor token: Authorization: Bearer <token>.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="archive"'
        return response
    if not request.is_json:
        return _error(415, "Send the article as JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    if body is None:
        return _error(400, "The request body is not valid JSON.")
    single = isinstance(body, dict)
    records = [body] if single else body
    if not isinstance(records, list) or not records:
        return _error(400, "Send a JSON object, or a non-empty list of them.")
    if len(records) > MAX_BATCH:
        return _error(413, f"At most {MAX_BATCH} articles per request.")
    items: list = []
    for number, record in enumerate(records, start=1):
        label = "request" if single else f"request[{number}]"
        try:
            items.append(from_record(record, label))
        except Rejected as err:
            items.append(AddResult(label, "rejected", reason=str(err)))
    results = list(get_archive().add_many(items))
    if single:
        outcome = results[0]
        if not outcome.ok:
            return _error(422, outcome.reason or "rejected", **outcome.to_json())
        return jsonify(outcome.to_json()), 200 if outcome.status == "duplicate" else 201
    counts: dict[str, int] = {}
    for outcome in results:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    status = 422 if all(not o.ok for o in results) else 200
    return jsonify({"results": [o.to_json() for o in results], "summary": counts}), status


@bp.get("/healthz")
def healthz():
    try:
        articles = get_archive().store.count()["articles"]
    except Exception:  # the check exists to say when the store cannot answer
        return _error(503, "The archive cannot be read.", status="unavailable")
    return jsonify(status="ok", articles=articles)
