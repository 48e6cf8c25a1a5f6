"""Finding gazetteer names in a text: fold the words, then one Aho-Corasick pass."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer
from .normalize import APOSTROPHES, WORD_RE, fold_word

# Between two words, only spaces and hyphens may sit inside one name ("Deir ez-Zor");
# any other punctuation ends it ("Homs, Syria" is two names).
_SOFT_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011]*")
_HARD = "\x00"  # never part of a key
_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”»)\]]|\n)\s*$")


@dataclass
class Token:
    start: int
    end: int
    folded: str
    sentence_initial: bool
    capitalised: bool
    joined: bool  # only spaces separate it from the previous word: a name may continue


@dataclass
class Match:
    """A gazetteer key found over tokens [first, last] of the text."""

    first: int
    last: int
    start: int
    end: int
    key: str


def tokenize(text: str) -> list[Token]:
    """The words of a text with offsets, possessives trimmed, and sentence starts marked."""
    tokens = []
    for m in WORD_RE.finditer(text):
        start, end = m.span()
        if end - start > 2 and text[end - 2] in APOSTROPHES and text[end - 1] in "sS":
            end -= 2  # Syria's -> Syria
        folded = fold_word(text[start:end])
        if not folded:
            continue
        gap = text[tokens[-1].end if tokens else 0 : start]
        initial = not tokens or bool(_SENTENCE_END.search(gap))
        joined = bool(tokens) and _SOFT_GAP.fullmatch(gap) is not None
        tokens.append(Token(start, end, folded, initial, text[start].isupper(), joined))
    return tokens


def find_matches(text: str, tokens: list[Token], gaz: Gazetteer) -> list[Match]:
    """Longest non-overlapping gazetteer keys over whole words of the text."""
    if not tokens:
        return []
    parts = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for i, tok in enumerate(tokens):
        if i:
            sep = " " if tok.joined else _HARD
            parts.append(sep)
            pos += 1
        starts[pos] = i
        parts.append(tok.folded)
        pos += len(tok.folded)
        ends[pos] = i
    folded = "".join(parts)
    found = []
    for end_idx, length in gaz.automaton.iter(folded):
        first = starts.get(end_idx - length + 1)
        last = ends.get(end_idx + 1)
        if first is not None and last is not None:
            key = folded[end_idx - length + 1 : end_idx + 1]
            found.append(Match(first, last, tokens[first].start, tokens[last].end, key))
    # Longest first, then leftmost; keep those that do not overlap a chosen one.
    found.sort(key=lambda m: (m.first - m.last, m.first))
    taken: set[int] = set()
    chosen = []
    for m in found:
        span = range(m.first, m.last + 1)
        if taken.isdisjoint(span):
            taken.update(span)
            chosen.append(m)
    chosen.sort(key=lambda m: m.first)
    return chosen
