"""A cost budget per search: wildcard, fuzzy and range words are expanded into the index's
words here, within limits, before the query runs.

Left to Whoosh, each such word walks the lexicon of every field it is asked in, and its cost
grows with the archive: 29 short wildcards took 12.9 s at 2,000 articles. Here a wildcard
needs a literal start of `MIN_PREFIX` characters (every one, not only the first word's), a
typo tolerance is at most `MAX_FUZZY` edits and keeps the first letter, all expansions of one
query share `MAX_EXPANSIONS` words and `TIME_LIMIT` seconds, and whatever was cut is said in
a note. The words found replace the clause, so the query runs on the fast posting arrays.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.support.levenshtein import distance

from archive.search.query import MAX_EXPANSIONS, MAX_FUZZY, MIN_PREFIX, budget_notes
from archive.search.whoosh._schema import STEM_FIELDS

TIME_LIMIT = 0.5  # seconds all of a query's expansions may take


@dataclass
class Budget:
    """What one search may still spend on expansions, and what it had to leave out."""

    deadline: float
    left: int = MAX_EXPANSIONS
    limit: int = MAX_EXPANSIONS
    short: list[str] = field(default_factory=list)  # wildcards without a literal start
    too_many: list[str] = field(default_factory=list)  # expansions cut at the word limit
    too_slow: list[str] = field(default_factory=list)  # expansions cut at the time limit
    fuzzy: list[str] = field(default_factory=list)  # typo tolerances reduced

    def notes(self) -> list[str]:
        """Sentences for the search result, one per kind of cut."""
        return budget_notes(
            self.short,
            self.fuzzy,
            self.too_many,
            self.too_slow,
            limit=self.limit,
            seconds=TIME_LIMIT,
        )


def bound_query(
    q: wq.Query,
    reader,
    notes: list[str],
    *,
    limit: float = TIME_LIMIT,
    max_words: int = MAX_EXPANSIONS,
) -> wq.Query:
    """`q` with every expanding clause replaced by the index words it matches, within
    `max_words` words and `limit` seconds in all; notes say what was left out."""
    budget = Budget(deadline=time.monotonic() + limit, left=max_words, limit=max_words)
    cache: dict[tuple, list[bytes]] = {}

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.MultiTerm):
            return _expand(node, reader, budget, cache)
        return node.apply(visit)

    bounded = visit(q)
    notes.extend(budget.notes())
    return bounded.normalize() if bounded is not wq.NullQuery else bounded


def _expand(node: wq.MultiTerm, reader, budget: Budget, cache: dict) -> wq.Query:
    label = _label(node)
    if isinstance(node, wq.Wildcard | wq.Prefix):
        literal = node.text
        for i, ch in enumerate(node.text):
            if ch in "*?":
                literal = node.text[:i]
                break
        if len(literal) < MIN_PREFIX:
            budget.short.append(label)
            return wq.NullQuery
    if isinstance(node, wq.FuzzyTerm):
        if node.fieldname in STEM_FIELDS:
            return wq.NullQuery  # typo tolerance is over words; their stems add nothing
        if node.maxdist > MAX_FUZZY:
            budget.fuzzy.append(label)
        node = wq.FuzzyTerm(
            node.fieldname,
            node.text,
            boost=node.boost,
            maxdist=min(node.maxdist, MAX_FUZZY),
            prefixlength=max(node.prefixlength, 1),  # most typos keep the first letter
            constantscore=node.constantscore,
        )
    key = (type(node), node.fieldname, repr(node))
    if key not in cache:
        try:
            cache[key] = _words(node, reader, budget, label)
        except UnicodeDecodeError:
            return node
    words = cache[key]
    if not words:
        return wq.NullQuery
    union = wq.Or([wq.Term(node.fieldname, w) for w in words])
    if not getattr(node, "constantscore", False):
        return union
    # As Whoosh scores a wildcard: every match the clause's boost, whatever the words.
    # NOT NOT is that (the inverse of the inverse, which scores 1) on the posting arrays.
    return wq.Not(wq.Not(union), boost=node.boost)


def _candidates(node: wq.MultiTerm, reader):
    """The index words a clause matches, as a generator that yields often enough for the
    deadline to be checked: Whoosh's fuzzy walk yields only matches, and a word with none
    walked the whole lexicon unchecked (93 s for 30 of them at 10,000 articles)."""
    if not isinstance(node, wq.FuzzyTerm):
        yield from node._btexts(reader)
        return
    text, maxdist = node.text, node.maxdist
    for btext in reader.expand_prefix(node.fieldname, text[: node.prefixlength]):
        word = btext.decode("utf-8", "replace")
        if abs(len(word) - len(text)) <= maxdist and distance(word, text, limit=maxdist) <= maxdist:
            yield word
        else:
            yield None  # not a match: a chance to look at the clock


def _words(node: wq.MultiTerm, reader, budget: Budget, label: str) -> list[str]:
    words: list[str] = []
    if node.fieldname not in reader.indexed_field_names():
        return words
    if time.monotonic() > budget.deadline:
        budget.too_slow.append(label)
        return words
    for n, word in enumerate(_candidates(node, reader)):
        if word is None:
            if n % 256 == 0 and time.monotonic() > budget.deadline:
                budget.too_slow.append(label)
                break
            continue
        if budget.left <= 0:
            budget.too_many.append(label)
            break
        if n % 64 == 0 and time.monotonic() > budget.deadline:
            budget.too_slow.append(label)
            break
        if isinstance(word, bytes):
            word = word.decode("utf-8")  # a numeric field's bytes fail: Whoosh's own then
        words.append(word)
        budget.left -= 1
    return words


def _label(node: wq.MultiTerm) -> str:
    text = getattr(node, "text", None)
    if isinstance(node, wq.FuzzyTerm):
        return f"{text}~{node.maxdist}"
    if isinstance(node, wq.Prefix):
        return f"{text}*"
    return text if isinstance(text, str) else str(node)
