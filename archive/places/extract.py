"""Extracting the places a text names: match, refuse ordinary words, choose the sense."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from archive.model import Mention, PlaceRef

from . import context, local
from .gazetteer import Gazetteer, Place, gazetteer
from .inflect import arabic_forms, inflected_matches
from .matcher import Match, Tokens, find_matches, tokenize
from .normalize import fold_name
from .prominence import (
    REGION_WORDS,
    own_keys,
    prefer_cities,
    prior,
    self_standing,
    spelled_as_its_own,
)


@dataclass
class Candidate:
    """One matched name in the text and the places it may mean."""

    match: Match
    surface: str
    form: str  # "name" or "demonym"
    places: list[Place]
    # Could it be an ordinary word, or part of a person's name? As a country or region,
    # as a town (a town's name is more easily someone's surname),
    # and as a small town ("the White House" is not White House, Tennessee).
    doubts: tuple[int, int, int] = context.NO_DOUBT
    chosen: Place | None = None
    scores: dict[str, float] = field(default_factory=dict)
    _loose: dict[str, bool] = field(default_factory=dict)
    inflected: bool = False  # found through a base form ("в Дамаске" -> Дамаск)
    qualified: bool = False  # followed by its state's abbreviation ("Springfield, Ill.")
    everyday: bool = False  # the name is also an everyday English word ("Midland")
    initial: bool = False  # the first word of a sentence
    region_word: bool = False  # followed by "State", "Province"... ("Sokoto State")

    @property
    def doubt(self) -> int:
        p = self.chosen
        if p is None:
            return max(self.doubts)
        if p.kind == "city" and not self_standing(p):
            return self.doubts[2]
        if p.kind in ("city", "district") and p.fame < context.FAMOUS or small_region(p):
            return self.doubts[1]
        return self.doubts[0]

    @property
    def loosely_spelled(self) -> bool:
        """Whether the text names the chosen town only by a loose spelling: one of GeoNames'
        alternate names or a vowel folding, not the town's own name (prominence.py)."""
        p = self.chosen
        if p is None or self.form != "name" or self.inflected:
            # An inflected form is only ever read as a well-known place (inflect.py).
            return False
        # A small country named by an alias ("Mann", the German for Man) is like a town.
        if p.kind != "city" and not (p.kind == "country" and p.population < SMALL_COUNTRY_POP):
            return False
        loose = self._loose.get(p.geonameid)
        if loose is None:
            loose = self._loose[p.geonameid] = not spelled_as_its_own(p, self.surface)
        return loose


def extract_places(text: str, language: str | None = None) -> list[PlaceRef]:
    """The places a text names, each once with all its mentions, ordered by first mention.
    `language` (a code such as "ar") is detected when it matters and is not given."""
    gaz = gazetteer()
    tokens = tokenize(text)
    matches = find_matches(tokens, gaz)
    inflected = inflected_matches(tokens, gaz, matches)
    if inflected:
        matches = sorted(matches + inflected, key=lambda m: m.first)
    shed = {m.first for m in inflected}
    words = _caseless_words(gaz, tokens, matches, shed, language)
    cands = _candidates(text, tokens, matches, gaz, shed, words)
    _choose_senses(cands, text)
    accepted = _accept(cands)
    refs: dict[str, PlaceRef] = {}
    for c in cands:
        if c.chosen is None or c.chosen.geonameid not in accepted:
            continue
        if c.doubt == context.PART_OF_NAME:
            continue  # "Hayat Tahrir al-Sham" is a name, not a mention of Damascus
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


def _caseless_words(
    gaz: Gazetteer, tokens: Tokens, matches: list[Match], inflected, language: str | None
) -> frozenset[str]:
    """The gazetteer's Arabic-script words that are mostly words, in the text's language:
    a word of Arabic ("سكر", sugar) may be a name in Urdu (Sukkur)."""
    words = {w for m in matches if m.first == m.last for w in _word_forms(tokens, m, inflected)}
    if not any(words & table for table in gaz.caseless.values()):
        return frozenset()
    # Imported here: the detector's modules cost 0.1 s, which only these texts need.
    from archive.language import detect_language, likeliest_of

    if language is None:
        language = detect_language(tokens.text).code
    if language == "und":  # a line too short to judge: still one of these
        language = likeliest_of(tokens.text, sorted(gaz.caseless)) or language
    return gaz.caseless.get(language.split("-")[0].lower(), frozenset())


