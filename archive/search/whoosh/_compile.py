"""The engine-neutral query model (`archive.search.query`) as a Whoosh query: a word asks
every text field with its weight (titles more than bodies, words more than stems), in the
terms the archive's analysis (`archive.search.words`) makes of it: stems scoped by
language, pairs for CJK, a word the analysis splits as the phrase of its parts."""

from __future__ import annotations

from whoosh import query as wq

from archive.search import query as qm
from archive.search.whoosh._schema import STEM_FIELDS, TEXT_FIELDS
from archive.search.words import fold_token, query_stems, terms

WORD_FIELDS = tuple(name for name in TEXT_FIELDS if name not in STEM_FIELDS)


def to_whoosh(node: qm.Node, schema) -> wq.Query:
    """`node` as a Whoosh query over `schema` (unnormalised)."""
    if isinstance(node, qm.Everything):
        return wq.Every()
    if isinstance(node, qm.Term):
        return _boosted(_word(node, schema), node.boost)
    if isinstance(node, qm.Phrase):
        return _boosted(_phrase(node, schema), node.boost)
    if isinstance(node, qm.Prefix | qm.Wildcard | qm.Fuzzy):
        return _boosted(_multiterm(node), node.boost)
    if isinstance(node, qm.Place):
        return wq.Term("place_exact", node.geonameid)
    if isinstance(node, qm.Not):
        return wq.Not(to_whoosh(node.item, schema))
    if isinstance(node, qm.And | qm.Or):
        parts = [to_whoosh(item, schema) for item in node.items]
        if isinstance(node, qm.Or):
            parts = [p for p in parts if p is not wq.NullQuery]
            return wq.Or(parts) if parts else wq.NullQuery
        if any(p is wq.NullQuery for p in parts):
            return wq.NullQuery
        return wq.And(parts)
    raise TypeError(f"not a query node: {node!r}")


def _fields(field: str | None, words_only: bool = False) -> list[tuple[str, float]]:
    """The index fields a leaf asks, with their weights: a field the query names is asked
    alone, at weight 1 (as `title:hama` always was)."""
    if field is not None:
        return [(field, 1.0)]
    return [(name, TEXT_FIELDS[name]) for name in (WORD_FIELDS if words_only else TEXT_FIELDS)]


def _word(node: qm.Term, schema) -> wq.Query:
    """A word in every field it asks: its terms in the word fields (several make a phrase),
    its stems in every language in the stem fields (a name's only where no stemmer changes
    it: `qm.is_name`)."""
    found = terms(node.text)
    stems = query_stems(node.text, name=qm.is_name(node.text))
    parts = []
    for name, weight in _fields(node.field):
        if name in STEM_FIELDS:
            if stems:
                parts.append(wq.Or([wq.Term(name, s, boost=weight) for s in stems]))
        elif len(found) == 1:
            parts.append(wq.Term(name, found[0], boost=weight))
        elif found:
            parts.append(wq.Phrase(name, found, boost=weight))
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _phrase(node: qm.Phrase, schema) -> wq.Query:
    found = terms(" ".join(node.words))
    if not found:
        return wq.NullQuery
    parts = [
        wq.Phrase(name, found, slop=node.slop, boost=weight)
        for name, weight in _fields(node.field, words_only=True)
    ]
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _multiterm(node: qm.Prefix | qm.Wildcard | qm.Fuzzy) -> wq.Query:
    """Prefixes, wildcards and typo tolerance are over words, never stems."""
    parts = []
    for name, weight in _fields(node.field, words_only=True):
        if isinstance(node, qm.Prefix):
            parts.append(wq.Prefix(name, fold_token(node.text), boost=weight))
        elif isinstance(node, qm.Wildcard):
            parts.append(wq.Wildcard(name, fold_token(node.pattern), boost=weight))
        else:
            parts.append(
                wq.FuzzyTerm(
                    name, fold_token(node.text), boost=weight, maxdist=node.distance, prefixlength=0
                )
            )
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _boosted(q: wq.Query, boost: float) -> wq.Query:
    if boost != 1.0 and q is not wq.NullQuery:
        q.boost = boost
    return q
