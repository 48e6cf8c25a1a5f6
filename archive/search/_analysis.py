"""Text analysis: case and accent folding for every field, stemming by the article's language."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache

from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.lang import has_stemmer, languages, stemmer_for_language
from whoosh.support.charset import accent_map

# Words: letters and digits, joined by inner apostrophes or dots ("al-Assad" is two words,
# as people type it either way; "U.S." stays one).
WORD_PATTERN = r"\w+(?:[.'’]\w+)*"
LANG_MARK = "\x1e"  # a stemmed field's value starts with "\x1een\x1e" to say its language
STEM_LANGUAGES = tuple(lang for lang in languages if lang != "ar" and has_stemmer(lang))


_WORD = re.compile(WORD_PATTERN)


def folding_analyzer():
    """Words, lowercased, accents folded: Türkiye and TURKIYE are the same term."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


@lru_cache(maxsize=200_000)
def fold_token(word: str) -> str:
    """One word as `folding_analyzer` makes it (lowercased, accents folded)."""
    return word.lower().translate(accent_map)


def word_spans(text: str):
    """(start, end, folded word) for every word of a text, as `folding_analyzer` finds them,
    without its per-token objects: snippets scan whole texts at query time."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), fold_token(match.group())


@cache
def _stemmer(lang: str):
    return stemmer_for_language(lang) if lang in STEM_LANGUAGES else None


@cache
def stem_variants(word: str) -> tuple[str, ...]:
    """A query word stemmed for every language the archive stems, without repeats."""
    seen = dict.fromkeys(stemmer(word) for stemmer in map(_stemmer, STEM_LANGUAGES) if stemmer)
    return tuple(seen) or (word,)


# Snowball stemming is a third of indexing time; news vocabularies repeat, so a bounded
# cache answers most words (measured: ~90% hits on a 460-word article).
@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """A folded word stemmed for one language (unchanged when there is no stemmer)."""
    stemmer = _stemmer(lang)
    return stemmer(word) if stemmer else word


def postings(
    value: str, stemmed: bool, encode: Callable[[list[int]], bytes]
) -> Iterator[tuple[bytes, int, float, bytes]]:
    """What Whoosh's `TEXT.index` yields for `value` with `folding_analyzer` (or, if
    `stemmed`, `StemmingAnalyzer`): (term, frequency, weight, `encode(positions)`) per
    distinct term. Computed without Whoosh's token objects and generator
    chain, which took most of the writer's time."""
    lang = None
    if stemmed:
        lang = "en"
        if value.startswith(LANG_MARK):
            lang, _, value = value[1:].partition(LANG_MARK)
    words = folded_words(value)
    if lang is not None:
        words = stems(words, lang)
    return word_postings(words, encode)


def folded_words(text: str) -> list[str]:
    """The words of a text as `folding_analyzer` makes them."""
    return list(map(fold_token, _WORD.findall(text)))


def stems(words: list[str], lang: str) -> list[str]:
    """Folded words stemmed for one language."""
    return [stem(word, lang) for word in words]


def word_postings(
    words: Iterable[str], encode: Callable[[list[int]], bytes]
) -> Iterator[tuple[bytes, int, float, bytes]]:
    """(term, frequency, weight, `encode(positions)`) per distinct word, in first-seen
    order."""
    positions: dict[str, list[int]] = {}
    for pos, word in enumerate(words):
        at = positions.get(word)
        if at is None:
            positions[word] = [pos]
        else:
            at.append(pos)
    for word, at in positions.items():
        yield word.encode("utf-8"), len(at), float(len(at)), encode(at)


def tag_language(text: str, lang: str) -> str:
    """A stemmed field's value: the text marked with the language to stem it by."""
    return f"{LANG_MARK}{lang}{LANG_MARK}{text}"


class StemmingAnalyzer(Analyzer):
    """Folds like `folding_analyzer`, then stems: by the marked language when indexing, by
    every stemmed language at once when parsing a query (its field ORs the variants)."""

    def __init__(self):
        self.fold = folding_analyzer()

    def __eq__(self, other):
        return isinstance(other, StemmingAnalyzer)

    def __call__(self, value, mode="", **kwargs):
        lang = None
        if value.startswith(LANG_MARK):
            lang, _, value = value[1:].partition(LANG_MARK)
        for token in self.fold(value, mode=mode, **kwargs):
            if lang is not None:
                token.text = stem(token.text, lang)
                yield token
            elif mode == "query":
                for variant in stem_variants(token.text):
                    token.text = variant
                    yield token
            else:
                token.text = stem(token.text, "en")
                yield token
