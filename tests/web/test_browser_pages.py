"""The pages a journalist finds their way with, in real Chromium against `archive serve`: the
home page, the full-page map, the keyboard path to the results, every outlet reachable, the
printed article and its framed original, text of a right-to-left script. The archive is
the seeds plus 300 short articles from 300 outlets (so the outlet facet holds far more than
the sidebar lists), one page whose scripts must never run and one article in Arabic."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from .conftest import TOKEN
from .serving import http, post_article, serve

pytestmark = pytest.mark.browser

DEIR_EZ_ZOR = "170794"
OUTLETS = 300
# Invented outlets, each with a distinct name the finder must reach (not a list of real ones).
OUTLET_NAMES = [f"Gazette of Township {n:03d}" for n in range(OUTLETS)]
SCRIPTED = (
    "<html><head><title>Council budget vote</title></head><body><article>"
    "<h1>Council budget vote postponed again</h1>"
    + "".join(
        f"<p>Paragraph {n}: the town council postponed its budget vote for another week as "
        "members argued over the cost of repairing the harbour wall and the school roof.</p>"
        for n in range(6)
    )
    + "<script>alert('the original ran a script')</script>"
    "<img src=x onerror=\"alert('the original ran a handler')\"></article></body></html>"
)
ARABIC = {
    "title": "افتتاح مكتبة عامة جديدة في وسط المدينة",
    "source": "صحيفة المدينة",
    "author": "سارة الأحمد",
    "date": "2023-06-01",
    "text": "افتتحت البلدية مكتبة عامة جديدة في وسط المدينة يوم الأحد. وقال المسؤولون إن "
    "المكتبة ستفتح أبوابها كل يوم للطلاب والباحثين. وتضم المكتبة آلاف الكتب باللغتين "
    "العربية والإنجليزية، وقاعة للقراءة تتسع لمئتي شخص.",
}


@pytest.fixture(scope="module")
def server(seeded_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("pages") / "data"
    shutil.copytree(seeded_dir, data_dir)
    with serve(data_dir) as base:
        batch = [
            {
                "title": f"Ferry timetable changes announced by {name}",
                "source": name,
                "date": "2023-05-01",
                "text": f"The ferry timetable changes for the summer, {name} reported, with "
                f"sailing number {n} moved to the early morning on weekdays.",
            }
            for n, name in enumerate(OUTLET_NAMES)
        ]
        status, body = http(
            "POST",
            base + "/api/articles",
            json.dumps(batch).encode(),
            {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN},
        )
        assert status == 201, body  # every item added
        scripted = post_article(base, {"html": SCRIPTED, "source": "Harbour Herald"})
        arabic = post_article(base, ARABIC)
        yield {"base": base, "scripted_id": scripted["id"], "arabic_id": arabic["id"]}


def hits(page):
    return page.locator("ol.hits > li.hit")


def api(server, path: str) -> dict:
    status, body = http("GET", server["base"] + path)
    assert status == 200, body
    return json.loads(body)


def test_the_home_page_shows_the_counts_and_date_span_of_api_stats(page, server):
    stats = api(server, "/api/stats")
    assert stats["counts"]["outlets"] >= OUTLETS
    page.goto("/")
    for name in ("articles", "stories", "outlets", "languages", "countries"):
        shown = page.locator(f'[data-stat="{name}"] dd').inner_text()
        assert int(shown.replace(",", "")) == stats["counts"][name], name
    span = page.locator('[data-stat="date_span"] time')
    assert span.nth(0).get_attribute("datetime") == stats["date_span"]["first"]
    assert span.nth(1).get_attribute("datetime") == stats["date_span"]["last"]
    recent = page.locator("#recent-heading + ol a").first.inner_text()
    assert recent == stats["recently_added"][0]["title"]
    assert page.locator("a", has_text="How to search").first.is_visible()


def _icons_places(page) -> int:
    """How many places the map's markers stand for: a cluster says how many it holds."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#fullmap .mapmark')).reduce((n, el) =>
            n + (el.classList.contains('mapmark--cluster')
                 ? parseInt(el.querySelector('.mapmark__dot').textContent, 10) : 1), 0)"""
    )


ZOOMED_IN = "(before) => +document.getElementById('fullmap').dataset.zoom > before"


def _settle(page) -> None:
    """Wait until the map's zoom has stopped changing (the wheel zooms after a pause)."""
    last = None
    for _ in range(40):
        page.wait_for_timeout(400)
        now = _zoom(page)
        if now == last:
            return
        last = now
    pytest.fail("the map never stopped zooming")


