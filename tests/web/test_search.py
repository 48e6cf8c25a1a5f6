"""The search page: results, facets, chips, histogram, map, sorting, paging, empty states."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from .conftest import count

pytestmark = pytest.mark.both_engines  # every engine serves these pages

HOMS, DEIR_EZ_ZOR, SYRIA = "169577", "170794", "163843"


def page(client, **params) -> str:
    response = client.get("/", query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def hits(html: str) -> list[str]:
    return re.findall(
        r'<h2 class="hit__title" dir="auto"><a href="/articles/([0-9a-f]+)(?:\?[^"]*)?">', html
    )


def links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_browsing_lists_every_article_newest_first(client):
    html = page(client, sort="newest")
    assert len(hits(html)) == 5
    assert "5 articles" in html
    assert 'aria-current="true">Newest' in html  # no words: relevance is not offered
    assert ">Relevance<" not in html


def test_search_for_homs_lists_five_articles_with_highlighted_snippets(client):
    html = page(client, q="Homs")
    assert len(hits(html)) == 5
    assert "5 articles for “Homs”" in html
    assert html.count("<mark>Homs</mark>") >= 5
    assert 'value="Homs"' in html  # the box keeps the query
    assert re.search(r"in \d+ ms", html)


def test_place_facet_narrows_to_three_and_its_chip_restores_five(client):
    html = page(client, q="Homs")
    facet_link = next(u for u in links(html) if u == f"/?q=Homs&place={DEIR_EZ_ZOR}")
    narrowed = client.get(facet_link).get_data(as_text=True)
    assert len(hits(narrowed)) == 3
    chip = re.search(r'<a class="chip chip--removable" href="([^"]+)">.*?Deir ez-Zor', narrowed)
    assert chip, "no removable chip for the place"
    restored = client.get(unescape(chip.group(1))).get_data(as_text=True)
    assert len(hits(restored)) == 5


def test_selected_place_is_marked_and_its_link_removes_it(client):
    html = page(client, q="Homs", place=DEIR_EZ_ZOR)
    item = re.search(
        r'<li class="facet-item is-selected" data-label="deir ez-zor">\s*'
        r'<a class="facet-item__link" href="([^"]+)" aria-current="true">',
        html,
    )
    assert item and unescape(item.group(1)) == "/?q=Homs"


def test_places_are_countries_with_their_cities_beneath(client):
    html = page(client, q="Homs")
    syria = html.index('data-label="syria"')
    homs = html.index('data-label="homs"')
    iran = html.index('data-label="iran"')
    assert iran < syria < homs  # Iran comes first by count and name order of the core
    block = html[syria:homs]
    assert '<ul class="facet__children">' in block
    assert "more in Syria" in html  # long lists of cities fold away


def test_place_filter_by_any_spelling_gets_a_chip_with_the_place_name(client):
    html = page(client, place="Deraa")
    assert "Place:</span> Daraa" in html
    assert len(hits(html)) == count(client.application, place="Daraa")


def test_unknown_place_is_a_note_not_an_error(client):
    html = page(client, q="Homs", place="Narnia")
    assert "No known place is called “Narnia”" in html
    assert len(hits(html)) == 5
    assert "Place:</span> Narnia" in html  # still removable


def test_sources_widen_and_languages_are_named(client):
    html = page(client, source=["Financial Times", "Barran Press"])
    assert len(hits(html)) == 2
    assert "Outlet:</span> Financial Times" in html
    assert ">English<" in html


def test_clear_all_keeps_the_words_and_drops_every_filter(client):
    html = page(client, q="Homs", place=DEIR_EZ_ZOR, lang="en")
    clear = re.search(r'<a class="clear-all" href="([^"]+)">', html)
    assert clear and unescape(clear.group(1)) == "/?q=Homs"


def test_new_search_keeps_the_filters_in_force(client):
    html = page(client, q="Homs", place=DEIR_EZ_ZOR)
    form = html[html.index('<form class="searchbox"') :]
    form = form[: form.index("</form>")]
    assert f'<input type="hidden" name="place" value="{DEIR_EZ_ZOR}">' in form
    assert 'name="page"' not in form


def test_date_histogram_has_a_bar_per_month_linking_to_that_month(client):
    html = page(client, q="Homs")
    bar = re.search(r'<a class="histogram__bar" href="([^"]+)" data-month="2024-12"', html)
    assert bar and unescape(bar.group(1)) == "/?q=Homs&from=2024-12&to=2024-12"
    assert 'aria-label="Dec 2024: 5 articles"' in html


def test_date_range_filters_and_shows_its_chips(client):
    assert len(hits(page(client, **{"from": "2024-12-07"}))) == 4
    html = page(client, to="2024-12-06")
    assert len(hits(html)) == 1
    assert "To:</span> 6 Dec 2024" in html
    assert 'value="2024-12-06"' in html  # the to-field keeps it


def test_bad_date_is_a_note_not_an_error(client):
    html = page(client, **{"from": "last tuesday"})
    assert len(hits(html)) == 5
    assert "that date limit was ignored" in html


def test_map_draws_dots_linking_to_the_place_filter(client):
    html = page(client, q="Homs")
    assert '<svg class="placemap__svg"' in html
    assert "world-110m-2.0.2.svg" in html
    dot = re.search(
        r'<a class="placemap__dot" href="([^"]+)"[^>]*aria-label="Homs: 5 articles', html
    )
    assert dot and unescape(dot.group(1)) == f"/?q=Homs&place={HOMS}"


def test_sort_links_keep_the_search_and_reset_the_page(client):
    html = page(client, q="Homs", page="1")
    sort_links = [u for u in links(html) if "sort=" in u]
    assert "/?q=Homs&sort=newest" in sort_links
    assert "/?q=Homs&sort=oldest" in sort_links
    oldest = hits(page(client, q="Homs", sort="oldest"))
    assert oldest[0] == "32d75f4fb9ee"  # the only article of 6 December


def test_pages_of_results(app_factory, seeded_source, seeded_url):
    client = app_factory(seeded_source, database_url=seeded_url or "", page_size=2).test_client()
    first = page(client, q="Homs")
    assert len(hits(first)) == 2
    assert 'aria-current="page">1<' in first
    assert "/?q=Homs&page=3" in links(first)
    last = page(client, q="Homs", page="3")
    assert len(hits(last)) == 1
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert '<ol class="hits" start="5">' in last
    beyond = page(client, q="Homs", page="9")
    assert "Go to the first page" in beyond


def test_did_you_mean_offers_the_corrected_search(client):
    html = page(client, q="Damscus")
    assert "Did you mean" in html
    assert "/?q=damascus" in [u.casefold() for u in links(html)]


def test_no_match_helps_with_tips_and_what_the_archive_holds(client):
    html = page(client, q="zzyzx quetzalcoatl")
    assert "No articles match" in html
    assert "fewer words" in html
    assert f"/?place={SYRIA}" in links(html)  # a suggested place to start from
    assert "/?source=Financial+Times" in links(html)


def test_no_match_with_filters_offers_to_drop_them(client):
    html = page(client, q="Homs", source="Nobody Gazette")
    assert "Search again without the filters" in html


def test_empty_archive_invites_the_first_article(app_factory, tmp_path):
    client = app_factory(tmp_path / "empty").test_client()
    html = page(client)
    assert "The archive is empty" in html
    assert 'href="/add"' in html


def test_malformed_query_is_searched_as_words(client):
    response = client.get("/", query_string={"q": 'Homs AND ("unclosed OR'})
    assert response.status_code == 200


def test_unknown_parameters_are_dropped_from_links(client):
    html = page(client, q="Homs", utm_source="mail")
    assert not any("utm_source" in u for u in links(html))


def test_every_page_has_json_and_atom_twins(client):
    html = page(client, q="Homs", place=DEIR_EZ_ZOR)
    assert f"/api/search?q=Homs&place={DEIR_EZ_ZOR}" in links(html)
    assert f"/feed.atom?q=Homs&place={DEIR_EZ_ZOR}" in links(html)
    assert 'rel="search" type="application/opensearchdescription+xml"' in html


def test_bad_parameters_get_a_friendly_400(client):
    for params in ({"page": "x"}, {"page": "0"}, {"sort": "random"}, {"q": "w" * 1001}):
        response = client.get("/", query_string=params)
        assert response.status_code == 400, params
        assert "Error 400" in response.get_data(as_text=True)


def test_filters_in_use_lead_the_place_list(client):
    html = page(client, q="Homs", place=DEIR_EZ_ZOR)
    tree = html[html.index('id="place-list"') :]
    labels = re.findall(r'data-label="([^"]+)"', tree)
    assert labels[:2] == ["syria", "deir ez-zor"]


class _Controls(HTMLParser):
    """Form controls a person must be able to name, and the labels on the page (a control
    inside a <label> is named by it)."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self._in_label = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._in_label += 1
            if attrs.get("for"):
                self.labels.add(attrs["for"])
        if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            self.controls.append({**attrs, "inside-label": self._in_label > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self._in_label:
            self._in_label -= 1


def test_every_control_is_labelled(editor):
    for path in ("/", "/?q=Homs&place=170794", "/add", "/articles/aecfc07bbbc9", "/nope"):
        parser = _Controls()
        parser.feed(editor.get(path).get_data(as_text=True))
        assert parser.controls, path
        for control in parser.controls:
            named = (
                control.get("id") in parser.labels
                or control.get("aria-label")
                or control["inside-label"]
            )
            assert named, (path, control)


def test_a_japanese_word_inside_a_sentence_is_found_and_marked_on_the_page(writable):
    from .conftest import TOKEN

    client = writable.test_client()
    text = "新型コロナウイルスの感染が広がり、東京の病院は患者を受け入れられなくなった。"
    answer = client.post(
        "/api/articles",
        json={"text": text, "language": "ja", "title": "病院"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 201, answer.get_json()
    found = client.get("/api/search?q=コロナ").get_json()
    assert found["total"] == 1 and "<mark>コロナ</mark>" in found["hits"][0]["snippet"]
    assert "<mark>コロナ</mark>" in page(client, q="コロナ")
    assert "sort=added" in " ".join(links(page(client, q="コロナ")))  # "Newest added"
