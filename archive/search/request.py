"""What a search asks for and what it answers: the contract both shells render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "oldest", "added")  # added: newest added first


@dataclass
class SearchRequest:
    """A query with its filters; every field maps to a URL parameter of the web UI."""

    q: str = ""
    places: list[str] = field(default_factory=list)  # GeoNames ids or any known name
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facet_limit: int | None = 50  # values per facet (selected ones always kept); None: all
    facets: dict[str, list[str]] = field(default_factory=dict)  # other registry facets' values


@dataclass
class Hit:
    id: str
    title: str | None
    display_title: str
    source: str | None
    sources: list[str]  # every outlet that ran the story (versions included)
    date: str | None
    language: str
    places: list[dict[str, str]]  # [{"id", "name", "label"}]
    snippet: str  # escaped HTML, only <mark> is markup
    score: float | None = None
    versions: list[str] = field(default_factory=list)
    added_at: str | None = None  # when the story was added (ISO 8601, UTC)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "display_title": self.display_title,  # what pages show: the title or opening words
            "source": self.source,
            "sources": self.sources,
            "date": self.date,
            "language": self.language,
            "places": self.places,
            "snippet": self.snippet,
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    parent: str | None = None  # for places: the country a city rolls up to

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "label": self.label, "count": self.count}
        if self.parent:
            data["parent"] = self.parent
        return data


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]  # "place", "source", "language", "date"
    suggestion: str | None = None  # "did you mean" query
    notes: list[str] = field(default_factory=list)  # e.g. how a malformed query was read
    elapsed_ms: float = 0.0
    resolved_places: list[dict[str, str]] = field(default_factory=list)  # filters as places
    facet_totals: dict[str, int] = field(default_factory=dict)  # distinct values per facet

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    @property
    def truncated(self) -> dict[str, int]:
        """Per facet, how many values the matches have that the facet's list leaves out."""
        return {
            name: max(0, self.facet_totals.get(name, 0) - len(values))
            for name, values in self.facets.items()
        }

    def to_json(self) -> dict[str, Any]:
        facets: dict[str, list[dict[str, Any]]] = {}
        for name, values in self.facets.items():
            if name == "date":
                facets[name] = [{"value": v.value, "count": v.count} for v in values]
            else:
                facets[name] = [v.to_json() for v in values]
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "hits": [h.to_json() for h in self.hits],
            "facets": facets,
            "suggestion": self.suggestion,
            "notes": self.notes,
            "facet_totals": self.facet_totals,
        }
