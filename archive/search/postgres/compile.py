"""The query model as a PostgreSQL `tsquery`, within the same cost budget as the embedded
engine: a wildcard needs two literal letters first, a fuzzy word at most two edits, and all
the words a query's wildcard and fuzzy terms become are at most `MAX_EXPANSIONS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from archive.search.postgres.vectors import place_lexeme, quote
from archive.search.query import (
    MAX_EXPANSIONS,
    MAX_FUZZY,
    MIN_PREFIX,
    And,
    Everything,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Place,
    Prefix,
    Term,
    Wildcard,
    budget_notes,
    is_name,
)
from archive.search.words import fold_token, query_stems, terms

# (kind, text, distance) -> matching index words; the backend looks them up in its word list
Expand = Callable[[str, str, int, int], list[str]]


@dataclass
class Compiled:
    tsquery: str | None  # the whole query as one `tsquery` (title words weighted A): ranking
    where: str | None = None  # the SQL that matches it (None: every article)
    params: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    matched_nothing: bool = False
    words: list[str] = field(default_factory=list)  # the index words wildcards and typos became


@dataclass(frozen=True)
class _Match:
    """How a part of the query is matched: a `tsquery` over one column (`tsv`, or
    `title_tsv` for title words, which GIN then answers without reading each candidate's
    whole vector to check its weights), or SQL joining several (`column` None)."""

    column: str | None
    text: str = ""  # the tsquery
    op: str = ""  # " AND ", " OR " or "NOT " over `parts`
    parts: tuple[_Match, ...] = ()

    def sql(self, params: dict) -> str:
        if self.column is None:
            if self.op == "NOT ":
                return "NOT " + self.parts[0].sql(params)
            return "(" + self.op.join(p.sql(params) for p in self.parts) + ")"
        name = f"q{len(params)}"
        params[name] = self.text
        return f"{self.column} @@ %({name})s::tsquery"


def _column(field: str | None) -> str:
    return "title_tsv" if field == "title" else "tsv"


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_EXPANSIONS
        self.short: list[str] = []
        self.fuzzy: list[str] = []
        self.cut: list[str] = []
        self.words: list[str] = []

    def notes(self) -> list[str]:
        return budget_notes(self.short, self.fuzzy, self.cut)


def compile_query(tree: Node, expand: Expand) -> Compiled:
    budget = _Budget()
    text, match = _node(tree, expand, budget)
    compiled = Compiled(tsquery=text, notes=budget.notes(), words=budget.words)
    if text == _NOTHING:
        compiled.tsquery, compiled.matched_nothing = None, True
    elif match is not None:
        compiled.where = match.sql(compiled.params)
    return compiled


_NOTHING = "\x00nothing"


def _weight(field: str | None) -> str:
    return ":A" if field == "title" else ""


def _term(word: str, w: str) -> str:
    parts = terms(word)
    if not parts:
        return _NOTHING
    if len(parts) > 1:  # a word the analysis splits is matched as a phrase of its parts
        return "(" + " <-> ".join(quote(p) + w for p in parts) + ")"
    stems = query_stems(word, name=is_name(word))
    options = [quote(parts[0]) + w] + [quote(s) + w for s in stems]
    return "(" + " | ".join(dict.fromkeys(options)) + ")"


def _phrase(node: Phrase, w: str) -> str:
    words = [p for word in node.words for p in terms(word)]
    if not words:
        return _NOTHING
    joiner = " <-> " if node.slop <= 1 else f" <{node.slop}> "
    return "(" + joiner.join(quote(p) + w for p in words) + ")"


def _prefix(parts: list[str], w: str) -> str:
    head = [quote(p) + w for p in parts[:-1]]
    last = quote(parts[-1]) + ":*" + w.lstrip(":")
    return "(" + " <-> ".join([*head, last]) + ")"


def _leaf(field: str | None, build) -> tuple[str, _Match | None]:
    """A query word or phrase: weighted for ranking, and matched in its field's column."""
    text = build(_weight(field))
    if text == _NOTHING:
        return text, None
    return text, _Match(_column(field), build(""))


