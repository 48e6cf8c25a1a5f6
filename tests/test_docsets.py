"""Query evaluation over posting arrays against Whoosh's own matchers, on an index with small
posting blocks (many per list), several segments and deletions."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from archive.search.whoosh._docsets import Evaluator, PostingCache

WORDS = [f"w{i}" for i in range(40)]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    ix = FileStorage(str(tmp_path_factory.mktemp("blocks"))).create_index(
        Schema(id=ID(stored=True, unique=True), body=TEXT)
    )
    rng = random.Random(3)
    for segment in range(3):
        writer = ix.writer(codec=W3Codec(blocklimit=4))  # blocks of 4 postings, not 128
        for i in range(segment * 400, (segment + 1) * 400):
            # Zipfian words: w0 in most documents, w39 in a handful
            words = rng.choices(WORDS, weights=[1 / (k + 1) for k in range(40)], k=12)
            writer.add_document(id=str(i), body=" ".join(words))
        writer.commit(merge=False)
    writer = ix.writer()
    for i in range(0, 1200, 7):
        writer.delete_by_term("id", str(i))
    writer.commit(merge=False)
    s = ix.searcher()
    assert len(s.reader().leaf_readers()) == 3 and s.reader().has_deletions()
    yield s
    s.close()
    ix.close()


def _term(word: str) -> wq.Term:
    return wq.Term("body", word)


QUERIES = {
    "rare AND common": wq.And([_term("w39"), _term("w0")]),
    "common AND rare": wq.And([_term("w0"), _term("w1"), _term("w38")]),
    "rare AND NOT common": wq.And([_term("w37"), wq.Not(_term("w2"))]),
    "OR inside AND": wq.And([wq.Or([_term("w36"), _term("w35")]), _term("w0")]),
    "AND NOT": wq.AndNot(_term("w30"), _term("w0")),
    "AND MAYBE": wq.AndMaybe(_term("w34"), _term("w1")),
    "common": _term("w0"),
    "every document": wq.Every(),
    "every document but": wq.And([wq.Every(), wq.Not(_term("w0"))]),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_matches_and_scores_are_whoosh_matchers(searcher, name):
    q = QUERIES[name]
    cache = PostingCache()
    found = Evaluator(searcher, cache).match(q, scored=True)
    if isinstance(q, wq.AndNot):
        # Whoosh's AndNotMatcher keeps a first document that has both words (here doc 2):
        # the expectation is built from its two sides.
        excluded = set(searcher.docs_for_query(q.b))
        expected = {d: s for d, s in _whoosh_scores(searcher, q.a).items() if d not in excluded}
        assert len(expected) < len(_whoosh_scores(searcher, q))
    else:
        expected = _whoosh_scores(searcher, q)
    got = {int(d): float(found.scores[d]) for d in np.flatnonzero(found.mask)}
    assert expected and got.keys() == expected.keys()
    for docnum, score in expected.items():
        assert got[docnum] == pytest.approx(score, rel=1e-9)
    # And again, from the cache.
    again = Evaluator(searcher, cache).match(q, scored=True)
    assert (again.mask == found.mask).all()
    assert np.allclose(again.scores[found.mask], found.scores[found.mask])


def _whoosh_scores(searcher, q) -> dict[int, float]:
    scores = {}
    matcher = q.matcher(searcher, searcher.context())
    while matcher.is_active():
        if not searcher.reader().is_deleted(matcher.id()):
            scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


def test_a_cache_of_no_size_keeps_nothing_and_answers_the_same(searcher):
    cache = PostingCache(0)
    q = QUERIES["OR inside AND"]
    found = Evaluator(searcher, cache).match(q, scored=True)
    assert not cache._items
    kept = Evaluator(searcher, PostingCache()).match(q, scored=True)
    assert (found.mask == kept.mask).all() and np.array_equal(found.scores, kept.scores)
