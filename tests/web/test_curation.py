"""Curation on the web: PATCH and DELETE on the API, the article page's forms and the rules
page; every write refused without the token, with a wrong one, and (forms) without CSRF;
bad values answered 400 with nothing changed; deleted articles 404 to readers."""

from __future__ import annotations

import json

import pytest

from .conftest import TOKEN, csrf_token, make_app, sign_in

pytestmark = pytest.mark.both_engines  # every engine serves these pages

AUTH = {"Authorization": f"Bearer {TOKEN}", "X-Editor": "Ann"}


@pytest.fixture
def api(writable):
    return writable.test_client()


@pytest.fixture
def some_id(api):
    hits = api.get("/api/search?q=Palmyra").get_json()["hits"]
    return hits[0]["id"]


def patch(client, article_id, body, headers=AUTH):
    return client.patch(
        f"/api/articles/{article_id}",
        data=json.dumps(body),
        headers=headers,
        content_type="application/json",
    )


def facet(client, name, **params) -> dict[str, int]:
    data = client.get("/api/search", query_string=params).get_json()
    return {v["value"]: v["count"] for v in data["facets"][name]}


def test_patch_changes_metadata_and_places_and_search_shows_it(api, some_id):
    before = api.get(f"/api/articles/{some_id}").get_json()
    place = before["places"][0]
    place_count = facet(api, "place")[place["geonameid"]]
    body = {"source": "Corrected Wire", "date": "2020-01-02", "places": {"remove": [place["name"]]}}
    response = patch(api, some_id, body)
    assert response.status_code == 200, response.get_json()
    article = response.get_json()["article"]
    assert (article["source"], article["date"]) == ("Corrected Wire", "2020-01-02")
    assert article["basis"]["source"] == "edited"
    assert facet(api, "source")["Corrected Wire"] == 1
    assert facet(api, "place").get(place["geonameid"], 0) == place_count - 1
    history = api.get(f"/articles/{some_id}")  # a reader sees the correction's basis
    assert "corrected by an editor" in history.get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [
        {"date": "not a date"},
        {"language": "xq"},
        {"title": ""},
        {"places": {"add": ["Qwzxland"]}},
        {"source": "Fine", "places": {"remove": ["Nowhere-at-all"]}},  # all or nothing
        {"colour": "red"},
        [],
    ],
)
def test_patch_refuses_bad_values_and_changes_nothing(api, some_id, body):
    before = api.get(f"/api/articles/{some_id}").get_json()
    response = patch(api, some_id, body)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert api.get(f"/api/articles/{some_id}").get_json() == before


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}]
)
def test_every_api_write_needs_the_token(api, some_id, headers):
    before = api.get(f"/api/articles/{some_id}").get_json()
    assert patch(api, some_id, {"source": "X"}, headers=headers).status_code == 401
    assert api.delete(f"/api/articles/{some_id}", headers=headers).status_code == 401
    assert api.get(f"/api/articles/{some_id}").get_json() == before


def test_a_closed_archive_refuses_api_writes(app_factory, seeded_copy):
    client = app_factory(seeded_copy, mode="closed").test_client()
    some = client.get("/api/search").get_json()["hits"][0]["id"]
    assert patch(client, some, {"source": "X"}).status_code == 403
    assert client.delete(f"/api/articles/{some}", headers=AUTH).status_code == 403


def test_delete_hides_the_article_from_readers_and_search(api, some_id):
    total = api.get("/api/search").get_json()["total"]
    assert some_id in api.get("/feed.atom").get_data(as_text=True)
    response = api.delete(f"/api/articles/{some_id}?why=wrong+page", headers=AUTH)
    assert response.status_code == 200
    assert api.get("/api/search").get_json()["total"] == total - 1
    assert api.get(f"/articles/{some_id}").status_code == 404
    assert api.get(f"/api/articles/{some_id}").status_code == 404
    assert some_id not in api.get("/feed.atom").get_data(as_text=True)
    # editors still see it, said to be deleted, with its history
    page = api.get(f"/api/articles/{some_id}", headers=AUTH).get_json()
    assert page["deleted"]["why"] == "wrong page" and page["deleted"]["editor"] == "api:Ann"
    html = api.get(f"/articles/{some_id}", headers=AUTH).get_data(as_text=True)
    assert "Deleted by api:Ann" in html and "Restore this article" in html
    assert api.delete(f"/api/articles/{some_id}", headers=AUTH).status_code == 400
    assert api.post(f"/api/articles/{some_id}/restore").status_code == 401
    assert api.post(f"/api/articles/{some_id}/restore", headers=AUTH).status_code == 200
    assert api.get("/api/search").get_json()["total"] == total
    assert api.get(f"/articles/{some_id}").status_code == 200
    assert api.post(f"/api/articles/{some_id}/restore", headers=AUTH).status_code == 400


