"""Whoosh's side of text analysis: analyzers and a fast indexing path over `words`, which
holds the rules (terms per script, stems scoped by language, names unstemmed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from whoosh.analysis import Analyzer, Token

from archive.search.words import fold_token, stem_terms, term_spans, terms

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
    """Stems scoped by language: a stemmed field's value is marked with the language to
    stem it by (`tag_language`). Queries never come here: `_compile` asks `words` for a
    query word's stems."""

    def __call__(self, value, mode="", tokenize=True, **kwargs):
        lang, value = _language(value)
        token = Token(**{k: v for k, v in kwargs.items() if k in ("positions", "chars")})
        token.pos, token.startchar, token.endchar = 0, 0, len(value)
        for text in stem_terms(terms(value), lang or "en"):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            yield token
