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
    is_name,
)
from archive.search.words import fold_token, query_stems, terms

# (kind, text, distance) -> matching index words; the backend looks them up in its word list
Expand = Callable[[str, str, int, int], list[str]]


@dataclass
class Compiled:
    tsquery: str | None  # None: no words to match (every article)
    notes: list[str] = field(default_factory=list)
    matched_nothing: bool = False


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_EXPANSIONS
        self.short: list[str] = []
        self.fuzzy: list[str] = []
        self.cut: list[str] = []

    def notes(self) -> list[str]:
        out = []
        if self.short:
            out.append(
                f"{_names(self.short)}: a wildcard needs at least {MIN_PREFIX} letters before "
                "it; left out of the search."
            )
        if self.fuzzy:
            out.append(
                f"{_names(self.fuzzy)}: typo tolerance is at most {MAX_FUZZY} letters; searched so."
            )
        if self.cut:
            out.append(
                f"{_names(self.cut)}: more words match than one search may take "
                f"({MAX_EXPANSIONS:,}); only the first of them were searched."
            )
        return out


def _names(labels: list[str]) -> str:
    return ", ".join(f"“{label}”" for label in labels)


def compile_query(tree: Node, expand: Expand) -> Compiled:
    budget = _Budget()
    text = _node(tree, expand, budget)
    compiled = Compiled(tsquery=text, notes=budget.notes())
    if text == _NOTHING:
        compiled.tsquery, compiled.matched_nothing = None, True
    return compiled


_NOTHING = "\x00nothing"


def _weight(field: str | None) -> str:
    return ":A" if field == "title" else ""


def _term(word: str, field: str | None) -> str:
    parts = terms(word)
    if not parts:
        return _NOTHING
    w = _weight(field)
    if len(parts) > 1:  # a word the analysis splits is matched as a phrase of its parts
        return "(" + " <-> ".join(quote(p) + w for p in parts) + ")"
    stems = query_stems(word, name=is_name(word))
    options = [quote(parts[0]) + w] + [quote(s) + w for s in stems]
    return "(" + " | ".join(dict.fromkeys(options)) + ")"


def _node(node: Node, expand: Expand, budget: _Budget) -> str | None:
    if isinstance(node, Everything):
        return None
    if isinstance(node, Term):
        return _term(node.text, node.field)
    if isinstance(node, Phrase):
        words = [p for w in node.words for p in terms(w)]
        if not words:
            return _NOTHING
        w = _weight(node.field)
        joiner = " <-> " if node.slop <= 1 else f" <{node.slop}> "
        return "(" + joiner.join(quote(p) + w for p in words) + ")"
    if isinstance(node, Prefix):
        parts = terms(node.text)
        if not parts or len(parts[-1]) < MIN_PREFIX and len(parts) == 1:
            budget.short.append(node.text + "*")
            return _NOTHING
        w = _weight(node.field)
        head = [quote(p) + w for p in parts[:-1]]
        last = quote(parts[-1]) + ":*" + ("A" if node.field == "title" else "")
        return "(" + " <-> ".join([*head, last]) + ")"
    if isinstance(node, Wildcard | Fuzzy):
        return _expanded(node, expand, budget)
    if isinstance(node, Place):
        return quote(place_lexeme(node.geonameid))
    if isinstance(node, Not):
        inner = _node(node.item, expand, budget)
        if inner is None:
            return _NOTHING
        if inner == _NOTHING:
            return None
        return f"!{inner}"
    if isinstance(node, And | Or):
        parts = [_node(item, expand, budget) for item in node.items]
        if isinstance(node, And):
            if _NOTHING in parts:
                return _NOTHING
            parts = [p for p in parts if p is not None]
            if not parts:
                return None
            return "(" + " & ".join(parts) + ")"
        if None in parts:
            return None  # OR with "everything"
        parts = [p for p in parts if p != _NOTHING]
        if not parts:
            return _NOTHING
        return "(" + " | ".join(parts) + ")"
    raise TypeError(f"not a query node: {node!r}")


def _expanded(node: Wildcard | Fuzzy, expand: Expand, budget: _Budget) -> str:
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
            return _NOTHING
        text = fold_token(node.pattern)
        kind = "wildcard"
        distance = 0
    if budget.left <= 0:
        budget.cut.append(label)
        return _NOTHING
    words = expand(kind, text, distance, budget.left + 1)
    if len(words) > budget.left:
        words = words[: budget.left]
        budget.cut.append(label)
    budget.left -= len(words)
    if not words:
        return _NOTHING
    w = _weight(node.field)
    return "(" + " | ".join(quote(word) + w for word in words) + ")"
