"""Who may write: the editor token, the session that remembers it, CSRF tokens on forms, and
the security headers every response carries."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from flask import Flask, current_app, request, session
from werkzeug.exceptions import BadRequest

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
CSRF_FIELD = "csrf_token"

# Only the app's own assets; no inline script or style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",  # only the article's own original, sandboxed
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Outlets an article links to need not learn where their readers keep an archive.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=()",
}


@dataclass(frozen=True)
class WriteAccess:
    """How writes are allowed: "token" (the editor token), "open" (loopback server, no token
    set) or "closed" (a public server with no token)."""

    mode: str
    token: str = ""

    def allows(self, presented: str | None) -> bool:
        if self.mode == "open":
            return True
        if self.mode == "closed" or not presented:
            return False
        return hmac.compare_digest(presented.encode(), self.token.encode())

    def describe(self) -> str:
        if self.mode == "open":
            return (
                "Adding articles is open to anyone who can reach this loopback address. "
                "Set ARCHIVE_EDITOR_TOKEN to require a token."
            )
        if self.mode == "closed":
            return (
                "Adding articles is DISABLED: this server listens beyond loopback and no editor "
                "token is set. Set ARCHIVE_EDITOR_TOKEN=<a long random secret> to allow it."
            )
        return "Adding articles needs the editor token (ARCHIVE_EDITOR_TOKEN)."


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_access_for(host: str, token: str) -> WriteAccess:
    """Writes need `token` when one is set; without one they are open only on loopback."""
    if token:
        return WriteAccess("token", token)
    return WriteAccess("open") if is_loopback(host) else WriteAccess("closed")


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- per request ---------------------------------------------------------------------------


def write_access() -> WriteAccess:
    return current_app.extensions["write_access"]


def _request_host_is_loopback() -> bool:
    # An open (token-less) archive answers writes only to requests addressed to loopback,
    # so a web page cannot reach it through a rebound DNS name.
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    return is_loopback(host)


def _session_mark(token: str) -> str:
    """What the session keeps of the token: a keyed hash, so a new token ends old sessions
    and the signed (not encrypted) cookie never carries the token itself."""
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def signed_in() -> bool:
    access = write_access()
    return access.mode == "token" and hmac.compare_digest(
        session.get("editor", ""), _session_mark(access.token)
    )


def can_write() -> bool:
    """Whether this browser may add articles now."""
    access = write_access()
    if access.mode == "open":
        return _request_host_is_loopback()
    return signed_in()


def refusal() -> str:
    """Why this browser may not add articles, and what would allow it."""
    access = write_access()
    if access.mode == "open":
        return (
            "This archive has no editor token, so it takes new articles only on its loopback "
            "address (such as http://127.0.0.1). Open it there, or set ARCHIVE_EDITOR_TOKEN."
        )
    if access.mode == "closed":
        return access.describe()
    return "Sign in with the editor token to add articles. Nothing was added."


MAX_NAME_CHARS = 80


def clean_name(name: str | None) -> str:
    """An editor's name as history shows it: one line, no control characters, short."""
    name = "".join(ch for ch in (name or "") if ch >= " " and ch != "\x7f")
    return " ".join(name.split())[:MAX_NAME_CHARS]


def sign_in(presented: str, name: str | None = None) -> bool:
    """Remember the editor token in the session, with the name the editor gives (history
    records it with every change)."""
    access = write_access()
    if access.mode != "token" or not access.allows(presented):
        return False
    session.clear()  # a fresh session (and CSRF token) on every sign-in
    session.permanent = True
    session["editor"] = _session_mark(access.token)
    session["editor_name"] = clean_name(name) or "editor"
    return True


def editor_name() -> str:
    """Who history names for a change made now: the name given at sign-in, "local" on an
    open loopback archive, "api:<X-Editor header>" for the JSON API."""
    if request.path.startswith("/api/"):
        return "api:" + (clean_name(request.headers.get("X-Editor")) or "token")
    if write_access().mode == "open":
        return "local"
    return session.get("editor_name") or "editor"


def sign_out() -> None:
    session.clear()


def bearer_allows() -> bool:
    """Whether an API request may write: the editor token as a Bearer token, or an open
    loopback archive."""
    access = write_access()
    if access.mode == "open":
        return _request_host_is_loopback()
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and access.allows(presented.strip())


def csrf_token() -> str:
    """The session's CSRF token, made on first use (forms put it in a hidden field)."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Refuse a form post whose token is missing or not this session's."""
    expected = session.get(CSRF_FIELD)
    presented = request.form.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise BadRequest(
            "This form was not sent from this archive's own page, or the page is too old. "
            "Nothing was changed. Go back, reload the page and try again."
        )


def init_app(app: Flask, access: WriteAccess) -> None:
    app.extensions["write_access"] = access

    @app.before_request
    def _csrf_on_forms():
        # Every form post needs its token; the JSON API authenticates with the Bearer token
        # instead, and requires a JSON body, which a cross-site form cannot send.
        if request.method in ("POST", "PATCH", "DELETE") and not request.path.startswith("/api/"):
            check_csrf()

    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if session.get("editor"):
            response.headers["Cache-Control"] = "private, no-store"
        return response

    app.jinja_env.globals.update(
        csrf_token=csrf_token,
        can_write=can_write,
        signed_in=signed_in,
        refusal=refusal,
        editor_name=editor_name,
    )
