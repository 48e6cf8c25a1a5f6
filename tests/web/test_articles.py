"""The article page and the original as received."""

from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.both_engines  # every engine serves these pages

FT = "aecfc07bbbc9"  # "Syrian rebels have moved closer to Homs ..." (Financial Times)
BALANCHE = "64e331ab3a57"


def test_article_page_shows_title_outlet_date_and_how_each_was_found(client):
    html = client.get(f"/articles/{FT}").get_data(as_text=True)
    assert '<h1 class="article__title" dir="auto">Syrian rebels have moved closer to Homs' in html
    assert "Financial Times" in html
    assert '<time datetime="2024-12-07">7 Dec 2024</time>' in html
    assert "from the metadata file beside the original" in html  # seeds/metadata.toml
    assert "detected from the text" in html  # the language
    assert '<span class="unknown">unknown</span>' in html  # the author is not known


def test_place_mentions_link_to_the_place_filter(client):
    html = client.get(f"/articles/{BALANCHE}").get_data(as_text=True)
    mentions = re.findall(r'<a class="mention" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert ("/?place=169577", "Homs") in [(unescape(u), t) for u, t in mentions]
    # spelling variants in the text link to the same place as the canonical name
    deraa = [unescape(u) for u, t in mentions if t == "Deraa"]
    assert deraa and deraa[0] == "/?place=170905"


def test_text_keeps_its_paragraphs(client):
    html = client.get(f"/articles/{BALANCHE}").get_data(as_text=True)
    body = html[
        html.index('<div class="article__text"') : html.index("</div>", html.index("article__text"))
    ]
    assert body.count('<p dir="auto">') >= 4


def test_similar_articles_and_places_named_are_listed(client):
    html = client.get(f"/articles/{BALANCHE}").get_data(as_text=True)
    assert "Similar articles" in html
    similar = html[html.index("Similar articles") :]
    assert re.search(r'href="/articles/(?!64e331ab3a57)[0-9a-f]+"', similar)
    assert "Places named" in html


def test_other_outlets_of_a_story_are_listed(editor, writable):
    # The FT text again, from another outlet: an exact copy, recorded as a sighting.
    text = writable.extensions["archive"].get(FT).text
    from .conftest import add_text

    assert "Duplicate" in add_text(editor, text, source="Reuters").get_data(as_text=True)
    html = editor.get(f"/articles/{FT}").get_data(as_text=True)
    assert "Also carried by" in html
    assert "Reuters" in html[html.index("Also carried by") :]


def test_original_is_a_download_that_cannot_run_as_a_page(client):
    response = client.get(f"/articles/{BALANCHE}/original")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "000_97d9ff768279ed18.txt" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"Homs" in response.data


def test_unknown_or_malformed_article_ids_are_friendly_404s(client):
    for path in (
        "/articles/0123456789ab",
        "/articles/NOT-AN-ID",
        "/articles/../etc/passwd",
        "/articles/0123456789ab/original",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Not found" in response.get_data(as_text=True)


def test_article_page_links_its_json_twin(client):
    html = client.get(f"/articles/{FT}").get_data(as_text=True)
    assert f'href="/api/articles/{FT}"' in html


def test_article_page_maps_the_places_it_names(client):
    html = client.get(f"/articles/{BALANCHE}").get_data(as_text=True)
    assert '<svg class="placemap__svg"' in html
    dots = re.findall(r'<a class="placemap__dot" href="([^"]+)"[^>]*aria-label="([^"]+)"', html)
    assert ("/?place=169577", "Homs: 4 mentions") in [(unescape(u), a) for u, a in dots]
