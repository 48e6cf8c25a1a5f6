"""Adding articles in the browser: paste or upload, the editor token, what happened."""

from __future__ import annotations

import io

import pytest

from .conftest import TOKEN, add_text, count, csrf_token, sign_in

NEW = (
    "Title: Aid convoy reaches Sweida\n\n"
    "A United Nations aid convoy reached Sweida on Tuesday after days of negotiation, "
    "carrying food and medicine for families displaced by the fighting near Daraa."
)

pytestmark = pytest.mark.both_engines  # every engine serves these pages


def test_add_page_asks_for_the_editor_token_first(writable):
    html = writable.test_client().get("/add").get_data(as_text=True)
    assert "Editor token" in html
    assert 'name="text"' not in html


def test_wrong_token_is_refused(writable):
    response = sign_in(writable.test_client(), "not-the-token")
    assert response.status_code == 401
    assert "not the editor token" in response.get_data(as_text=True)


def test_sign_in_returns_to_the_add_page_and_sign_out_ends_it(writable):
    client = writable.test_client()
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/add"
    assert 'name="text"' in client.get("/add").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert 'name="text"' not in client.get("/add").get_data(as_text=True)


def test_sign_in_never_redirects_off_site(writable):
    client = writable.test_client()
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        data = {"token": TOKEN, "next": target, "csrf_token": csrf_token(client, "/sign-in")}
        response = client.post("/sign-in", data=data)
        assert response.headers["Location"] == "/add", target


def test_pasted_article_is_added_and_found_at_once(editor, writable):
    response = add_text(editor, NEW)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Added" in html and "Aid convoy reaches Sweida" in html
    assert "As-Suwayda" in html or "Sweida" in html  # places found are listed
    assert count(writable, q="convoy negotiation medicine") == 1


def test_second_paste_of_the_same_text_is_a_duplicate(editor, writable):
    add_text(editor, NEW)
    html = add_text(editor, NEW).get_data(as_text=True)
    assert "Duplicate" in html and "already has this text" in html
    assert count(writable, q="convoy negotiation medicine") == 1


def test_stated_details_win_and_are_shown(editor, writable):
    html = add_text(editor, NEW, source="Syria Direct", date="2024-12-10", author="A. Writer")
    html = html.get_data(as_text=True)
    assert "Syria Direct" in html and "10 Dec 2024" in html
    assert count(writable, source="Syria Direct") == 1


def test_a_bad_stated_date_is_rejected_with_the_reason_and_nothing_added(editor, writable):
    response = add_text(editor, NEW, date="the day before yesterday")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Not added" in html and "date" in html
    assert 'value="the day before yesterday"' in html  # what was typed is kept
    assert count(writable, q="convoy negotiation medicine") == 0


def test_several_files_are_uploaded_at_once(editor, writable):
    files = [
        (io.BytesIO(NEW.encode()), "convoy.txt"),
        (
            io.BytesIO(
                b"<html><body><article><h1>Flood in Hama</h1><p>" + b"River water rose in "
                b"Hama overnight and flooded the old town, residents said. "
                * 5
                + b"</p></article></body></html>"
            ),
            "flood.html",
        ),
        (io.BytesIO(b"%PDF-1.4"), "report.pdf"),
    ]
    data = {"csrf_token": csrf_token(editor), "files": files}
    html = editor.post("/add", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert html.count("badge--added") == 2
    assert "report.pdf" in html and "not a file type the archive reads" in html
    assert count(writable, q="flooded") == 1


def test_details_with_several_documents_are_refused(editor, writable):
    data = {
        "csrf_token": csrf_token(editor),
        "text": NEW,
        "title": "One title",
        "files": [(io.BytesIO(b"Another article text about Homs and Hama."), "b.txt")],
    }
    response = editor.post("/add", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert count(writable, q="convoy negotiation medicine") == 0


def test_an_empty_form_says_what_to_do(editor):
    response = add_text(editor, "   ")
    assert response.status_code == 400
    assert "Paste an article or choose a file" in response.get_data(as_text=True)


def test_adding_without_the_token_when_one_is_set_is_refused(writable):
    client = writable.test_client()
    response = add_text(client, NEW)
    assert response.status_code == 403
    assert count(writable, q="convoy negotiation medicine") == 0


def test_closed_archive_refuses_and_says_how_to_open_it(app_factory, seeded_copy):
    app = app_factory(seeded_copy, mode="closed")
    client = app.test_client()
    assert "ARCHIVE_EDITOR_TOKEN" in client.get("/add").get_data(as_text=True)
    response = add_text(client, NEW, csrf_from=None)  # the page shows no form to take it from
    assert response.status_code == 403
    assert "ARCHIVE_EDITOR_TOKEN" in response.get_data(as_text=True)
    assert count(app, q="convoy negotiation medicine") == 0


def test_open_loopback_archive_adds_without_signing_in(app_factory, seeded_copy):
    app = app_factory(seeded_copy, mode="open")
    client = app.test_client()
    assert 'name="text"' in client.get("/add").get_data(as_text=True)
    assert add_text(client, NEW).status_code == 200
    assert count(app, q="convoy negotiation medicine") == 1


def test_open_archive_refuses_requests_addressed_to_another_host(app_factory, seeded_copy):
    # A page on another site cannot reach a token-less archive through a rebound DNS name.
    app = app_factory(seeded_copy, mode="open")
    client = app.test_client()
    with client.session_transaction(base_url="http://evil.example") as session:
        session["csrf_token"] = "t"
    response = client.post(
        "/add", data={"text": NEW, "csrf_token": "t"}, base_url="http://evil.example"
    )
    assert response.status_code == 403
    assert "loopback" in response.get_data(as_text=True)
    api = client.post("/api/articles", json={"text": NEW}, base_url="http://evil.example:5000")
    assert api.status_code == 401
    assert count(app, q="convoy negotiation medicine") == 0