def _word_forms(tokens: Tokens, m: Match, inflected) -> set[str]:
    """A one-word match's word, and the same word with clitics shed where the match was
    found by shedding them: a listed word with a clitic on it is still that word ("وكلية",
    and a college, is not Leh once "كلية" is listed)."""
    word = tokens.folded[m.first]
    return {word, m.key, *(arabic_forms(word) if m.first in inflected else ())}


def _candidates(
    text: str,
    tokens: Tokens,
    matches: list[Match],
    gaz: Gazetteer,
    inflected=frozenset(),
    words: frozenset[str] = frozenset(),
):
    out = []
    for m in matches:
        if m.key in gaz.outlets or context.in_outlet_name(tokens, m):
            continue  # "the New York Times", "the Jerusalem Post": a newspaper, no place
        surface = text[m.start : m.end]
        if not context.looks_like_a_name(surface, m.key):
            continue
        places = gaz.named(m.key)
        form = "name"
        if places and context.short_capitals(text, m):
            # "WA", "EU" in capitals are abbreviations (Western Australia, the European
            # Union), not the towns Wa and Eu; "US", "UAE" are their countries' own.
            places = [p for p in places if fold_name(p.name) != m.key]
        if m.first in inflected:
            places = [p for p in places if p.kind != "district" and self_standing(p)]
        elif m.key in gaz.demonyms and not any(_major(p) for p in places):
            places = []  # "German" is the people's adjective, not the parish of German
        if not places:
            places = gaz.called(m.key)
            form = "demonym"
            nxt = tokens[m.last + 1] if m.last + 1 < len(tokens) else None
            if nxt is not None and nxt.joined and nxt.folded in context.HYPHENATED_PEOPLES:
                continue  # "African American news" is American news, not Africa's
        if not places:
            continue
        doubts = context.NO_DOUBT
        if form == "name":
            if words and m.first == m.last and words & _word_forms(tokens, m, inflected):
                continue  # "كيف", how, is not Kyiv, nor "وكيف", and how
            flags = gaz.flags.get(m.key, "")
            doubts = context.doubt(tokens, m, flags, gaz.given_names, gaz.calendar)
        c = Candidate(m, surface, form, places, doubts, inflected=m.first in inflected)
        c.everyday = form == "name" and context.everyday(m.key, gaz.flags.get(m.key, ""))
        c.initial = tokens[m.first].sentence_initial
        nxt = tokens[m.last + 1] if m.last + 1 < len(tokens) else None
        c.region_word = nxt is not None and nxt.joined and nxt.folded in REGION_WORDS
        out.append(c)
    paired = _adjacent_places(out, tokens)
    _one_person_per_article([c for c in out if id(c) not in paired], tokens, gaz)
    return out


def _adjacent_places(cands: list[Candidate], tokens: Tokens) -> set[int]:
    """Two place names side by side are two places, not one's name: countries run
    together ("Cyprus, Greece Italy or Spain") and towns joined by a hyphen, as an
    electoral district or a metro area is named ("Nelson-Creston"). Returns them."""
    paired: set[int] = set()
    for a, b in zip(cands, cands[1:], strict=False):
        if b.match.first != a.match.last + 1 or "name" != a.form or "name" != b.form:
            continue
        gap = tokens.text[a.match.end : b.match.start]
        if all(any(p.kind == "country" for p in c.places) for c in (a, b)) and gap.isspace():
            pass
        elif gap not in ("-", "\u2010", "\u2011", "\u2013") or not {
            (p.country, p.admin1) for p in a.places if p.kind == "city"
        } & {(p.country, p.admin1) for p in b.places if p.kind == "city"}:
            continue
        a.doubts = b.doubts = context.NO_DOUBT
        paired |= {id(a), id(b)}
    return paired


