"""Queries evaluated over whole posting lists, as arrays.

Whoosh's matchers step through every matching document in Python: at 100,000 articles
ranking a common word cost ~130 ms and finding its set ~60 ms. Here a term's postings are
decoded a block (up to 128 documents) at a time into arrays; AND, OR and NOT are operations
on boolean masks over the searcher's document numbers; and BM25F scores, Whoosh's own
formula and statistics, are added up as float arrays, so rankings are the ones Whoosh would
give. Clauses of other kinds (phrases, wildcards, fuzzy terms) are left to Whoosh's matchers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from archive.search.whoosh import _blocks as blocks
from archive.search.whoosh import _compat as compat

# Field length bytes to lengths, as `doc_field_length` decodes them.
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_NONE = np.empty(0, np.float32)  # the weights slot of a cached column

CACHE_MB = 48  # decoded posting lists kept between searches, unless told otherwise


@dataclass
class Match:
    """The documents a query matches (a mask over the searcher's document numbers) and,
    when asked for, their scores (which mean nothing where the mask is False)."""

    mask: np.ndarray
    scores: np.ndarray | None


class PostingCache:
    """Decoded posting lists by (segment, field, term), least recently used dropped first.
    Segments never change, so an entry is good as long as its segment lives; a search
    refined by a filter or a page reads the same terms again."""

    def __init__(self, limit_mb: int = CACHE_MB):
        self._limit = limit_mb * 2**20
        self._size = 0
        self._items: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: tuple[np.ndarray, np.ndarray]) -> None:
        size = value[0].nbytes + value[1].nbytes
        if size > self._limit // 4:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self._size += size
            while self._size > self._limit:
                _, (ids, weights) = self._items.popitem(last=False)
                self._size -= ids.nbytes + weights.nbytes


class Evaluator:
    """Evaluates queries against one searcher. Build one per search; the cache outlives it."""

    def __init__(self, searcher, cache: PostingCache):
        self.searcher = searcher
        self.cache = cache
        self.leaves = []  # (reader, offset, segment id)
        for leaf, offset in searcher.reader().leaf_readers():
            segment = leaf.segment()
            self.leaves.append((leaf, offset, segment.segment_id() if segment else None))
        self.size = searcher.doc_count_all()
        weighting = searcher.weighting
        # Scores are computed here only for Whoosh's default model; any other is Whoosh's.
        self.bm25 = (
            (weighting.B, weighting.K1)
            if type(weighting) is BM25F and not getattr(weighting, "_field_B", True)
            else None
        )
        self.fast = compat.trusted()  # Whoosh's internals may be read (see `_compat`)
        self._lengths: dict[str, np.ndarray] = {}

    def live(self) -> np.ndarray:
        """Every document not deleted."""
        mask = np.ones(self.size, dtype=bool)
        for leaf, offset, _ in self.leaves:
            if leaf.has_deletions():
                deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                mask[deleted + offset] = False
        return mask

    def numbers(self, fieldname: str) -> np.ndarray:
        """A sortable numeric column by document, in Whoosh's sortable encoding (which
        keeps the numbers' order), for sorting."""
        out = np.zeros(self.size, dtype=np.uint64)
        for leaf, offset, segid in self.leaves:
            key = ("column", segid, fieldname)
            found = self.cache.get(key) if segid else None
            if found is None and not self.fast:
                found = (np.array(compat.column(leaf, fieldname), dtype=np.uint64), _NONE)
            if found is None:
                # The reader the searcher opened (`index._open_files`): a new one would
                # open the file again, which a merge in another process may have deleted.
                column = leaf._perdoc._cached_reader(fieldname, leaf.schema[fieldname].column_type)
                count = min(column._count, leaf.doc_count_all())
                data = column._dbfile.get(column._basepos, count * column._fixedlen)
                values = np.frombuffer(data, dtype=">" + column._typecode).astype(np.uint64)
                found = (values, np.empty(0, np.float32))
                if segid:
                    self.cache.put(key, found)
            out[offset : offset + len(found[0])] = found[0]
        return out

    def match(self, q: wq.Query, scored: bool) -> Match:
        """The live documents matching `q`, with scores if `scored` (and Whoosh's model)."""
        scored = scored and self.bm25 is not None
        found = self._eval(q, scored)
        found.mask &= self.live()
        return found

    # --- the query tree ------------------------------------------------------------------

    def _eval(self, q: wq.Query, scored: bool) -> Match:
        kind = type(q)
        if kind is wq.Term:
            found = self._term(q.fieldname, q.text, scored)
        elif kind is wq.Or and not q.minmatch and not q.scale:
            found = self._union(q.subqueries, scored, dismax=False)
        elif kind is wq.DisjunctionMax and not q.tiebreak:
            found = self._union(q.subqueries, scored, dismax=True)
        elif kind is wq.And:
            found = self._intersection(q.subqueries, scored)
        elif kind is wq.AndNot:
            found = self._eval(q.a, scored)
            found.mask &= ~self._eval(q.b, False).mask
        elif kind is wq.AndMaybe:
            found = self._eval(q.a, scored)
            if scored:
                found.scores += self._eval(q.b, True).scores * found.mask
        elif kind is wq.Not:  # Whoosh's InverseMatcher scores 1
            mask = ~self._eval(q.query, False).mask
            found = Match(mask, mask.astype(np.float64) if scored else None)
        elif kind is wq.Every and not q.fieldname:  # every document (Whoosh scores 1)
            found = Match(np.ones(self.size, dtype=bool), np.ones(self.size) if scored else None)
        elif q is wq.NullQuery or kind is type(wq.NullQuery):
            found = Match(np.zeros(self.size, dtype=bool), self._zeros() if scored else None)
        else:
            return self._whoosh(q, scored)  # applies its own boost
        boost = getattr(q, "boost", 1.0)
        if scored and boost != 1.0:
            found.scores *= boost
        return found

    def _union(self, subqueries, scored: bool, dismax: bool) -> Match:
        mask = np.zeros(self.size, dtype=bool)
        scores = self._zeros() if scored else None
        for sub in subqueries:
            found = self._eval(sub, scored)
            mask |= found.mask
            if scored:
                if dismax:
                    np.maximum(scores, found.scores, out=scores)
                else:
                    scores += found.scores
        return Match(mask, scores)

    def _intersection(self, subqueries, scored: bool) -> Match:
        positive = [s for s in subqueries if type(s) is not wq.Not]
        negative = [s.query for s in subqueries if type(s) is wq.Not]
        if not positive:
            found = Match(np.ones(self.size, dtype=bool), self._zeros() if scored else None)
        else:
            found = self._eval(positive[0], scored)
            for sub in positive[1:]:
                other = self._eval(sub, scored)
                found.mask &= other.mask
                if scored:
                    found.scores += other.scores
        for sub in negative:
            found.mask &= ~self._eval(sub, False).mask
            if scored:  # Whoosh intersects with an InverseMatcher, which scores 1
                found.scores += 1.0
        return found

    def _zeros(self) -> np.ndarray:
        return np.zeros(self.size, dtype=np.float64)

    # --- terms ---------------------------------------------------------------------------

    def _term(self, fieldname: str, text, scored: bool) -> Match:
        mask = np.zeros(self.size, dtype=bool)
        scores = self._zeros() if scored else None
        schema = self.searcher.schema
        if fieldname not in schema:
            return Match(mask, scores)
        try:
            btext = schema[fieldname].to_bytes(text)
        except ValueError:
            return Match(mask, scores)
        scorable = schema[fieldname].scorable
        idf = None
        for leaf, offset, segid in self.leaves:
            postings = self._postings(leaf, segid, fieldname, btext)
            if postings is None:
                continue
            ids, weights = postings
            docs = ids.astype(np.int64) + offset
            mask[docs] = True
            if not scored:
                continue
            weights = weights.astype(np.float64)
            if not scorable:
                scores[docs] = weights  # Whoosh's WeightScorer
                continue
            if idf is None:  # asked only of a term that is there, as Whoosh asks
                idf = self.searcher.idf(fieldname, btext)
                avgfl = self.searcher.avg_field_length(fieldname) or 1
                B, K1 = self.bm25
            lengths = self._field_lengths(leaf, segid, fieldname)[ids]
            # Whoosh's scoring.bm25, over arrays
            scores[docs] = idf * (
                (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl))
            )
        return Match(mask, scores)

    def _postings(self, leaf, segid, fieldname: str, btext: bytes):
        """(segment-local ids, weights) of a term in one segment, or None if it is absent."""
        key = (segid, fieldname, btext)
        found = self.cache.get(key) if segid else None
        if found is not None:
            return found
        try:
            info = leaf.term_info(fieldname, btext)
        except TermNotFound:
            return None
        if self.fast:
            found = _decode(leaf, fieldname, btext, info)
        else:
            found = _public_postings(leaf, fieldname, btext)
        if segid:
            self.cache.put(key, found)
        return found

    def _field_lengths(self, leaf, segid, fieldname: str) -> np.ndarray:
        """A segment's field lengths by document, decoded."""
        key = f"{segid}/{fieldname}"
        found = self._lengths.get(key)
        if found is None:
            found = self.cache.get(("lengths", segid, fieldname)) if segid else None
        if found is None and not self.fast:
            found = (np.array(compat.field_lengths(leaf, fieldname), dtype=np.float64), _NONE)
        if found is None:
            raw = np.zeros(leaf.doc_count_all(), dtype=np.uint8)
            column = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if column is not None and column._count:
                data = column._dbfile.get(column._basepos, column._count)
                raw[: column._count] = np.frombuffer(data, dtype=np.uint8)
            found = (_LENGTHS[raw], np.empty(0, np.float32))
            if segid:
                self.cache.put(("lengths", segid, fieldname), found)
        self._lengths[key] = found
        return found[0]

    # --- anything else -------------------------------------------------------------------

    def _whoosh(self, q: wq.Query, scored: bool) -> Match:
        """A clause Whoosh evaluates: its matcher, stepped through."""
        mask = np.zeros(self.size, dtype=bool)
        scores = self._zeros() if scored else None
        searcher = self.searcher
        if scored:
            matcher = q.matcher(searcher, searcher.context())
        else:
            matcher = q.matcher(searcher, searcher.boolean_context())
        ids, values = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            if scored:
                values.append(matcher.score())
            matcher.next()
        if ids:
            docs = np.array(ids, dtype=np.int64)
            mask[docs] = True
            if scored:
                scores[docs] = values
        return Match(mask, scores)


