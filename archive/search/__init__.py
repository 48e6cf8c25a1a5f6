"""Full-text search with facets: an engine-neutral service (`service`) over a `Backend`
(`backend`); `open_backend` chooses the engine. Only `archive.search.whoosh` knows Whoosh
and only `archive.search.postgres` knows PostgreSQL."""

from archive.search.backend import Backend, Document, Filters, IndexDamaged, Matches
from archive.search.engine import open_backend
from archive.search.facet_pages import FACET_PAGE_SIZE, FacetPage, facet_page
from archive.search.request import SORTS, FacetValue, Hit, SearchRequest, SearchResult
from archive.search.service import SearchService

__all__ = [
    "FACET_PAGE_SIZE",
    "SORTS",
    "Backend",
    "Document",
    "FacetPage",
    "FacetValue",
    "Filters",
    "Hit",
    "IndexDamaged",
    "Matches",
    "SearchRequest",
    "SearchResult",
    "SearchService",
    "facet_page",
    "open_backend",
]
