"""The URL is the state: search parameters parsed into a `SearchRequest`, and links that change
one parameter at a time (as Datasette builds its facet links)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from archive.search import SORTS, SearchRequest, registry

# Every parameter of the search page, in the order links spell them; anything else is dropped.
# A facet declared in the registry besides these brings its own (read when a state is made).
PARAMS = ("q", "place", "source", "lang", "from", "to", "sort", "page")
REPEATABLE = {"place", "source", "lang"}
MAX_QUERY_CHARS = 1000
MAX_FILTERS = 20
MAX_PAGE = 500
_PAGE = re.compile(r"[0-9]{1,4}")


class SearchState:
    """The parameters of one search, immutable; each change returns a new state."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        params, repeatable = _params(), _repeatable()
        kept: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for name, value in pairs:
            value = " ".join(str(value).split()) if name != "q" else str(value).strip()
            if name not in params or not value or (name, value) in seen:
                continue
            if name not in repeatable and any(n == name for n, _ in kept):
                continue  # a single-valued parameter: the first one wins
            seen.add((name, value))
            kept.append((name, value))
        kept.sort(key=lambda pair: params.index(pair[0]))
        self._pairs = tuple(kept)

    @classmethod
    def from_args(cls, args: MultiDict | Mapping) -> SearchState:
        items = args.items(multi=True) if isinstance(args, MultiDict) else args.items()
        return cls(items)

    # --- reading -------------------------------------------------------------------------

    def get(self, name: str, default: str = "") -> str:
        return next((v for n, v in self._pairs if n == name), default)

    def getlist(self, name: str) -> list[str]:
        return [v for n, v in self._pairs if n == name]

    def has(self, name: str, value: str | None = None) -> bool:
        return any(n == name and (value is None or v == value) for n, v in self._pairs)

    @property
    def q(self) -> str:
        return self.get("q")

    @property
    def sort(self) -> str:
        """The sort in force: relevance for a query, newest when browsing everything."""
        return self.get("sort") or ("relevance" if self.q else "newest")

    @property
    def filtered(self) -> bool:
        return any(n in _repeatable() or n in ("from", "to") for n, _ in self._pairs)

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return self._pairs

    # --- changing ------------------------------------------------------------------------

    def _new(self, pairs: Iterable[tuple[str, str]], keep_page: bool = False) -> SearchState:
        return SearchState(p for p in pairs if keep_page or p[0] != "page")

    def add(self, name: str, value: str) -> SearchState:
        """One more value of a filter (a new filter starts again at page one)."""
        return self._new([*self._pairs, (name, value)])

    def remove(self, name: str, *values: str) -> SearchState:
        return self._new(p for p in self._pairs if not (p[0] == name and p[1] in values))

    def toggle(self, name: str, value: str, selected: bool) -> SearchState:
        return self.remove(name, value) if selected else self.add(name, value)

    def set(self, name: str, value: str | None) -> SearchState:
        """Replace a single-valued parameter (None or "" removes it)."""
        pairs = [p for p in self._pairs if p[0] != name]
        if value:
            pairs.append((name, str(value)))
        return self._new(pairs, keep_page=name == "page")

    def without(self, *names: str) -> SearchState:
        return self._new(p for p in self._pairs if p[0] not in names)

    def clear_filters(self) -> SearchState:
        """The same words and sort, no filters."""
        return self._new(p for p in self._pairs if p[0] in ("q", "sort"))

    # --- links ---------------------------------------------------------------------------

    @property
    def query_string(self) -> str:
        return urlencode(self._pairs)

    def url(self, endpoint: str = "search.index", **kwargs) -> str:
        base = url_for(endpoint, **kwargs)
        return f"{base}?{self.query_string}" if self._pairs else base

    def __eq__(self, other) -> bool:
        return isinstance(other, SearchState) and self._pairs == other._pairs

    def __hash__(self) -> int:
        return hash(self._pairs)

    def __repr__(self) -> str:
        return f"SearchState({self.query_string!r})"

    # --- the request ---------------------------------------------------------------------

    def search_request(self, per_page: int) -> SearchRequest:
        """The core's request; raises BadRequest (a friendly 400) for values no search can
        use. Unknown places and bad dates are not errors: the result carries a note."""
        if len(self.q) > MAX_QUERY_CHARS:
            raise BadRequest(f"The search is too long (the limit is {MAX_QUERY_CHARS} characters).")
        for name in _repeatable():
            if len(self.getlist(name)) > MAX_FILTERS:
                raise BadRequest(f"Too many “{name}” filters (the limit is {MAX_FILTERS}).")
        sort = self.sort
        if sort not in SORTS:
            raise BadRequest(f"“{sort}” is not a sort order; use one of {', '.join(SORTS)}.")
        raw_page = self.get("page", "1")
        # ASCII digits only: str.isdigit() takes "²" (which int() refuses) and "٣".
        if not _PAGE.fullmatch(raw_page) or not 1 <= int(raw_page) <= MAX_PAGE:
            raise BadRequest(f"“page” must be a whole number from 1 to {MAX_PAGE}.")
        return SearchRequest(
            q=self.q,
            places=self.getlist("place"),
            sources=self.getlist("source"),
            languages=self.getlist("lang"),
            date_from=self.get("from") or None,
            date_to=self.get("to") or None,
            sort=sort,
            page=int(raw_page),
            per_page=per_page,
            facets={f.name: self.getlist(f.param) for f in _declared() if self.has(f.param)},
        )


def _declared() -> list[registry.Facet]:
    """The registry's facets beyond the four the page knows by name."""
    return [f for f in registry.FACETS if f.param not in PARAMS]


def _params() -> tuple[str, ...]:
    return (*PARAMS[:-2], *(f.param for f in _declared()), *PARAMS[-2:])


def _repeatable() -> set[str]:
    return REPEATABLE | {f.param for f in _declared() if f.combine != "range"}
