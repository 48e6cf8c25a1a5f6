"""Full-text search with facets. The only package that knows the engine is Whoosh."""

from archive.search.health import IndexDamaged
from archive.search.index import IndexDocument, SearchIndex, analyse
from archive.search.request import SORTS, FacetValue, Hit, SearchRequest, SearchResult

__all__ = [
    "SORTS",
    "FacetValue",
    "Hit",
    "IndexDamaged",
    "IndexDocument",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "analyse",
]
