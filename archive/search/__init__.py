"""Full-text search with facets. The only package that knows the engine is Whoosh."""

from archive.search.facet_pages import FACET_PAGE_SIZE, FacetPage, facet_page
from archive.search.health import IndexDamaged
from archive.search.request import SORTS, FacetValue, Hit, SearchRequest, SearchResult
from archive.search.whoosh import IndexDocument, SearchIndex, analyse

__all__ = [
    "FACET_PAGE_SIZE",
    "SORTS",
    "FacetPage",
    "FacetValue",
    "Hit",
    "IndexDamaged",
    "IndexDocument",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "analyse",
    "facet_page",
]
