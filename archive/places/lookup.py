"""Looking places up by id or by any of their names, and rolling them up to countries."""

from __future__ import annotations

from .gazetteer import Place, gazetteer
from .normalize import fold_name
from .prominence import prefer_cities, prior


def get_place(geonameid: str) -> Place | None:
    """The place with this GeoNames id, or None."""
    return gazetteer().place(str(geonameid).strip())


def resolve_place(name_or_id: str) -> Place | None:
    """The place a GeoNames id or any known name (any script or spelling) stands for."""
    text = (name_or_id or "").strip()
    if not text:
        return None
    gaz = gazetteer()
    place = gaz.place(text)
    if place is not None or text.isdigit():
        return place
    key = fold_name(text)
    places = gaz.named(key) or gaz.called(key)
    if not places:
        return None
    # A bare name means its most prominent bearer, as in a text without context.
    return max(prefer_cities(places, key), key=lambda p: prior(p, key))


def country_of(place: Place) -> Place | None:
    """The country a place rolls up to; None for a country itself and for continents."""
    if place.kind in ("country", "continent") or not place.country:
        return None
    return gazetteer().country(place.country)


def with_countries(place_ids: list[str]) -> list[str]:
    """Place ids without repeats, then the countries they are in (a city's articles count
    for its country too)."""
    places = list(dict.fromkeys(place_ids))
    rolled = list(places)
    for pid in places:
        place = get_place(pid)
        country = country_of(place) if place else None
        if country and country.geonameid not in rolled:
            rolled.append(country.geonameid)
    return rolled


def place_label(place: Place) -> str:
    """A label for facets and chips: "Homs · Syria" for a city or region, "Syria" alone."""
    country = country_of(place)
    if country is None or country.geonameid == place.geonameid:
        return place.name
    return f"{place.name} · {country.name}"
