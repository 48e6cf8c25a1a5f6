"""Documents and queries as PostgreSQL text search values, from the archive's own analysis
(`archive.search.words`), never PostgreSQL's text search configurations.

Those would analyse differently from the embedded engine (other word boundaries, other stop
words, no pairs for scripts written without spaces, no accent folding without an
extension), and the two backends must find the same articles. So the lexemes are the
archive's terms: folded words and CJK pairs with their positions (title terms weighted A,
body terms D, a gap between them so that no phrase runs from one into the other), their
stems scoped by the article's language (`en:withdraw`: an English stem never meets a
Portuguese one), and a lexeme per place the story mentions (`#p170654`), which lets one
`tsquery` say "Damascus, or an article that mentions it under any spelling".

Title words are matched in a vector of the title alone: checking a weight in the whole
vector makes PostgreSQL read that vector for every candidate. Ranking reads a third, smaller
vector: every term, and each stem without its language,
with at most `RANK_POSITIONS` positions. It stays in the table's own pages, where the
matching vector is compressed out of line (TOAST): ranking ten thousand matches of a common
word read and decompressed every matching vector, ~20 µs a story, most of a slow search.
"""

from __future__ import annotations

import re

from archive.search.words import STEM_MARK, is_paired, scoped_stem, stems_language, terms

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this
MAX_POSITIONS = 256  # and at most this many per lexeme
# ts_rank weighs a word's k-th occurrence by 1/k²: the first four carry 87% of its weight
RANK_POSITIONS = 4
PLACE_MARK = "#p"  # no term holds "#"


def quote(lexeme: str) -> str:
    """A lexeme as a `tsvector` or `tsquery` literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def place_lexeme(geonameid: str) -> str:
    return f"{PLACE_MARK}{geonameid}"


def document_vectors(
    title: str | None, text: str, language: str, places: list[str]
) -> tuple[str, str, str]:
    """`tsvector` literals for one story: the one it is matched by, its title's (title
    words are matched there), and the smaller one it is ranked by."""
    entries: dict[str, list[str]] = {}
    ranked: dict[str, list[str]] = {}

    stemmed = stems_language(language)

    def keep(into: dict[str, list[str]], lexeme: str, pos: str, most: int) -> None:
        at = into.setdefault(lexeme, [])
        if len(at) < most:
            at.append(pos)

    def add(found: list[str], offset: int, weight: str) -> int:
        for i, term in enumerate(found):
            pos = f"{min(offset + i, MAX_POSITION)}{weight}"
            keep(entries, term, pos, MAX_POSITIONS)
            keep(ranked, term, pos, RANK_POSITIONS)
            if stemmed and not is_paired(term):
                scoped = scoped_stem(term, language)
                keep(entries, scoped, pos, MAX_POSITIONS)
                bare = rank_lexeme(scoped)
                if bare != term:
                    keep(ranked, bare, pos, RANK_POSITIONS)
        return offset + len(found)

    end = add(terms(title or ""), 1, "A")
    titled = _literal(entries)
    add(terms(text), end + 1, "")
    whole = _literal(entries) + "".join(f" {quote(place_lexeme(p))}" for p in dict.fromkeys(places))
    return whole.strip(), titled, _literal(ranked)


def _literal(entries: dict[str, list[str]]) -> str:
    return " ".join(f"{quote(lexeme)}:{','.join(at)}" for lexeme, at in entries.items())


def rank_lexeme(lexeme: str) -> str:
    """A lexeme as the ranking vector holds it: a stem without its language."""
    return lexeme.split(STEM_MARK, 1)[1] if STEM_MARK in lexeme else lexeme


_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def rank_query(tsquery: str) -> str:
    """A matching `tsquery` as the ranking vectors read it (stems without their language)."""
    return _QUOTED.sub(lambda m: quote(rank_lexeme(m[1].replace("''", "'"))), tsquery)
