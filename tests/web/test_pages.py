"""The home page, /api/stats, every facet value (/facets, /api/facets), the map's JSON twin,
the help page, and what the article page and its JSON show (one title, one truth)."""

from __future__ import annotations

import re
from html import unescape

from .conftest import XSS, add_text

FT = "aecfc07bbbc9"  # "Syrian rebels have moved closer to Homs ..." (Financial Times)
DEIR_EZ_ZOR = "170794"


def test_home_page_shows_what_api_stats_says(client):
    stats = client.get("/api/stats").get_json()
    assert stats["counts"]["articles"] == 5 and stats["counts"]["outlets"] >= 2
    assert stats["date_span"]["first"] <= stats["date_span"]["last"]
    assert "data_dir" not in stats  # no local paths to readers
    html = client.get("/").get_data(as_text=True)
    for name, value in stats["counts"].items():
        if name in ("copies", "places"):
            continue
        shown = re.search(rf'data-stat="{name}"><dt>[^<]+</dt><dd>([\d,]+)</dd>', html)
        assert shown and int(shown.group(1).replace(",", "")) == value, name
    assert f'datetime="{stats["date_span"]["first"]}"' in html
    for recent in stats["recently_added"]:
        assert f'/articles/{recent["id"]}"' in html
    assert 'href="/help"' in html


def test_an_empty_archive_home_page_says_how_to_add(app_factory, tmp_path):
    client = app_factory(tmp_path / "empty").test_client()
    html = client.get("/").get_data(as_text=True)
    assert "The archive is empty" in html
    assert client.get("/api/stats").get_json()["counts"]["articles"] == 0


def test_facet_api_finds_values_by_part_of_a_name_accents_and_case_aside(editor, writable):
    for n, outlet in enumerate(("Le Courrier du Soir", "Nordstädter Bote", "Bote vom Lande")):
        add_text(editor, f"Talks on grain exports resumed in round {n} of meetings.", source=outlet)
    client = writable.test_client()
    found = client.get("/api/facets/source?q=grain&find=nordstadter").get_json()
    assert [v["value"] for v in found["values"]] == ["Nordstädter Bote"]
    bote = client.get("/api/facets/source?q=grain&find=BOTE").get_json()
    assert {v["value"] for v in bote["values"]} == {"Nordstädter Bote", "Bote vom Lande"}
    assert client.get("/api/facets/source?q=grain").get_json()["total"] == 3
    # a language is found by its name as well as its code
    assert client.get("/api/facets/language?find=english").get_json()["values"][0]["value"] == "en"


def test_facet_page_links_toggle_the_filter_and_escape_names(editor, writable):
    add_text(editor, "A report on the harbour wall repairs was published.", source=XSS)
    client = writable.test_client()
    html = client.get("/facets/source?q=harbour").get_data(as_text=True)
    assert XSS not in html and "&lt;script&gt;" in html
    links = [unescape(u) for u in re.findall(r'class="facet-item__link" href="([^"]+)"', html)]
    assert links and all(u.startswith("/?q=harbour&source=") for u in links)


def test_an_unknown_facet_is_a_404(client):
    assert client.get("/facets/secrets").status_code == 404
    assert client.get("/api/facets/date").status_code == 404


def test_map_json_has_every_place_of_the_results_with_a_filter_link(client):
    data = client.get("/api/map?q=Homs").get_json()
    assert data["total"] == 5
    deir = next(p for p in data["places"] if p["id"] == DEIR_EZ_ZOR)
    assert deir["url"] == f"/?q=Homs&place={DEIR_EZ_ZOR}" and deir["count"] == 3
    ids = [p["id"] for p in data["places"]]
    assert len(ids) == len(set(ids)) and len(ids) > 10
    html = client.get("/map?q=Homs").get_data(as_text=True)
    assert f"{len(ids)} places in 5 articles" in html


