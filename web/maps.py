"""The full-page map of a search's places: `/map?` + the search's parameters, and its JSON
twin `/api/map`. Without JavaScript it is the SVG map fitted to every place with a list of
them; with it, the vendored Leaflet zooms and pans (mouse, touch, keyboard) and clusters."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, jsonify, render_template, request

from archive.places import get_place
from web.db import get_archive, get_settings
from web.facets import FACETS, FacetItem
from web.placemap import build_map
from web.state import SearchState

bp = Blueprint("maps", __name__)


def _places(state: SearchState):
    """The search's result with every place it names (not only the sidebar's 50)."""
    search = state.search_request(per_page=get_settings().page_size)
    result = get_archive().search(replace(search, page=1, per_page=0, facet_limit=None))
    block = FACETS["place"](state, result, 10**6).block()
    return result, block


def map_points(block) -> list[dict]:
    """Every mappable place of a place facet block: cities and regions, and a country only
    when none of its places is listed (its count already holds theirs)."""
    points = []
    for top in block.items + block.more:
        kids: list[FacetItem] = top.children + top.more_children
        for item in kids or [top]:
            place = get_place(item.value)
            if place is None or place.lat is None or place.lon is None:
                continue
            if place.kind == "continent":
                continue
            points.append(
                {
                    "id": item.value,
                    "name": item.label.split(" · ")[0],
                    "label": item.label if kids == [] else f"{item.label} · {top.label}",
                    "kind": place.kind,
                    "lat": place.lat,
                    "lon": place.lon,
                    "count": item.count,
                    "selected": item.selected,
                    "url": item.url,
                }
            )
    return sorted(points, key=lambda p: -p["count"])


@bp.get("/map")
def show():
    state = SearchState.from_args(request.args)
    result, block = _places(state)
    points = map_points(block)
    return render_template(
        "maps/show.html",
        state=state,
        result=result,
        points=points,
        place_map=build_map(block, fit_all=True),
        api_url=state.url("maps.api"),
    )


@bp.get("/api/map")
def api():
    state = SearchState.from_args(request.args)
    result, block = _places(state)
    return jsonify(
        {
            "query": state.q,
            "total": result.total,
            "results": state.url(),
            "places": map_points(block),
        }
    )
