"""Editors' corrections of the places pipeline: names that are not places, new aliases, and
one article's places removed or added. Applied after extraction, to new articles and to the
articles a new or removed rule affects alike (`archive.curation`)."""

from __future__ import annotations

from collections.abc import Iterable

from archive.model import Mention, PlaceRef

from .gazetteer import Place
from .lookup import get_place
from .normalize import WORD_RE, fold_name, fold_word

NOT_A_PLACE = "not-a-place"
ALIAS = "alias"


def folded_words(text: str) -> list[tuple[int, int, str]]:
    """The words of a text with their offsets, folded as names are."""
    return [(m.start(), m.end(), fold_word(m.group())) for m in WORD_RE.finditer(text)]


def name_spans(text: str, name: str, words=None) -> list[tuple[int, int]]:
    """Where `name` is written in `text`, in any case or accents, as whole words (`words`:
    the text's `folded_words`, when several names are looked for)."""
    wanted = fold_name(name).split()
    if not wanted:
        return []
    words = folded_words(text) if words is None else words
    n = len(wanted)
    spans = []
    for i in range(len(words) - n + 1):
        if [w[2] for w in words[i : i + n]] == wanted:
            spans.append((words[i][0], words[i + n - 1][1]))
    return spans


def rule_applies(rule: dict, source: str | None, language: str | None) -> bool:
    """Whether a rule scoped to an outlet or a language covers this article."""
    if rule.get("source") and (source or "").casefold() != rule["source"].casefold():
        return False
    return not (rule.get("language") and (language or "") != rule["language"])


def apply_place_rules(
    text: str,
    places: list[PlaceRef],
    rules: Iterable[dict],
    *,
    source: str | None = None,
    language: str | None = None,
    edits: dict | None = None,
) -> list[PlaceRef]:
    """The places extraction found, corrected: aliases add their place where the name is
    written (and take those words from any other place), names that are not places lose
    their mentions, then this article's own removals and additions."""
    refs = {p.geonameid: _copy(p) for p in places}
    rules = [r for r in rules if rule_applies(r, source, language)]
    words = folded_words(text) if any(r["kind"] == ALIAS for r in rules) else []
    for rule in rules:
        if rule["kind"] != ALIAS:
            continue
        place = get_place(rule["target"])
        spans = name_spans(text, rule["name"], words)
        if place is None or not spans:
            continue
        for ref in refs.values():
            ref.mentions = [m for m in ref.mentions if not _overlaps(m, spans)]
        ref = refs.setdefault(place.geonameid, _ref(place))
        known = {(m.start, m.end) for m in ref.mentions}
        ref.mentions += [Mention(s, e, text[s:e]) for s, e in spans if (s, e) not in known]
    for rule in rules:
        if rule["kind"] == NOT_A_PLACE:
            key = fold_name(rule["name"])
            for ref in refs.values():
                ref.mentions = [m for m in ref.mentions if fold_name(m.surface) != key]
    out = [r for r in refs.values() if r.mentions]
    edits = edits or {}
    removed = set(edits.get("remove", []))
    out = [r for r in out if r.geonameid not in removed]
    for pid in edits.get("add", []):
        place = get_place(pid)
        if place is None or any(r.geonameid == pid for r in out):
            continue
        ref = _ref(place)
        ref.mentions = [Mention(s, e, text[s:e]) for s, e in name_spans(text, place.name)]
        out.append(ref)
    out.sort(key=lambda r: min((m.start for m in r.mentions), default=len(text)))
    return out


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _copy(p: PlaceRef) -> PlaceRef:
    return PlaceRef(p.geonameid, p.name, p.country, p.lat, p.lon, p.kind, list(p.mentions))


def _ref(place: Place) -> PlaceRef:
    return PlaceRef(place.geonameid, place.name, place.country, place.lat, place.lon, place.kind)
