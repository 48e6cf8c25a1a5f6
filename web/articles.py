"""The article page: clean text with its places linked to the place filter, metadata with how
it was found, the other outlets that ran the story, similar articles, and the original."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, url_for

from archive.model import Article, PlaceRef
from archive.places import country_of, get_place, place_label
from web.db import get_archive
from web.facets import FacetBlock, FacetItem
from web.labels import date_label
from web.placemap import build_map
from web.security import bearer_allows, can_write
from web.state import SearchState

bp = Blueprint("articles", __name__)

ARTICLE_ID = re.compile(r"[0-9a-f]{6,64}")
# Originals are served as downloads only, with types that no browser renders as a page.
SAFE_TYPES = {"text": "text/plain; charset=utf-8", "markdown": "text/markdown; charset=utf-8"}
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Segment:
    text: str
    place: str | None = None  # GeoNames id: the text is a mention of this place
    url: str | None = None  # the search filtered by that place
    label: str | None = None


def find_article(article_id: str):
    if not ARTICLE_ID.fullmatch(article_id):
        abort(404, description=f"There is no article “{article_id}” in this archive.")
    view = get_archive().view(article_id)
    if view is None or (view.article.deleted and not (can_write() or bearer_allows())):
        # A deleted article is gone for readers; editors see it, to restore it.
        abort(404, description=f"There is no article “{article_id}” in this archive.")
    return view


def linked_paragraphs(article: Article) -> list[list[Segment]]:
    """The text as paragraphs of segments; each place mention becomes a link."""
    mentions = sorted((m.start, m.end, p.geonameid) for p in article.places for m in p.mentions)
    text = article.text
    segments: list[Segment] = []
    pos = 0
    labels: dict[str, str] = {}
    for start, end, pid in mentions:
        if start < pos or end > len(text) or start >= end:
            continue  # overlapping or out-of-range offsets: leave that text plain
        if pid not in labels:
            place = get_place(pid)
            labels[pid] = place_label(place) if place else pid
        segments.append(Segment(text[pos:start]))
        url = SearchState([("place", pid)]).url()
        segments.append(Segment(text[start:end], pid, url, labels[pid]))
        pos = end
    segments.append(Segment(text[pos:]))
    paragraphs: list[list[Segment]] = [[]]
    for segment in segments:
        if segment.place:
            paragraphs[-1].append(segment)
            continue
        parts = re.split(r"\n\s*\n", segment.text)
        for n, part in enumerate(parts):
            if n:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Segment(part))
    return [p for p in paragraphs if any(s.text.strip() for s in p)]


@dataclass
class ArticlePage:
    """Every value the article page shows, with how it was found: the page and the JSON
    (`/api/articles/<id>`) are both built from this, so they never disagree."""

    view: object  # archive.archive.ArticleView
    similar: list[tuple[Article, float]]
    also_carried_by: list[str]  # outlets other than this article's that ran the story
    editor: bool

    @property
    def article(self) -> Article:
        return self.view.article

    @property
    def title(self) -> dict:
        """The title the page shows: the found one, or the text's opening words."""
        a = self.article
        if a.title:
            return {"value": a.title, "basis": a.basis.get("title")}
        return {"value": a.display_title, "basis": "text:opening-words"}

    @property
    def file_name(self) -> str | None:
        """The name of the file it came from, for editors only (never the local path)."""
        if not self.editor or not self.article.original_name:
            return None
        return _base_name(self.article.original_name) or None

    def citation(self) -> str:
        """A plain citation: outlet, title, date, address, and where this copy is kept."""
        a = self.article
        parts = [a.author, a.source or "Unknown outlet", f"“{self.title['value']}”"]
        parts.append(date_label(a.date) if a.date else "undated")
        if a.url:
            parts.append(a.url)
        here = url_for("articles.show", article_id=a.id, _external=True)
        return ". ".join(p for p in parts if p) + f". Archived copy: {here}"

    def to_json(self) -> dict:
        a = self.article
        data = a.to_json()
        data["original_name"] = self.file_name
        data["display_title"] = self.title["value"]
        data["basis"] = {**data["basis"], "display_title": self.title["basis"]}
        data["story"] = self.view.story.id if self.view.story else None
        data["outlets"] = self.view.outlets
        data["also_carried_by"] = self.also_carried_by
        data["versions"] = [v.id for v in self.view.versions]
        data["copies"] = [
            {
                "source": s.source,
                "url": s.url,
                "original_name": _base_name(s.original_name) if self.editor else None,
                "added_at": s.added_at,
            }
            for s in self.view.sightings
        ]
        data["similar"] = [
            {"id": o.id, "title": o.display_title, "score": score} for o, score in self.similar
        ]
        if self.editor:
            data["history"] = get_archive().curation.history(a.id)
        data["citation"] = self.citation()
        data["page"] = url_for("articles.show", article_id=a.id, _external=True)
        return data


