"""How prominent a place is before any context: the tie-breaker between namesakes."""

from __future__ import annotations

import math
from functools import lru_cache

from .gazetteer import Place
from .normalize import fold_name

# Prominence of a kind of place; towns and districts score by population and fame.
KIND_PRIOR = {"country": 20.0, "continent": 18.0, "area": 16.0, "region": 9.0}
# A town this large (or this well known) stands on its own; smaller ones need support from
# other places of the same country in the article.
SELF_STANDING_POP = 100_000
SELF_STANDING_FAME = 30


@lru_cache(maxsize=100_000)
def own_key(name: str) -> str:
    """The folded form of a place's own name."""
    return fold_name(name)


def prior(place: Place, key: str) -> float:
    """A place's prominence as the meaning of the folded name `key`."""
    score = KIND_PRIOR.get(place.kind)
    if score is None:
        score = math.log10(place.population + 10) + 0.6 * math.log2(1 + place.fame)
    if own_key(place.name) == key:
        score += 1.5  # the place's own name, not one of its many aliases
    return score


def prefer_cities(places: list[Place]) -> list[Place]:
    """Drop a region when a city inside it bears the same name.

    "Homs" is the city far more often than the governorate named after it; the region is
    still found when written out ("Homs Governorate").
    """
    cities = {(p.country, p.admin1) for p in places if p.kind == "city"}
    if not cities:
        return places
    return [
        p
        for p in places
        if p.kind not in ("region", "district") or (p.country, p.admin1) not in cities
    ]


def self_standing(p: Place) -> bool:
    """Whether a place is well known enough to be reported without support."""
    if p.kind != "city":
        return True
    return p.population >= SELF_STANDING_POP or p.fame >= SELF_STANDING_FAME