def form_post(client, path, data, *, with_csrf=True, csrf_from):
    if with_csrf:
        data = {**data, "csrf_token": csrf_token(client, csrf_from)}
    return client.post(path, data=data)


def test_the_article_page_forms_correct_and_record_the_editor(writable, some_id):
    client = writable.test_client()
    client.post(
        "/sign-in",
        data={"token": TOKEN, "name": "Ann Editor", "csrf_token": csrf_token(client, "/sign-in")},
    )
    page = f"/articles/{some_id}"
    assert "Correct this article" in client.get(page).get_data(as_text=True)
    response = form_post(client, f"{page}/edit", {"source": "Form Wire"}, csrf_from=page)
    assert response.status_code == 302
    assert facet(client, "source")["Form Wire"] == 1
    bad = form_post(client, f"{page}/edit", {"date": "the day after"}, csrf_from=page)
    assert bad.status_code == 400 and "Nothing was changed" in bad.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "by Ann Editor" in html and "Form Wire" in html
    change = writable.extensions["archive"].curation.history(some_id)[-1]["id"]
    assert form_post(client, f"/changes/{change}/revert", {}, csrf_from=page).status_code == 302
    assert "Form Wire" not in facet(client, "source")


def test_forms_without_csrf_or_sign_in_change_nothing(writable, some_id):
    page = f"/articles/{some_id}"
    reader = writable.test_client()
    assert "Correct this article" not in reader.get(page).get_data(as_text=True)
    response = form_post(reader, f"{page}/edit", {"source": "X"}, csrf_from="/add")
    assert response.status_code == 403
    assert reader.get("/rules").status_code == 403
    editor = writable.test_client()
    sign_in(editor)
    for path in (f"{page}/edit", f"{page}/delete", f"{page}/places", "/rules"):
        response = form_post(
            editor, path, {"source": "X", "name": "Aleppo"}, with_csrf=False, csrf_from=page
        )
        assert response.status_code == 400, path
    assert "X" not in facet(editor, "source")
    assert writable.extensions["archive"].store.rules() == []


def test_the_rules_page_adds_and_undoes_a_rule(writable):
    client = writable.test_client()
    sign_in(client)
    homs = "169577"
    before = facet(client, "place")[homs]
    response = form_post(
        client, "/rules", {"kind": "not-a-place", "name": "Homs"}, csrf_from="/rules"
    )
    assert response.status_code == 302
    assert homs not in facet(client, "place")
    html = client.get("/rules").get_data(as_text=True)
    assert "“Homs” is not a place" in html
    rule = writable.extensions["archive"].store.rules()[0]["id"]
    form_post(client, f"/rules/{rule}/remove", {}, csrf_from="/rules")
    assert facet(client, "place")[homs] == before
    bad = form_post(
        client, "/rules", {"kind": "alias", "name": "X", "target": "Qwzx"}, csrf_from="/rules"
    )
    assert bad.status_code == 400


def test_an_open_loopback_archive_records_local_edits(seeded_copy):
    app = make_app(seeded_copy, mode="open")
    client = app.test_client()
    some = client.get("/api/search").get_json()["hits"][0]["id"]
    page = f"/articles/{some}"
    assert (
        form_post(client, f"{page}/edit", {"author": "Someone"}, csrf_from=page).status_code == 302
    )
    assert app.extensions["archive"].curation.history(some)[0]["editor"] == "local"
    app.extensions["archive"].close()


def test_every_form_refuses_a_reader(writable, some_id):
    reader = writable.test_client()
    page = f"/articles/{some_id}"
    paths = [f"{page}/{action}" for action in ("edit", "places", "delete", "restore", "split")]
    paths += ["/changes/1/revert", "/rules", "/rules/1/remove"]
    for path in paths:
        response = form_post(reader, path, {"source": "X", "add": "Aleppo"}, csrf_from="/add")
        assert response.status_code == 403, path
    assert writable.extensions["archive"].store.changes() == []
