"""Who may write: tokens (missing, wrong, stale), sessions that expire, CSRF on every form,
security headers on every answer, and a public server that stays read-only without a token."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from archive.settings import Settings
from tests.test_concurrency import article_text
from web import create_app
from web.security import WriteAccess, write_access_for

TOKEN = "access-test-editor-token-0123456789"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(data_dir, mode: str = "token", token: str = TOKEN, **settings):
    token = token if mode == "token" else ""
    config = Settings(data_dir=str(data_dir), editor_token=token, secret_key="s3cret", **settings)
    return create_app(config, write_access=WriteAccess(mode, token), test_config={"TESTING": True})


@pytest.fixture
def apps():
    made = []

    def make(*args, **kwargs):
        app = make_app(*args, **kwargs)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["archive"].close()


def csrf(client, path: str = "/add") -> str:
    found = _CSRF.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client, token: str = TOKEN):
    return client.post("/sign-in", data={"token": token, "csrf_token": csrf(client, "/sign-in")})


def post_api(client, record, token: str | None = TOKEN, scheme: str = "Bearer", **headers):
    if token is not None:
        headers["Authorization"] = f"{scheme} {token}"
    return client.post("/api/articles", json=record, headers=headers)


def stored(app) -> int:
    return app.extensions["archive"].store.count()["articles"]


ARTICLE = {"text": article_text(1), "source": "Test Wire"}


# --- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, scheme",
    [
        (None, "Bearer"),
        ("", "Bearer"),
        ("wrong-token", "Bearer"),
        (TOKEN[:-1], "Bearer"),
        (TOKEN + "x", "Bearer"),
        (TOKEN.upper(), "Bearer"),
        (TOKEN, "Basic"),
        (TOKEN, "Token"),
        (f"{TOKEN}\x00", "Bearer"),
    ],
    ids=["missing", "empty", "wrong", "prefix", "longer", "case", "basic", "token", "nul"],
)
def test_api_writes_refuse_missing_and_wrong_tokens(apps, seeded_copy, token, scheme):
    app = apps(seeded_copy)
    client = app.test_client()
    response = post_api(client, ARTICLE, token=token, scheme=scheme)
    assert response.status_code == 401
    assert "Bearer" in response.headers.get("WWW-Authenticate", "")
    assert "token" in response.get_json()["error"]
    assert stored(app) == 5


def test_api_write_with_the_token_is_taken(apps, seeded_copy):
    app = apps(seeded_copy)
    response = post_api(app.test_client(), ARTICLE)
    assert response.status_code == 201, response.get_json()
    assert stored(app) == 6


def test_a_rotated_token_makes_the_old_one_stale_for_the_api_and_sessions(apps, seeded_copy):
    old = apps(seeded_copy)
    browser = old.test_client()
    assert sign_in(browser).status_code == 302
    cookie = browser.get_cookie("archive_session")
    assert cookie is not None

    # The operator rotates the token and restarts the server (same secret key).
    new = apps(seeded_copy, token="the-new-token-9876543210")
    client = new.test_client()
    assert post_api(client, ARTICLE).status_code == 401  # the stale token
    client.set_cookie("archive_session", cookie.value)  # the session signed in with it
    response = client.post("/add", data={"text": ARTICLE["text"], "csrf_token": csrf(client)})
    assert response.status_code == 403
    assert stored(new) == 5
    assert post_api(client, ARTICLE, token="the-new-token-9876543210").status_code == 201


def test_the_form_refuses_writes_without_signing_in(apps, seeded_copy):
    app = apps(seeded_copy)
    client = app.test_client()
    response = client.post("/add", data={"text": ARTICLE["text"], "csrf_token": csrf(client)})
    assert response.status_code == 403
    assert "Sign in" in response.get_data(as_text=True)
    assert stored(app) == 5


def test_a_wrong_token_does_not_sign_in(apps, seeded_copy):
    app = apps(seeded_copy)
    client = app.test_client()
    assert sign_in(client, "not-the-token").status_code == 401
    response = client.post("/add", data={"text": ARTICLE["text"], "csrf_token": csrf(client)})
    assert response.status_code == 403


def test_the_session_cookie_never_carries_the_token(apps, seeded_copy):
    import base64
    import zlib

    app = apps(seeded_copy)
    client = app.test_client()
    sign_in(client)
    value = client.get_cookie("archive_session").value
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if value.startswith("."):
        raw = zlib.decompress(raw)
    assert TOKEN.encode() not in raw


# --- sessions expire ---------------------------------------------------------------------------


def test_sessions_expire(apps, seeded_copy, monkeypatch):
    """A sign-in lasts `session_hours`; after that the signed cookie is refused server-side,
    whatever the browser does with its expiry date."""
    import itsdangerous.timed

    app = apps(seeded_copy, session_hours=1)
    client = app.test_client()
    assert sign_in(client).status_code == 302
    cookie = client.get_cookie("archive_session")
    assert cookie.expires is not None
    token = csrf(client)
    now = time.time()

    later = now + 3600 + 120
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda s: int(later))
    client.set_cookie("archive_session", cookie.value)  # a browser that ignores expiry
    response = client.post("/add", data={"text": ARTICLE["text"], "csrf_token": token})
    assert response.status_code in (400, 403)  # the expired session has no CSRF token either
    assert stored(app) == 5


def test_signing_out_ends_the_session(apps, seeded_copy):
    app = apps(seeded_copy)
    client = app.test_client()
    sign_in(client)
    assert client.post("/sign-out", data={"csrf_token": csrf(client)}).status_code == 302
    response = client.post("/add", data={"text": ARTICLE["text"], "csrf_token": csrf(client)})
    assert response.status_code == 403


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("csrf_value", [None, "", "forged", "other-session"])
def test_forms_refuse_a_missing_or_foreign_csrf_token(apps, seeded_copy, csrf_value):
    app = apps(seeded_copy)
    client = app.test_client()
    sign_in(client)
    data = {"text": ARTICLE["text"]}
    if csrf_value == "other-session":
        data["csrf_token"] = csrf(app.test_client())
    elif csrf_value is not None:
        data["csrf_token"] = csrf_value
    response = client.post("/add", data=data)
    assert response.status_code == 400
    assert stored(app) == 5


def test_sign_in_needs_its_csrf_token(apps, seeded_copy):
    client = apps(seeded_copy).test_client()
    assert client.post("/sign-in", data={"token": TOKEN}).status_code == 400


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_cross_site_form_posts_cannot_write_through_the_api(apps, seeded_copy, content_type):
    """A page elsewhere can make a browser post a form (no preflight) to a loopback archive
    that is open without a token: the API takes JSON only, which such a form cannot send."""
    app = apps(seeded_copy, mode="open")
    client = app.test_client()
    response = client.post(
        "/api/articles",
        data=json.dumps(ARTICLE),
        headers={"Content-Type": content_type, "Origin": "https://evil.example"},
        base_url="http://127.0.0.1:5000",
    )
    assert response.status_code in (400, 415)
    assert stored(app) == 5


def test_an_open_archive_refuses_writes_addressed_by_another_name(apps, seeded_copy):
    """DNS rebinding: evil.example resolving to 127.0.0.1 must not reach an open archive."""
    app = apps(seeded_copy, mode="open")
    client = app.test_client()
    response = client.post("/api/articles", json=ARTICLE, base_url="http://evil.example:5000")
    assert response.status_code in (401, 403)
    assert stored(app) == 5
    ok = client.post("/api/articles", json=ARTICLE, base_url="http://127.0.0.1:5000")
    assert ok.status_code == 201


# --- security headers on every answer ----------------------------------------------------------

PATHS = [
    ("GET", "/"),
    ("GET", "/?q=Homs&place=Homs&source=Reuters&lang=en&from=2024&to=2024-12&sort=newest"),
    ("GET", "/?q=%3Cscript%3E"),
    ("GET", "/add"),
    ("GET", "/sign-in"),
    ("GET", "/api/search?q=Homs"),
    ("GET", "/api/articles/nope"),
    ("GET", "/articles/nope"),
    ("GET", "/feed.atom?q=Homs"),
    ("GET", "/opensearch.xml"),
    ("GET", "/healthz"),
    ("GET", "/no-such-page"),
    ("POST", "/add"),
    ("POST", "/api/articles"),
    ("DELETE", "/api/articles"),
    ("PUT", "/"),
]


def _check_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp or "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("no-referrer", "same-origin")


@pytest.mark.parametrize("method, path", PATHS, ids=[f"{m} {p}" for m, p in PATHS])
def test_every_answer_carries_the_security_headers(apps, seeded_dir, method, path):
    client = apps(seeded_dir).test_client()
    response = client.open(path, method=method)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    _check_headers(response)


def test_article_pages_and_static_files_carry_the_headers(apps, seeded_dir):
    app = apps(seeded_dir)
    client = app.test_client()
    article_id = next(iter(app.extensions["archive"].store.iter_articles()))[0].id
    paths = [f"/articles/{article_id}", f"/api/articles/{article_id}"]
    page = client.get("/").get_data(as_text=True)
    static = re.findall(r'(?:href|src)="(/static/[^"?]+)', page)
    assert static, "the search page links no static files"
    for path in paths + static[:3]:
        response = client.get(path)
        response.close()  # a static file is streamed from an open file
        assert response.status_code == 200, path
        _check_headers(response)


def test_downloaded_originals_are_sandboxed_and_never_framed(apps, seeded_dir):
    """An original is what someone sent: it is never rendered as this site's page."""
    app = apps(seeded_dir)
    client = app.test_client()
    article_id = next(iter(app.extensions["archive"].store.iter_articles()))[0].id
    original = client.get(f"/articles/{article_id}/original")
    assert original.status_code == 200
    assert "text/html" not in original.headers["Content-Type"]
    assert "sandbox" in original.headers["Content-Security-Policy"]
    _check_headers(original)


