"""Every value of a facet: `/facets/<name>` lists them all for a search, a page at a time,
with a finder ("find an outlet"); `/api/facets/<name>` is its JSON twin."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, abort, jsonify, render_template, request, url_for

from archive.search import FACET_PAGE_SIZE, facet_page
from web.db import get_archive, get_settings
from web.facets import FacetItem, facet_class, paged
from web.labels import language_name
from web.state import MAX_PAGE, SearchState

bp = Blueprint("facets", __name__)
MAX_FIND_CHARS = 200


def _page_of(name: str):
    if name not in paged():
        abort(404, description=f"There is no facet “{name}”; try {', '.join(paged())}.")
    state = SearchState.from_args(request.args)
    find = request.args.get("find", "").strip()[:MAX_FIND_CHARS]
    raw = request.args.get("fpage", "1")
    number = int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1
    search = replace(state.search_request(per_page=get_settings().page_size), page=1, per_page=0)
    result = get_archive().search(replace(search, facet_limit=None))
    labels = None
    if name == "language":  # a language is found by its name as well as its code
        labels = {v.value: language_name(v.value) for v in result.facets.get("language", [])}
    found = facet_page(result, name, find, number, FACET_PAGE_SIZE, labels)
    return state, result, found


@bp.get("/facets/<name>")
def show(name: str):
    state, result, found = _page_of(name)
    facet = facet_class(name)(state, result, FACET_PAGE_SIZE)
    items: list[FacetItem] = [facet.item(v) for v in found.values]

    def page_url(number: int) -> str:
        args = [*state.pairs(), ("find", found.find), ("fpage", str(number))]
        return _url(name, [(k, v) for k, v in args if v and not (k == "fpage" and v == "1")])

    return render_template(
        "facets/show.html",
        state=state,
        facet=facet,
        found=found,
        items=items,
        total=result.total,
        page_url=page_url,
    )


def _url(name: str, pairs) -> str:
    base = url_for("facets.show", name=name)
    return f"{base}?{urlencode(pairs)}" if pairs else base


@bp.get("/api/facets/<name>")
def api(name: str):
    state, result, found = _page_of(name)
    facet = facet_class(name)(state, result, FACET_PAGE_SIZE)
    data = found.to_json()
    for value, shown in zip(data["values"], found.values, strict=True):
        item = facet.item(shown)
        value["label"], value["url"], value["selected"] = item.label, item.url, item.selected
    return jsonify(data)