def _decode(leaf, fieldname: str, btext: bytes, info) -> tuple[np.ndarray, np.ndarray]:
    """A W3 posting list's ids and weights, a block at a time (Whoosh internals, pinned
    version; anything else is read through its matcher)."""
    offset, length = info.extent() if not info.is_inlined() else (None, None)
    if isinstance(length, tuple):  # as W3TermInfo.from_bytes reads it
        length = length[0]
    postfile = getattr(getattr(leaf, "_terms", None), "_postfile", None)
    data = postfile.get(offset, length) if postfile is not None and length else b""
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        return _public_postings(leaf, fieldname, btext)
    id_parts, weight_parts = [], []
    for (count, _, _, comp, _, _), raw in blocks.iter_blocks(data):
        deltas, weights, _ = blocks.decode(raw, comp)
        id_parts.append(deltas)
        if weights is None:
            weight_parts.append(np.ones(count, dtype=np.float32))
        elif isinstance(weights, float):
            weight_parts.append(np.full(count, weights, dtype=np.float32))
        else:
            weight_parts.append(np.array(weights, dtype=np.float32))
    # Each block's ids are delta-encoded from zero: its first delta is its first id. Kept
    # as 4-byte numbers (weights are small counts, exact in float32): the cache holds twice
    # as many postings.
    ids = np.concatenate([np.cumsum(np.array(d, dtype=np.int32)) for d in id_parts])
    return ids, np.concatenate(weight_parts)


def _public_postings(leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = compat.postings(leaf, fieldname, btext)
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def matching_docs(searcher, q: wq.Query, cache: PostingCache | None = None) -> set[int]:
    """Document numbers (of the whole searcher) that match `q`, deleted documents excluded."""
    found = Evaluator(searcher, cache or PostingCache()).match(q, scored=False)
    return set(np.flatnonzero(found.mask).tolist())


def block_ids(matcher) -> list[int] | None:
    """All ids of a W3 posting list, a block at a time (Whoosh internals, pinned version);
    None when they may not be read, and the caller asks the matcher."""
    if not compat.trusted():
        return None
    inner = getattr(matcher, "child", matcher)  # deletions wrap it in a FilterMatcher
    if not all(hasattr(inner, a) for a in ("_read_ids", "_goto", "_atend", "_lastblock")):
        return None
    ids: list[int] = []
    while not inner._atend:
        if inner._ids is None:
            inner._read_ids()
        ids.extend(inner._ids[inner._i :])
        if inner._lastblock:
            break
        inner._goto(inner._nextoffset)
    return ids
