"""The gazetteer: every known place, and every folded name that points to it.

Loaded once per process, on first use, from the file scripts/build_gazetteer.py writes.
Its sections: `#places` (one tab-separated row per place), `#names` (folded name -> place
ids), `#flags` (folded name -> "w" if it is also an everyday English word, "n" if also a
common personal name), `#demonyms` (folded demonym such as "syrian" -> place ids) and
`#given` (common first names, which make the next word a surname rather than a place),
`#calendar` (month and weekday names in the archive's languages) and `#caseless` (words of
Arabic-script languages that read as a place but are mostly the word, never read as one:
language, folded word).
The curated names of news outlets (curated.OUTLETS) are added to the matcher at load.
"""

from __future__ import annotations

import gc
import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from . import curated
from .normalize import fold_name

DATA_FILE = Path(__file__).parent / "data" / "gazetteer.tsv.gz"
FORMAT = "archive-gazetteer 9"  # first line of the file; bump when the layout or folding changes


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer, identified by its GeoNames id."""

    geonameid: str  # GeoNames id; "x-..." for the few curated areas GeoNames lacks
    name: str  # canonical English name
    country: str | None  # ISO 3166-1 alpha-2; None for continents, seas, wider regions
    lat: float | None
    lon: float | None
    kind: str  # "country", "region", "district", "city", "continent", "area"
    population: int = 0
    admin1: str | None = None  # first-level region code within the country (GeoNames)
    fame: int = 0  # how many alternate names GeoNames knows: a proxy for prominence
    geonames_name: str | None = None  # GeoNames' own name where it differs (Ar Raqqah)


class Gazetteer:
    """Places by id, place ids by folded name, and a matcher over all names."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self._rows: dict[str, str] = {}
        self._places: dict[str, Place] = {}
        self.by_key: dict[str, str] = {}  # ids comma-joined, split on use
        self.demonyms: dict[str, tuple[str, ...]] = {}
        self.countries: dict[str, str] = {}  # ISO code -> id
        self.flags: dict[str, str] = {}  # folded name -> "w" (everyday word), "n" (person)
        sections = _sections(path)
        places, names = sections["places"], sections["names"]
        flags, demonyms = sections["flags"], sections["demonyms"]
        # Whole sections are split at once: this runs at every start of the program.
        self._rows = {row.partition("\t")[0]: row for row in places if row}
        self.countries = {
            row.split("\t", 4)[3]: gid for gid, row in self._rows.items() if "\tcountry\t" in row
        }
        # Nineteen names in twenty mean one place: they share that place's id string in
        # `_rows` instead of each holding a copy (15 MB less, for 50 ms more at load).
        gids = {gid: gid for gid in self._rows}
        self.by_key = {
            key: gids.get(value, value)
            for key, value in (line.split("\t", 1) for line in names if line)
        }
        self.flags = dict(line.split("\t", 1) for line in flags if line)
        self.demonyms = {
            key: tuple(ids.split(","))
            for key, ids in (line.split("\t", 1) for line in demonyms if line)
        }
        self.given_names = frozenset(sections["given"])
        # Month and weekday names in the archive's languages ("August", "Mai", "Sabato").
        self.calendar = frozenset(sections["calendar"])
        # Absent only from the first pass of scripts/build_gazetteer.py, which judges them.
        words: dict[str, set[str]] = {}
        for line in sections.get("caseless", ()):
            if line:
                lang, word = line.split("\t")
                words.setdefault(lang, set()).add(word)
        self.caseless = {lang: frozenset(w) for lang, w in words.items()}
        # Names of outlets and institutions that hold a place name ("New York Times") are
        # matched like names, so that the longer name swallows the place; they name nothing.
        self.outlets = frozenset(fold_name(n) for n in curated.OUTLETS)
        # The matchers are compiled when a text first needs them: a process that only
        # searches never does, and the ASCII one alone costs 40 MB and half a second.
        # Names in Arabic or Cyrillic script (a quarter of them) have a matcher of their own.
        self._ascii_automaton: ahocorasick.Automaton | None = None
        self._other_automaton: ahocorasick.Automaton | None = None
        self._region_counts: dict[str, int] | None = None
        self._regions: dict[tuple[str, str], str] | None = None

    def automata(self, folded_text: str) -> list[ahocorasick.Automaton]:
        """The matchers a folded text needs: ASCII names, and others if it has other letters."""
        if self._ascii_automaton is None:
            self._ascii_automaton = _automaton(
                k for k in (*self.by_key, *self.demonyms, *self.outlets) if k.isascii()
            )
        if folded_text.isascii():
            return [self._ascii_automaton]
        if self._other_automaton is None:
            self._other_automaton = _automaton(
                k for k in (*self.by_key, *self.demonyms) if not k.isascii()
            )
        return [self._ascii_automaton, self._other_automaton]

    def place(self, geonameid: str) -> Place | None:
        """The place with this id, built from its row on first use."""
        place = self._places.get(geonameid)
        if place is None:
            row = self._rows.get(geonameid)
            if row is None:
                return None
            gid, kind, name, cc, admin1, lat, lon, pop, fame, gn_name = row.split("\t")
            place = self._places[gid] = Place(
                geonameid=gid,
                name=name,
                country=cc or None,
                lat=float(lat) if lat else None,
                lon=float(lon) if lon else None,
                kind=kind,
                population=int(pop or 0),
                admin1=admin1 or None,
                fame=int(fame or 0),
                geonames_name=gn_name or None,
            )
        return place

    def named(self, key: str) -> list[Place]:
        """The places a folded name may mean."""
        ids = self.by_key.get(key)
        if not ids:
            return []
        return [p for p in map(self.place, ids.split(",")) if p is not None]

    def called(self, key: str) -> list[Place]:
        """The places a folded demonym refers to."""
        return [p for p in map(self.place, self.demonyms.get(key, ())) if p is not None]

    def lookup(self, name: str) -> list[Place]:
        """The places a name (any spelling or script) may mean."""
        return self.named(fold_name(name))

    def region_population(self, iso: str) -> float:
        """A country's people per first-level region: how well known its regions are."""
        if self._region_counts is None:
            counts: dict[str, int] = {}
            for row in self._rows.values():
                if "\tregion\t" in row:
                    cc = row.split("\t", 4)[3]
                    counts[cc] = counts.get(cc, 0) + 1
            self._region_counts = counts
        country = self.country(iso)
        if country is None:
            return 0.0
        return country.population / max(1, self._region_counts.get(iso, 0))

    def region(self, iso: str, admin1: str) -> Place | None:
        """The first-level region of a country by its GeoNames code: ("US", "IL")."""
        if self._regions is None:
            regions = {}
            for row in self._rows.values():
                if "\tregion\t" in row:
                    gid, _, _, cc, code = row.split("\t", 5)[:5]
                    regions[(cc, code)] = gid
            self._regions = regions
        gid = self._regions.get((iso, admin1))
        return self.place(gid) if gid else None

    def country(self, iso: str) -> Place | None:
        gid = self.countries.get(iso)
        return self.place(gid) if gid else None


def _sections(path: Path) -> dict[str, list[str]]:
    # The file's text is gone once this returns, before the tables that stay are built.
    with gzip.open(path, "rt", encoding="utf-8") as f:
        head, *parts = f.read().split("\n#")
    if head != "#" + FORMAT:
        raise RuntimeError(f"{path}: not a {FORMAT!r} file; rebuild it")
    return {
        name: body.rstrip("\n").split("\n") for name, _, body in (p.partition("\n") for p in parts)
    }


def _automaton(keys) -> ahocorasick.Automaton:
    # Keys are matched against folded text in which the words of a line are joined by single
    # spaces, so every name of the gazetteer is looked for in one pass over the text.
    auto = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for key in keys:
        auto.add_word(key)
    auto.make_automaton()
    return auto


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use. Its millions of objects live as
    long as the process: they are moved out of the garbage collector's sight, which
    otherwise walks them all at every full collection (in bulk ingest, every few seconds)."""
    loaded = Gazetteer()
    gc.freeze()
    return loaded
