"""The JSON API: the twin of every page, and adding articles with the editor token."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, jsonify, request

from archive.curation import CurationError, NotFound
from archive.model import AddResult, Rejected
from archive.submissions import from_record
from web import security
from web.articles import article_page
from web.db import get_archive
from web.search import run_search
from web.state import SearchState

bp = Blueprint("api", __name__)
log = logging.getLogger(__name__)

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


def _refused():
    """The answer to a write without the editor token, or None when it may go ahead."""
    access = security.write_access()
    if access.mode == "closed":
        return _error(403, access.describe())
    if not security.bearer_allows():
        response = _error(401, "Send the editor token: Authorization: Bearer <token>.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="archive"'
        return response
    return None


@bp.post("/api/articles")
def add():
    body, refused = _editor_json("the article")
    if refused:
        return refused
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
            reason = str(err) if single else f"item {number}: {err}"
            items.append(AddResult(label, "rejected", reason=reason))
    results, failure = _add_all(items)
    if single and not failure:
        outcome = results[0]
        if not outcome.ok:
            return _error(422, outcome.reason or "rejected", **outcome.to_json())
        return jsonify(outcome.to_json()), 200 if outcome.status == "duplicate" else 201
    return _batch_answer(items, results, failure)


@bp.patch("/api/articles/<article_id>")
def correct(article_id: str):
    """Change metadata fields, and `"places": {"remove": [...], "add": [...]}`: all checked
    first, so a bad value changes nothing."""
    body, refused = _editor_json("the fields to change")
    if refused:
        return refused
    if not isinstance(body, dict) or not body:
        return _error(400, "Send a JSON object of the fields to change.")
    places = body.pop("places", None) or {}
    if not isinstance(places, dict) or set(places) - {"remove", "add"}:
        return _error(400, 'places: send {"remove": [...], "add": [...]}')
    remove, add_ = places.get("remove") or [], places.get("add") or []
    if not all(isinstance(v, list) and all(isinstance(p, str) for p in v) for v in (remove, add_)):
        return _error(400, "places: remove and add are lists of place names or GeoNames ids")
    archive = get_archive()
    try:
        changes = archive.curation.correct(
            article_id, body, remove, add_, editor=security.editor_name()
        )
    except CurationError as err:
        return _error(400, str(err))
    except NotFound as err:
        return _error(404, str(err))
    return jsonify({"changes": changes, "article": article_page(article_id).to_json()})


@bp.delete("/api/articles/<article_id>")
def delete(article_id: str):
    """Delete (hide) an article; `?why=` or a JSON `{"why"}` says why."""
    refused = _refused()
    if refused:
        return refused
    body = request.get_json(silent=True) if request.is_json else None
    why = (body or {}).get("why") if isinstance(body, dict) else None
    why = why if isinstance(why, str) else request.args.get("why")
    try:
        change = get_archive().curation.delete(article_id, security.editor_name(), why)
    except CurationError as err:
        return _error(400, str(err))
    except NotFound as err:
        return _error(404, str(err))
    return jsonify({"deleted": article_id, "change": change})


@bp.post("/api/articles/<article_id>/restore")
def restore(article_id: str):
    """Bring a deleted article back everywhere."""
    refused = _refused()
    if refused:
        return refused
    try:
        change = get_archive().curation.restore(article_id, security.editor_name())
    except CurationError as err:
        return _error(400, str(err))
    except NotFound as err:
        return _error(404, str(err))
    return jsonify({"restored": article_id, "change": change})


def _editor_json(what: str):
    """(the request's JSON body, None), or (None, the answer refusing it): no editor's
    token, not sent as JSON, or not readable as JSON."""
    refused = _refused()
    if refused:
        return None, refused
    if not request.is_json:
        return None, _error(415, f"Send {what} as JSON (Content-Type: application/json).")
    body, problem = _json_body()
    if problem:
        return None, _error(400, problem)
    return body, None


def _json_body() -> tuple[object, str | None]:
    """The request's JSON, or why it cannot be read (deep nesting included)."""
    try:
        return json.loads(request.get_data()), None
    except RecursionError:
        return None, "The request body is nested too deeply to read."
    except ValueError:  # JSON and UTF-8 errors both
        return None, "The request body is not valid JSON."


def _add_all(items: list) -> tuple[list[AddResult], str | None]:
    """Each item's result as it is committed; if the archive fails part-way, the results so
    far are kept (those articles are stored) with what went wrong."""
    results: list[AddResult] = []
    try:
        for result in get_archive().add_many(items):
            results.append(result)
    except Exception as err:  # noqa: BLE001 - reported with what was stored before it
        log.exception("adding a batch failed after %d items", len(results))
        return results, f"The archive failed after {len(results)} items ({type(err).__name__})."
    return results, None


ITEM_STATUS = {"added": 201, "duplicate": 200, "near-duplicate": 201, "rejected": 422}


def _batch_answer(items: list, results: list[AddResult], failure: str | None):
    """201 when every item was added, else 207 (multi-status) with each item's own status;
    a failure part-way reports the items it never reached as not done (500)."""
    out = []
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        out.append({**result.to_json(), "code": ITEM_STATUS.get(result.status, 200)})
    for item in items[len(results) :]:
        name = item.name if hasattr(item, "name") else "request"
        counts["not done"] = counts.get("not done", 0) + 1
        out.append({"name": name, "status": "not done", "id": None, "code": 500})
    body: dict = {"results": out, "summary": counts}
    if failure:
        body["error"] = failure
        stored = sum(r.ok for r in results)
        body["stored"] = stored  # never "nothing was changed" when these were
    all_added = not failure and all(r.status == "added" for r in results)
    return jsonify(body), 201 if all_added else 207


@bp.get("/healthz")
def healthz():
    try:
        articles = get_archive().store.count()["articles"]
    except Exception:  # the check exists to say when the store cannot answer
        return _error(503, "The archive cannot be read.", status="unavailable")
    return jsonify(status="ok", articles=articles)
