"""Documents and queries as PostgreSQL text search values, from the archive's own analysis
(`archive.search.words`), never PostgreSQL's text search configurations.

Those would analyse differently from the embedded engine (other word boundaries, other stop
words, no pairs for scripts written without spaces, no accent folding without an
extension), and the two backends must find the same articles. So the lexemes are the
archive's terms: folded words and CJK pairs with their positions (title terms weighted A,
body terms D, a gap between them so that no phrase runs from one into the other), their
stems scoped by the article's language (`en:withdraw`: an English stem never meets a
Portuguese one; without positions, as no phrase reads a stem), and a lexeme per place the
story mentions (`#p170654`), which lets one `tsquery` say "Damascus, or an article that
mentions it under any spelling".

Title words are matched in a vector of the title alone: checking a weight in the whole
vector makes PostgreSQL read that vector for every candidate. Ranking reads a third, smaller
vector: every term, and each stem without its language,
with at most `RANK_POSITIONS` positions. It stays in the table's own pages, where the
matching vector is compressed out of line (TOAST): ranking ten thousand matches of a common
word read and decompressed every matching vector, ~20 µs a story, most of a slow search.
"""

from __future__ import annotations

import re
from functools import lru_cache

from archive.search.words import (
    STEM_MARK,
    has_paired,
    is_paired,
    stem,
    stems_language,
    terms,
)

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this
MAX_POSITIONS = 256  # and at most this many per lexeme
# ts_rank weighs a word's k-th occurrence by 1/k²: the first four carry 87% of its weight
RANK_POSITIONS = 4
PLACE_MARK = "#p"  # no term holds "#"


def quote(lexeme: str) -> str:
    """A lexeme as a `tsvector` or `tsquery` literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


_quoted = lru_cache(maxsize=200_000)(quote)  # lexemes repeat from story to story


def place_lexeme(geonameid: str) -> str:
    return f"{PLACE_MARK}{geonameid}"


def document_vectors(
    title: str | None, text: str, language: str, places: list[str]
) -> tuple[str, str, str, list[str]]:
    """`tsvector` literals for one story: the one it is matched by, its title's (title
    words are matched there), and the smaller one it is ranked by; then its plain words."""
    head = terms(title or "")
    paired = has_paired(title or "") or has_paired(text)
    at: dict[str, list[int]] = {}
    for i, term in enumerate(head, 1):
        at.setdefault(term, []).append(i)
    titled = _literal(at, MAX_POSITIONS, len(head)) + _bare(_roots(at, language, paired), language)
    for i, term in enumerate(terms(text), len(head) + 2):  # a gap: no phrase spans both
        at.setdefault(term, []).append(i)
    roots = _roots(at, language, paired)
    whole = _literal(at, MAX_POSITIONS, len(head)) + _bare(roots, language)
    whole += "".join(f" {_quoted(place_lexeme(p))}" for p in dict.fromkeys(places))
    return whole, titled, _literal(_ranked(at, roots), RANK_POSITIONS, len(head)), list(at)


def _roots(at: dict[str, list[int]], language: str, paired: bool) -> dict[str, str]:
    """Each stemmed term's stem (pairs have none; nor has a language without a stemmer)."""
    if not stems_language(language):
        return {}
    return {t: stem(t, language) for t in at if not (paired and is_paired(t))}


def _bare(roots: dict[str, str], language: str) -> str:
    """The stems scoped by their language, without positions: matched, never in a phrase,
    so the vector leaves out what no query reads."""
    mark = f"{language}{STEM_MARK}"
    return "".join(f" {_quoted(mark + root)}" for root in dict.fromkeys(roots.values()))


def _ranked(at: dict[str, list[int]], roots: dict[str, str]) -> dict[str, list[int]]:
    """Each term's positions with each stem's (bare: the ranking vector has no language
    to scope it), the positions of every term it stems, in order."""
    out = dict(at)
    for term, root in roots.items():
        if root == term:
            continue
        have = out.get(root)
        out[root] = at[term] if have is None else sorted(have + at[term])
    return out


def _literal(at: dict[str, list[int]], most: int, title_end: int) -> str:
    """A `tsvector` literal of lexemes and their first `most` positions, those up to
    `title_end` weighted A (the title's)."""

    def position(p: int) -> str:
        return f"{p}A" if p <= title_end else str(min(p, MAX_POSITION))

    out = []
    for lexeme, positions in at.items():
        if len(positions) > most:
            positions = positions[:most]
        if title_end < positions[0] and positions[-1] <= MAX_POSITION:  # most: plain
            out.append(f"{_quoted(lexeme)}:{','.join(map(str, positions))}")
        else:
            out.append(f"{_quoted(lexeme)}:{','.join(map(position, positions))}")
    return " ".join(out)


def rank_lexeme(lexeme: str) -> str:
    """A lexeme as the ranking vector holds it: a stem without its language."""
    return lexeme.split(STEM_MARK, 1)[1] if STEM_MARK in lexeme else lexeme


_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def rank_query(tsquery: str) -> str:
    """A matching `tsquery` as the ranking vectors read it (stems without their language)."""
    return _QUOTED.sub(lambda m: quote(rank_lexeme(m[1].replace("''", "'"))), tsquery)