def article_page(article_id: str) -> ArticlePage:
    """The article with what its page and JSON show."""
    view = find_article(article_id)
    article = view.article
    story_id = view.story.id if view.story else article.id
    related = {article.id, story_id, *(v.id for v in view.versions)}
    similar = [(a, s) for a, s in get_archive().similar(story_id, 6) if a.id not in related][:5]
    own = (article.source or "").casefold()
    others = [o for o in view.outlets if o and o.casefold() != own]
    return ArticlePage(view, similar, others, editor=can_write() or bearer_allows())


def _base_name(name: str | None) -> str:
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1]


@bp.get("/articles/<article_id>")
def show(article_id: str):
    return render_article(article_id)


def render_article(article_id: str, status: int = 200, error: str | None = None):
    """The article page; with `error`, what a correction form refused and why."""
    page = article_page(article_id)
    article = page.article
    back = SearchState.from_args(request.args)
    places = sorted(article.places, key=lambda p: (-len(p.mentions), p.name))
    return render_template(
        "articles/show.html",
        page=page,
        view=page.view,
        article=article,
        back_url=back.url() if back.pairs() else None,
        paragraphs=linked_paragraphs(article),
        places=[(p, SearchState([("place", p.geonameid)]).url()) for p in places],
        place_map=build_map(places_block(places)),
        similar=page.similar,
        has_original=bool(article.original_type),
        **curation_context(page, error),
    ), status


def curation_context(page: ArticlePage, error: str | None = None) -> dict:
    """What the article page shows editors: its history, when each value was corrected,
    and the fields of the edit form."""
    history = get_archive().curation.history(page.article.id)
    edited_at = {c["field"]: c["at"] for c in history if c["kind"] == "edit"}
    return {
        "history": history[::-1] if page.editor else [],
        "edited_at": edited_at,
        "edit_error": error,
    }


def places_block(places: list[PlaceRef]) -> FacetBlock:
    """The article's places as the place facet would show them: countries with the places
    named within them beneath, counted by mentions (what the map needs)."""
    items = {
        p.geonameid: FacetItem(
            p.geonameid, p.name, len(p.mentions), False, SearchState([("place", p.geonameid)]).url()
        )
        for p in places
    }
    tops = []
    for p in places:
        parent = items.get(country_id(p)) if p.kind != "country" else None
        if parent is not None and parent is not items[p.geonameid]:
            parent.children.append(items[p.geonameid])
        else:
            tops.append(items[p.geonameid])
    return FacetBlock("place", "Places", "place", tops, [])


def country_id(ref: PlaceRef) -> str | None:
    place = get_place(ref.geonameid)
    country = country_of(place) if place else None
    return country.geonameid if country else None


@bp.get("/articles/<article_id>/original")
def original(article_id: str):
    view = find_article(article_id)
    found = get_archive().original(view.article.id)
    if found is None:
        abort(404, description="The original of this article was not kept.")
    data, name, kind = found
    filename = _download_name(name, view.article.id, kind)
    response = Response(data, mimetype="application/octet-stream")
    response.headers["Content-Type"] = SAFE_TYPES.get(kind or "", "application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Even if a browser rendered it, the original could run nothing on this site.
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; frame-ancestors 'none'"
    )
    return response


# What a framed original may do: show its own markup and inline styles, nothing else: no
# script (the sandbox has no allow-scripts), no request anywhere (so no tracking pixel), no
# form, no navigation of the page around it.
FRAMED_ORIGINAL_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)
FRAMED_TYPES = {"html": "text/html", **SAFE_TYPES}


@bp.get("/articles/<article_id>/original/view")
def original_view(article_id: str):
    """The original as received, to view in the article page's sandboxed frame; this
    route never runs a script of it (the CSP sandbox and the frame's sandbox both say so)."""
    view = find_article(article_id)
    found = get_archive().original(view.article.id)
    if found is None:
        abort(404, description="The original of this article was not kept.")
    data, _name, kind = found
    response = Response(data)
    response.headers["Content-Type"] = FRAMED_TYPES.get(kind or "", "text/plain; charset=utf-8")
    response.headers["Content-Security-Policy"] = FRAMED_ORIGINAL_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _download_name(name: str | None, article_id: str, kind: str | None) -> str:
    base = _base_name(name)
    base = _FILENAME_UNSAFE.sub("_", base).strip("._")[:100]
    if not base:
        suffix = {"html": ".html", "markdown": ".md", "mhtml": ".mhtml"}.get(kind or "", ".txt")
        base = f"{article_id}{suffix}"
    return base
