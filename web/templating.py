"""What templates may use besides their context: filters for dates, languages and snippets,
and static URLs that change when the file does (so browsers may cache them for long)."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from flask import Flask, url_for
from markupsafe import Markup

from web.labels import date_label, describe_basis, language_name

STATIC = Path(__file__).parent / "static"
_NOT_MARK = re.compile(r"<(?!/?mark>)")


def snippet_html(snippet: str) -> Markup:
    """The core's snippet is escaped text with <mark> around matches; escape again anything
    else that looks like a tag, so only <mark> can ever be markup."""
    return Markup(_NOT_MARK.sub("&lt;", snippet))


@cache
def _digest(filename: str) -> str:
    try:
        return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def asset_url(filename: str) -> str:
    return url_for("static", filename=filename, v=_digest(filename))


def is_web_url(value: object) -> bool:
    """Only http(s) addresses become links (a page's metadata could say `javascript:`)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def file_name(path: str | None) -> str:
    """A file's name without the folders it was in (readers never see local paths)."""
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_label=date_label,
        language_name=language_name,
        basis=describe_basis,
        snippet=snippet_html,
        file_name=file_name,
    )
    app.jinja_env.globals.update(asset_url=asset_url, plural=plural)
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 86400)