def _one_person_per_article(cands: list[Candidate], tokens: Tokens, gaz: Gazetteer) -> None:
    """A name the article writes as part of a person's name ("Ashley Sutton", "John
    Bolton", "his brother Tyler") is that person in its other mentions too ("Sutton won",
    "hiring Bolton"), unless one of them reads as a place ("in Sutton")."""
    people = {
        c.match.key
        for c in cands
        if c.form == "name" and context.in_person_name(tokens, c.match, gaz.given_names)
    }
    if not people:
        return
    for c in cands:
        if c.match.key not in people or c.form != "name":
            continue
        if context.after_locative(tokens, c.match) and c.doubts == context.NO_DOUBT:
            continue
        country, _, _ = c.doubts
        c.doubts = (max(country, context.ORDINARY), context.PART_OF_NAME, context.PART_OF_NAME)


def _major(p: Place) -> bool:
    return p.kind in ("country", "continent", "area") or (
        p.kind == "city" and self_standing(p) and not small_region(p)
    )


def small_region(p: Place) -> bool:
    """A first-level region of a small country (a parish of the Isle of Man): known to
    few, so read like a small town, not like a state or a governorate."""
    if p.kind != "region" or not p.country:
        return False
    return gazetteer().region_population(p.country) < SMALL_REGION_POP


SMALL_REGION_POP = 100_000
SMALL_COUNTRY_POP = 1_000_000
NEARBY = 1_000  # characters: about a paragraph
LOCAL_CLUSTER = 3  # distinct names of one region that support each other


def _choose_senses(cands: list[Candidate], text: str = "") -> None:
    """Pick each mention's place: prominence first, then agreement with the article."""
    for c in cands:
        regions = [p for p in c.places if p.kind in ("region", "district")]
        if c.region_word and regions:
            # "Sokoto State", "Oaxaca State": the region, not the city it is named after.
            c.places = regions
        c.places = prefer_cities(c.places, c.match.key)
        if c.form == "name" and len(c.places) > 1:
            # A town reached only by an alias ("Charleston", Lorain's old name) gives way
            # to the towns of its country whose own name it is. Across borders an alias
            # is a spelling of another language, and the article says which ("Homs").
            own = {p.country for p in c.places if c.match.key in own_keys(p)}
            c.places = [
                p
                for p in c.places
                if p.kind != "city" or p.country not in own or c.match.key in own_keys(p)
            ]
        c.scores = {p.geonameid: prior(p, c.match.key) for p in c.places}
        c.chosen = max(c.places, key=lambda p: c.scores[p.geonameid]) if c.places else None
    _read_qualified_names(cands, text)
    _read_local_forms(cands, text)
    for _ in range(2):
        evidence = _Evidence(cands)
        for c in cands:
            if len(c.places) > 1:
                c.chosen = max(c.places, key=lambda p, c=c: evidence.score(c, p))


def _read_qualified_names(cands: list[Candidate], text: str) -> None:
    """ "Palmyra, Pennsylvania" and "Homs, Syria": the second name says which first one.

    The town that lies in the named region or country wins outright, and the pair is
    taken as plainly geographic, whatever doubts the town's name raised alone.
    """
    for town, where in zip(cands, cands[1:], strict=False):
        if where.match.first != town.match.last + 1:
            continue
        if text[town.match.end : where.match.start].strip() != ",":
            continue
        # A county names its state's region code only ("Rockingham, Northamptonshire").
        areas = [p for p in where.places if p.kind in ("region", "district", "country")]
        inside = [
            p
            for p in town.places
            for a in areas
            if p.geonameid != a.geonameid
            and p.country == a.country
            and (a.kind == "country" or p.admin1 == a.admin1)
            and (a.kind != "district" or p.kind == "city")
        ]
        if inside:
            best = max(inside, key=lambda p: town.scores[p.geonameid])
            town.places = [best]
            town.chosen = best
            town.doubts = context.NO_DOUBT
            region = next(a for a in areas if a.country == best.country)
            where.places, where.chosen = [region], region


