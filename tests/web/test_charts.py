"""The date histogram and the place map: geometry from facet values."""

from __future__ import annotations

import pytest

from web.facets import FacetBlock, FacetItem, in_range
from web.histogram import CHAR_WIDTH, WIDTH, build_histogram, months_between
from web.placemap import MIN_WIDTH, build_map
from web.state import SearchState

HOMS, DAMASCUS, SYRIA, NEW_YORK, USA = "169577", "170654", "163843", "5128581", "6252001"
LEBANON, MOSCOW = "272103", "524901"


def item(value, count, selected=False, children=()):
    return FacetItem(value, value, count, selected, f"/?x={value}", list(children))


def block(name, items):
    return FacetBlock(name, name.title(), name, items, [])


@pytest.fixture
def in_request(app):
    """Year bars build their links with url_for, which needs a request."""
    with app.test_request_context():
        yield


def test_months_between_fills_gaps_across_years():
    assert months_between("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_histogram_has_a_slot_for_every_month_and_bars_only_where_there_are_matches():
    hist = build_histogram(block("date", [item("2024-01", 4), item("2024-04", 2)]))
    assert [b.month for b in hist.bars] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [b.count for b in hist.bars] == [4, 0, 0, 2]
    assert hist.bars[1].url is None and hist.bars[0].url == "/?x=2024-01"
    full, half = hist.bars[0], hist.bars[3]
    assert full.height == hist.height and abs(half.height - hist.height / 2) < 0.01
    assert all(0 <= b.slot_x and b.slot_x + b.slot_width <= WIDTH + 0.01 for b in hist.bars)


def test_over_more_than_three_years_bars_are_years_and_a_year_narrows_to_itself(in_request):
    months = [item(f"{y}-{m:02d}", 1) for y in (2020, 2021, 2022, 2023) for m in range(1, 13)]
    hist = build_histogram(block("date", months), SearchState([("q", "x")]))
    assert hist.unit == "year"
    assert [b.month for b in hist.bars] == ["2020", "2021", "2022", "2023"]
    assert [b.count for b in hist.bars] == [12] * 4
    assert [t.text for t in hist.ticks] == ["2020", "2021", "2022", "2023"]
    assert hist.bars[1].url == "/?q=x&from=2021&to=2021"


def test_three_years_of_months_stay_months():
    months = [item(f"{y}-{m:02d}", 1) for y in (2020, 2021, 2022) for m in range(1, 13)]
    hist = build_histogram(block("date", months))
    assert hist.unit == "month" and len(hist.bars) == 36


def test_histogram_labels_never_overlap_nor_leave_the_chart(in_request):
    for first, last in (("2024-01", "2024-02"), ("2023-01", "2025-12"), ("1990-01", "2024-12")):
        wanted = [item(first, 3), item(last, 1)]
        hist = build_histogram(block("date", wanted))
        boxes = []
        for tick in hist.ticks:
            width = len(tick.text) * CHAR_WIDTH
            left = {"start": tick.x, "end": tick.x - width, "middle": tick.x - width / 2}
            boxes.append((left[tick.anchor], left[tick.anchor] + width))
        assert boxes and all(0 <= a and b <= WIDTH for a, b in boxes)
        assert all(b[0] >= a[1] for a, b in zip(boxes, boxes[1:], strict=False)), (first, last)


def test_a_long_span_has_a_bar_per_year_not_thousands_of_hairlines(in_request):
    hist = build_histogram(block("date", [item("1990-05", 2), item("2024-12", 5)]))
    assert hist.unit == "year" and len(hist.bars) == 35
    assert min(b.width for b in hist.bars) > 5


def test_histogram_of_nothing_is_none():
    assert build_histogram(block("date", [])) is None


def test_month_ranges_overlap_partial_bounds():
    assert in_range("2024-12", "2024-12-07", "")
    assert in_range("2024-12", "2024", "2024-12")
    assert in_range("2024-12", "2024", "2024")  # a year as the upper bound holds its months
    assert not in_range("2025-01", "2024", "2024")
    assert not in_range("2025-01", "", "2024-12-31")
    assert not in_range("2024-12", "", "")


def test_map_has_a_dot_per_place_and_none_for_a_country_whose_cities_are_listed():
    syria = item(SYRIA, 5, children=[item(HOMS, 5), item(DAMASCUS, 2)])
    lebanon = item(LEBANON, 1)  # a country none of whose cities is listed
    view = build_map(block("place", [syria, lebanon]))
    assert {d.value for d in view.dots} == {HOMS, DAMASCUS, LEBANON}
    homs = next(d for d in view.dots if d.value == HOMS)
    damascus = next(d for d in view.dots if d.value == DAMASCUS)
    assert homs.r > damascus.r
    assert (round(homs.x), round(homs.y)) == (367, -347)  # 36.7 E, 34.7 N in tenths of degrees


def test_map_fits_the_places_that_carry_the_results():
    syria = item(SYRIA, 9, children=[item(HOMS, 9)])
    view = build_map(block("place", [syria, item(USA, 1, children=[item(NEW_YORK, 1)])]))
    assert view.width >= MIN_WIDTH and view.width == 2 * view.height
    assert view.x <= 367 <= view.x + view.width  # Homs in view
    assert view.hidden == 1  # New York lies outside, and is not drawn
    assert NEW_YORK not in {d.value for d in view.dots}
    assert next(d for d in view.dots if d.value == HOMS).show_label


def test_map_shows_the_densest_cluster_of_the_weighty_places():
    syria = item(SYRIA, 3, children=[item(HOMS, 3), item(DAMASCUS, 3)])
    usa = item(USA, 2, children=[item(NEW_YORK, 2)])
    view = build_map(block("place", [syria, usa, item(MOSCOW, 2)]))
    assert {d.value for d in view.dots} == {HOMS, DAMASCUS}
    assert view.hidden == 2 and view.width < 1000


def test_map_of_no_places_is_none():
    assert build_map(block("place", [])) is None


def test_a_chosen_year_shows_its_months(in_request):
    months = [item(f"{y}-{m:02d}", 1) for y in range(2015, 2025) for m in range(1, 13)]
    state = SearchState([("from", "2019"), ("to", "2019")])
    hist = build_histogram(block("date", months), state)
    assert hist.unit == "month"
    assert [b.month for b in hist.bars] == [f"2019-{m:02d}" for m in range(1, 13)]
