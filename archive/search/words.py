"""How text becomes search terms, for any engine: plain functions from (text, language) to
terms, with no search library behind them (docs/search.md says why each rule is so).

- Words of scripts written with spaces (Latin, Cyrillic, Greek, Arabic, ...) are one term
  each, lowercased and accent-folded (Türkiye = Turkiye).
- Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
  Burmese) and Korean, whose particles cling to words, are cut into overlapping pairs of
  characters, as Lucene's CJK analyzer does: a word is the phrase of its pairs, so it is
  found inside running text, whatever dictionary it is missing from.
- Stems are scoped by the article's language ("pt:hom"), so a stem of one language never
  matches another's; names are matched by their own form, never by a stemmer's reduction.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from operator import add

import Stemmer

from archive.folding import strip_marks

# The blocks of the scripts cut into pairs, one class per group of scripts that run
# together in a text (Japanese mixes Han and kana; Korean is Hangul alone).
_PAIRED = {
    "cjk": "\u3005\u3006\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f",
    "hangul": "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff",
    "thai": "\u0e00-\u0e7f",
    "lao": "\u0e80-\u0eff",
    "myanmar": "\u1000-\u109f",
    "khmer": "\u1780-\u17ff",
}
PAIRED_CHARS = "".join(_PAIRED.values())  # for a regular expression's character class
_WORD_CHAR = rf"[^\W{PAIRED_CHARS}]"
# Words: letters and digits, joined by inner apostrophes or dots ("al-Assad" is two words,
# as people type it either way; "U.S." stays one).
WORD_PATTERN = rf"{_WORD_CHAR}+(?:[.'’]{_WORD_CHAR}+)*"
_WORD = re.compile(WORD_PATTERN)
_TOKEN = re.compile(
    "|".join(f"(?P<{name}>[{chars}]+)" for name, chars in _PAIRED.items())
    + f"|(?P<word>{WORD_PATTERN})"
)
_PAIRED_CHAR = re.compile(f"[{PAIRED_CHARS}]")
# Languages stemmed, by code, with their Snowball algorithm.
_ALGORITHMS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish",
}  # fmt: skip
STEM_LANGUAGES = tuple(_ALGORITHMS)
STEM_MARK = ":"  # between a stem's language and the stem; no word contains it


def fold(word: str) -> str:
    """One word lowercased, accents and other combining marks dropped, compatibility forms
    made plain (ﬁ = fi, Ｔ = t)."""
    lowered = word.lower()
    return lowered if lowered.isascii() else strip_marks(lowered)


fold_token = lru_cache(maxsize=200_000)(fold)  # words repeat: most are folded once


def has_paired(text: str) -> bool:
    """Whether a text has characters of a script that is cut into pairs."""
    return _PAIRED_CHAR.search(text) is not None


def _pairs(run: str):
    return map(add, run, run[1:]) if len(run) > 1 else (run,)


def terms(text: str) -> list[str]:
    """The terms of a text in order (a term's place in the list is its position)."""
    if not has_paired(text):  # most texts: one C-speed pass
        return list(map(fold_token, _WORD.findall(text)))
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            out.append(fold_token(match.group()))
        else:
            out.extend(_pairs(match.group()))
    return out


def term_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) for every term of a text, in the order of `terms`; a pair of
    characters spans those two."""
    for match in _TOKEN.finditer(text):
        start, word = match.start(), match.group()
        if match.lastgroup == "word":
            yield start, match.end(), fold_token(word)
        elif len(word) == 1:
            yield start, start + 1, word
        else:
            for i in range(len(word) - 1):
                yield start + i, start + i + 2, word[i : i + 2]


def is_paired(term: str) -> bool:
    """Whether a term is a pair (or a lone character) of a script cut into pairs."""
    return has_paired(term[:1])


_local = threading.local()  # a PyStemmer stemmer must not be shared between threads


def _stemmer(lang: str):
    algorithm = _ALGORITHMS.get(lang)
    if algorithm is None:
        return None
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    found = stemmers.get(lang)
    if found is None:
        found = stemmers[lang] = Stemmer.Stemmer(algorithm).stemWord
    return found


def stems_language(lang: str) -> bool:
    """Whether the archive stems articles of this language."""
    return lang in _ALGORITHMS


# Snowball stemming is a third of indexing time; news vocabularies repeat, so a bounded
# cache answers most words (measured: ~90% hits on a 460-word article).
@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """A folded word stemmed for one language (unchanged when there is no stemmer)."""
    stemmer = _stemmer(lang)
    return stemmer(word) if stemmer else word


@lru_cache(maxsize=200_000)
def scoped_stem(term: str, lang: str) -> str:
    """A term's stem as the index holds it: marked with its language ("en:withdraw")."""
    return f"{lang}{STEM_MARK}{stem(term, lang)}"


def stem_terms(folded: list[str], lang: str) -> list[str]:
    """The stem field's terms of a text's terms: none for a language without a stemmer
    (its words are all in the plain field), and none for pairs, which have no stem."""
    if not stems_language(lang):
        return []
    return [scoped_stem(t, lang) for t in folded if not is_paired(t)]


@lru_cache(maxsize=20_000)
def query_stems(word: str, name: bool = False) -> tuple[str, ...]:
    """The stem terms a query word matches: its stem in every stemmed language, each in
    its own. A name (`name=True`) keeps its form: only languages whose stemmer leaves it
    as it is, or takes off no more than a possessive ("Assad" in English, which still
    finds "Assad's"), so no stemmer turns Homs into "hom", the stem of Portuguese "home"."""
    found = terms(word)
    if len(found) != 1 or is_paired(found[0]):
        return ()  # several words or pairs: a phrase, which stems do not keep
    folded = found[0]
    out = []
    for lang in STEM_LANGUAGES:
        stemmed = stem(folded, lang)
        if not name or stemmed == folded or _only_possessive(folded, stemmed):
            out.append(f"{lang}{STEM_MARK}{stemmed}")
    return tuple(out)


def _only_possessive(word: str, stemmed: str) -> bool:
    return word[len(stemmed) :] in ("'s", "’s", "'", "’") and word.startswith(stemmed)


def split_stem(term: str) -> tuple[str, str]:
    """(language, stem) of a stem term."""
    lang, _, stemmed = term.partition(STEM_MARK)
    return lang, stemmed


# --- scripts, for "did you mean" -----------------------------------------------------------

_SCRIPT_NAMES = {
    "LATIN": "Latin",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "ARABIC": "Arabic",
    "HEBREW": "Hebrew",
    "CJK": "Han",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "HANGUL": "Hangul",
}


@lru_cache(maxsize=20_000)
def script_of(word: str) -> str | None:
    """The writing system of a word's letters (by its first letter), or None for a word
    of digits only. Kana and Han are told apart; every other script by its Unicode name."""
    for ch in word:
        if not ch.isalpha():
            continue
        head = unicodedata.name(ch, "").split(" ")[0]
        return _SCRIPT_NAMES.get(head, head or None)
    return None
