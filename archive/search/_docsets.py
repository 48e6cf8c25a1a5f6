"""The set of documents a query matches, computed with set algebra over posting blocks.

Whoosh's matchers step through every matching document in Python; for totals and facets we
only need the set. Terms read their postings a block (up to 128 ids) at a time; AND, OR and
NOT become C-level set operations. Anything else (phrases, wildcards, fuzzy terms) is left to
Whoosh for that clause, so the answer is always the same as `searcher.docs_for_query`.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.reading import TermNotFound


def matching_docs(searcher, q: wq.Query) -> set[int]:
    """Document numbers (of the whole searcher) that match `q`, deleted documents excluded."""
    leaves = [(leaf, offset) for leaf, offset in searcher.reader().leaf_readers()]
    return _docs(searcher, leaves, q)


def _docs(searcher, leaves, q: wq.Query) -> set[int]:
    kind = type(q)
    if kind is wq.Term:
        return _term_docs(leaves, q.fieldname, q.text)
    if kind in (wq.Or, wq.DisjunctionMax) and not getattr(q, "minmatch", 0):
        found: set[int] = set()
        for sub in q.subqueries:
            found |= _docs(searcher, leaves, sub)
        return found
    if kind is wq.And:
        positive = [s for s in q.subqueries if type(s) is not wq.Not]
        negative = [s.query for s in q.subqueries if type(s) is wq.Not]
        if positive:
            # Smallest first: every later intersection is cheaper.
            sets = sorted((_docs(searcher, leaves, s) for s in positive), key=len)
            found = sets[0]
            for other in sets[1:]:
                if not found:
                    break
                found = found & other
            for sub in negative:
                if not found:
                    break
                found = found - _docs(searcher, leaves, sub)
            return found
    if kind is wq.AndNot:
        found = _docs(searcher, leaves, q.a)
        return found - _docs(searcher, leaves, q.b) if found else found
    if kind is wq.AndMaybe:
        return _docs(searcher, leaves, q.a)
    if q is wq.NullQuery or kind is type(wq.NullQuery):
        return set()
    return set(searcher.docs_for_query(q))


def _term_docs(leaves, fieldname: str, text) -> set[int]:
    found: set[int] = set()
    for leaf, offset in leaves:
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        ids = block_ids(matcher)
        if ids is None:  # not a plain Whoosh 3 posting list: step through it
            ids = list(matcher.all_ids())
        else:
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
            if deleted:
                ids = [i for i in ids if i not in deleted]
        if offset:
            found.update(i + offset for i in ids)
        else:
            found.update(ids)
    return found


def block_ids(matcher) -> list[int] | None:
    """All ids of a W3 posting list, a block at a time (Whoosh internals, pinned version)."""
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
