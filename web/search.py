"""The search page: the query box, results, facets, chips, the date histogram and the map."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request

from archive.search import SearchRequest, SearchResult
from web.db import get_archive, get_settings
from web.facets import Chip, FacetBlock, chips, facet_blocks
from web.histogram import Histogram, build_histogram
from web.home import render_home
from web.placemap import PlaceMap, build_map
from web.state import SearchState

bp = Blueprint("search", __name__)

SORT_LABELS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "oldest": "Oldest",
    "added": "Newest added",
}


@dataclass
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str | None
    current: bool = False


@dataclass
class SearchPage:
    """Everything the search template shows, built from one state and one result."""

    state: SearchState
    result: SearchResult
    facets: dict[str, FacetBlock]
    chips: list[Chip]
    histogram: Histogram | None
    map: PlaceMap | None
    pager: list[PageLink]
    sorts: list[tuple[str, str, str | None]]  # (value, label, url or None when current)
    suggestions: SearchResult | None  # the whole archive's facets, for an empty result
    suggested: list[tuple[str, list[tuple[str, str]]]]  # (title, [(label, url)])


def run_search(state: SearchState) -> SearchResult:
    """The search a state asks for (BadRequest for parameters no search can use)."""
    return get_archive().search(state.search_request(per_page=get_settings().page_size))


def pager(state: SearchState, result: SearchResult, around: int = 2) -> list[PageLink]:
    last = result.pages
    current = result.request.page
    if last <= 1 and current == 1:
        return []
    wanted = {1, last, *range(current - around, current + around + 1)}
    links: list[PageLink] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            links.append(PageLink(None, None))
        links.append(PageLink(number, state.set("page", str(number)).url(), number == current))
        previous = number
    return links


def build_page(state: SearchState, result: SearchResult) -> SearchPage:
    settings = get_settings()
    blocks = facet_blocks(state, result, settings.facet_size)
    sorts = []
    for value, label in SORT_LABELS.items():
        if value == "relevance" and not state.q:
            continue  # with no words every article is equally relevant
        url = None if value == state.sort else state.set("sort", value).url()
        sorts.append((value, label, url))
    suggestions = None
    suggested: list[tuple[str, list[tuple[str, str]]]] = []
    if result.total == 0:
        suggestions = get_archive().search(SearchRequest(sort="newest", per_page=1))
        for name, title, param in (("place", "Places", "place"), ("source", "Outlets", "source")):
            values = suggestions.facets.get(name, [])[:8]
            links = [(v.label, SearchState([(param, v.value)]).url()) for v in values]
            if links:
                suggested.append((title, links))
    return SearchPage(
        state=state,
        result=result,
        facets=blocks,
        chips=chips(state, result),
        histogram=build_histogram(blocks["date"], state),
        map=build_map(blocks["place"]),
        pager=pager(state, result),
        sorts=sorts,
        suggestions=suggestions,
        suggested=suggested,
    )


@bp.get("/")
def index():
    state = SearchState.from_args(request.args)
    if not state.pairs():
        return render_home()
    result = run_search(state)
    return render_template("search/index.html", page=build_page(state, result))
