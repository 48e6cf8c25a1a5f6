"""Editors' corrections in the browser: the article page's forms (edit, places, delete,
restore, split, revert) and the rules page. Every form carries the CSRF token (checked for
every post in `security`) and needs a signed-in editor; each change lands in the history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from archive.curation import EDITABLE, CurationError, NotFound, describe_rule
from archive.places import get_place
from web import security
from web.articles import find_article, render_article
from web.db import get_archive

bp = Blueprint("curation", __name__)
MAX_FIELD_CHARS = 2000


@bp.app_template_filter("change_words")
def change_words(change: dict) -> str:
    """What a history row did, in words, for the article page."""
    if change["kind"] in ("rule-add", "rule-remove"):
        rule = (change["new"] or change["old"] or {}).get("rule") or {}
        verb = "rule added" if change["kind"] == "rule-add" else "rule removed"
        return f"{verb}: {describe_rule(rule)}" if rule else verb
    if change["kind"] == "edit":
        old = (change["old"] or {}).get("value") or "unknown"
        new = (change["new"] or {}).get("value") or "unknown"
        return f"{change['field']}: “{old}” → “{new}”"
    if change["kind"] == "places":
        new = change["new"] or {}
        parts = [f"{k} {', '.join(_place_names(v))}" for k, v in new.items() if v]
        return "places: " + ("; ".join(parts) or "as extraction found them")
    return change["kind"]


def _place_names(ids: list[str]) -> list[str]:
    return [p.name if (p := get_place(i)) else i for i in ids]


def _editor_only() -> None:
    if not security.can_write():
        abort(403, description=security.refusal())


def _back(article_id: str, message: str):
    flash(message, "ok")
    return redirect(url_for("articles.show", article_id=article_id))


def _attempt(article_id: str, action, message: str):
    """Run one correction; a refused value re-shows the article page with the reason."""
    _editor_only()
    find_article(article_id)
    try:
        action(get_archive().curation, security.editor_name())
    except CurationError as err:
        return render_article(article_id, 400, f"{err}. Nothing was changed.")
    except NotFound:
        abort(404)
    return _back(article_id, message)


@bp.post("/articles/<article_id>/edit")
def edit(article_id: str):
    article = find_article(article_id).article
    sent = {n: request.form[n][:MAX_FIELD_CHARS] for n in EDITABLE if n in request.form}
    # Only what the editor changed: the form shows every value as it stands.
    changed = {n: v.strip() for n, v in sent.items() if v.strip() != (getattr(article, n) or "")}
    if changed.get("language") == "" and article.language == "und":
        changed.pop("language")
    if not changed:
        return _back(article_id, "Nothing to change: the values were already so.")
    return _attempt(
        article_id, lambda c, who: c.edit(article_id, changed, who), "Corrected; see the history."
    )


@bp.post("/articles/<article_id>/places")
def places(article_id: str):
    remove = request.form.getlist("remove")
    add = [p for p in (request.form.get("add") or "").split(";") if p.strip()]
    return _attempt(
        article_id,
        lambda c, who: c.edit_places(article_id, remove, add, who),
        "Places corrected.",
    )


@bp.post("/articles/<article_id>/delete")
def delete(article_id: str):
    why = (request.form.get("why") or "")[:MAX_FIELD_CHARS]
    return _attempt(
        article_id,
        lambda c, who: c.delete(article_id, who, why),
        "Deleted: hidden from search, facets and feeds. Restore it below if that was wrong.",
    )


@bp.post("/articles/<article_id>/restore")
def restore(article_id: str):
    return _attempt(
        article_id, lambda c, who: c.restore(article_id, who), "Restored: it is back everywhere."
    )


@bp.post("/articles/<article_id>/split")
def split(article_id: str):
    return _attempt(
        article_id, lambda c, who: c.split(article_id, who), "Split: now a story of its own."
    )


@bp.post("/changes/<int:change_id>/revert")
def revert(change_id: int):
    _editor_only()
    curation = get_archive().curation
    found = get_archive().store.changes(change_id=change_id)
    if not found:
        abort(404, description=f"There is no change {change_id}.")
    article_id = found[0]["article_id"]
    try:
        curation.revert(change_id, security.editor_name())
    except CurationError as err:
        if article_id and get_archive().get(article_id):
            return render_article(article_id, 400, f"{err}. Nothing was changed.")
        return _rules_page(400, f"{err}. Nothing was changed.")
    flash(f"Change {change_id} undone.", "ok")
    if article_id and get_archive().get(article_id):
        return redirect(url_for("articles.show", article_id=article_id))
    return redirect(url_for("curation.rules"))


# --- archive-wide rules ------------------------------------------------------------------


def _rules_page(status: int = 200, error: str | None = None, values=None):
    rules = [(r, describe_rule(r)) for r in get_archive().store.rules()]
    return render_template(
        "curation/rules.html", rules=rules, error=error, values=values or {}
    ), status


@bp.get("/rules")
def rules():
    _editor_only()
    return _rules_page()


@bp.post("/rules")
def add_rule():
    _editor_only()
    form = {
        k: (request.form.get(k) or "").strip()[:MAX_FIELD_CHARS]
        for k in ("kind", "name", "target", "source", "language")
    }
    try:
        get_archive().curation.add_rule(
            form["kind"],
            form["name"],
            form["target"] or None,
            source=form["source"] or None if form["kind"] == "not-a-place" else None,
            language=form["language"] or None if form["kind"] == "not-a-place" else None,
            editor=security.editor_name(),
        )
    except CurationError as err:
        return _rules_page(400, f"{err}. Nothing was changed.", form)
    flash("Rule added, and applied to every article it concerns.", "ok")
    return redirect(url_for("curation.rules"))


@bp.post("/rules/<int:rule_id>/remove")
def remove_rule(rule_id: int):
    _editor_only()
    try:
        get_archive().curation.remove_rule(rule_id, security.editor_name())
    except NotFound:
        abort(404, description=f"There is no rule {rule_id}.")
    flash("Rule removed; the articles it changed are as extraction finds them again.", "ok")
    return redirect(url_for("curation.rules"))
