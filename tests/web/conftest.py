"""Web fixtures: the Flask app over a seeded or empty archive, in each write-access mode, a
test client, and a client signed in as the editor. Archives come from ../conftest.py."""

from __future__ import annotations

import os
import re

import pytest

from archive.settings import Settings
from web import create_app
from web.security import WriteAccess

TOKEN = "web-test-editor-token-0123456789"
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(data_dir, *, mode: str = "token", **overrides):
    """The app over `data_dir` (on the test's engine unless `database_url` says); `mode`
    is "token", "open" or "closed"."""
    token = TOKEN if mode == "token" else ""
    overrides.setdefault("database_url", os.environ.get("ARCHIVE_DATABASE_URL", ""))
    settings = Settings(
        data_dir=str(data_dir), editor_token=token, secret_key="web-tests", **overrides
    )
    return create_app(
        settings, write_access=WriteAccess(mode, token), test_config={"TESTING": True}
    )


@pytest.fixture
def app_factory():
    """Make apps; each one's archive is closed after the test."""
    made = []

    def make(data_dir, **kwargs):
        app = make_app(data_dir, **kwargs)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["archive"].close()


@pytest.fixture
def app(app_factory, seeded_source, seeded_url):
    """The seeded archive, read-only by convention, writes behind the editor token."""
    return app_factory(seeded_source, database_url=seeded_url or "")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def writable(app_factory, seeded_copy):
    """An app over a private copy of the seeded archive, free to change."""
    return app_factory(seeded_copy)


def csrf_token(client, path: str | None = "/add") -> str:
    """The CSRF token of the client's session, as the form on `path` carries it; with no
    path (a page that shows no form, such as a closed archive's), the session's own."""
    if path is None:
        with client.session_transaction() as session:
            return session.setdefault("csrf_token", "a-token-for-a-page-without-forms")
    found = _CSRF.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client, token: str = TOKEN):
    return client.post(
        "/sign-in", data={"token": token, "csrf_token": csrf_token(client, "/sign-in")}
    )


@pytest.fixture
def editor(writable):
    """A client signed in with the editor token, over a writable archive."""
    client = writable.test_client()
    assert sign_in(client).status_code == 302
    return client


def add_text(client, text: str, csrf_from: str | None = "/add", **fields):
    """Post the add form as a browser would, with the session's CSRF token."""
    data = {"text": text, "csrf_token": csrf_token(client, csrf_from), **fields}
    return client.post("/add", data=data)


def count(app, **params) -> int:
    """How many articles a search finds, through the JSON twin of the search page."""
    with app.test_client() as c:
        return c.get("/api/search", query_string=params).get_json()["total"]


@pytest.fixture(scope="session")
def browser():
    """One real Chromium for every browser test (Debian's; never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    from .serving import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser tab on the module's `server`; any dialog (an alert from injected
    script), page error, or a script, style or image the Content-Security-Policy blocked
    fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server["base"])
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    problems: list[str] = []
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    # What the policy refuses inside a framed original (its scripts, its images) is the
    # policy working; anything refused on the archive's own pages is a fault.
    tab.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if "Content Security Policy" in m.text
            and "/original/view" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    tab.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    tab.problems = problems
    yield tab
    context.close()
    assert problems == []
