"""OpenSearch (the archive in the browser's address bar) and Atom feeds of any search."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.web.conftest import TOKEN

pytestmark = pytest.mark.both_engines  # every engine serves these pages

ATOM = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"


def test_opensearch_description_points_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.data)
    urls = {u.get("type"): u.get("template") for u in root.iter(f"{OS}Url")}
    assert urls["text/html"] == "http://localhost/?q={searchTerms}"
    assert urls["application/atom+xml"] == "http://localhost/feed.atom?q={searchTerms}"
    assert root.find(f"{OS}ShortName").text == "News archive"


def test_feed_lists_the_newest_matches_of_a_search(client):
    response = client.get("/feed.atom?q=Homs&place=170794")
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert feed.find(f"{ATOM}title").text == "News archive: Homs"
    first = entries[0]
    assert first.find(f"{ATOM}id").text.startswith("http://localhost/articles/")
    article_id = first.find(f"{ATOM}id").text.rsplit("/", 1)[1]
    date = client.get(f"/api/articles/{article_id}").get_json()["date"]
    assert first.find(f"{ATOM}published").text == f"{date}T00:00:00Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first.find(f"{ATOM}updated").text)
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<mark>" in summary.text
    alternate = [x for x in feed.findall(f"{ATOM}link") if x.get("rel") == "alternate"][0]
    assert alternate.get("href") == "http://localhost/?q=Homs&place=170794"


def test_feed_is_newest_added_first_whatever_the_sort_asked(client):
    feed = ET.fromstring(client.get("/feed.atom?sort=oldest").data)
    stamps = [e.find(f"{ATOM}updated").text for e in feed.findall(f"{ATOM}entry")]
    assert stamps == sorted(stamps, reverse=True)


def test_feed_of_bad_parameters_is_a_400(client):
    assert client.get("/feed.atom?q=" + "x" * 2000).status_code == 400


def test_an_old_article_added_today_comes_first_in_the_feed(writable):
    client = writable.test_client()
    before = ET.fromstring(client.get("/feed.atom").data)
    old = {
        "text": "An archive piece about the siege of Homs, filed long ago by a reporter.",
        "date": "1999-03-01",
        "title": "An old report",
    }
    answer = client.post("/api/articles", json=old, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 201, answer.get_json()
    feed = ET.fromstring(client.get("/feed.atom").data)
    first = feed.findall(f"{ATOM}entry")[0]
    assert first.find(f"{ATOM}title").text == "An old report"
    assert first.find(f"{ATOM}published").text == "1999-03-01T00:00:00Z"
    assert first.find(f"{ATOM}updated").text == feed.find(f"{ATOM}updated").text
    assert feed.find(f"{ATOM}updated").text >= before.find(f"{ATOM}updated").text
