"""Which engine an archive searches with: the one place that names one."""

from __future__ import annotations

from pathlib import Path

from archive.search.backend import Backend


def open_backend(data_dir: Path, *, cache_mb: int, database_url: str | None = None) -> Backend:
    """The search backend of an archive: the PostgreSQL database its store is in, when it
    has one (`database_url`), else the embedded Whoosh index in `data_dir/whoosh`. Its
    `prepare` is called in ingest workers, so it must pickle (a static method or a plain
    function)."""
    if database_url:
        from archive.search.postgres import PostgresBackend

        return PostgresBackend(database_url)
    from archive.search.whoosh import WhooshBackend

    return WhooshBackend(Path(data_dir) / "whoosh", cache_mb=cache_mb)
