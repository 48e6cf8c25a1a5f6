"""What the archive holds, at a glance: counts of articles, stories, outlets, languages and
countries, the date span, what was added last, and the busiest places and outlets. The home
page, `/api/stats` and `archive stats` all show this one summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.places import country_of, get_place
from archive.search import SearchRequest

if TYPE_CHECKING:
    from archive.archive import Archive


def overview(archive: Archive, *, recent: int = 5, busiest: int = 8) -> dict[str, Any]:
    """The summary of an archive: counts from the store and the index's facets over every
    story (so a story that several outlets ran counts once, and each outlet once)."""
    counts = archive.store.count()
    everything = archive.search(SearchRequest(sort="newest", per_page=0, facet_limit=None))
    places = everything.facets.get("place", [])
    countries: set[str] = set()
    for value in places:
        place = get_place(value.value)
        if place is None:
            continue
        country = place if place.kind == "country" else country_of(place)
        if country is not None:
            countries.add(country.geonameid)
    first, last = archive.store.date_span()
    cities = [v for v in places if v.parent]  # a country's count sums its places: list places
    return {
        "counts": {
            "articles": counts["articles"],
            "stories": counts["stories"],
            "copies": counts["copies"],
            "outlets": everything.facet_totals.get("source", 0),
            "languages": everything.facet_totals.get("language", 0),
            "countries": len(countries),
            "places": everything.facet_totals.get("place", 0),
        },
        "date_span": {"first": first, "last": last},
        "recently_added": [
            {
                "id": a.id,
                "title": a.display_title,
                "source": a.source,
                "date": a.date,
                "added_at": a.added_at,
            }
            for a in archive.store.recently_added(recent)
        ],
        "busiest_places": [_value(v) for v in (cities or places)[:busiest]],
        "busiest_outlets": [_value(v) for v in everything.facets.get("source", [])[:busiest]],
        "by_language": [_value(v) for v in everything.facets.get("language", [])],
    }


def _value(value) -> dict[str, Any]:
    return {"value": value.value, "label": value.label, "count": value.count}
