"""Shared fixtures: an archive in a temporary data directory, seeded or empty, and a CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.archive import Archive
from archive.cli import main
from archive.submissions import from_paths
from tests.pgserver import as_url, create_database, drop_database, server_url

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory) -> Path:
    """A data directory with the five seeds ingested, built once per test session.
    Tests that change data must copy it (`seeded_copy`)."""
    data_dir = tmp_path_factory.mktemp("seeded")
    with Archive(data_dir) as archive:
        results = list(archive.add_many(from_paths([str(SEEDS)])))
    assert [r.status for r in results] == ["added"] * 5
    return data_dir


@pytest.fixture
def seeded(seeded_dir) -> Archive:
    """The seeded archive, read-only by convention."""
    archive = Archive(seeded_dir)
    yield archive
    archive.close()


@pytest.fixture
def seeded_copy(seeded_dir, tmp_path) -> Path:
    """A private copy of the seeded data directory, free to change."""
    target = tmp_path / "data"
    shutil.copytree(seeded_dir, target)
    return target


@pytest.fixture
def archive(tmp_path) -> Archive:
    """An empty archive in a temporary directory."""
    a = Archive(tmp_path / "data")
    yield a
    a.close()


@pytest.fixture(scope="session")
def pg_server() -> str:
    """One PostgreSQL server for the session (see tests/pgserver.py)."""
    url, cluster = server_url()
    yield url
    if cluster:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    url = as_url(create_database(pg_server))
    yield url
    drop_database(pg_server, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str | None:
    """Each store in turn: None for SQLite in the data directory, else a new PostgreSQL
    database's URL. A test taking it runs on both."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_url")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner, tmp_path):
    """Run `archive --data-dir <tmp> ARGS...`; returns the click Result."""
    data_dir = tmp_path / "cli-data"

    def run(*args, data=None, input=None):
        target = str(data or data_dir)
        return runner.invoke(main, ["--data-dir", target, *map(str, args)], input=input)

    run.data_dir = data_dir
    return run
