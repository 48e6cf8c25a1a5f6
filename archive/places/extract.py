"""Extracting the places a text names: match, refuse ordinary words, choose the sense."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from archive.model import Mention, PlaceRef

from . import context
from .gazetteer import Gazetteer, Place, gazetteer
from .matcher import Match, Token, find_matches, tokenize
from .normalize import fold_name

# Prominence of a kind of place before any context is taken into account.
_KIND_PRIOR = {"country": 20.0, "continent": 18.0, "area": 16.0, "region": 9.0}
# A city this large (or this well known) stands on its own; smaller ones need support from
# other places of the same country in the article.
_SELF_STANDING_POP = 50_000
_SELF_STANDING_FAME = 20


@dataclass
class Candidate:
    """One matched name in the text and the places it may mean."""

    match: Match
    surface: str
    form: str  # "name" or "demonym"
    places: list[Place]
    doubt: int = context.PLAIN  # could it be an ordinary word, or part of a name?
    chosen: Place | None = None
    scores: dict[str, float] = field(default_factory=dict)


def extract_places(text: str) -> list[PlaceRef]:
    """The places a text names, each once with all its mentions, ordered by first mention."""
    gaz = gazetteer()
    tokens = tokenize(text)
    cands = _candidates(text, tokens, find_matches(text, tokens, gaz), gaz)
    _choose_senses(cands)
    accepted = _accept(cands)
    refs: dict[str, PlaceRef] = {}
    for c in cands:
        if c.chosen is None or c.chosen.geonameid not in accepted:
            continue
        p = c.chosen
        ref = refs.get(p.geonameid)
        if ref is None:
            ref = refs[p.geonameid] = PlaceRef(
                geonameid=p.geonameid,
                name=p.name,
                country=p.country,
                lat=p.lat,
                lon=p.lon,
                kind=p.kind,
            )
        ref.mentions.append(Mention(c.match.start, c.match.end, c.surface, c.form))
    return list(refs.values())


def _candidates(text: str, tokens: list[Token], matches: list[Match], gaz: Gazetteer):
    out = []
    for m in matches:
        surface = text[m.start : m.end]
        if not context.looks_like_a_name(surface, m.key):
            continue
        ids = gaz.by_key.get(m.key)
        form = "name"
        if ids is None:
            ids = gaz.demonyms.get(m.key, ())
            form = "demonym"
        places = [gaz.places[i] for i in ids]
        if not places:
            continue
        doubt = context.doubt(tokens, m, surface) if form == "name" else context.PLAIN
        out.append(Candidate(m, surface, form, places, doubt))
    return out


@lru_cache(maxsize=100_000)
def _own_key(name: str) -> str:
    return fold_name(name)


def _prior(place: Place, key: str) -> float:
    score = _KIND_PRIOR.get(place.kind)
    if score is None:
        score = math.log10(place.population + 10) + 0.6 * math.log2(1 + place.fame)
    if _own_key(place.name) == key:
        score += 1.5  # the place's own name, not one of its many aliases
    return score


def _choose_senses(cands: list[Candidate]) -> None:
    """Pick each mention's place: prominence first, then agreement with the article."""
    for c in cands:
        # A small town is only taken by its own name: its odd aliases ("Peace", "Gates")
        # are ordinary words far more often than they are that town.
        c.places = [p for p in c.places if _self_standing(p) or _own_key(p.name) == c.match.key]
        c.scores = {p.geonameid: _prior(p, c.match.key) for p in c.places}
        c.chosen = max(c.places, key=lambda p: c.scores[p.geonameid]) if c.places else None
    for _ in range(2):
        evidence = _Evidence(cands)
        for c in cands:
            if len(c.places) > 1:
                c.chosen = max(c.places, key=lambda p, c=c: evidence.score(c, p))


class _Evidence:
    """Which countries and regions the article's other (plain) mentions point to."""

    def __init__(self, cands: list[Candidate]) -> None:
        # Each distinct name counts once, whatever the number of its mentions.
        plain = [c for c in cands if c.chosen and not c.doubt]
        self.countries = {(c.match.key, c.chosen.country) for c in plain}
        self.regions = {(c.match.key, c.chosen.country, c.chosen.admin1) for c in plain}
        self.by_country = Counter(cc for _, cc in self.countries)
        self.by_region = Counter((cc, a1) for _, cc, a1 in self.regions)

    def score(self, c: Candidate, p: Place) -> float:
        return c.scores[p.geonameid] + self.bonus(c, p)

    def bonus(self, c: Candidate, p: Place) -> float:
        if not p.country:
            return 0.0
        support = self.by_country[p.country] - ((c.match.key, p.country) in self.countries)
        # Another place of the same country, and better of the same region, is the
        # evidence that settles Homs (Syria) against Al Khums (Libya).
        bonus = 3.0 * min(support, 2)
        if p.kind in ("city", "region") and p.admin1:
            own = (c.match.key, p.country, p.admin1) in self.regions
            if self.by_region[(p.country, p.admin1)] - own > 0:
                bonus += 8.0 if p.kind == "region" else 2.0
        return bonus


def _self_standing(p: Place) -> bool:
    if p.kind != "city":
        return True
    return p.population >= _SELF_STANDING_POP or p.fame >= _SELF_STANDING_FAME


def _accept(cands: list[Candidate]) -> set[str]:
    """The places to report: well-known ones named plainly, others only with support."""
    strong: dict[str, Place] = {}
    for c in cands:
        if c.chosen is not None and not c.doubt:
            strong[c.chosen.geonameid] = c.chosen
    # A small town is supported by a well-known place of its country (the country itself,
    # its regions or cities); small towns do not vouch for each other.
    anchors = Counter(p.country for p in strong.values() if p.country and _self_standing(p))
    accepted = {g for g, p in strong.items() if _self_standing(p) or anchors[p.country]}
    # A doubtful mention counts when the same place is named plainly elsewhere, or (for a
    # possibly ordinary word) when a place of its country is.
    for c in cands:
        p = c.chosen
        if p is None or p.geonameid in accepted:
            continue
        if c.doubt == context.ORDINARY and _self_standing(p) and anchors[p.country] > 0:
            accepted.add(p.geonameid)
    return accepted
