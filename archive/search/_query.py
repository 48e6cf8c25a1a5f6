"""Query strings to Whoosh queries. A malformed query never fails: it is read as plain words,
with a note saying so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FuzzyTermPlugin,
    MultifieldParser,
    QueryParserError,
)

from archive.extract.outlets import known_outlet
from archive.search._schema import STEM_FIELDS, TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
_FILTER = re.compile(r'(?<!\S)(place|source|lang|language):(?:"([^"]*)"?|(\S*))', re.I)
_EMPTY_FIELD = re.compile(r"(?<!\S)(title):(?=\s|$)", re.I)
_NEGATION = re.compile(r'(?<![\w)"])-(?=[\w"(])')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_PLAIN_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
_SYNTAX = re.compile(r'["()*~^:+\-\[\]{}]')
_NO_EXPAND = {"the", "and", "for", "from", "with", "city", "state", "new", "north", "south"}


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


def _parser(schema) -> MultifieldParser:
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())
    return parser


def _balance(text: str, notes: list[str]) -> str:
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


def _place_groups(text: str, resolve) -> str:
    """Wrap plain words that name a place so that every spelling of it matches:
    ``Daraa`` becomes ``(Daraa OR place_exact:"ID")``; places and outlets are written as
    names (``homs``: ``Homs``), which are not stemmed."""
    tokens = re.findall(r'"[^"]*"|\S+', text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith('"') and len(token) > 2:
            place = resolve(token.strip('"'))
            out.append(f'({token} OR place_exact:"{place.geonameid}")' if place else token)
            i += 1
            continue
        for n in (3, 2, 1):
            chunk = tokens[i : i + n]
            if len(chunk) < n or not all(
                _PLAIN_WORD.fullmatch(t) and t not in _OPERATORS for t in chunk
            ):
                continue
            name = " ".join(chunk)
            if name.casefold() in _NO_EXPAND or len(name) < 4:
                continue
            place = resolve(name)
            if place is None:
                continue
            name = " ".join(map(_as_name, chunk))
            words = name if n == 1 else f'"{name}"'
            out.append(f'({words} OR place_exact:"{place.geonameid}")')
            i += n
            break
        else:
            out.append(_as_name(token) if _names_outlet(token) else _as_word(token))
            i += 1
    return " ".join(out)


def _names_outlet(token: str) -> bool:
    return (
        bool(_PLAIN_WORD.fullmatch(token)) and token not in _OPERATORS and bool(known_outlet(token))
    )


def _as_word(token: str) -> str:
    """A plain word that names no place or outlet, as a word: a capital alone does not make
    a name (queries start with one, headlines are pasted in title case), so it is stemmed."""
    if _PLAIN_WORD.fullmatch(token) and token not in _OPERATORS and not token.isupper():
        return token[:1].lower() + token[1:]
    return token


def _as_name(word: str) -> str:
    """A word written as a name, so that no stemmer reduces it to another word (_analysis)."""
    return word[:1].upper() + word[1:]


def parse_query(raw: str, schema, resolve_place) -> ParsedQuery:
    """Read a query string; `resolve_place(name)` maps a name to a place (or None)."""
    parsed = ParsedQuery(text="", query=wq.Every())
    notes = parsed.notes
    text = raw.strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")

    def take_filter(match: re.Match) -> str:
        name = match.group(1).casefold()
        value = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        if not value:
            notes.append(f"“{name}:” needs a value, e.g. {name}:{_EXAMPLES[name]}; it was ignored.")
            return " "
        target = {"place": parsed.places, "source": parsed.sources}.get(name, parsed.languages)
        target.append(value)
        return " "

    text = _FILTER.sub(take_filter, text)
    if _EMPTY_FIELD.search(text):
        text = _EMPTY_FIELD.sub(" ", text)
        notes.append("“title:” needs a word after it, e.g. title:Homs; it was ignored.")
    text = _balance(text, notes)
    text = _NEGATION.sub("NOT ", text)
    words = re.findall(r"\S+", text)
    if len(words) > MAX_TERMS:
        text = " ".join(words[:MAX_TERMS])
        notes.append(f"Only the first {MAX_TERMS} words of the query were searched.")
    text = " ".join(text.split())
    parsed.text = text
    parsed.words = [w for w in words if _PLAIN_WORD.fullmatch(w) and w not in _OPERATORS]
    if not text or text == "*":
        return parsed
    if text.lstrip().startswith(("*", "?")):
        notes.append("A word starting with a wildcard matches too much and was searched as is.")
        text = text.lstrip("*?")
    parser = _parser(schema)
    try:
        q = parser.parse(_place_groups(text, resolve_place))
        _check(q)
    except _PARSE_ERRORS:
        q = None
    if q is None or q is wq.NullQuery:
        # Operators in lower case are plain words ("AND OR NOT" alone makes Whoosh fail).
        plain = " ".join(
            w.casefold() if w in _OPERATORS else w for w in _SYNTAX.sub(" ", text).split()
        )
        notes.append("The query's syntax could not be read; it was searched as plain words.")
        parsed.text = plain
        try:
            q = parser.parse(plain) if plain else wq.Every()
        except _PARSE_ERRORS:
            q = wq.NullQuery
    parsed.query = q.accept(_stems_answer).normalize() if q is not wq.NullQuery else q
    return parsed


def _stems_answer(node: wq.Query) -> wq.Query:
    """The stem fields answer plain words only (the parser asks every field): a quoted
    phrase means those words, and they keep no positions; a prefix, wildcard or typo
    tolerance is over words, not stems."""
    if isinstance(node, wq.Phrase | wq.MultiTerm) and node.fieldname in STEM_FIELDS:
        return wq.NullQuery
    return node


# What Whoosh's parser raises on input it cannot read.
_PARSE_ERRORS = (QueryParserError, ValueError, TypeError, IndexError, RecursionError)
_EXAMPLES = {"place": "Homs", "source": '"Financial Times"', "lang": "en", "language": "en"}


def _check(q: wq.Query) -> None:
    """Reject parses that would search for nothing or misread the user."""
    for node in q.leaves():
        if node is wq.NullQuery:
            raise ValueError("empty clause")


@dataclass
class Marks:
    """What a query matches, for snippets: folded words, stems (scoped by language) and
    phrases (as their terms, in order), from the clauses that find articles (not NOT's)."""

    plain: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)


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
