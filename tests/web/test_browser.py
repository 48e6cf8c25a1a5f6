"""The archive in real Chromium, against the real `archive serve` (waitress) on a free port
over the seeded archive: what a journalist does, done with a mouse and with a keyboard."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import urlencode

import pytest

from .conftest import TOKEN, XSS
from .serving import http, post_article, serve

pytestmark = pytest.mark.browser

PASTED = (
    "Title: Bread prices double in Qamishli\n\n"
    "Bakeries in Qamishli raised the price of a bundle of bread twice this week, residents "
    "said, as wheat deliveries from the countryside stalled."
)
# Articles from other months, so the histogram has a range to drag across.
EARLIER = [
    (
        "Wheat harvest in Hasakah falls short",
        "2024-10-03",
        "The wheat harvest in Hasakah fell "
        "short of forecasts this autumn after a dry spring, farmers told local officials.",
    ),
    (
        "Ferry link between Latakia and Cyprus resumes",
        "2024-11-12",
        "A ferry link between "
        "Latakia and Cyprus resumed on Tuesday after a pause of several months, the operator said.",
    ),
]


@pytest.fixture(scope="module")
def server(seeded_dir, tmp_path_factory):
    """`archive serve` with an editor token over a copy of the seeded archive, plus an
    article whose title and body are a script (added through the API, as a feed might)."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(seeded_dir, data_dir)
    with serve(data_dir) as base:
        xss = post_article(base, {"title": XSS, "text": f"{XSS} was posted by a reader overnight."})
        for title, date, text in EARLIER:
            post_article(base, {"title": title, "date": date, "text": text})
        yield {"base": base, "xss_id": xss["id"], "data_dir": data_dir}


def hits(page):
    return page.locator("ol.hits > li.hit")


def search(page, q: str):
    page.goto("/")
    page.fill("#q", q)
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"\?q="))  # the results page has loaded


def test_searching_homs_then_narrowing_by_a_place_and_removing_its_chip(page):
    search(page, "Homs")
    assert hits(page).count() == 5
    assert page.locator(".hit__snippet mark").count() >= 5
    assert page.locator(".hit__snippet mark").first.inner_text() == "Homs"
    # Deir ez-Zor is folded away under Syria: the finder box filters the list as one types.
    page.fill("#place-find", "deir")
    link = page.locator("#place-list a.facet-item__link", has_text="Deir ez-Zor")
    link.click()
    page.wait_for_url(re.compile(r"place=170794"))
    assert hits(page).count() == 3
    chip = page.locator(".active-filters a.chip--removable", has_text="Deir ez-Zor")
    assert chip.is_visible()
    chip.click()
    page.wait_for_url(re.compile(r"^[^?]*\?q=Homs$"))
    assert hits(page).count() == 5
    assert page.locator(".active-filters").count() == 0


def test_the_date_histogram_and_the_map_render(page, server):
    basemap = []
    page.on("response", lambda r: basemap.append(r.status) if "world-110m" in r.url else None)
    search(page, "Homs")
    bars = page.locator("svg.histogram a.histogram__bar")
    assert (
        bars.count() == 1
        and bars.first.locator("rect.histogram__fill").bounding_box()["height"] > 10
    )
    dots = page.locator("svg.placemap__svg a.placemap__dot circle")
    assert dots.count() >= 5
    box = page.locator("svg.placemap__svg").bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    page.wait_for_load_state("networkidle")
    assert basemap and set(basemap) <= {200, 304}  # the basemap was served (or cached)
    # a click on a dot filters by its place (the last drawn lies on top of the others)
    dot = page.locator("svg.placemap__svg a.placemap__dot").last
    place = re.search(r"place=(\d+)", dot.get_attribute("href")).group(1)
    dot.click()
    page.wait_for_url(re.compile(rf"place={place}"))
    assert 1 <= hits(page).count() <= 5


def test_dragging_across_the_histogram_sets_a_date_range(page):
    page.goto("/")
    slots = page.locator("svg.histogram [data-month]")
    months = [slots.nth(i).get_attribute("data-month") for i in range(slots.count())]
    assert months == ["2024-10", "2024-11", "2024-12"]
    slots.nth(0).scroll_into_view_if_needed()
    first = slots.nth(0).bounding_box()
    second = slots.nth(1).bounding_box()
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + first["height"] - 4)
    page.mouse.down()
    page.mouse.move(second["x"] + second["width"] / 2, second["y"] + second["height"] - 4, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=2024-10.*to=2024-11|to=2024-11.*from=2024-10"))
    assert hits(page).count() == 2
    assert page.locator(".active-filters", has_text="Oct 2024").is_visible()


def test_an_article_page_opens_from_a_result(page):
    search(page, "Homs")
    first = hits(page).first.locator(".hit__title a")
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]+\?q=Homs$"))  # it keeps the search
    assert page.locator("h1.article__title").inner_text() == title
    assert page.locator(".article__text a.mention").count() > 5
    assert page.locator("text=Download the original").is_visible()


