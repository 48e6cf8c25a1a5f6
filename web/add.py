"""Adding articles: paste text or upload files, with optional metadata; the answer says per
document what was extracted and whether it was new, a duplicate or a near-duplicate."""

from __future__ import annotations

from pathlib import PurePath

from flask import Blueprint, render_template, request
from werkzeug.datastructures import FileStorage

from archive.extract import kind_for
from archive.ingest import Submission
from archive.model import AddResult
from web import security
from web.db import get_archive

bp = Blueprint("add", __name__)

FIELDS = ("title", "source", "date", "url", "author", "language")
UPLOAD_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".mhtml", ".mht"}
ACCEPT = ",".join(sorted(UPLOAD_SUFFIXES))
MAX_FIELD_CHARS = 2000


def _form_page(status: int = 200, *, error: str | None = None, outcomes=None, values=None):
    return render_template(
        "add/form.html",
        access=security.write_access(),
        error=error,
        outcomes=outcomes or [],
        values=values or {},
        fields=FIELDS,
        accept=ACCEPT,
    ), status


@bp.get("/add")
def form():
    return _form_page()


def _uploads() -> list[FileStorage]:
    return [f for f in request.files.getlist("files") if f and f.filename]


def submissions(text: str, files: list[FileStorage], stated: dict) -> list[Submission | AddResult]:
    """What the form holds, as the core's submissions (or rejections it need not see)."""
    items: list[Submission | AddResult] = []
    if text.strip():
        items.append(Submission(data=text.encode("utf-8"), name="pasted text", stated=stated))
    for upload in files:
        name = PurePath(upload.filename.replace("\\", "/")).name or "upload"
        if PurePath(name).suffix.casefold() not in UPLOAD_SUFFIXES:
            reason = f"not a file type the archive reads (use {', '.join(sorted(UPLOAD_SUFFIXES))})"
            items.append(AddResult(name, "rejected", reason=reason))
            continue
        items.append(Submission(data=upload.read(), name=name, kind=kind_for(name), stated=stated))
    return items


@bp.post("/add")
def add():
    values = {name: request.form.get(name, "")[:MAX_FIELD_CHARS] for name in (*FIELDS, "text")}
    if not security.can_write():
        return _form_page(403, error=security.refusal(), values=values)
    stated = {name: values[name].strip() for name in FIELDS if values[name].strip()}
    items = submissions(request.form.get("text", ""), _uploads(), stated)
    if not items:
        return _form_page(400, error="Paste an article or choose a file to add.", values=values)
    if stated and len(items) > 1:
        return _form_page(
            400,
            error="Title, outlet, date and the other details describe one article: "
            "add one at a time, or leave the details empty. Nothing was added.",
            values=values,
        )
    outcomes = list(get_archive().add_many(items))
    status = 200 if any(o.ok for o in outcomes) else 422
    # A success clears the form for the next article; a failure keeps what was typed.
    return _form_page(status, outcomes=outcomes, values=values if status != 200 else {})
