"""Security: headers on every answer, CSRF on forms, strict escaping, the size limit, and no
500 for any input."""

from __future__ import annotations

import json
import re
import string
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import XSS, add_text, count, csrf_token

NEW = "A ceasefire was announced in Deir ez-Zor on Sunday after talks between tribal leaders."
PATHS = [
    "/",
    "/?q=Homs",
    "/articles/aecfc07bbbc9",
    "/add",
    "/sign-in",
    "/api/search",
    "/api/articles/aecfc07bbbc9",
    "/feed.atom",
    "/opensearch.xml",
    "/healthz",
    "/nope",
    "/static/archive.css",
    "/articles/aecfc07bbbc9/original",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp or "sandbox" in csp
    assert "default-src 'none'" in csp
    assert "http" not in csp and "unsafe" not in csp  # own assets only, nothing inline
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


class _Inline(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style" or "style" in names:
            self.found.append(f"style on <{tag}>")
        self.found += [f"{n} on <{tag}>" for n in names if n.startswith("on")]
        self.found += [
            f"javascript: URL on <{tag}>" for _, v in attrs if "javascript:" in (v or "")
        ]


def test_pages_use_no_inline_script_or_style(client):
    for path in ("/", "/?q=Homs", "/articles/aecfc07bbbc9", "/add", "/nope"):
        parser = _Inline()
        parser.feed(client.get(path).get_data(as_text=True))
        assert parser.found == [], path


def test_session_cookie_is_httponly_and_samesite(writable):
    client = writable.test_client()
    response = client.get("/add")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_form_post_without_its_csrf_token_is_refused(editor, writable):
    response = editor.post("/add", data={"text": NEW})
    assert response.status_code == 400
    assert "not sent from this archive" in response.get_data(as_text=True)
    response = editor.post("/add", data={"text": NEW, "csrf_token": "forged"})
    assert response.status_code == 400
    assert count(writable, q="ceasefire tribal") == 0


def test_sign_in_and_out_need_the_csrf_token_too(writable):
    from .conftest import TOKEN

    client = writable.test_client()
    assert client.post("/sign-in", data={"token": TOKEN}).status_code == 400
    assert client.post("/sign-out").status_code == 400


def test_a_new_editor_token_ends_old_sessions(app_factory, seeded_copy, editor):
    from web.security import WriteAccess

    app = editor.application
    app.extensions["write_access"] = WriteAccess("token", "a-different-token")
    assert add_text(editor, NEW).status_code == 403


def test_script_in_title_body_and_query_is_shown_as_text(editor, writable):
    response = add_text(
        editor, f"{XSS} reported from Homs on Sunday by our correspondent.", title=XSS
    )
    assert response.status_code == 200
    article_id = re.search(r'href="/articles/([0-9a-f]+)"', response.get_data(as_text=True))[1]
    stored = writable.extensions["archive"].get(article_id)
    assert stored.title == XSS and XSS in stored.text  # the test is about a real payload
    for path in ("/?q=correspondent", f"/articles/{article_id}", "/?q=" + XSS, "/feed.atom"):
        html = editor.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in editor.get(
        f"/articles/{article_id}"
    ).get_data(as_text=True)


BOUNDARY = "archive-test-boundary"


def multipart(csrf: str, filename: str, payload: bytes) -> bytes:
    """A form upload as a browser encodes it (built here so no temporary file is left open)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"'
        "\r\nContent-Type: text/plain\r\n\r\n"
    )
    return head.encode() + payload + f"\r\n--{BOUNDARY}--\r\n".encode()


def test_a_50_mb_upload_gets_413_and_the_archive_is_unchanged(editor, writable):
    before = writable.extensions["archive"].stats()
    response = editor.post(
        "/add",
        data=multipart(csrf_token(editor), "huge.txt", b"Homs " * (10 * 2**20)),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 413
    assert "larger than the 20 MB" in response.get_data(as_text=True)
    assert writable.extensions["archive"].stats() == before


def test_a_huge_api_body_gets_a_json_413(writable):
    from .conftest import TOKEN

    body = json.dumps({"text": "Homs " * (5 * 2**20)})
    response = writable.test_client().post(
        "/api/articles",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 413 and response.is_json


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_params = st.dictionaries(
    st.sampled_from(["q", "place", "source", "lang", "from", "to", "sort", "page"]),
    _text | st.sampled_from(["1", "2024-12", '"', "*", "~", "OR", "NOT", "place:", "(", "\x00"]),
    max_size=5,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=_params)
def test_no_search_parameters_cause_a_server_error(client, params):
    for path in ("/", "/api/search", "/feed.atom"):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400), (path, params, response.status_code)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(article_id=st.text(alphabet=string.printable, min_size=1, max_size=40))
def test_no_article_address_causes_a_server_error(client, article_id):
    response = client.get("/articles/" + article_id.replace("/", "_").replace("?", "_"))
    assert response.status_code in (200, 404, 308)


def test_an_upload_encoded_like_the_huge_one_but_small_is_added(editor, writable):
    # The 413 above is about size, not about a malformed body.
    body = b"Tribal leaders in Deir ez-Zor met on Sunday to agree a local ceasefire."
    response = editor.post(
        "/add",
        data=multipart(csrf_token(editor), "small.txt", body),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 200
    assert count(writable, q="tribal ceasefire") == 1


def test_only_web_addresses_become_links(client, monkeypatch):
    # The core checks stated addresses; whatever else reaches the page is still not a link
    # unless it is http(s).
    archive = client.application.extensions["archive"]
    real_view = archive.view

    def view(article_id):
        found = real_view(article_id)
        found.article.url = "javascript:alert(1)"
        return found

    monkeypatch.setattr(archive, "view", view)
    page = client.get("/articles/aecfc07bbbc9").get_data(as_text=True)
    assert "javascript:alert(1)" in page  # shown, as text
    assert 'href="javascript:' not in page
