"""Folding place names and texts to one comparable form.

The same folding is applied to every gazetteer name and to every word of a text, so that
transliteration variants meet: case, diacritics and punctuation are dropped, doubled vowels
collapsed, French "ou" read as "u" (Tartous = Tartus), and Arabic-script letters normalised.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from archive.folding import strip_marks

# Letters that NFKD does not decompose into a base letter plus marks.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ı": "i",
        "þ": "th",
        "ħ": "h",
        # Arabic: hamza seats and alef forms, taa marbuta, alef maqsura, tatweel.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ـ": "",
        # Persian/Urdu letter forms written in Arabic-script names.
        "ی": "ي",
        "ک": "ك",
        "ہ": "ه",
    }
)
# Apostrophes and ayn/hamza marks vanish (Dar'a = Dara); they sit inside words.
APOSTROPHES = "'’‘`´ʼʻʿʾ′"
_DROP = str.maketrans({c: "" for c in APOSTROPHES + "."})
# Only doubled vowels that English spelling does not use: "ee"/"oo" would make "Her" of Heer.
_DOUBLE_VOWEL = re.compile(r"([aiuy])\1+")


def _marks() -> str:
    """A regular-expression class of the combining marks of the Basic Multilingual Plane
    (Unicode categories Mn, Mc, Me), which `re` does not count as word characters."""
    ranges, start = [], None
    for cp in range(0x10001):
        mark = cp < 0x10000 and unicodedata.category(chr(cp)).startswith("M")
        if mark and start is None:
            start = cp
        elif not mark and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = None
    return "".join(ranges)


# A word of a text: letters and digits, with apostrophes allowed inside (Dar'a, Ma'arrat)
# and combining marks (the shadda of "المتّحدة", which would otherwise split the word).
# Dotted acronyms (U.S., D.C.) are one word.
WORD_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}|[^\W_](?:[^\W_]|[" + _marks() + "]|[" + APOSTROPHES + r"](?=[^\W_]))*"
)


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Fold one word: lower case, no diacritics or apostrophes, Latin vowels simplified."""
    w = spell_word(word)
    if w.isascii():
        # "ou" is the French spelling of "u" (Tartous, Soueida); doubled vowels are a
        # common way to mark long vowels (Deraa, Darayya).
        w = w.replace("ou", "u")
        w = _DOUBLE_VOWEL.sub(r"\1", w)
    return w


@lru_cache(maxsize=50_000)
def spell_word(word: str) -> str:
    """Fold one word only as far as a spelling stays the same: case, diacritics, apostrophes.

    fold_word goes on to merge vowel spellings (Tartous = Tartus); this lighter form tells
    whether a text wrote a name as the place spells it or only as folding makes it.
    """
    w = word.casefold().translate(_SPECIAL)
    w = strip_marks(w)
    return w.translate(_DROP).translate(_SPECIAL)


def fold_name(name: str) -> str:
    """Fold a whole name: each word folded, words joined by single spaces."""
    return " ".join(fold_word(w) for w in words_of(name))


def words_of(text: str) -> list[str]:
    """The words of a text, possessive "'s" removed (Syria's -> Syria)."""
    out = []
    for m in WORD_RE.finditer(text):
        w = m.group()
        if len(w) > 2 and w[-2] in APOSTROPHES and w[-1] in "sS":
            w = w[:-2]
        out.append(w)
    return out


# "Burton upon Trent", "Clacton-on-Sea", "Frankfurt am Main": towns named with their river
# or coast, which news and their own people call by the first part.
_ON_RIVER = re.compile(r"^(\w[\w'’.]{3,}?)[ -](?:upon|on|am|an der)[ -]\w", re.I)


def short_form(name: str) -> str | None:
    """The everyday short name of a town named with its river or coast, if it has one."""
    m = _ON_RIVER.match(name)
    return m.group(1) if m else None


def plain(name: str) -> str:
    """A name without diacritics, keeping case and punctuation (Ţarţūs -> Tartus)."""
    return strip_marks(name.translate(_SPECIAL_CASED)).replace("‘", "'")


_SPECIAL_CASED = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"})


# Arabic definite articles as transliterated, with the sun-letter assimilations (as-, ad-...).
ARTICLES = frozenset(
    "al el ul il as ash ad adh ar az at ath an es esh ed edh er ez et eth en".split()
)
_SUN = ("th", "dh", "sh", "t", "d", "r", "z", "s", "n", "l")


def _article_forms(next_word: str) -> list[str]:
    """How an Arabic article before next_word may be written (al, el, and assimilated)."""
    forms = ["al", "el"]
    for sun in _SUN:
        if next_word.startswith(sun):
            forms += ["a" + sun, "e" + sun]
            if len(sun) == 2:
                forms += ["a" + sun[0], "e" + sun[0]]
            break
    return forms


def name_keys(name: str, arabic: bool = False, fold=fold_word) -> set[str]:
    """Every folded key a name may be written as; `arabic` adds the article variants.

    `fold` folds each word: fold_word for matching, spell_word to compare spellings.
    """
    keys = set()
    for variant in {name, name.replace("-", "")}:
        words = [fold(w) for w in words_of(variant)]
        if not words:
            continue
        keys.add(" ".join(words))
        if arabic:
            keys |= _article_variants(words)
    keys.discard("")
    return keys


def _article_variants(words: list[str]) -> set[str]:
    """Spell each Arabic article of a name every usual way: separate, joined, or dropped."""
    seqs: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        w = words[i]
        if w in ARTICLES and i + 1 < len(words):
            nxt = words[i + 1]
            options = []
            for form in _article_forms(nxt):
                options.append([form, nxt])
                options.append([form + nxt])
            options.append([nxt])
            seqs = [s + o for s in seqs for o in options][:64]
            i += 2
            continue
        # Glued articles (Alladhiqiyah, Arraqqah) are left as written.
        seqs = [s + [w] for s in seqs]
        i += 1
    return {" ".join(s) for s in seqs if s}
