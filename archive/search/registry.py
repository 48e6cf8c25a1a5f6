"""Every facet, declared once: the index schemas, the counting, the JSON and the web's
facet blocks all read this list. A new facet is one `Facet(...)` here plus the values it
takes from a document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from archive.search.backend import Document


def _rolled_places(doc: Document) -> list[str]:
    """The places a story mentions and the countries they are in."""
    from archive.places import with_countries

    return with_countries(doc.places)


def _place_label(value: str) -> str:
    from archive.places import get_place, place_label

    place = get_place(value)
    return place_label(place) if place else value


def _place_parent(value: str) -> str | None:
    from archive.places import country_of, get_place

    place = get_place(value)
    country = country_of(place) if place else None
    return country.geonameid if country and country.geonameid != value else None


def clean_value(value: str) -> str:
    """A facet value as engines hold it: one line of single spaces, no commas (which
    separate values in some engines' fields)."""
    return " ".join(value.replace(",", " ").split())


def _sources(doc: Document) -> list[str]:
    seen = dict.fromkeys(clean_value(s) for s in doc.sources)
    return [s for s in seen if s]


@dataclass(frozen=True)
class Facet:
    """One facet. `combine` says how several selected values filter: "and" narrows (an
    article mentioning every place), "or" widens (any of the outlets); "range" facets are
    filtered by a from/to range instead (dates). Each facet's counts are taken under every
    other facet's filter, never its own unless it combines with "and"."""

    name: str  # JSON key, and the request's field
    param: str  # URL parameter and CLI option
    values: Callable[[Document], list[str]]  # what a document is counted under
    combine: Literal["and", "or", "range"] = "or"
    limit: int | None = 50  # values shown; the rest are counted in `truncated`
    label: Callable[[str], str] = str
    parent: Callable[[str], str | None] | None = None
    order: Literal["count", "value"] = "count"
    title: str = ""  # the heading pages give its block (default: the name, capitalised)


FACETS: tuple[Facet, ...] = (
    Facet(
        "place",
        "place",
        _rolled_places,
        combine="and",
        label=_place_label,
        parent=_place_parent,
    ),
    Facet("source", "source", _sources),
    # The JSON labels a language by its code, as it always has; pages name it.
    Facet("language", "lang", lambda doc: [doc.language]),
    Facet(
        "date",
        "from",
        lambda doc: [doc.date[:7]] if doc.date else [],
        combine="range",
        limit=None,
        order="value",
    ),
)
BY_NAME = {f.name: f for f in FACETS}


def facet(name: str) -> Facet:
    """The facet declared as `name` (KeyError if none is); read from `FACETS` each time."""
    for declared in FACETS:
        if declared.name == name:
            return declared
    raise KeyError(name)
