"""How prominent a place is before any context: the tie-breaker between namesakes."""

from __future__ import annotations

import math
from functools import lru_cache

from . import curated
from .gazetteer import Place
from .normalize import fold_name, fold_word, name_keys, short_form, spell_word, words_of

# Prominence of a kind of place; towns and districts score by population and fame.
KIND_PRIOR = {"country": 20.0, "continent": 18.0, "area": 16.0, "region": 9.0, "district": 7.0}
# A town this large (or this well known) stands on its own; smaller ones need support from
# other places of the same country in the article.
SELF_STANDING_POP = 100_000
SELF_STANDING_FAME = 30


@lru_cache(maxsize=100_000)
def _keys(name: str) -> frozenset[str]:
    return frozenset(name_keys(name, arabic=True))


def own_keys(place: Place) -> frozenset[str]:
    """The folded forms of a place's own names (English, GeoNames' and the curated news
    spellings), articles any way."""
    keys = _keys(place.name)
    if place.geonames_name:
        keys = keys | _keys(place.geonames_name)
    short = short_form(place.name)
    if short:
        keys = keys | _keys(short)
    for alias in curated.ALIASES.get(place.geonameid, ()):
        keys = keys | _keys(alias)
    return keys


@lru_cache(maxsize=100_000)
def _spellings(name: str) -> frozenset[str]:
    return frozenset(name_keys(name, arabic=True, fold=spell_word))


def spelled_as_its_own(place: Place, surface: str) -> bool:
    """Whether a text writes a town's name as the town itself goes by.

    Its English or GeoNames name or a curated news spelling, up to case, diacritics,
    apostrophes and the Arabic article; not one of the many alternate names GeoNames
    collects from other languages and romanisations ("Sanmin" for Sanming), nor a spelling
    only the vowel folding merges with the name. Names in Arabic or Cyrillic script are
    the place's names in the article's own language and always count.
    """
    written = " ".join(spell_word(w) for w in words_of(surface))
    if not written.isascii():
        return True
    own = (
        place.name,
        place.geonames_name,
        short_form(place.name),
        *curated.ALIASES.get(place.geonameid, ()),
    )
    return any(written in _spellings(name) for name in own if name)


def prior(place: Place, key: str) -> float:
    """A place's prominence as the meaning of the folded name `key`."""
    score = KIND_PRIOR.get(place.kind)
    if score is None:
        score = math.log10(place.population + 10) + 0.6 * math.log2(1 + place.fame)
    if key in own_keys(place):
        score += 1.5  # the place's own name, not one of its many aliases
    return score


# Folded as names are ("county" -> "cunty").
REGION_WORDS = frozenset(
    fold_word(w)
    for w in "governorate province region state oblast district county prefecture department "
    "territory".split()
)


def prefer_cities(places: list[Place], key: str) -> list[Place]:
    """Drop a region when a city inside it is the namesake it was named after.

    "Homs" (or حمص) is the city far more often than the governorate named after it; the
    region is still found when written out ("Homs Governorate"). "Oklahoma" stays the
    state: it is only an alias of Oklahoma City.
    """
    cities = [p for p in places if p.kind == "city"]
    if not cities:
        return places

    def namesake(region: Place) -> bool:
        words = fold_name(region.name).split(" ")
        bare = " ".join(w for w in words if w not in REGION_WORDS)
        return any(
            c.country == region.country
            and c.admin1 == region.admin1
            and (key in own_keys(c) or bare in own_keys(c))
            for c in cities
        )

    return [p for p in places if p.kind not in ("region", "district") or not namesake(p)]


def self_standing(p: Place) -> bool:
    """Whether a place is well known enough to be reported without support."""
    if p.kind != "city":
        return True
    return p.population >= SELF_STANDING_POP or p.fame >= SELF_STANDING_FAME
