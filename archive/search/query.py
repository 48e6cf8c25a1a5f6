"""What a user's query means, whatever engine answers it.

A query string is read with luqum (a parser of Lucene's syntax, which is what users of
search boxes type) into a small tree of the nodes below; `place:`, `source:` and `lang:`
become filters; every engine compiles the tree into its own query. A malformed query never
fails: it is read as plain words, with a note saying so.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from luqum import tree as lt
from luqum.parser import parser as _luqum

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
# What a query's wildcard and fuzzy terms may cost, in every engine.
MIN_PREFIX = 2  # literal characters before a wildcard's first * or ?
MAX_FUZZY = 2  # edits a word~N may make
MAX_EXPANSIONS = 2000  # index words all of a query's expanding clauses may become
FIELDS = ("title",)  # text fields a query may name; a word without one searches them all
FILTERS = {"place": "places", "source": "sources", "lang": "languages", "language": "languages"}
_EXAMPLES = {"place": "Homs", "source": '"Financial Times"', "lang": "en", "language": "en"}
_FILTER = re.compile(r'(?<!\S)(place|source|lang|language):(?:"([^"]*)"?|(\S*))', re.I)
_EMPTY_FIELD = re.compile(r"(?<!\S)(title):(?=\s|$)", re.I)
_OPERATORS = {"AND", "OR", "NOT"}
# `-word` and `+word` as NOT and plain words: luqum binds them to an OR's last operand
# (`a OR b -c` would keep every `a`), where users mean the whole query.
_NEGATION = re.compile(r'(?<![\w)"])-(?=[\w"(])')
_REQUIRED = re.compile(r'(?<![\w)"])\+(?=[\w"(])')
_PLAIN_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
_SYNTAX = re.compile(r'["()*?~^:+\-\[\]{}/\\!]')
# Words that name places in the gazetteer but are far more often something else in a query.
_NO_EXPAND = {"the", "and", "for", "from", "with", "city", "state", "new", "north", "south"}


def budget_notes(
    short=(), fuzzy=(), too_many=(), too_slow=(), *, limit: int = MAX_EXPANSIONS, seconds=None
) -> list[str]:
    """The sentences a search result gives for what the expansion budget left out or
    reduced, each listing the query's terms it concerns (both engines say the same)."""

    def listed(labels) -> str:
        return ", ".join(f"“{w}”" for w in dict.fromkeys(labels))

    out = []
    if short:
        out.append(
            f"{listed(short)}: a wildcard needs at least {MIN_PREFIX} letters before it; "
            "left out of the search."
        )
    if fuzzy:
        out.append(f"{listed(fuzzy)}: typo tolerance is at most {MAX_FUZZY} letters; searched so.")
    if too_many:
        out.append(
            f"{listed(too_many)}: more words match than one search may take ({limit:,}); "
            "only the first of them were searched."
        )
    if too_slow:
        out.append(
            f"{listed(too_slow)}: expanding took longer than a search may ({seconds} s); "
            "only the words found in time were searched."
        )
    return out


_parse_lock = threading.Lock()  # luqum's parser (ply) keeps its state in one module object


