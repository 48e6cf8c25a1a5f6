"""Which engine an archive searches with: the one place that names one."""

from __future__ import annotations

from pathlib import Path

from archive.search.backend import Backend


def open_backend(data_dir: Path, *, cache_mb: int) -> Backend:
    """The search backend of the archive in `data_dir`: today the embedded Whoosh index in
    `data_dir/whoosh`. Another engine is another line here. Its `prepare` is called in
    ingest workers, so it must pickle (a static method or a plain function)."""
    from archive.search.whoosh import WhooshBackend

    return WhooshBackend(Path(data_dir) / "whoosh", cache_mb=cache_mb)
