"""Key terms of a text and the stories that share them, for "similar articles".

The terms are Whoosh's Bo1 expansion (what `Searcher.key_terms_from_text` returns, with the
same weights and order), with each word's collection frequency kept between calls for the
open segments: most words of any article are common ones already looked up for another,
and those lookups were most of an article page's time. The OR of the terms is scored on
the posting arrays, as searches are.
"""

from __future__ import annotations

import threading
from collections import Counter
from math import log2

from whoosh import query as wq

FIELD = "body"
MAX_CACHED = 200_000  # words; about 20 MB at most, emptied when the segments change


class FrequencyCache:
    """Collection frequencies of words in one set of segments, shared by every thread."""

    def __init__(self, limit: int = MAX_CACHED):
        self.limit = limit
        self._key: tuple | None = None
        self._counts: dict[bytes, float] = {}
        self._lock = threading.Lock()

    def counts(self, reader) -> dict[bytes, float]:
        key = tuple(
            (leaf.segment().segment_id() if leaf.segment() else id(leaf), leaf.doc_count())
            for leaf, _offset in reader.leaf_readers()
        )
        with self._lock:
            if key != self._key or len(self._counts) > self.limit:
                self._key, self._counts = key, {}
            return self._counts


def key_terms(searcher, text: str, cache: FrequencyCache, number: int) -> list[tuple[str, float]]:
    """The `number` most telling words of `text` against the index, each with its weight
    relative to the first (Bo1, unnormalised, as Whoosh weighs them)."""
    reader = searcher.reader()
    field = searcher.schema[FIELD]
    weights: Counter[bytes] = Counter()
    for btext, _positions, weight, _value in field.index(text):
        weights[btext] += weight
    if not weights:
        return []
    docs = reader.doc_count_all()
    known = cache.counts(reader)
    scored = []
    for btext, weight in weights.items():
        frequency = known.get(btext)
        if frequency is None:
            frequency = reader.frequency(FIELD, btext)  # 0 when absent
            known[btext] = frequency
        if not frequency or not docs:
            continue
        f = frequency / docs
        score = weight * log2((1.0 + f) / f) + log2(1.0 + f)
        scored.append((score, field.from_bytes(btext)))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(word, score / best) for score, word in scored[:number]]


def similar_query(terms: list[tuple[str, float]]) -> wq.Query:
    return wq.Or([wq.Term(FIELD, word, boost=weight) for word, weight in terms])