# --- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word as typed; `field` None searches every text field."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words next to each other, in this order (within `slop` moves)."""

    words: tuple[str, ...]
    field: str | None = None
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Every word that starts with `text` (`withdr*`)."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """Words matching a pattern of `*` (any letters) and `?` (one letter): `colo?r`."""

    pattern: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    """Words within `distance` edits of `text` (`Damscus~`, `Damscus~2`)."""

    text: str
    distance: int = 1
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Place:
    """Articles that mention a place (by GeoNames id), whatever spelling they use."""

    geonameid: str


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Everything:
    """No words: every article (the filters still apply)."""


Node = Term | Phrase | Prefix | Wildcard | Fuzzy | Place | And | Or | Not | Everything
Leaf = Term | Phrase | Prefix | Wildcard | Fuzzy


@dataclass
class Query:
    """A query string taken apart: its tree, the filters it named and what was noticed."""

    text: str  # the free-text part, as searched
    tree: Node = field(default_factory=Everything)
    places: list[str] = field(default_factory=list)  # place: values, as written
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words, for "did you mean"
    notes: list[str] = field(default_factory=list)

    def leaves(self) -> list[Leaf]:
        return leaves(self.tree)


def leaves(node: Node, *, negated: bool = False, out: list | None = None) -> list[Leaf]:
    """The text leaves of a tree that a match must or may contain (not those under a NOT)."""
    out = [] if out is None else out
    if isinstance(node, And | Or):
        for item in node.items:
            leaves(item, negated=negated, out=out)
    elif isinstance(node, Not):
        pass
    elif isinstance(node, Term | Phrase | Prefix | Wildcard | Fuzzy) and not negated:
        out.append(node)
    return out


@lru_cache(maxsize=20_000)
def is_name(word: str) -> bool:
    """A query word that no stemmer may make into another word: a known place or outlet
    (`Homs` must not become the Portuguese stem of *home*), or a word in capitals (`UN`).
    A capital alone does not make a name: queries start with one."""
    if len(word) > 1 and word.isupper():
        return True
    from archive.extract.outlets import known_outlet
    from archive.places import resolve_place

    return resolve_place(word) is not None or bool(known_outlet(word))


# --- reading a query string -----------------------------------------------------------------


class _Unreadable(Exception):
    """The syntax tree has a shape the archive does not search (a range, a regex)."""


def parse(raw: str, resolve_place: Callable[[str], object | None] | None = None) -> Query:
    """Read a query string. `resolve_place(name)` returns a place (with a `geonameid`) for
    a name the gazetteer knows, or None; plain words naming a place then also match the
    articles that mention it under any spelling."""
    query = Query(text="")
    notes = query.notes
    text = raw.strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
    text = _take_filters(text, query)
    if _EMPTY_FIELD.search(text):
        text = _EMPTY_FIELD.sub(" ", text)
        notes.append("“title:” needs a word after it, e.g. title:Homs; it was ignored.")
    text = _balance(text, notes)
    words = text.split()
    if len(words) > MAX_TERMS:
        words = words[:MAX_TERMS]
        notes.append(f"Only the first {MAX_TERMS} words of the query were searched.")
    text = " ".join(words)
    query.words = [  # a negated word too: "did you mean" corrects every typo
        w
        for w in _NEGATION.sub("NOT ", text).split()
        if _PLAIN_WORD.fullmatch(w) and w not in _OPERATORS
    ]
    query.text = text
    if not text or text in ("*", "*:*"):
        return query
    try:
        tree = _read(_REQUIRED.sub("", _NEGATION.sub("NOT ", text)), notes)
    except Exception:  # noqa: BLE001 - whatever the parser makes of it (`0~.` is a bad Decimal)
        tree = None
    if tree is None:
        plain = _plain(text)
        notes.append("The query's syntax could not be read; it was searched as plain words.")
        query.text = plain
        words = [Term(w) for w in plain.split()]
        tree = (words[0] if len(words) == 1 else And(tuple(words))) if words else Everything()
    if resolve_place is not None:
        tree = _with_places(tree, resolve_place)
    query.tree = tree
    return query


def _balance(text: str, notes: list[str]) -> str:
    """An unbalanced quote or parenthesis is dropped, with a note; the rest is read."""
    if text.count('"') % 2:
        text = text.replace('"', " ")
        notes.append("An unbalanced quote was ignored; the words were searched without it.")
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            break
    if depth != 0:
        text = text.replace("(", " ").replace(")", " ")
        notes.append("Unbalanced parentheses were ignored.")
    return text


def _take_filters(text: str, query: Query) -> str:
    def take(match: re.Match) -> str:
        name = match.group(1).casefold()
        value = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        if not value:
            query.notes.append(
                f"“{name}:” needs a value, e.g. {name}:{_EXAMPLES[name]}; it was ignored."
            )
        else:
            getattr(query, FILTERS[name]).append(value)
        return " "

    return _FILTER.sub(take, text)


def _plain(text: str) -> str:
    """The words of a query without its syntax; operators in capitals become words."""
    return " ".join(w.casefold() if w in _OPERATORS else w for w in _SYNTAX.sub(" ", text).split())


def _read(text: str, notes: list[str]) -> Node | None:
    with _parse_lock:
        parsed = _luqum.parse(text)
    return _simplify(_convert(parsed, None, notes))


def _convert(node: lt.Item, fieldname: str | None, notes: list[str]) -> Node | None:
    """luqum's tree to ours; None for a node that matches nothing to search for."""
    kind = type(node)
    if kind in (lt.UnknownOperation, lt.AndOperation):
        return And(_children(node, fieldname, notes))
    if kind is lt.OrOperation:
        return Or(_children(node, fieldname, notes))
    if kind in (lt.Not, lt.Prohibit):
        inner = _convert(node.children[0], fieldname, notes)
        return Not(inner) if inner is not None else None
    if kind in (lt.Plus, lt.Group, lt.FieldGroup):
        return _convert(node.children[0], fieldname, notes)
    if kind is lt.SearchField:
        name = node.name.casefold()
        if name in FIELDS and fieldname is None:
            return _convert(node.expr, name, notes)
        # Not a field of ours (`http://…`, `9:30`): the name is a word like the others.
        rest = _convert(node.expr, fieldname, notes)
        word = _word(node.name, fieldname, notes)
        return And(tuple(n for n in (word, rest) if n is not None))
    if kind is lt.Word:
        return _word(node.value, fieldname, notes)
    if kind is lt.Phrase:
        return _phrase(node.value, fieldname)
    if kind is lt.Proximity:
        phrase = _convert(node.term, fieldname, notes)
        if isinstance(phrase, Phrase):
            return replace(phrase, slop=max(1, int(float(node.degree or 1))))
        return phrase
    if kind is lt.Fuzzy:
        term = node.term
        if not isinstance(term, lt.Word):
            raise _Unreadable("fuzzy")
        degree = node.degree
        # `word~` (luqum reads 0.5, Lucene's similarity) is one edit; `word~N`, N edits.
        distance = 1 if degree is None or float(degree) < 1 else int(float(degree))
        text = term.value
        if any(ch in text for ch in "*?"):
            return _word(text, fieldname, notes)
        return Fuzzy(_unescape(text), distance, fieldname)
    if kind is lt.Boost:
        inner = _convert(node.expr, fieldname, notes)
        force = float(node.force) if node.force is not None else 1.0
        if isinstance(inner, Term | Phrase | Prefix | Wildcard | Fuzzy) and force > 0:
            return replace(inner, boost=force)
        return inner
    raise _Unreadable(kind.__name__)  # ranges, regular expressions, anything newer


