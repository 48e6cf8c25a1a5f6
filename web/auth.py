"""Signing in with the editor token, and out again: the session cookie remembers it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for

from web import security

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site: a sign-in link must not send anyone elsewhere."""
    if not target:
        return url_for("add.form")
    if any(ch < " " or ch == "\x7f" for ch in target):
        # urlsplit drops CR, LF and tab, so "/\r\n//evil.example" would pass as a path
        # and then split the Location header.
        return url_for("add.form")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("add.form")
    if "\\" in target:
        return url_for("add.form")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    access = security.write_access()
    next_url = safe_next(request.values.get("next"))
    if request.method == "POST":
        if security.sign_in(request.form.get("token", ""), request.form.get("name")):
            flash(f"Signed in as {security.editor_name()}: you can add and correct articles.", "ok")
            return redirect(next_url)
        status = 403 if access.mode == "closed" else 401
        message = access.describe() if access.mode != "token" else "That is not the editor token."
        return render_template(
            "auth/sign_in.html", access=access, next_url=next_url, error=message
        ), status
    return render_template("auth/sign_in.html", access=access, next_url=next_url, error=None)


@bp.post("/sign-out")
def sign_out():
    security.sign_out()
    flash("Signed out.", "ok")
    return redirect(url_for("search.index"))
