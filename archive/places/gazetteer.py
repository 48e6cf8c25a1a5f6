"""The gazetteer: every known place, and every folded name that points to it.

Loaded once per process from the file scripts/build_gazetteer.py writes, on first use.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from .normalize import fold_name

DATA_FILE = Path(__file__).parent / "data" / "gazetteer.tsv.gz"


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer, identified by its GeoNames id."""

    geonameid: str
    name: str  # canonical English name
    country: str | None  # ISO 3166-1 alpha-2; None for continents and seas
    lat: float | None
    lon: float | None
    kind: str  # "country", "region", "city", "continent", "area"
    population: int = 0
    admin1: str | None = None  # first-level region code within the country
    fame: int = 0  # how many alternate names GeoNames knows: a proxy for prominence


class Gazetteer:
    """Places by id, place ids by folded name, and a matcher over all names."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.places: dict[str, Place] = {}
        self.by_key: dict[str, tuple[str, ...]] = {}
        self.demonyms: dict[str, tuple[str, ...]] = {}
        self.countries: dict[str, Place] = {}
        self.regions: dict[tuple[str, str], Place] = {}
        by_key: dict[str, list[str]] = {}
        demonyms: dict[str, list[str]] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            next(f)  # header
            for line in f:
                gid, kind, name, cc, admin1, lat, lon, pop, fame, keys, dems = line.rstrip(
                    "\n"
                ).split("\t")
                place = Place(
                    geonameid=gid,
                    name=name,
                    country=cc or None,
                    lat=float(lat) if lat else None,
                    lon=float(lon) if lon else None,
                    kind=kind,
                    population=int(pop or 0),
                    admin1=admin1 or None,
                    fame=int(fame or 0),
                )
                self.places[gid] = place
                if kind == "country":
                    self.countries[cc] = place
                elif kind == "region" and cc and admin1:
                    self.regions[(cc, admin1)] = place
                for key in keys.split("|") if keys else ():
                    by_key.setdefault(key, []).append(gid)
                for key in dems.split("|") if dems else ():
                    demonyms.setdefault(key, []).append(gid)
        self.by_key = {k: tuple(v) for k, v in by_key.items()}
        self.demonyms = {k: tuple(v) for k, v in demonyms.items()}
        self.automaton = _automaton(set(by_key) | set(demonyms))

    def lookup(self, name: str) -> list[Place]:
        """The places a name (any spelling) may mean."""
        key = fold_name(name)
        return [self.places[g] for g in self.by_key.get(key, ())]


def _automaton(keys: set[str]) -> ahocorasick.Automaton:
    # Keys are matched against folded text in which words are joined by single spaces, so a
    # match is found in one pass whatever the size of the gazetteer.
    auto = ahocorasick.Automaton()
    for key in keys:
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    return Gazetteer()