def _node(node: Node, expand: Expand, budget: _Budget) -> tuple[str | None, _Match | None]:
    """The node as a ranking `tsquery` (None: everything; `_NOTHING`: nothing) and how it
    is matched."""
    if isinstance(node, Everything):
        return None, None
    if isinstance(node, Term):
        return _leaf(node.field, lambda w: _term(node.text, w))
    if isinstance(node, Phrase):
        return _leaf(node.field, lambda w: _phrase(node, w))
    if isinstance(node, Prefix):
        parts = terms(node.text)
        if not parts or len(parts[-1]) < MIN_PREFIX and len(parts) == 1:
            budget.short.append(node.text + "*")
            return _NOTHING, None
        if len(parts) == 1:  # PostgreSQL matches the prefix itself; the words, for marks
            budget.words.extend(expand("wildcard", parts[0] + "*", 0, MAX_EXPANSIONS))
        return _leaf(node.field, lambda w: _prefix(parts, w))
    if isinstance(node, Wildcard | Fuzzy):
        words = _expanded(node, expand, budget)
        if not words:
            return _NOTHING, None
        return _leaf(node.field, lambda w: "(" + " | ".join(quote(x) + w for x in words) + ")")
    if isinstance(node, Place):
        text = quote(place_lexeme(node.geonameid))
        return text, _Match("tsv", text)
    if isinstance(node, Not):
        inner, match = _node(node.item, expand, budget)
        if inner is None:
            return _NOTHING, None
        if inner == _NOTHING:
            return None, None
        if match.column is None:
            return f"!{inner}", _Match(None, op="NOT ", parts=(match,))
        return f"!{inner}", _Match(match.column, f"!{match.text}")
    if isinstance(node, And | Or):
        parts = [_node(item, expand, budget) for item in node.items]
        texts = [t for t, _ in parts]
        if isinstance(node, And):
            if _NOTHING in texts:
                return _NOTHING, None
            parts = [p for p in parts if p[0] is not None]
            if not parts:
                return None, None
        else:
            if None in texts:
                return None, None  # OR with "everything"
            parts = [p for p in parts if p[0] != _NOTHING]
            if not parts:
                return _NOTHING, None
        op = " & " if isinstance(node, And) else " | "
        text = "(" + op.join(t for t, _ in parts) + ")"
        return text, _joined([m for _, m in parts], op)
    raise TypeError(f"not a query node: {node!r}")


def _joined(matches: list[_Match], op: str) -> _Match:
    """Parts over one column stay one `tsquery`; over several, SQL joins them."""
    columns = {m.column for m in matches}
    if len(columns) == 1 and None not in columns:
        return _Match(columns.pop(), "(" + op.join(m.text for m in matches) + ")")
    return _Match(None, op=" AND " if op == " & " else " OR ", parts=tuple(matches))


def _expanded(node: Wildcard | Fuzzy, expand: Expand, budget: _Budget) -> list[str]:
    """The index words a wildcard or fuzzy word stands for, within the budget."""
    if isinstance(node, Fuzzy):
        label = f"{node.text}~{node.distance}"
        distance = node.distance
        if distance > MAX_FUZZY:
            budget.fuzzy.append(label)
            distance = MAX_FUZZY
        text = (terms(node.text) or [""])[0]
        kind = "fuzzy"
    else:
        label = node.pattern
        literal = node.pattern.split("*")[0].split("?")[0]
        if len(literal) < MIN_PREFIX:
            budget.short.append(label)
            return []
        text = fold_token(node.pattern)
        kind = "wildcard"
        distance = 0
    if budget.left <= 0:
        budget.cut.append(label)
        return []
    words = expand(kind, text, distance, budget.left + 1)
    if len(words) > budget.left:
        words = words[: budget.left]
        budget.cut.append(label)
    budget.left -= len(words)
    budget.words.extend(words)
    return words
