"""Place names in inflected and cliticised forms: "в Дамаске", "بدمشق", "Warszawie".

The matcher finds names as the gazetteer spells them; many languages change the word
itself. For each capitalised word no name covered, this module proposes base forms and
keeps those the gazetteer knows as a well-known place (a country, a region, a town of
100,000 people or a famous one): a library made for the language where one exists
(pymorphy3 for Russian and Ukrainian), rules elsewhere (Arabic prefixes, the common case
endings of German, Turkish, Polish, Finnish and Hungarian).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from .gazetteer import Gazetteer, Place
from .matcher import Match, Tokens
from .normalize import APOSTROPHES, fold_word
from .prominence import self_standing

# Arabic: a conjunction (و and, ف so), then a preposition (ب in, ل for, ك like) glued on.
_AR_CONJ, _AR_PREP, _AR_ARTICLE = "وف", "بلك", "ال"

# Case endings, folded as text is (no diacritics), longest first, with the endings the
# base form may have had in their place ("Warszawie" -> "Warszaw" + "a").
_ENDINGS: list[tuple[str, tuple[str, ...]]] = [
    # Polish
    ("czech", ("cy",)),  # Niemczech -> Niemcy
    ("sce", ("ska",)),  # Polsce -> Polska
    ("dze", ("ga",)),  # Pradze -> Praga
    ("ce", ("ka",)),  # Ameryce -> Ameryka
    ("owi", ("",)),
    ("iem", ("",)),
    ("ach", ("", "a", "y")),
    ("ii", ("ia",)),  # Hiszpanii -> Hiszpania
    ("ji", ("ja",)),  # Rosji -> Rosja
    ("ie", ("a", "", "o")),  # Warszawie, Berlinie
    ("em", ("",)),
    # Finnish (ä, ö folded to a, o)
    ("ssa", ("", "a")),
    ("sta", ("", "a")),
    ("lla", ("", "a")),
    ("lta", ("", "a")),
    ("lle", ("", "a")),
    ("iin", ("", "i")),
    ("aan", ("a", "")),
    ("in", ("", "i")),  # Iranin; Helsingin (gradation below)
    # Hungarian
    ("ban", ("", "a")),
    ("ben", ("", "e")),
    ("bol", ("", "a")),
    ("rol", ("", "a")),
    ("tol", ("", "a")),
    ("hoz", ("", "a")),
    ("hez", ("", "e")),
    ("nak", ("", "a")),
    ("nek", ("", "e")),
    ("val", ("", "a")),
    ("vel", ("", "e")),
    ("ba", ("", "a")),
    ("be", ("", "e")),
    ("ra", ("", "a")),
    ("re", ("", "e")),
    ("on", ("",)),
    ("en", ("",)),  # Budapesten; German Syrien is already a name
    # German genitive, Polish/Finnish single letters
    ("es", ("",)),
    ("ns", ("n",)),
    ("s", ("",)),
    ("u", ("", "a")),
    ("y", ("a",)),
    ("a", ("",)),
    ("n", ("",)),  # Finnish genitive: Kiinan -> Kiina
]
# Finnish consonant gradation, undone on the stem: Helsingissä -> Helsinki.
_GRADATION = (("ng", "nk"), ("mm", "mp"), ("nn", "nt"), ("ll", "lt"), ("rr", "rt"), ("d", "t"))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_APOSTROPHE = re.compile("[" + APOSTROPHES + "]")
_ENGLISH = frozenset("the and of to is in that for was with on said".split())


def inflected_matches(tokens: Tokens, gaz: Gazetteer, found: list[Match]) -> list[Match]:
    """Matches of well-known places written in an inflected form, on words no match covers."""
    english = _looks_english(tokens.folded)
    ascii_text = tokens.text.isascii()
    if english and ascii_text:
        # English in Latin letters: only a word with an apostrophe may hold a Turkish clitic.
        spots = {m.start() for m in _APOSTROPHE.finditer(tokens.text)}
        indexes = sorted({bisect_right(tokens.starts, at) - 1 for at in spots} - {-1})
    else:
        indexes = range(len(tokens))
    taken = {i for m in found for i in range(m.first, m.last + 1)}
    ukrainian = not ascii_text and bool(_UKRAINIAN.search(tokens.text))
    out = []
    for i in indexes:
        word = tokens.folded[i]
        if i in taken or not tokens.can_start[i] or len(word) < 3:
            continue
        raw = tokens.text[tokens.starts[i] : tokens.ends[i]]
        if word.isascii():
            if not raw[0].isupper():
                continue
            forms = _latin_forms(raw, word, english)
        elif _CYRILLIC.match(raw):
            if not raw[0].isupper():
                continue
            forms = _cyrillic_forms(raw, ukrainian)
        else:
            forms = arabic_forms(word)
        key = _base_form(gaz, word, forms)
        if key is not None:
            out.append(Match(i, i, tokens.starts[i], tokens.ends[i], key))
    return out


def _base_form(gaz: Gazetteer, word: str, forms: list[str]) -> str | None:
    """The first proposed base form that names a well-known place."""
    return next((key for key in forms if key != word and _well_known(gaz, key)), None)


def arabic_reading(gaz: Gazetteer, word: str) -> tuple[str, list[Place]]:
    """The name a folded Arabic-script word may be read as and its places, as
    inflected_matches reads it: the word itself, or else its first base form that names a
    well-known place (with those places only); ("", []) for none."""
    places = gaz.named(word)
    if places:
        return word, places
    key = _base_form(gaz, word, arabic_forms(word))
    if key is None:
        return "", []
    return key, [p for p in gaz.named(key) if _major(p)]


def _well_known(gaz: Gazetteer, key: str) -> bool:
    return any(_major(p) for p in gaz.named(key))


def _major(p: Place) -> bool:
    return p.kind != "district" and self_standing(p)


def _looks_english(words: list[str]) -> bool:
    """Whether a text reads as English: its Latin words are never inflected place names."""
    if not words:
        return False
    return sum(w in _ENGLISH for w in words) > 0.03 * len(words)


def _latin_forms(raw: str, word: str, english: bool) -> list[str]:
    forms = []
    for mark in APOSTROPHES:
        head, sep, tail = raw.partition(mark)
        if sep and tail.isalpha() and tail.islower() and len(tail) <= 5:
            forms.append(fold_word(head))  # Turkish: Ankara'da, Türkiye'nin
            break
    if english or len(word) < 5:
        return forms
    for ending, bases in _ENDINGS:
        if not word.endswith(ending) or len(word) - len(ending) < 3:
            continue
        stem = word[: -len(ending)]
        # Finnish consonant gradation sits before the stem's last vowel: Helsingi- -> Helsinki.
        body, vowel = (stem[:-1], stem[-1]) if stem[-1] in "aeiouy" else (stem, "")
        stems = [stem] + [body[: -len(a)] + b + vowel for a, b in _GRADATION if body.endswith(a)]
        forms += [fold_word(s + base) for s in stems for base in bases]
    return forms


def arabic_forms(word: str) -> list[str]:
    """A folded Arabic-script word without its clitics, as far as each may go (والرقة ->
    الرقة, رقة)."""
    forms = []
    rest = word
    if rest[:1] and rest[0] in _AR_CONJ:
        rest = rest[1:]
        forms.append(rest)
    if rest[:2] == "لل":  # ل + ال: للرقة -> الرقة
        forms.append(_AR_ARTICLE + rest[2:])
    elif rest[:1] and rest[0] in _AR_PREP:
        rest = rest[1:]
        forms.append(rest)
    # Each form with and without the article: والرقة -> الرقة, رقة.
    forms += [f[2:] for f in list(forms) if f.startswith(_AR_ARTICLE)]
    return [f for f in forms if len(f) >= 3]


def _cyrillic_forms(raw: str, ukrainian: bool) -> list[str]:
    morph = _analyzer("uk" if ukrainian or _UKRAINIAN.search(raw) else "ru")
    if morph is None:
        return []
    forms = []
    for parse in morph.parse(raw)[:4]:
        key = " ".join(fold_word(w) for w in parse.normal_form.split("-"))
        if key not in forms:
            forms.append(key)
    return forms


@cache
def _analyzer(lang: str):
    """pymorphy3's analyser for Russian or Ukrainian, loaded on first need (0.2-0.4 s)."""
    try:
        import pymorphy3
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return pymorphy3.MorphAnalyzer(lang=lang)
