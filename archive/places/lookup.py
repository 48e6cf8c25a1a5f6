"""Looking places up by id or by any of their names, and rolling them up to countries."""

from __future__ import annotations

from .gazetteer import Place, gazetteer
from .normalize import fold_name

_KIND_RANK = {"country": 0, "continent": 1, "area": 2, "region": 3, "city": 4}


def get_place(geonameid: str) -> Place | None:
    """The place with this GeoNames id, or None."""
    return gazetteer().places.get(str(geonameid).strip())


def resolve_place(name_or_id: str) -> Place | None:
    """The place a GeoNames id or any known name (any script or spelling) stands for."""
    text = (name_or_id or "").strip()
    if not text:
        return None
    if text.isdigit():
        return get_place(text)
    gaz = gazetteer()
    key = fold_name(text)
    ids = gaz.by_key.get(key) or gaz.demonyms.get(key)
    if not ids:
        return None
    # A bare name means its most prominent bearer: countries, then regions, then big cities.
    places = [gaz.places[i] for i in ids]
    return min(places, key=lambda p: (_KIND_RANK.get(p.kind, 5), -p.population, -p.fame))


def country_of(place: Place) -> Place | None:
    """The country a place rolls up to; None for a country itself and for continents."""
    if place.kind in ("country", "continent") or not place.country:
        return None
    return gazetteer().countries.get(place.country)


def place_label(place: Place) -> str:
    """A label for facets and chips: "Homs · Syria" for a city or region, "Syria" alone."""
    country = country_of(place)
    if country is None or country.geonameid == place.geonameid:
        return place.name
    return f"{place.name} · {country.name}"
