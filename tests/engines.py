"""The engine a test runs on, for code that opens archives itself: the contract suite's
modules (marked `both_engines`) run once on each, and the `database` fixture points
ARCHIVE_DATABASE_URL at the test's PostgreSQL database, for this process and the CLI and
servers it starts."""

from __future__ import annotations

import os
from pathlib import Path

from archive.archive import Archive


def open_archive(data_dir: Path, **kwargs) -> Archive:
    """`Archive(data_dir, ...)` on the running test's engine."""
    return Archive(data_dir, database_url=os.environ.get("ARCHIVE_DATABASE_URL") or None, **kwargs)
