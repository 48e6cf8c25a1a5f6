"""The engine-neutral query model (`archive.search.query`) as a Whoosh query: a word asks
every text field with its weight (titles more than bodies, words more than stems), each
field's analyser reading it as it reads articles (stems scoped by language, pairs for CJK,
a word the analysis splits as the phrase of its parts)."""

from __future__ import annotations

from whoosh import query as wq

from archive.search import query as qm
from archive.search._schema import STEM_FIELDS, TEXT_FIELDS
from archive.search.words import fold_token

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


def _as_written(word: str) -> str:
    """A word as the analysers should see it: a name (a known place or outlet, a word in
    capitals) with a capital, which keeps stemmers off it; any other word without one."""
    if qm.is_name(word):
        return word[:1].upper() + word[1:]
    return word[:1].lower() + word[1:]


def _word(node: qm.Term, schema) -> wq.Query:
    word = _as_written(node.text)
    parts = []
    for name, weight in _fields(node.field):
        field = schema[name]
        texts = list(field.process_text(word, mode="query"))
        if not texts:
            continue
        if len(texts) == 1:
            parts.append(wq.Term(name, texts[0], boost=weight))
        elif field.multitoken_query == "phrase":
            parts.append(wq.Phrase(name, texts, boost=weight))
        else:
            kind = wq.Or if field.multitoken_query == "or" else wq.And
            parts.append(kind([wq.Term(name, t, boost=weight) for t in texts]))
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _phrase(node: qm.Phrase, schema) -> wq.Query:
    text = " ".join(node.words)
    parts = []
    for name, weight in _fields(node.field, words_only=True):
        words = list(schema[name].process_text(text, mode="query"))
        if words:
            parts.append(wq.Phrase(name, words, slop=node.slop, boost=weight))
    if not parts:
        return wq.NullQuery
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