def test_adding_a_pasted_article_makes_it_findable_and_a_second_paste_is_a_duplicate(page):
    page.goto("/add")
    assert page.locator("#text").count() == 0  # the editor token comes first
    page.fill("#token", TOKEN)
    page.click("button:has-text('Sign in')")
    page.fill("#text", PASTED)
    page.click("button:has-text('Add to the archive')")
    outcome = page.locator(".outcome").first
    assert outcome.locator(".badge").inner_text() == "Added"
    assert "Bread prices double in Qamishli" in outcome.inner_text()
    search(page, "bakeries Qamishli")
    assert hits(page).count() == 1
    page.goto("/add")
    page.fill("#text", PASTED)
    page.click("button:has-text('Add to the archive')")
    assert page.locator(".outcome .badge").first.inner_text() == "Duplicate"
    search(page, "bakeries Qamishli")
    assert hits(page).count() == 1


def test_a_form_without_its_csrf_token_is_refused(page):
    page.goto("/add")
    page.fill("#token", TOKEN)
    page.click("button:has-text('Sign in')")
    page.fill("#text", "Sandstorm closes the road between Palmyra and Deir ez-Zor for a day.")
    page.evaluate("document.querySelector('form.add-form input[name=csrf_token]').remove()")
    page.click("button:has-text('Add to the archive')")
    assert page.locator(".error-page__code").inner_text() == "Error 400"
    search(page, "sandstorm Palmyra")
    assert hits(page).count() == 0


def test_adding_without_the_editor_token_is_refused(page):
    page.goto("/sign-in")  # a session and its CSRF token, but never signed in
    csrf = page.locator("input[name=csrf_token]").get_attribute("value")
    response = page.request.post(
        "/add", form={"text": "Unauthorised text about Raqqa and the river.", "csrf_token": csrf}
    )
    assert response.status == 403
    search(page, "unauthorised Raqqa")
    assert hits(page).count() == 0


def test_script_in_an_article_and_in_a_query_is_shown_as_text(page, server):
    page.goto(f"/articles/{server['xss_id']}")
    assert page.locator("h1.article__title").inner_text() == XSS
    assert XSS in page.locator(".article__text").inner_text()
    page.goto("/?" + urlencode({"q": XSS}))
    assert page.locator("#q").input_value() == XSS
    search(page, "posted reader overnight")
    assert hits(page).first.locator(".hit__title").inner_text() == XSS
    # the `page` fixture fails the test if any dialog opened


def test_a_keyboard_only_user_can_search_and_apply_a_facet(page):
    page.goto("/")
    page.keyboard.press("/")  # the shortcut to the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Homs")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Homs"))
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.className, document.activeElement.innerText || '']"
        )
        if "facet-item__link" in str(focused[0]) and focused[1].startswith("Syria"):
            break
    else:
        pytest.fail("Tab never reached the Syria facet")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"place=163843"))
    assert page.locator(".active-filters", has_text="Syria").is_visible()
    assert hits(page).count() == 5


def test_a_50_mb_upload_gets_413_and_the_archive_is_unchanged(server):
    base = server["base"]
    before = json.loads(http("GET", base + "/healthz")[1])["articles"]
    boundary = "browser-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + b"Homs " * (10 * 2**20)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, answer = http(
        "POST", base + "/add", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert status == 413
    assert b"larger than the" in answer
    assert json.loads(http("GET", base + "/healthz")[1])["articles"] == before


def test_on_a_phone_the_filters_fold_away_and_open_on_demand(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server["base"])
    tab = context.new_page()
    tab.goto("/?q=Homs")
    filters = tab.locator("details#filters")
    assert filters.get_attribute("open") is None
    assert hits(tab).first.is_visible()
    tab.click("summary.filters__summary")
    assert tab.locator("#place-find").is_visible()
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways
    context.close()


def test_without_javascript_search_facets_and_chips_still_work(browser, server):
    context = browser.new_context(java_script_enabled=False, base_url=server["base"])
    tab = context.new_page()
    tab.goto("/")
    tab.fill("#q", "Homs")
    tab.press("#q", "Enter")
    tab.wait_for_url(re.compile(r"q=Homs"))
    assert hits(tab).count() == 5
    # no filter-as-you-type: the folded list opens by hand, or the finder takes a name
    tab.fill("#place-find", "Deir ez-Zor")
    tab.press("#place-find", "Enter")
    tab.wait_for_url(re.compile(r"place=Deir"))
    assert tab.locator(".active-filters .chip--removable").count() == 1
    tab.locator("#place-list a.facet-item__link", has_text="Homs").first.click()
    tab.wait_for_url(re.compile(r"place=169577"))
    assert tab.locator(".active-filters .chip--removable").count() == 2
    tab.click("text=Clear all filters")
    tab.wait_for_url(re.compile(r"^[^?]*\?q=Homs$"))
    assert hits(tab).count() == 5
    context.close()
