"""Whoosh's side of text analysis: analyzers and a fast indexing path over `words`, which
holds the rules (terms per script, stems scoped by language, names unstemmed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from whoosh.analysis import Analyzer, Token

from archive.search.words import fold_token, is_name, query_stems, stem_terms, term_spans, terms

LANG_MARK = "\x1e"  # a stemmed field's value starts with "\x1een\x1e" to say its language


def _language(value: str) -> tuple[str | None, str]:
    if value.startswith(LANG_MARK):
        lang, _, value = value[1:].partition(LANG_MARK)
        return lang, value
    return None, value


def postings(
    value: str, stemmed: bool, encode: Callable[[list[int]], bytes]
) -> Iterator[tuple[bytes, int, float, bytes]]:
    """What Whoosh's `TEXT.index` yields for `value` with `WordAnalyzer` (or, if `stemmed`,
    `StemmingAnalyzer`): (term, frequency, weight, `encode(positions)`) per distinct term.
    Computed without Whoosh's token objects and generator chain, which took most of the
    writer's time."""
    if not stemmed:
        return word_postings(terms(value), encode)
    lang, value = _language(value)
    return word_postings(stem_terms(terms(value), lang or "en"), encode)


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


class WordAnalyzer(Analyzer):
    """The terms of `words.terms`, with positions and character spans for Whoosh. A word
    given whole (`tokenize=False`: a prefix, wildcard or fuzzy word) is only folded."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        spans = term_spans(value) if tokenize else [(0, len(value), fold_token(value))]
        for pos, (start, end, text) in enumerate(spans):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class StemmingAnalyzer(WordAnalyzer):
    """Stems scoped by language: by the marked language when indexing; when parsing a
    query, the word's stems in every stemmed language (its field ORs them), none for a
    name in a language whose stemmer would change it, and none for what is not one plain
    word (a phrase, pairs of CJK characters, a prefix), which the word fields answer."""

    def __call__(self, value, mode="", tokenize=True, **kwargs):
        lang, value = _language(value)
        token = Token(**{k: v for k, v in kwargs.items() if k in ("positions", "chars")})
        # A quoted word asks for where it stands (the parser drops these fields from it).
        token.pos, token.startchar, token.endchar = 0, 0, len(value)
        if mode == "query" and lang is None:
            # A word given whole (prefix, wildcard, fuzzy) stays as it is, to be dropped
            # from these fields by the query parser (`_query._stems_answer`).
            found = query_stems(value, name=is_name(value)) if tokenize else (fold_token(value),)
        else:
            found = stem_terms(terms(value), lang or "en")
        for text in found:
            token.text = text
            token.boost = 1.0
            token.stopped = False
            yield token
