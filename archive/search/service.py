"""Search as users see it, whatever engine answers: the query read into the engine-neutral
model (`query`), filters resolved (places by any name, with their countries; outlets;
languages; dates), the backend asked for one page of ids and the facet counts, hits loaded
from the store with their snippets, facets labelled from the registry, and "did you mean".
The CLI, the web pages and the API all search through here.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from archive.dates import BadDate, parse_bound
from archive.extract.outlets import normalise_outlet
from archive.model import Article
from archive.places import get_place, place_label, resolve_place
from archive.search import query as qm
from archive.search import registry
from archive.search.backend import Backend, Filters
from archive.search.request import FacetValue, Hit, SearchRequest, SearchResult
from archive.search.snippets import Marks, snippet
from archive.search.words import query_stems, terms

SUGGEST_SECONDS = 0.3
_FIRST_FACETS = (
    "place",
    "source",
    "language",
    "date",
)  # filtered by fields of their own  # "did you mean" stops looking up words after this

# What rendering a hit needs from the store, which no index keeps: the article and every
# outlet that ran its story.
Loaded = tuple[Article, list[str]]


class SearchService:
    """Searches over `backend`; `load(ids)` fetches the page's hits from the store (those
    it does not return, deleted meanwhile, are left out)."""

    def __init__(self, backend: Backend, load: Callable[[list[str]], dict[str, Loaded]]):
        self.backend = backend
        self.load = load

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search. The backend's `IndexDamaged` (or its like) is the caller's."""
        started = time.perf_counter()
        model = qm.parse(request.q, resolve_place)
        notes = list(model.notes)
        filter_notes: list[str] = []
        place_ids, resolved = _resolve_places(request.places + model.places, filter_notes)
        sources = [
            registry.clean_value(normalise_outlet(s))
            for s in request.sources + model.sources
            if s.strip()
        ]
        langs = [s.strip().casefold() for s in request.languages + model.languages]
        langs = [lang for lang in langs if lang]
        date_from, date_to = _date_bounds(request, filter_notes)
        other = {
            name: [registry.clean_value(v) for v in values if v.strip()]
            for name, values in request.facets.items()
            if name in {f.name for f in registry.FACETS} and name not in _FIRST_FACETS
        }
        filters = Filters(
            place_ids, sources, langs, date_from, date_to, {k: v for k, v in other.items() if v}
        )
        page = max(1, request.page)
        matches = self.backend.query(
            model.tree,
            filters,
            sort=request.sort,
            start=(page - 1) * request.per_page,
            limit=request.per_page,
        )
        notes += matches.notes + filter_notes
        records = self.load(matches.ids)
        marks = marks_for(model.tree, matches.words)
        selected = {**other, "place": place_ids, "source": sources, "language": langs}
        return SearchResult(
            request=request,
            total=matches.total,
            hits=[_hit(records[i], marks) for i in matches.ids if i in records],
            facets=facet_values(matches.facet_counts, request.facet_limit, selected),
            suggestion=self._did_you_mean(model) if model.words else None,
            notes=notes,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
            resolved_places=resolved,
            facet_totals={
                f.name: len(matches.facet_counts.get(f.name, {})) for f in registry.FACETS
            },
        )

    def similar(self, doc_id: str, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """The stories most like one, each scored as a share of its own score (1.0: as alike
        as itself)."""
        return self.backend.similar(doc_id, text, limit)

    def _did_you_mean(self, model: qm.Query) -> str | None:
        """The query with each word no article holds replaced by the nearest indexed word.
        Part of the search's budget: words are looked up for at most SUGGEST_SECONDS (each
        lookup walks part of the word list: 64 unknown words once took 50 s)."""
        deadline = time.monotonic() + SUGGEST_SECONDS
        text = model.text
        changed = False
        for word in model.words:
            if time.monotonic() > deadline:
                break
            correction = self.backend.suggest(word)
            if correction:
                new = correction.capitalize() if word[:1].isupper() else correction
                text = text.replace(word, new, 1)
                changed = True
        return text if changed else None


def marks_for(tree: qm.Node, expanded: list[str] = ()) -> Marks:
    """What a search should mark in snippets: the terms, stems and phrases of the words it
    looks for (not those under a NOT), and the index words its wildcards and typo
    tolerances became (`expanded`, as the backend found them)."""
    marks = Marks(plain=set(expanded))
    for leaf in qm.leaves(tree):
        if isinstance(leaf, qm.Term):
            found = terms(leaf.text)
            if len(found) == 1:
                marks.plain.add(found[0])
            elif found:
                marks.phrases.add(tuple(found))
            if leaf.field is None:
                marks.stems.update(query_stems(leaf.text, name=qm.is_name(leaf.text)))
        elif isinstance(leaf, qm.Phrase):
            found = terms(" ".join(leaf.words))
            if len(found) == 1:
                marks.plain.add(found[0])
            elif found:
                marks.phrases.add(tuple(found))
    return marks


def facet_values(
    counts: dict[str, dict[str, int]], limit: int | None, selected: dict[str, list[str]]
) -> dict[str, list[FacetValue]]:
    """Each registry facet's values, labelled: the `limit` commonest (all with None, and
    all for a facet without a limit of its own), and every selected one besides."""
    out: dict[str, list[FacetValue]] = {}
    for facet in registry.FACETS:
        chosen = selected.get(facet.name, [])
        found = Counter({v: c for v, c in counts.get(facet.name, {}).items() if v})
        if facet.order == "value":
            ranked = sorted(found.items())
        else:
            ranked = _top(found, None if facet.limit is None else limit, chosen)
        out[facet.name] = [
            FacetValue(
                value=v,
                label=facet.label(v),
                count=c,
                selected=v in chosen,
                parent=facet.parent(v) if facet.parent else None,
            )
            for v, c in ranked
        ]
    return out


def _top(counter: Counter, limit: int | None, selected) -> list[tuple[str, int]]:
    """The `limit` commonest values (all with None), and every selected one besides, so a
    filter in use is always listed however rare it is. Ties go by value, not by the order
    an engine happened to count them in."""
    ranked = sorted(counter.items(), key=lambda vc: (-vc[1], vc[0]))
    if limit is None:
        return ranked
    chosen = set(selected)
    return ranked[:limit] + [(v, c) for v, c in ranked[limit:] if v in chosen]


def _resolve_places(values: list[str], notes: list[str]) -> tuple[list[str], list[dict]]:
    ids: list[str] = []
    resolved: list[dict] = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        place = resolve_place(value)
        if place is None:
            notes.append(f"No known place is called “{value}”; that filter was ignored.")
            continue
        if place.geonameid not in ids:
            ids.append(place.geonameid)
            resolved.append({"value": value, "id": place.geonameid, "label": place_label(place)})
    return ids, resolved


def _date_bounds(request: SearchRequest, notes: list[str]) -> tuple[str | None, str | None]:
    """The request's date limits as inclusive days; a limit that is no date is ignored,
    with a note."""
    bounds = []
    for value, end in ((request.date_from, False), (request.date_to, True)):
        if not value:
            bounds.append(None)
            continue
        try:
            bounds.append(parse_bound(value, end=end))
        except BadDate as err:
            notes.append(f"{err}; that date limit was ignored.")
            bounds.append(None)
    return bounds[0], bounds[1]


def _hit(loaded: Loaded, marks: Marks) -> Hit:
    article, outlets = loaded
    places = []
    for ref in article.places:
        place = get_place(ref.geonameid)
        label = place_label(place) if place else ref.name
        places.append({"id": ref.geonameid, "name": ref.name, "label": label})
    return Hit(
        id=article.id,
        title=article.title,
        display_title=article.display_title,
        source=article.source,
        sources=outlets,
        date=article.date,
        language=article.language,
        places=places,
        snippet=snippet(article.text, article.language, marks.plain, marks.stems, marks.phrases),
        added_at=article.added_at,
    )