def _children(node: lt.Item, fieldname: str | None, notes: list[str]) -> tuple[Node, ...]:
    out = (_convert(child, fieldname, notes) for child in node.children)
    return tuple(n for n in out if n is not None)


def _word(value: str, fieldname: str | None, notes: list[str]) -> Node | None:
    """A word, a prefix (`withdr*`) or a wildcard (`colo?r`); a wildcard without letters
    before it is the engine's budget to refuse, with its note."""
    text = _unescape(value)
    if "*" in text or "?" in text:
        body = text.rstrip("*")
        if body and "*" not in body and "?" not in body:
            return Prefix(body, fieldname)
        return Wildcard(text, fieldname)
    return Term(text, fieldname)


def _phrase(value: str, fieldname: str | None) -> Node | None:
    words = tuple(_unescape(value[1:-1]).split())
    if not words:
        return None
    if len(words) == 1:
        return Term(words[0], fieldname)
    return Phrase(words, fieldname)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _simplify(node: Node | None) -> Node | None:
    """Flatten nested groups of one kind, drop empty ones; an empty query is Everything."""
    if node is None:
        return None
    if isinstance(node, And | Or):
        items: list[Node] = []
        for item in (_simplify(i) for i in node.items):
            if item is None:
                continue
            if type(item) is type(node):
                items.extend(item.items)
            else:
                items.append(item)
        if not items:
            return None
        if len(items) == 1 and not isinstance(items[0], Not):
            return items[0]
        return type(node)(tuple(items))
    if isinstance(node, Not):
        inner = _simplify(node.item)
        return Not(inner) if inner is not None else None
    return node


# --- places named in the words --------------------------------------------------------------


def _with_places(node: Node, resolve) -> Node:
    """Plain words (one to three in a row) and phrases that name a place also match the
    articles that mention it: ``Daraa`` becomes ``Daraa OR place:<id>``."""
    if isinstance(node, And):
        return And(_group_runs(node.items, resolve))
    if isinstance(node, Or):
        return Or(tuple(_with_places(i, resolve) for i in node.items))
    if isinstance(node, Not):
        return Not(_with_places(node.item, resolve))
    if isinstance(node, Term | Phrase):
        grouped = _group_runs((node,), resolve)
        return grouped[0] if len(grouped) == 1 else And(grouped)
    return node


def _group_runs(items: tuple[Node, ...], resolve) -> tuple[Node, ...]:
    out: list[Node] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Phrase) and item.field is None:
            out.append(_or_place(item, " ".join(item.words), resolve))
            i += 1
            continue
        for n in (3, 2, 1):
            run = items[i : i + n]
            if len(run) < n or not all(_plain_term(t) for t in run):
                continue
            name = " ".join(t.text for t in run)
            if name.casefold() in _NO_EXPAND or len(name) < 4:
                continue
            words = run[0] if n == 1 else Phrase(tuple(t.text for t in run))
            grouped = _or_place(words, name, resolve)
            if grouped is not words:
                out.append(grouped)
                i += n
                break
        else:
            out.append(item if isinstance(item, Term | Phrase) else _with_places(item, resolve))
            i += 1
    return tuple(out)


def _plain_term(node: Node) -> bool:
    return (
        isinstance(node, Term)
        and node.field is None
        and node.boost == 1.0
        and _PLAIN_WORD.fullmatch(node.text) is not None
    )


def _or_place(words: Term | Phrase, name: str, resolve) -> Node:
    place = resolve(name)
    if place is None:
        return words
    return Or((words, Place(str(place.geonameid))))
