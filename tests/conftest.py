"""Shared fixtures: an archive in a temporary data directory, seeded or empty, and a CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.archive import Archive
from archive.cli import main
from archive.submissions import from_paths
from tests.pgserver import as_url, copy_database, create_database, drop_database, server_url

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


ENGINES = ("embedded", "postgresql")


def pytest_generate_tests(metafunc):
    """The contract suite (modules marked `both_engines`) runs on each engine in turn; a
    test of one engine's own workings says which (`engines("embedded")`)."""
    if "engine" not in metafunc.fixturenames:
        return
    only = metafunc.definition.get_closest_marker("engines")
    if only:
        metafunc.parametrize("engine", only.args, indirect=True)
    elif metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request) -> str:
    """Where the test's archive lives: "embedded" (SQLite and Whoosh in the data
    directory) unless its module runs on both."""
    return getattr(request, "param", "embedded")


@pytest.fixture(autouse=True)
def database(engine, request, monkeypatch) -> str | None:
    """The PostgreSQL database holding the test's archive, store and search (None for the
    embedded engine); the CLI the test runs, in process or not, is pointed at it too."""
    if engine == "embedded":
        return None
    url = request.getfixturevalue("pg_url")
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", url)
    return url


def _seed(data_dir: Path, database_url: str | None = None) -> Path:
    with Archive(data_dir, database_url=database_url) as archive:
        results = list(archive.add_many(from_paths([str(SEEDS)])))
    assert [r.status for r in results] == ["added"] * 5
    return data_dir


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory) -> Path:
    """A data directory with the five seeds ingested (embedded engine), built once per test
    session. Tests that change data must copy it (`seeded_copy`)."""
    return _seed(tmp_path_factory.mktemp("seeded"))


@pytest.fixture(scope="session")
def _seeded_postgres(tmp_path_factory, pg_server) -> tuple[Path, str]:
    """The seeds in a database of their own, the template of each test's copy."""
    url = as_url(create_database(pg_server, prefix="archive_seeded"))
    return _seed(tmp_path_factory.mktemp("seeded-pg"), url), url


@pytest.fixture
def seeded_url(engine, request) -> str | None:
    if engine == "embedded":
        return None
    return request.getfixturevalue("_seeded_postgres")[1]


@pytest.fixture
def seeded_source(engine, request) -> Path:
    """The seeded data directory of the test's engine."""
    if engine == "embedded":
        return request.getfixturevalue("seeded_dir")
    return request.getfixturevalue("_seeded_postgres")[0]


@pytest.fixture
def seeded(seeded_source, seeded_url) -> Archive:
    """The seeded archive, read-only by convention."""
    archive = Archive(seeded_source, database_url=seeded_url)
    yield archive
    archive.close()


@pytest.fixture
def seeded_copy(seeded_source, seeded_url, database, pg_server_if_any, tmp_path) -> Path:
    """A private copy of the seeded archive, free to change (open it with
    `tests.engines.open_archive`): the data directory, and on PostgreSQL the database."""
    target = tmp_path / "data"
    shutil.copytree(seeded_source, target)
    if database:
        copy_database(pg_server_if_any, seeded_url, database)
    return target


@pytest.fixture
def pg_server_if_any(engine, request) -> str | None:
    return None if engine == "embedded" else request.getfixturevalue("pg_server")


@pytest.fixture
def archive(tmp_path, database) -> Archive:
    """An empty archive in a temporary directory."""
    a = Archive(tmp_path / "data", database_url=database)
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
    """Run `archive --data-dir <tmp> ARGS...` (with `--database-url url` when given, else
    the test's engine); returns the click Result."""
    data_dir = tmp_path / "cli-data"

    def run(*args, data=None, url=None, input=None):
        where = ["--data-dir", str(data or data_dir)] + (["--database-url", url] if url else [])
        return runner.invoke(main, [*where, *map(str, args)], input=input)

    run.data_dir = data_dir
    return run
