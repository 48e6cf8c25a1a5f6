"""The archive in other programs: an OpenSearch description (a search engine in the browser's
address bar) and an Atom feed of the articles matching any search, newest added first: an
alert that shows an old article the day it is added."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, make_response, render_template, request, url_for

from archive.validate import clean_unicode
from web.search import run_search
from web.state import SearchState

bp = Blueprint("feeds", __name__)

TITLE = "News archive"


@bp.get("/opensearch.xml")
def opensearch():
    base = url_for("search.index", _external=True)
    response = make_response(
        render_template(
            "feeds/opensearch.xml",
            title=TITLE,
            # OpenSearch templates name their parameters in braces; they are not ours to encode.
            html_template=f"{base}?q={{searchTerms}}",
            atom_template=f"{url_for('feeds.atom', _external=True)}?q={{searchTerms}}",
            json_template=f"{url_for('api.search', _external=True)}?q={{searchTerms}}",
            icon=url_for("static", filename="favicon.svg", _external=True),
        )
    )
    response.headers["Content-Type"] = "application/opensearchdescription+xml; charset=utf-8"
    return response


def xml_text(document: str) -> str:
    """A rendered XML document without the characters XML 1.0 does not allow."""
    return clean_unicode(document)[0]


def _day(day: str | None) -> str | None:
    return f"{day}T00:00:00Z" if day and len(day) == 10 else None


def _moment(stamp: str | None) -> str | None:
    """An ISO 8601 time as Atom writes it (RFC 3339, UTC with a Z)."""
    try:
        moment = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None
    if moment is None:
        return None
    moment = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


@bp.get("/feed.atom")
def atom():
    # The newest added matches, whatever order the page shows; its parameters otherwise.
    state = SearchState.from_args(request.args).set("sort", "added").without("page")
    result = run_search(state)
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    stamps = [(_moment(hit.added_at) or now, _day(hit.date)) for hit in result.hits]
    updated = max((added for added, _ in stamps), default=now)
    page_state = SearchState.from_args(request.args).without("page")
    # Characters XML forbids (U+FFFE, C0 controls, stored before they were refused) would
    # make the feed ill-formed for every subscriber: the whole document goes without them.
    response = make_response(
        xml_text(
            render_template(
                "feeds/feed.atom.xml",
                title=f"{TITLE}: {state.q}" if state.q else f"{TITLE}: newest added articles",
                result=result,
                entries=list(zip(result.hits, stamps, strict=True)),
                updated=updated,
                self_url=request.url,
                page_url=request.host_url.rstrip("/") + page_state.url(),
            )
        )
    )
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response
