"""Snippets: the best passage of a text with the query's words marked, built from escaped text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape

from archive.search.words import (
    PAIRED_CHARS,
    fold,
    fold_token,
    has_paired,
    is_paired,
    split_stem,
    stem,
    term_spans,
)

SNIPPET_CHARS = 240
_TEXT_CAP = 60_000  # long texts: look for the passage in the opening part only
# Where a stemmer changes a word's first letter, a stem's first letter does not tell which
# words can have it. French takes off an elided article or pronoun (l'armée: "arme"),
# German writes ß as ss, Dutch takes off a participle's ge-: there the words that start
# with these letters are looked at too. Italian elides after many words (dell', sull'):
# there every word is.
_FIRST_LETTERS_STEMS_DROP = {"fr": "cdjlmnqst", "de": "ß", "nl": "g"}
_STEMS_CHANGE_FIRST_LETTER = {"it"}


@dataclass
class Marks:
    """What a query matches, for snippets: folded words, stems (scoped by language) and
    phrases (as their terms, in order), from the clauses that find articles (not NOT's)."""

    plain: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)


def snippet(
    text: str,
    language: str,
    plain: set[str],
    stems: set[str],
    phrases: set[tuple[str, ...]] | frozenset = frozenset(),
) -> str:
    """Escaped HTML: the window of the text with the most matched words, in <mark>. A word
    is marked when it is one of `plain` (folded words), when its stem in the text's
    language is one of `stems` ("en:withdraw"), or where a phrase of `phrases` (terms in
    order, as a CJK word's pairs are) occurs; a phrase's words alone are not marked."""
    text = text[:_TEXT_CAP]
    words = {word for word in plain if not is_paired(word)}
    own = {s for lang, s in map(split_stem, stems) if lang == language}
    spans = []
    if words or own:
        initials = {word[:1] for word in words}
        if own:
            whole = language in _STEMS_CHANGE_FIRST_LETTER
            initials |= {""} if whole else {word[:1] for word in own}
            initials |= set(_FIRST_LETTERS_STEMS_DROP.get(language, ""))
        matches = _matches(language, frozenset(words), frozenset(own))
        astral = _ASTRAL.search(text) is not None
        found = _candidates(frozenset(initials), has_paired(text), astral).finditer(text)
        spans = [match.span() for match in found if matches[match.group()]]
    sequences = set(phrases) | {(word,) for word in plain - words}
    if sequences:
        spans = _merged(spans + _phrase_spans(text, sequences))
    start = _best_window(spans, len(text))
    if start > 0:  # begin on a word boundary
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):  # end on a word boundary
        cut = text.rfind(" ", start, end)
        end = cut if cut > start + SNIPPET_CHARS // 2 else end
    pieces = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(escape(text[pos:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    pieces.append(escape(text[pos:end]))
    pieces.append("…" if end < len(text) else "")
    return " ".join("".join(pieces).split())


def _phrase_spans(text: str, sequences: set[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where each sequence of terms occurs in the text, as the index's positions have it."""
    spans = list(term_spans(text))
    at: dict[str, list[int]] = {}
    firsts = {seq[0] for seq in sequences}
    for i, (_, _, term) in enumerate(spans):
        if term in firsts:
            at.setdefault(term, []).append(i)
    found = []
    for seq in sequences:
        n = len(seq)
        for i in at.get(seq[0], ()):
            if i + n <= len(spans) and all(spans[i + k][2] == seq[k] for k in range(1, n)):
                found.append((spans[i][0], spans[i + n - 1][1]))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, those that overlap (a CJK word's pairs) made one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _best_window(spans: list[tuple[int, int]], length: int) -> int:
    if not spans:
        return 0
    best, best_count, j = spans[0][0], 0, 0
    for i, (s, _) in enumerate(spans):
        while spans[j][0] < s - SNIPPET_CHARS // 2:
            j += 1
        count = i - j + 1
        if count > best_count:
            best_count, best = count, spans[j][0]
    # start a little before the first match, on a word boundary
    return max(0, best - 60) if best > 60 else 0


class _Matches(dict):
    """Whether a word, as written, is one the query matches: folded, then compared with the
    plain words and, stemmed by the text's language, with the stems; remembered per word."""

    def __init__(self, language: str, plain: frozenset[str], stems: frozenset[str]):
        super().__init__()
        self.language, self.plain, self.stems = language, plain, stems

    def __missing__(self, word: str) -> bool:
        folded = fold_token(word)
        hit = folded in self.plain or (
            bool(self.stems) and stem(folded, self.language) in self.stems
        )
        self[word] = hit
        return hit


# A search snippets 20 texts for one query, and then the next page, or the same query again.
@lru_cache(maxsize=64)
def _matches(language: str, plain: frozenset[str], stems: frozenset[str]) -> _Matches:
    return _Matches(language, plain, stems)


# Stemming and folding cost more than matching, and a query's words start with few letters:
# only the words that start with one of them are folded and stemmed (snowball stemmers keep
# a word's first letter).
@lru_cache(maxsize=1024)
def _candidates(
    initials: frozenset[str], paired: bool = True, astral: bool = True
) -> re.Pattern[str]:
    """The words, exactly as WORD_PATTERN splits the text, whose folded form starts with one
    of the initials; the initial "" stands for any letter. For a text without characters
    of the scripts cut into pairs (`paired=False`) a word character is any \\w, and for one
    without characters beyond the first plane (`astral=False`, most texts) the first
    character's class leaves those out (𝐝 folds to d): both make the search 3-4x faster."""
    w = _W if paired else r"\w"
    if "" in initials:
        first = w
    else:
        chars = set(initials).union(*(_folding_to().get(initial, ()) for initial in initials))
        if not astral:
            chars = {c for c in chars if c <= "\uffff"}
        letters = "".join(re.escape(c) for c in sorted(chars) if re.match(_W, c))
        first = f"[{letters}]" if letters else "(?!)"  # "(?!)": no word starts so
    # WORD_PATTERN with its first character from the class, which is looked for first (fast);
    # that character must begin a word: not after a word character, nor after one and a
    # joiner.
    return re.compile(rf"{first}(?<!{w}.)(?<!{w}[.'’].){w}*(?:[.'’]{w}+)*")


_W = rf"[^\W{PAIRED_CHARS}]"  # a character of a word (words.WORD_PATTERN)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


# Every cased letter, and every letter of a word that folding changes, lies below this: the
# planes above hold CJK ideographs (never in words: they are cut into pairs) and tags
# (tests/test_snippet_marks.py checks).
CASED_BELOW = 0x20000


@cache
def _folding_to(limit: int = CASED_BELOW) -> dict[str, set[str]]:
    """Each letter with the other characters whose folded form starts with it (d: D, ď, Ď, ...).
    Looks at the code points of the first two planes once per process (~15 ms; all of them
    took 0.1-0.4 s of the first search)."""
    out: dict[str, set[str]] = {}
    for c in map(chr, range(limit)):
        if (c.lower() != c or unicodedata.decomposition(c)) and not has_paired(c):
            folded = fold(c)
            if folded != c:
                out.setdefault(folded[:1], set()).add(c)
    return out
