"""Finding gazetteer names in a text: fold the words, then one Aho-Corasick pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from .gazetteer import Gazetteer
from .normalize import APOSTROPHES, WORD_RE, fold_word

# Between two words, only spaces and hyphens may sit inside one name ("Deir ez-Zor");
# any other punctuation ends it ("Homs, Syria" is two names).
_SOFT_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011]*")
_HARD = "\x00"  # never part of a key
# Abbreviations whose dot does not end a name: "St. Petersburg", "Mt. Vernon", "Ft. Worth".
_ABBREVIATED = frozenset(("st", "mt", "ft"))
_GERMAN = frozenset("der die das und ist nicht mit den dem des ein eine einer sich auf fur".split())
_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”»)\]]|\n)\s*$")


@dataclass
class Token:
    """One word of a text, with what the context rules need to know about it."""

    start: int
    end: int
    folded: str
    sentence_initial: bool
    capitalised: bool
    joined: bool  # only spaces or a hyphen separate it from the previous word


@dataclass
class Match:
    """A gazetteer key found over tokens [first, last] of the text."""

    first: int
    last: int
    start: int
    end: int
    key: str


class Tokens:
    """The words of a text: offsets and folded forms, the rest worked out on demand.

    Most words are never near a place name, so their Token objects are only made when a
    context rule asks for them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._made: dict[int, Token] = {}
        self._german: bool | None = None
        # List comprehensions over the regex spans: this runs for every word of every text.
        spans = [m.span() for m in WORD_RE.finditer(text)]
        spans = [
            (a, b - 2)
            if b - a > 2 and text[b - 2] in APOSTROPHES and text[b - 1] in "sS"
            else (a, b)
            for a, b in spans
        ]  # Syria's -> Syria
        folded = [fold_word(text[a:b]) for a, b in spans]
        if not all(folded):  # a word of marks only (a lone tatweel) folds to nothing
            spans = [sp for sp, f in zip(spans, folded, strict=True) if f]
            folded = [f for f in folded if f]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.folded = folded
        # A name starts with a capital, or with a letter of a script without case.
        self.can_start = [not text[a].islower() for a in self.starts]
        gaps = [text[e:s] for e, s in zip(self.ends[:-1], self.starts[1:], strict=True)]
        self.joined = [False] + [
            g == " "
            or _SOFT_GAP.fullmatch(g) is not None
            or (g in (". ", ".") and word in _ABBREVIATED)
            for g, word in zip(gaps, folded, strict=False)
        ]

    @property
    def capitalises_nouns(self) -> bool:
        """Whether the text is German, which capitalises every noun: a capitalised word
        beside a name then says nothing about a person or a company."""
        if self._german is None:
            hits = sum(w in _GERMAN for w in self.folded)
            self._german = hits > 0.04 * max(1, len(self.folded))
        return self._german

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Token:
        tok = self._made.get(i)
        if tok is None:
            text, start = self.text, self.starts[i]
            gap = text[self.ends[i - 1] if i else 0 : start]
            initial = i == 0 or bool(_SENTENCE_END.search(gap))
            tok = Token(
                start, self.ends[i], self.folded[i], initial, text[start].isupper(), self.joined[i]
            )
            self._made[i] = tok
        return tok


def tokenize(text: str) -> Tokens:
    """The words of a text with offsets, possessives trimmed."""
    return Tokens(text)


def find_matches(tokens: Tokens, gaz: Gazetteer) -> list[Match]:
    """Longest non-overlapping gazetteer keys over whole words of the text."""
    if not len(tokens):
        return []
    # The folded text: words joined by a space where a name may go on, by _HARD elsewhere.
    words = tokens.folded
    folded = "".join([(" " if j else _HARD) + w for j, w in zip(tokens.joined, words, strict=True)])
    ends_at = list(accumulate(len(w) + 1 for w in words))  # each word is preceded by a separator
    starts = {e - len(w): i for i, (e, w) in enumerate(zip(ends_at, words, strict=True))}
    ends = {e: i for i, e in enumerate(ends_at)}
    found = []
    for automaton in gaz.automata(folded):
        for end_idx, length in automaton.iter(folded):
            first = starts.get(end_idx - length + 1)
            if first is None or not tokens.can_start[first]:
                continue  # "as Tadmur" is not a name; "Tadmur" is
            last = ends.get(end_idx + 1)
            if last is not None:
                key = folded[end_idx - length + 1 : end_idx + 1]
                found.append(Match(first, last, tokens.starts[first], tokens.ends[last], key))
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
