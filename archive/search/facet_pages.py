"""Every value of a facet, reachable: one page of a facet's values, optionally only those whose
label contains some words (the "find an outlet" box), over a result that holds them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.folding import strip_marks
from archive.search.request import FacetValue, SearchResult

FACET_PAGE_SIZE = 100


@dataclass
class FacetPage:
    name: str
    find: str
    total: int  # values that match `find` (all values without it)
    page: int
    per_page: int
    values: list[FacetValue] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_json(self) -> dict[str, Any]:
        return {
            "facet": self.name,
            "find": self.find,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "values": [v.to_json() for v in self.values],
        }


def _fold(text: str) -> str:
    return " ".join(strip_marks(text).casefold().split())


def facet_page(
    result: SearchResult,
    name: str,
    find: str = "",
    page: int = 1,
    per_page: int = FACET_PAGE_SIZE,
    labels: dict[str, str] | None = None,
) -> FacetPage:
    """One page of facet `name`'s values in `result` (run with `facet_limit=None`), commonest
    first, then by name; with `find`, only values whose label or value contains every word of
    it, accents and case aside. `labels` gives display names ("Arabic" for "ar") to match."""
    words = _fold(find).split()
    values = sorted(result.facets.get(name, []), key=lambda v: (-v.count, _fold(v.label)))
    if words:
        labels = labels or {}

        def matches(v: FacetValue) -> bool:
            hay = _fold(f"{v.value} {v.label} {labels.get(v.value, '')}")
            return all(w in hay for w in words)

        values = [v for v in values if matches(v)]
    start = (max(1, page) - 1) * per_page
    return FacetPage(
        name, find, len(values), max(1, page), per_page, values[start : start + per_page]
    )