def _zoom(page) -> float:
    return float(page.locator("#fullmap").get_attribute("data-zoom"))


def test_the_map_of_homs_shows_every_place_zooms_and_a_click_filters(page, server):
    places = api(server, "/api/map?q=Homs")["places"]
    assert any(p["id"] == DEIR_EZ_ZOR for p in places)
    page.goto("/?q=Homs")
    page.click("text=Open the full map")
    page.wait_for_url(re.compile(r"/map\?q=Homs$"))
    page.wait_for_selector("#fullmap.is-live .mapmark")
    page.wait_for_timeout(400)  # the clusters' opening animation
    assert _icons_places(page) == len(places)
    # by keyboard: focus the map, press +
    before = _zoom(page)
    page.focus("#fullmap")
    page.keyboard.press("+")
    page.wait_for_function(ZOOMED_IN, arg=before)
    # by the wheel
    before = _zoom(page)
    box = page.locator("#fullmap").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(ZOOMED_IN, arg=before)
    # over Deir ez-Zor, close up, its own marker filters the results by it
    deir = next(p for p in places if p["id"] == DEIR_EZ_ZOR)
    _settle(page)  # a wheel zoom still under way would swallow the jump
    page.evaluate(
        "([lat, lon]) => { const map = document.getElementById('fullmap').mapView;"
        " map.stop(); map.setView([lat, lon], 8, {animate: false}); }",
        [deir["lat"], deir["lon"]],
    )
    marker = page.locator('#fullmap .mapmark[aria-label^="Deir ez-Zor:"]')
    marker.wait_for(timeout=30_000)
    marker.click()
    page.wait_for_url(re.compile(rf"place={DEIR_EZ_ZOR}"))
    assert hits(page).count() == 3


def test_the_map_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, base_url=server["base"])
    tab = context.new_page()
    tab.goto("/map?q=Homs")
    assert tab.locator("#fullmap svg.placemap__svg a.placemap__dot").count() >= 5
    tab.locator(".map-places a", has_text="Deir ez-Zor").click()
    tab.wait_for_url(re.compile(rf"place={DEIR_EZ_ZOR}"))
    assert hits(tab).count() == 3
    context.close()


def test_from_the_search_box_the_first_result_is_at_most_ten_tabs_away(page):
    page.goto("/?q=Homs&place=163843")  # with a filter chip in the way, too
    page.focus("#q")
    first = hits(page).first.locator(".hit__title a")
    for _ in range(10):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the first result is more than 10 Tab presses from the search box")


def test_the_skip_link_goes_to_the_results(page):
    page.goto("/?q=Homs")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#results') !== null")
    assert focused


