"""Friendly errors: a page for people, JSON for programs, never a bare 500."""

from __future__ import annotations


def test_unknown_page_is_a_friendly_404_with_a_search_box(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Not found" in html and 'name="q"' in html


def test_api_errors_are_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_wrong_method_is_a_405_page(client):
    response = client.put("/")
    assert response.status_code == 405
    assert "Not possible here" in response.get_data(as_text=True)


def test_an_unexpected_failure_is_a_calm_500(app_factory, seeded_dir, monkeypatch):
    app = app_factory(seeded_dir)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.extensions["archive"], "search", broken)
    response = app.test_client().get("/?q=Homs")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "disk on fire" not in html
    assert app.test_client().get("/api/search").get_json()["status"] == 500


def test_healthz_says_when_the_archive_cannot_be_read(app_factory, seeded_dir, monkeypatch):
    app = app_factory(seeded_dir)
    monkeypatch.setattr(app.extensions["archive"].store, "count", lambda: 1 / 0)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"
