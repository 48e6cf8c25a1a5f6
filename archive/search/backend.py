"""The door to a search engine: what the search service hands a backend and what it gets
back. A backend finds, ranks and counts; everything users see (filters resolved, labels,
snippets, "did you mean" wording) is the service's.

Two backends implement it: `archive.search.whoosh` (embedded, the default) and
`archive.search.postgres` (a PostgreSQL database, for archives that outgrow one box).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from archive.search.query import Node


class IndexDamaged(RuntimeError):
    """The index build `build` cannot be read; the store can rebuild it."""

    def __init__(self, build: str | None, reason: str):
        super().__init__(reason)
        self.build = build
        self.reason = reason


@dataclass
class Document:
    """What an engine holds of one story (a story and its versions are one document)."""

    id: str
    seq: int  # the store's change number when this was read
    title: str | None
    text: str
    language: str
    date: str | None  # YYYY-MM-DD, or None
    added_at: str = ""  # ISO time the story was added
    sources: list[str] = field(default_factory=list)  # every outlet that ran it
    places: list[str] = field(default_factory=list)  # GeoNames ids mentioned
    prepared: bytes | None = None  # the backend's `prepare(doc)`, made in an ingest worker

    @classmethod
    def of(cls, article, seq: int = 0, sources=(), prepared: bytes | None = None) -> Document:
        """The document of a stored `archive.model.Article` at change `seq`, with the
        outlets that ran it."""
        return cls(
            id=article.id,
            seq=seq,
            title=article.title,
            text=article.text,
            language=article.language,
            date=article.date,
            added_at=article.added_at or "",
            sources=list(sources),
            places=article.place_ids,
            prepared=prepared,
        )


@dataclass
class Filters:
    """Filters already resolved to index values: several places narrow (AND), several
    sources or languages widen within their facet (OR); dates are inclusive days."""

    places: list[str] = field(default_factory=list)  # GeoNames ids
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    date_from: str | None = None  # YYYY-MM-DD
    date_to: str | None = None
    # values of the facets declared besides these four, by facet name, combined as the
    # registry says ("and" narrows, "or" widens)
    other: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Matches:
    """One page of ranked ids, how many match in all, and each facet's counts (value ->
    count, over every match, each facet under the other facets' filters)."""

    ids: list[str]
    total: int
    facet_counts: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)  # what the engine had to leave out
    # index words the query's wildcards and typo tolerances became, for the snippets' marks
    words: list[str] = field(default_factory=list)


class Backend(Protocol):
    def prepare(self, doc: Document) -> bytes:
        """The engine's analysis of a document, made where cores are free (an ingest
        worker) and handed back in `Document.prepared`; opaque to everything else."""

    def indexed_seq(self) -> int:
        """The store change number the index reflects."""

    def write(self, docs: Iterable[Document], *, seq: int, store: str | None) -> int:
        """Add or replace documents; the index then reflects the store up to `seq`."""

    def delete(self, ids: Iterable[str], *, seq: int) -> int:
        """Remove documents (a story deleted or folded into another)."""

    def rebuild(self, docs: Iterable[Document], *, seq: int, store: str | None) -> int:
        """A new index of exactly these documents, switched to when complete."""

    def query(self, tree: Node, filters: Filters, *, sort: str, start: int, limit: int) -> Matches:
        """Match, rank (`relevance`, `newest`, `oldest`, `added`) and count facets."""

    def suggest(self, word: str) -> str | None:
        """An indexed word close to one the index does not hold, in the same script."""

    def similar(self, doc_id: str, text: str, limit: int) -> list[tuple[str, float]]:
        """Other documents most like one, each scored as a share of its own score."""

    def doc_count(self) -> int:
        """Documents in the index; raises `IndexDamaged` when it cannot be read."""

    # How the archive notices an index it must rebuild (and rebuilds it without being
    # asked): a backend whose server keeps its data safe may answer that all is well.

    def state(self) -> dict | None:
        """Something true when there is a usable index, None when there is none (missing,
        unreadable or marked damaged)."""

    def older_schema(self) -> int | None:
        """The schema version of an index an earlier version of the archive made, if so."""

    def store_id(self) -> str | None:
        """The identity of the store the index was built from (None: not recorded)."""

    def verify(self) -> str | None:
        """Why the index cannot be trusted, or None when it can."""

    def mark_damaged(self, build: str | None) -> None:
        """Record that the index `IndexDamaged.build` names failed a read, so that every
        process rebuilds it instead of using it."""

    def close(self) -> None: ...