def test_on_a_phone_the_results_come_before_the_filters(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server["base"])
    tab = context.new_page()
    tab.goto("/?q=Homs")
    in_order = tab.evaluate(
        "!!(document.getElementById('results').compareDocumentPosition("
        "document.getElementById('filters')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert in_order
    results = tab.locator("ol.hits").bounding_box()
    filters = tab.locator("#filters").bounding_box()
    assert results["y"] + results["height"] <= filters["y"]
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_any_of_300_outlets_is_found_with_the_finder_and_filters(page):
    page.goto("/?q=ferry")
    listed = set(page.locator(".facet:has(#facet-source) .facet-item__label").all_inner_texts())
    unlisted = [n for n in OUTLET_NAMES if n not in listed]
    assert len(unlisted) >= OUTLETS - 60  # most are beyond what the sidebar lists
    for name in (unlisted[0], unlisted[len(unlisted) // 2], unlisted[-1]):
        page.goto("/?q=ferry")
        page.fill("#source-find", name.split()[-1] + " " + name.split()[-2].lower())
        page.press("#source-find", "Enter")
        page.wait_for_url(re.compile(r"/facets/source\?"))
        found = page.locator("#facet-values a.facet-item__link")
        assert found.count() == 1, name
        found.first.click()
        page.wait_for_url(re.compile(r"source="))
        assert hits(page).count() == 1
        assert hits(page).first.locator(".hit__source").inner_text() == name
        assert page.locator(".active-filters", has_text=name).is_visible()


def test_the_outlet_finder_offers_matches_beyond_the_list_as_you_type(page):
    page.goto("/?q=ferry")
    listed = set(page.locator(".facet:has(#facet-source) .facet-item__label").all_inner_texts())
    name = next(n for n in reversed(OUTLET_NAMES) if n not in listed)
    page.type("#source-find", name.split()[-1], delay=30)  # "073": part of the name
    match = page.locator(".facet__found a.facet-item__link", has_text=name)
    match.wait_for()
    match.click()
    page.wait_for_url(re.compile(r"source="))
    assert hits(page).first.locator(".hit__source").inner_text() == name


def test_every_outlet_is_listed_a_page_at_a_time(page, server):
    data = api(server, "/api/facets/source?q=ferry")
    assert data["total"] == OUTLETS and data["pages"] == 3
    page.goto("/?q=ferry")
    page.click(f"text=All {OUTLETS} outlets")
    seen = set()
    while True:
        seen |= set(page.locator("#facet-values .facet-item__label").all_inner_texts())
        following = page.locator("a[rel=next]")
        if not following.count():
            break
        with page.expect_navigation():  # read the next page, never this one again
            following.click()
    assert seen == set(OUTLET_NAMES)


def test_a_printed_article_is_its_text_details_and_citation_only(page):
    page.goto("/?q=Homs")
    hits(page).first.locator(".hit__title a").click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]+\?q=Homs"))
    assert page.locator("a", has_text="Back to the results").get_attribute("href") == "/?q=Homs"
    page.emulate_media(media="print")
    assert page.locator(".article__text").is_visible()
    assert "Homs" in page.locator(".article__text").inner_text()
    citation = page.locator(".citation")
    assert citation.is_visible() and "Archived copy: http" in citation.inner_text()
    for hidden in ("form[role=search]", ".site-header", ".panel--similar", ".site-footer"):
        for n in range(page.locator(hidden).count()):
            assert not page.locator(hidden).nth(n).is_visible(), hidden
    page.emulate_media(media="screen")
    assert page.locator("form[role=search]").first.is_visible()


def test_the_original_is_shown_framed_with_its_scripts_off(page, server):
    page.goto(f"/articles/{server['scripted_id']}")
    frame_el = page.locator("iframe.original-frame")
    assert frame_el.get_attribute("sandbox") == ""
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_selector("h1")
    assert "postponed its budget vote" in frame.inner_text("body")
    page.wait_for_timeout(300)
    assert not [p for p in page.problems if "dialog" in p]  # and the fixture checks again
    status, _ = http("GET", server["base"] + f"/articles/{server['scripted_id']}/original/view")
    assert status == 200


def test_histogram_bars_take_the_keyboard_and_their_labels_never_overlap(page):
    page.goto("/")
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.histogram text.histogram__tick'))
            .map(t => { const b = t.getBoundingClientRect(); return [b.left, b.right]; })"""
    )
    assert boxes and all(b[0] >= a[1] for a, b in zip(boxes, boxes[1:], strict=False))
    page.focus("#q")
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.classList.contains('histogram__bar')"
            " ? document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            break
    else:
        pytest.fail("Tab never reached a histogram bar")
    assert re.fullmatch(r"(\w{3} )?\d{4}: [\d,]+ articles?", label)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"from=\d{4}"))
    assert hits(page).count() >= 1


def _direction(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).direction")


def test_text_in_a_right_to_left_script_reads_right_to_left(page, server):
    """Arabic titles, paragraphs, outlets, snippets and facet labels are laid out right to
    left; the page's own English words beside them stay left to right."""
    page.goto(f"/articles/{server['arabic_id']}")
    assert _direction(page.locator(".article__title")) == "rtl"
    paragraphs = page.locator(".article__text p")
    assert paragraphs.count() >= 1
    assert {_direction(paragraphs.nth(n)) for n in range(paragraphs.count())} == {"rtl"}

    def detail(label: str):
        row = page.locator(".meta__row", has=page.locator("dt", has_text=re.compile(f"^{label}$")))
        return row.locator("dd")

    assert _direction(detail("Outlet")) == "rtl" and _direction(detail("Date")) == "ltr"
    # the outlet and the author in the byline, among English words and the date
    byline = page.locator(".article__byline bdi")
    assert [_direction(byline.nth(n)) for n in range(byline.count())] == ["rtl", "rtl"]

    page.goto("/?q=المكتبة")
    hit = hits(page).first
    assert _direction(hit.locator(".hit__title")) == "rtl"
    assert _direction(hit.locator(".hit__source")) == "rtl"
    assert _direction(hit.locator(".hit__snippet")) == "rtl"
    assert _direction(hit.locator(".hit__meta")) == "ltr"
    assert _direction(page.locator(".facet-item__label", has_text=ARABIC["source"]).first) == "rtl"
    page.goto("/?q=ferry")
    assert _direction(hits(page).first.locator(".hit__snippet")) == "ltr"