def _read_local_forms(cands: list[Candidate], text: str) -> None:
    """Datelines ("WASHINGTON (AP) —") and state abbreviations ("Springfield, Ill.",
    "Walker County, Ga."): the name is a town (or a county), the most prominent of its name
    in that state, if one is given. The abbreviation names the state: it is a mention of it."""
    lines = local.datelines(text)
    states: list[Candidate] = []
    for c in cands:
        found = local.state_span_after(text, c.match.end)
        in_dateline = any(a <= c.match.start and c.match.end <= b for a, b in lines)
        if found is None and not in_dateline:
            continue
        towns = [p for p in c.places if p.kind == "city"]
        if found is not None:
            cc, code, start, end = found
            towns = [
                p
                for p in c.places
                if p.kind in ("city", "district") and p.country == cc and p.admin1 == code
            ]
        if towns:
            best = max(towns, key=lambda p: c.scores[p.geonameid])
            c.places, c.chosen, c.doubts = [best], best, context.NO_DOUBT
            state = gazetteer().region(cc, code) if found else None
            if state is not None:
                # Named with its state, a town stands on its own.
                c.qualified = True
                key = fold_name(state.name)
                at = Match(c.match.last + 1, c.match.last + 1, start, end, key)
                s = Candidate(at, text[start:end], "name", [state], chosen=state)
                s.scores = {state.geonameid: prior(state, key)}
                states.append(s)
    if states:
        # "OR", "Ind.": whatever else the abbreviation might match is the state here.
        taken = [(s.match.start, s.match.end) for s in states]
        cands[:] = [c for c in cands if not any(a <= c.match.start < b for a, b in taken)]
        cands.extend(states)
        cands.sort(key=lambda c: c.match.start)


class _Evidence:
    """Which countries and regions the article's other (plain) mentions point to."""

    def __init__(self, cands: list[Candidate]) -> None:
        # Each distinct name counts once, whatever the number of its mentions.
        plain = [c for c in cands if c.chosen and not c.doubt and not c.loosely_spelled]
        self.countries = {(c.match.key, c.chosen.country) for c in plain}
        # Which places of each country are named, and by which names: "U.S." and "United
        # States" are one place, the evidence of one.
        self.country_places: dict[str, dict[str, set[str]]] = {}
        for c in plain:
            names = self.country_places.setdefault(c.chosen.country, {})
            names.setdefault(c.chosen.geonameid, set()).add(c.match.key)
        self.regions = {(c.match.key, c.chosen.country, c.chosen.admin1) for c in plain}
        self.by_country = Counter(cc for _, cc in self.countries)
        self.by_region = Counter((cc, a1) for _, cc, a1 in self.regions)
        # States named among states: "Florida, Alabama and Georgia" are three US states.
        self.state_keys = {
            (c.match.key, c.chosen.country) for c in plain if c.chosen.kind == "region"
        }
        self.states = Counter(cc for _, cc in self.state_keys)
        # Regions named themselves ("Kentucky"), stronger evidence than towns of them.
        self.named_regions = {
            (c.chosen.country, c.chosen.admin1) for c in plain if c.chosen.kind == "region"
        }

    def score(self, c: Candidate, p: Place) -> float:
        return c.scores[p.geonameid] + self.bonus(c, p)

    def bonus(self, c: Candidate, p: Place) -> float:
        if not p.country:
            return 0.0
        support = sum(
            1 for names in self.country_places.get(p.country, {}).values() if names != {c.match.key}
        )
        # Another place of the same country, and better of the same region, is the
        # evidence that settles Homs (Syria) against Al Khums (Libya).
        # Bounded, so that a village of the right country does not beat a capital.
        bonus = 2.0 * min(support, 2)
        if p.kind in ("city", "district", "region") and p.admin1:
            own = (c.match.key, p.country, p.admin1) in self.regions
            if self.by_region[(p.country, p.admin1)] - own > 0:
                bonus += 8.0 if p.kind == "region" else 3.0
            if p.kind != "region" and (p.country, p.admin1) in self.named_regions:
                # Towns of one state support each other's wrong senses ("Ohio County"
                # and "Pike County" of Indiana); the state named outright settles them.
                bonus += 3.0
        if (
            p.kind == "region"
            and any(q.kind in ("country", "city") for q in c.places)
            and not any(q.kind == "city" and _standing(q) for q in c.places)
        ):
            # A region against a foreign country of its name (Georgia), or against a small
            # town of its name (Wales, a village in England): other regions of its country
            # named in the article settle it for the region ("England and Wales"). Not
            # against a capital: "Washington" among states is still the city.
            siblings = self.states[p.country] - ((c.match.key, p.country) in self.state_keys)
            if siblings > 0:
                bonus += 10.0
        return bonus


