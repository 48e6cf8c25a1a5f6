"""The URL is the state: parsing search parameters and building links one change at a time."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from web.state import MAX_PAGE, SearchState


@pytest.fixture(autouse=True)
def _request_context():
    app = Flask(__name__)
    app.add_url_rule("/", "search.index")
    app.add_url_rule("/api/search", "api.search")
    with app.test_request_context():
        yield


def state(query: str) -> SearchState:
    pairs = [tuple(p.split("=", 1)) for p in query.split("&") if p]
    return SearchState.from_args(MultiDict(pairs))


def test_parameters_are_kept_in_one_order_and_unknown_ones_dropped():
    s = state("page=2&place=1&utm=x&q=homs&lang=en&place=2")
    assert s.query_string == "q=homs&place=1&place=2&lang=en&page=2"


def test_empty_and_repeated_values_are_dropped():
    s = state("q=&place=1&place=1&place=&sort=newest&sort=oldest")
    assert s.query_string == "place=1&sort=newest"


def test_adding_a_filter_starts_again_at_page_one():
    s = state("q=homs&page=3")
    assert s.add("place", "7").url() == "/?q=homs&place=7"


def test_removing_and_toggling_change_only_that_value():
    s = state("q=homs&place=1&place=2&source=FT")
    assert s.remove("place", "1").url() == "/?q=homs&place=2&source=FT"
    assert s.toggle("place", "2", True).url() == "/?q=homs&place=1&source=FT"
    assert s.toggle("lang", "en", False).url() == "/?q=homs&place=1&place=2&source=FT&lang=en"


def test_set_replaces_and_page_links_keep_the_rest():
    s = state("q=homs&sort=oldest&page=2")
    assert s.set("sort", "newest").url() == "/?q=homs&sort=newest"
    assert s.set("page", "3").url() == "/?q=homs&sort=oldest&page=3"
    assert s.set("sort", None).url() == "/?q=homs"


def test_clear_filters_keeps_words_and_sort():
    s = state("q=homs&place=1&source=FT&from=2024&to=2025&sort=oldest&page=4")
    assert s.clear_filters().url() == "/?q=homs&sort=oldest"
    assert state("").url() == "/"


def test_values_are_encoded_in_links():
    s = SearchState([("q", 'a&b="c" <d>'), ("source", "Le Monde")])
    assert s.url("api.search") == "/api/search?q=a%26b%3D%22c%22+%3Cd%3E&source=Le+Monde"


def test_sort_defaults_to_relevance_for_words_and_newest_without():
    assert state("q=homs").sort == "relevance"
    assert state("").sort == "newest"
    assert state("sort=oldest").search_request(20).sort == "oldest"


def test_search_request_carries_every_filter():
    r = state("q=homs&place=Deraa&source=FT&lang=en&from=2024-12&to=2024&page=2").search_request(7)
    assert (r.q, r.places, r.sources, r.languages) == ("homs", ["Deraa"], ["FT"], ["en"])
    assert (r.date_from, r.date_to, r.page, r.per_page) == ("2024-12", "2024", 2, 7)


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", f"page={MAX_PAGE + 1}", "sort=best", "page=1e3"],
)
def test_values_no_search_can_use_are_bad_requests(query):
    with pytest.raises(BadRequest):
        state(query).search_request(20)


def test_too_many_filters_or_too_long_a_query_are_bad_requests():
    with pytest.raises(BadRequest):
        SearchState([("place", str(n)) for n in range(21)]).search_request(20)
    with pytest.raises(BadRequest):
        SearchState([("q", "x" * 1001)]).search_request(20)
