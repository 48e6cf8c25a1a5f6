"""The web boundary: batches answered per item, bodies of any shape, the feed always
well-formed XML, and URL parameters that are never a server error."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.test_concurrency import article_text, marker

from .conftest import TOKEN, count, csrf_token

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def post(client, body):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/api/articles", data=data, headers=AUTH, content_type="application/json")


def test_a_batch_of_good_articles_and_one_bad_stores_the_good_and_says_so(writable):
    good = [{"text": article_text(n)} for n in range(100)]
    body = good[:50] + [{"text": article_text(500), "original_type": [1], "original": "eA=="}]
    body += good[50:]
    response = post(writable.test_client(), body)
    assert response.status_code == 207
    data = response.get_json()
    assert data["summary"] == {"added": 100, "rejected": 1}
    results = data["results"]
    assert results[50]["status"] == "rejected" and results[50]["code"] == 422
    assert "item 51" in results[50]["reason"] and "original_type" in results[50]["reason"]
    assert all(r["id"] and r["code"] == 201 for r in results if r["status"] == "added")
    assert count(writable, q=marker(99)) == 1
    assert count(writable, q=marker(500)) == 0


def test_a_batch_all_added_is_201_with_each_id(writable):
    response = post(writable.test_client(), [{"text": article_text(n)} for n in (1, 2)])
    assert response.status_code == 201
    assert [r["status"] for r in response.get_json()["results"]] == ["added", "added"]


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_json_nested_deeply_is_a_400(writable, depth):
    response = post(writable.test_client(), "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert "nested too deeply" in response.get_json()["error"]


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "\ud800"},
        {"sightings": [{"source": [1]}]},
        {"language": "en", "language_prob": int("1" + "0" * 400)},
        {"original": "eA==", "original_type": [1]},
        {"source": 7},
    ],
)
def test_one_bad_article_is_a_4xx_or_a_noted_repair(writable, fields):
    response = post(writable.test_client(), {"text": article_text(7), **fields})
    assert response.status_code in (201, 422), response.get_data(as_text=True)
    data = response.get_json()
    if response.status_code == 201:
        assert data["notes"]  # the lone surrogate was removed, and it says so
    else:
        assert data["error"]
        assert count(writable, q=marker(7)) == 0


def test_the_feed_stays_well_formed_whatever_an_article_holds(writable):
    client = writable.test_client()
    added = post(client, {"text": article_text(8) + " \ufffe\uffff", "title": "A \uffff"})
    assert added.status_code == 201
    archive = writable.extensions["archive"]
    # An article stored before such characters were refused.
    with archive.store.transaction() as conn:
        conn.execute("UPDATE articles SET title = 'Old \ufffe\x01 title', text = text || '\uffff'")
    response = client.get("/feed.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.get_data())
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Old  title" in titles


@pytest.mark.parametrize("page", ["%C2%B2", "%D9%A3", "%EF%BC%93", "9" * 5000, "-1", "1.0"])
def test_page_numbers_are_ascii_digits_or_a_400(client, page):
    for path in ("/", "/api/search", "/feed.atom"):
        response = client.get(f"{path}?q=Homs&page={page}")
        assert response.status_code in (200, 400), (path, page, response.status_code)
        if path != "/feed.atom":  # the feed always shows its first page
            assert response.status_code == 400


@pytest.mark.parametrize(
    "target",
    ["/\r\n//evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example", "/\t/x"],
)
def test_sign_in_refuses_a_next_address_that_could_leave_the_site(writable, target):
    client = writable.test_client()
    csrf = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"token": TOKEN, "next": target, "csrf_token": csrf})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location and "\n" not in location and "\r" not in location
    assert location.endswith("/add")


def test_the_unused_search_template_is_gone():
    from pathlib import Path

    assert not (Path(__file__).parents[2] / "web/templates/search.html").exists()
