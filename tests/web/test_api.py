"""The JSON API: the search and article twins, and adding articles with the editor token."""

from __future__ import annotations

import json

import pytest

from .conftest import TOKEN, count

pytestmark = pytest.mark.both_engines  # every engine serves these pages

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "text": "Shelling hit the outskirts of Idlib overnight, local officials said, and schools "
    "stayed closed across the province on Monday.",
    "title": "Schools shut in Idlib",
    "source": "Test Wire",
    "date": "2024-12-09",
}


def post(client, body, headers=AUTH, content_type="application/json"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/api/articles", data=data, headers=headers, content_type=content_type)


def test_search_json_follows_the_contract(client):
    data = client.get("/api/search?q=Homs&place=170794").get_json()
    assert list(data)[:6] == ["query", "total", "page", "hits", "facets", "suggestion"]
    assert (data["query"], data["total"], data["page"]) == ("Homs", 3, 1)
    hit = data["hits"][0]
    assert {"id", "title", "source", "date", "language", "places", "snippet"} <= set(hit)
    assert "<mark>" in "".join(h["snippet"] for h in data["hits"])
    assert set(data["facets"]) == {"place", "source", "language", "date"}
    assert data["facets"]["date"] == [{"value": "2024-12", "count": 3}]
    assert {"value", "label", "count"} <= set(data["facets"]["place"][0])


def test_search_json_bad_parameters_are_json_400s(client):
    response = client.get("/api/search?page=abc")
    assert response.status_code == 400
    assert "page" in response.get_json()["error"]


def test_article_json_has_text_metadata_and_outlets(client):
    data = client.get("/api/articles/aecfc07bbbc9").get_json()
    assert data["source"] == "Financial Times"
    assert data["basis"]["source"] == "sidecar"
    assert data["outlets"] == ["Financial Times"]
    assert data["text"].startswith("The Syrian rebels") or "Homs" in data["text"]
    assert data["page"].endswith("/articles/aecfc07bbbc9")


def test_unknown_article_is_a_json_404(client):
    response = client.get("/api/articles/0123456789ab")
    assert response.status_code == 404
    assert response.is_json and "no article" in response.get_json()["error"]


def test_post_with_the_token_adds_and_a_repeat_is_a_duplicate(writable):
    client = writable.test_client()
    first = post(client, ARTICLE)
    assert first.status_code == 201
    assert first.get_json()["status"] == "added"
    article_id = first.get_json()["id"]
    again = post(client, ARTICLE)
    assert again.status_code == 200
    assert again.get_json() | {} == again.get_json()
    assert (again.get_json()["status"], again.get_json()["id"]) == ("duplicate", article_id)
    assert count(writable, q="Idlib schools") == 1


def test_post_a_list_answers_per_article(writable):
    body = [ARTICLE, {"text": ""}, {**ARTICLE, "text": ARTICLE["text"] + " A second story."}]
    response = post(writable.test_client(), body)
    assert response.status_code == 207  # multi-status: one item was rejected
    results = response.get_json()["results"]
    statuses = [r["status"] for r in results]
    assert statuses[0] == "added" and statuses[1] == "rejected"
    assert [r["code"] for r in results][:2] == [201, 422]
    assert statuses[2] in ("added", "near-duplicate")
    assert "text" in response.get_json()["results"][1]["reason"]


def test_post_without_or_with_a_wrong_token_is_refused(writable):
    client = writable.test_client()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {TOKEN}"}):
        response = post(client, ARTICLE, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(writable, q="Idlib schools") == 0


def test_post_to_a_closed_archive_is_forbidden(app_factory, seeded_copy):
    app = app_factory(seeded_copy, mode="closed")
    response = post(app.test_client(), ARTICLE)
    assert response.status_code == 403
    assert "ARCHIVE_EDITOR_TOKEN" in response.get_json()["error"]


def test_a_session_cookie_is_not_enough_for_the_api(editor, writable):
    response = post(editor, ARTICLE, headers={})
    assert response.status_code == 401


def test_post_bodies_that_are_not_articles_get_4xx_with_the_reason(writable):
    client = writable.test_client()
    assert post(client, b"{not json").status_code == 400
    assert post(client, []).status_code == 400
    assert post(client, "42").status_code == 400
    assert post(client, ARTICLE, content_type="text/plain").status_code == 415
    rejected = post(client, {"title": "no text"})
    assert rejected.status_code == 422
    assert '"text" or "html"' in rejected.get_json()["error"]
    bad_date = post(client, {**ARTICLE, "date": "someday"})
    assert bad_date.status_code == 422 and "date" in bad_date.get_json()["error"]
    assert count(writable, q="Idlib schools") == 0


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "articles": 5}
