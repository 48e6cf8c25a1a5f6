"""The home page: what the archive holds (counts, the date span, what was added last, the
busiest places and outlets, a histogram of every article by date) and how to search it."""

from __future__ import annotations

from flask import render_template

from web.db import get_archive, get_settings
from web.facets import facet_blocks
from web.histogram import build_histogram
from web.placemap import build_map
from web.state import SearchState


def render_home() -> str:
    state = SearchState()
    archive = get_archive()
    summary = archive.overview()
    everything = archive.search(state.search_request(per_page=0))
    blocks = facet_blocks(state, everything, get_settings().facet_size)
    places = [(v, SearchState([("place", v["value"])]).url()) for v in summary["busiest_places"]]
    outlets = [(v, SearchState([("source", v["value"])]).url()) for v in summary["busiest_outlets"]]
    return render_template(
        "home/index.html",
        state=state,
        summary=summary,
        places=places,
        outlets=outlets,
        histogram=build_histogram(blocks["date"], state),
        place_map=build_map(blocks["place"], fit_all=True),
        browse_url=SearchState([("sort", "newest")]).url(),
    )