def _accept(cands: list[Candidate]) -> set[str]:
    """The places to report: well-known ones named plainly, others only with support."""
    strong: dict[str, Place] = {}
    for c in cands:
        if c.chosen is not None and not c.doubt and not c.loosely_spelled:
            strong[c.chosen.geonameid] = c.chosen
    # A small town is supported by a well-known place of its country (the country itself,
    # its regions or cities); small towns do not vouch for each other.
    anchors = Counter(p.country for p in strong.values() if p.country and _standing(p))
    # Where the plain mentions of each region (and its towns) are: (country, admin1) -> offsets.
    areas: dict[tuple, list[int]] = {}
    for c in cands:
        p = c.chosen
        if p is not None and p.admin1 and not c.doubt and not c.loosely_spelled:
            areas.setdefault((p.country, p.admin1), []).append(c.match.start)
    accepted = {g for g, p in strong.items() if _standing(p) or anchors[p.country]}
    accepted |= {c.chosen.geonameid for c in cands if c.qualified and c.chosen}
    # A doubtful mention counts when the same place is named plainly elsewhere, or (for a
    # possibly ordinary word) when a place of its country is. So does a town named only by
    # a loose spelling: typo tolerance may settle on a town of a country the article is
    # about, never invent one abroad ("Sanmin", a Syrian village, is not Sanming, China).
    for c in cands:
        p = c.chosen
        if p is None or p.geonameid in accepted or not anchors[p.country]:
            continue
        if c.doubt == context.ORDINARY and _standing(p):
            # A town whose name is an everyday word ("Midland", the band) needs its own
            # region named nearby: in a big country, another town of it is no evidence,
            # nor is its state named pages away in a list of concert venues.
            near = areas.get((p.country, p.admin1), ())
            if (
                p.kind != "city"
                or not c.everyday
                or p.population >= 1_000_000
                or any(abs(at - c.match.start) <= NEARBY for at in near)
            ):
                accepted.add(p.geonameid)
        elif c.loosely_spelled and c.doubt == context.PLAIN:
            accepted.add(p.geonameid)
    # A country whose name is an everyday word ("Turkey", "Chad"), capitalised inside a
    # sentence, is the country when the article names other countries.
    countries = {p.country for p in strong.values() if p.kind == "country"}
    for c in cands:
        p = c.chosen
        if p is None or p.kind != "country" or p.geonameid in accepted or c.initial:
            continue
        if c.doubt == context.ORDINARY and countries - {p.country}:
            accepted.add(p.geonameid)
    # Small towns of one state or county vouch for each other when there are three of them
    # or more: "Oceanside", "Bellmore" and "Fort Salonga" are Long Island's, named plainly.
    local_names: dict[tuple, set[str]] = {}
    for c in cands:
        p = c.chosen
        if p is not None and p.admin1 and not c.doubt and not c.loosely_spelled:
            local_names.setdefault((p.country, p.admin1), set()).add(c.match.key)
    for c in cands:
        p = c.chosen
        if p is None or p.geonameid in accepted or c.doubt or c.loosely_spelled or c.everyday:
            continue
        if p.admin1 and len(local_names.get((p.country, p.admin1), ())) >= LOCAL_CLUSTER:
            accepted.add(p.geonameid)
    return accepted


def _standing(p: Place) -> bool:
    return self_standing(p) and not small_region(p)
