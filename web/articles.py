"""The article page: clean text with its places linked to the place filter, metadata with how
it was found, the other outlets that ran the story, similar articles, and the original."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template

from archive.model import Article, PlaceRef
from archive.places import country_of, get_place, place_label
from web.db import get_archive
from web.facets import FacetBlock, FacetItem
from web.placemap import build_map
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
    if view is None:
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


@bp.get("/articles/<article_id>")
def show(article_id: str):
    view = find_article(article_id)
    article = view.article
    story_id = view.story.id if view.story else article.id
    related = {article.id, story_id, *(v.id for v in view.versions)}
    similar = [a for a in get_archive().similar(story_id, 6) if a.id not in related][:5]
    places = sorted(article.places, key=lambda p: (-len(p.mentions), p.name))
    return render_template(
        "articles/show.html",
        view=view,
        article=article,
        paragraphs=linked_paragraphs(article),
        places=[(p, SearchState([("place", p.geonameid)]).url()) for p in places],
        place_map=build_map(places_block(places)),
        similar=similar,
    )


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


def _download_name(name: str | None, article_id: str, kind: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _FILENAME_UNSAFE.sub("_", base).strip("._")[:100]
    if not base:
        suffix = {"html": ".html", "markdown": ".md", "mhtml": ".mhtml"}.get(kind or "", ".txt")
        base = f"{article_id}{suffix}"
    return base