def test_errors_carry_the_headers_too(apps, seeded_dir):
    app = apps(seeded_dir, max_upload_mb=1)
    client = app.test_client()
    too_big = client.post(
        "/api/articles",
        data=b"x" * (2 * 2**20),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
    )
    assert too_big.status_code == 413
    _check_headers(too_big)


# --- a public server without a token stays read-only -------------------------------------------


def test_a_public_address_without_a_token_closes_writes_and_says_how_to_open_them():
    access = write_access_for("0.0.0.0", "")
    assert access.mode == "closed"
    assert not access.allows("anything")
    assert "ARCHIVE_EDITOR_TOKEN" in access.describe()
    assert write_access_for("127.0.0.1", "").mode == "open"
    assert write_access_for("::1", "").mode == "open"
    assert write_access_for("0.0.0.0", "t0k3n").mode == "token"
    assert write_access_for("192.168.1.5", "").mode == "closed"
    assert write_access_for("localhost.evil.example", "").mode == "closed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_archive_serve_on_0_0_0_0_without_a_token_refuses_writes(seeded_copy, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "ARCHIVE_EDITOR_TOKEN"}
    env["ARCHIVE_DATA_DIR"] = str(seeded_copy)
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "archive.cli",
                "serve",
                "--host",
                "0.0.0.0",
                "--port",
                str(port),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        told = log.read_text()
        assert "ARCHIVE_EDITOR_TOKEN" in told and "DISABLED" in told

        request = urllib.request.Request(
            base + "/api/articles",
            data=json.dumps(ARTICLE).encode(),
            headers={"Content-Type": "application/json", "Authorization": "Bearer guess"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
        assert "ARCHIVE_EDITOR_TOKEN" in json.loads(refused.value.read())["error"]
        with urllib.request.urlopen(base + "/?q=Homs", timeout=30) as page:
            assert page.status == 200  # reading stays open
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    from archive.archive import Archive

    with Archive(seeded_copy) as archive:
        assert archive.store.count()["articles"] == 5