def test_help_page_examples_are_live_searches_over_this_archive(client):
    html = client.get("/help").get_data(as_text=True)
    rows = re.findall(r'<a href="([^"]+)"><code>([^<]+)</code></a></td><td>[^<]+</td>'
                      r'<td class="help__count">([\d,]+) articles?</td>', html)  # fmt: skip
    assert len(rows) >= 6
    for url, _query, shown in rows:
        total = client.get("/api" + unescape(url).replace("/?", "/search?", 1)).get_json()["total"]
        assert total == int(shown.replace(",", "")), url
    assert sum(int(n) for *_, n in rows) > 0


def test_article_json_holds_the_title_the_page_shows_with_its_basis(editor, writable):
    text = "Untitled notes: the river crossing near Raqqa reopened on Monday after repairs."
    added = add_text(editor, text).get_data(as_text=True)
    article_id = re.search(r'href="/articles/([0-9a-f]+)"', added).group(1)
    client = writable.test_client()
    data = client.get(f"/api/articles/{article_id}").get_json()
    html = client.get(f"/articles/{article_id}").get_data(as_text=True)
    shown = re.search(r'<h1 class="article__title" dir="auto">([^<]+)</h1>', html).group(1)
    if data["title"] is None:
        assert data["basis"]["display_title"] == "text:opening-words"
    assert unescape(shown) == data["display_title"]
    assert data["citation"] in unescape(html)
    hit = client.get("/api/search?q=river crossing Raqqa").get_json()["hits"][0]
    assert hit["display_title"] == data["display_title"]
    results = client.get("/?q=river crossing Raqqa").get_data(as_text=True)
    title = re.search(r'class="hit__title" dir="auto"><a [^>]+>([^<]+)</a>', results)
    assert title.group(1) == shown


def test_also_carried_by_only_when_another_outlet_ran_it(client):
    html = client.get(f"/articles/{FT}").get_data(as_text=True)
    assert "Also carried by" not in html
    assert client.get(f"/api/articles/{FT}").get_json()["also_carried_by"] == []


def test_readers_never_see_where_a_file_was_kept_and_editors_see_only_its_name(client, editor):
    reader = client.get(f"/api/articles/{FT}").get_json()
    assert reader["original_name"] is None
    page = client.get(f"/articles/{FT}").get_data(as_text=True)
    assert "002_e917bff2ec9e9792.txt" not in page and "/seeds/" not in page
    mine = editor.get(f"/api/articles/{FT}").get_json()
    assert mine["original_name"] == "002_e917bff2ec9e9792.txt"
    assert "002_e917bff2ec9e9792.txt" in editor.get(f"/articles/{FT}").get_data(as_text=True)


def test_similar_articles_are_none_rather_than_junk(editor, writable):
    # one stray word in common with the Syrian stories (Damascus) must not make it "similar"
    add_text(editor, "Recipe from a Damascus bakery: whisk four eggs with sugar, fold in flour.")
    client = writable.test_client()
    found = client.get("/api/search?q=whisk").get_json()["hits"][0]["id"]
    data = client.get(f"/api/articles/{found}").get_json()
    assert data["similar"] == []
    assert "Similar articles" not in client.get(f"/articles/{found}").get_data(as_text=True)
    syrian = client.get(f"/api/articles/{FT}").get_json()["similar"]
    assert syrian and all(s["score"] >= 0.3 for s in syrian)


def test_back_to_the_results_keeps_the_search(client):
    html = client.get(f"/articles/{FT}?q=Homs&place={DEIR_EZ_ZOR}").get_data(as_text=True)
    back = re.search(r'href="([^"]+)">← Back to the results', html).group(1)
    assert unescape(back) == f"/?q=Homs&place={DEIR_EZ_ZOR}"
    results = client.get("/?q=Homs").get_data(as_text=True)
    assert f'href="/articles/{FT}?q=Homs"' in results


def test_the_framed_original_runs_nothing(client):
    response = client.get(f"/articles/{FT}/original/view")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "script-src" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    page = client.get(f"/articles/{FT}").get_data(as_text=True)
    assert re.search(r'<iframe class="original-frame" src="[^"]+/original/view" sandbox ', page)
