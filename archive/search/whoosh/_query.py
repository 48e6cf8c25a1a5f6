"""Query strings to Whoosh queries: read by the engine-neutral reader (luqum, in
`archive.search.query`), compiled by `_compile`; what a search should mark in snippets."""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from archive.search import query as qm
from archive.search.snippets import Marks
from archive.search.whoosh._compile import to_whoosh
from archive.search.whoosh._schema import STEM_FIELDS, TEXT_FIELDS


@dataclass
class ParsedQuery:
    """A query string taken apart: the text query, filters it named, and what was noticed."""

    text: str  # the free-text part, as searched
    query: wq.Query
    places: list[str] = field(default_factory=list)  # place: values, as written
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words, for "did you mean"
    notes: list[str] = field(default_factory=list)


def parse_query(raw: str, schema, resolve_place) -> ParsedQuery:
    """Read a query string with the engine-neutral reader (`archive.search.query`) and make
    it a Whoosh query; `resolve_place(name)` maps a name to a place (or None)."""
    model = qm.parse(raw, resolve_place)
    q = to_whoosh(model.tree, schema)
    if q is not wq.NullQuery:
        q = q.normalize()
    return ParsedQuery(
        text=model.text,
        query=q,
        places=model.places,
        sources=model.sources,
        languages=model.languages,
        words=model.words,
        notes=model.notes,
    )


def highlight_terms(q: wq.Query) -> Marks:
    """The words, stems and phrases a query (with its wildcards and typo tolerances
    already expanded into index words, as `budget.bound_query` does) looks for."""
    marks = Marks()

    def visit(node: wq.Query, positive: bool) -> None:
        if isinstance(node, wq.Not):
            visit(node.query, not positive)
        elif isinstance(node, wq.AndNot):
            visit(node.a, positive)
            visit(node.b, not positive)
        elif isinstance(node, wq.Phrase):
            if positive and node.fieldname in TEXT_FIELDS and node.words:
                marks.phrases.add(tuple(node.words))
        elif isinstance(node, wq.Term):
            if positive and node.fieldname in TEXT_FIELDS:  # not e.g. seq:1's packed bytes
                text = node.text
                value = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
                (marks.stems if node.fieldname in STEM_FIELDS else marks.plain).add(value)
        elif not node.is_leaf():  # a wildcard left unexpanded marks nothing
            for child in node.children():
                visit(child, positive)

    visit(q, True)
    return marks
