"""The PostgreSQL store against a real server: versioned schema migrations, many writers at
once (threads and processes) with nothing lost or stored twice, and change numbers that a
reader catching up never misses, however the writers' transactions overlap."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

import pytest

from archive.archive import Archive
from archive.store import StoreError, open_store
from archive.store_postgres import SCHEMA_VERSION, PostgresStore
from archive.submissions import from_paths, from_record
from benchmarks import corpus

from .conftest import SEEDS


def test_the_schema_is_versioned_and_a_newer_one_refused(pg_url):
    store = PostgresStore(pg_url)
    assert store.meta("schema_version") == str(SCHEMA_VERSION)
    assert len(store.store_id()) == 16
    with store.transaction() as conn:
        store.set_meta(conn, "schema_version", str(SCHEMA_VERSION + 1))
    store.close()
    with pytest.raises(StoreError, match="newer version"):
        PostgresStore(pg_url)


def test_writers_opening_a_new_database_at_once_migrate_it_once(pg_url):
    stores, errors = [], []

    def open_one():
        try:
            stores.append(PostgresStore(pg_url))
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(stores) == 6
    assert len({s.store_id() for s in stores}) == 1
    for store in stores:
        store.close()


def test_an_address_that_is_not_postgresql_is_refused(tmp_path):
    with pytest.raises(StoreError, match="postgresql://"):
        open_store(tmp_path, "mysql://somewhere/db")


def test_a_change_committed_later_is_never_numbered_below_one_already_read(tmp_path, pg_url):
    """Two editors' transactions overlap: the one that began first commits last. A reader
    that read the second's change must still find the first's after it."""
    with Archive(tmp_path / "data", database_url=pg_url) as archive:
        list(archive.add_many(from_paths([str(SEEDS)])))
        first, second = archive.store.ids()[:2]
    store, reader = PostgresStore(pg_url), PostgresStore(pg_url)
    seen = reader.last_seq()
    began, second_done = threading.Event(), threading.Event()

    def slow_editor():
        with store.transaction() as conn:
            store.update(conn, first, title="First, committed last")
            began.set()
            second_done.wait(10)
        store.close()

    editor = threading.Thread(target=slow_editor)
    editor.start()
    began.wait(10)
    other = PostgresStore(pg_url)
    with other.transaction() as conn:
        other.update(conn, second, title="Second, committed first")
    got = [(seq, a.id) for seq, a in reader.changed_since(seen)]
    assert [i for _, i in got] == [second]  # the first is not committed yet
    second_done.set()
    editor.join(10)
    seen = got[0][0]
    after = [a.id for _, a in reader.changed_since(seen)]
    assert after == [first]
    for s in (store, reader, other):
        s.close()


WRITERS = 4  # two threads and two processes
OWN, SHARED = 30, 25  # articles each writer alone adds; articles every writer adds


def _records(writer: int) -> list[dict]:
    """A writer's own articles and the shared ones (under its own outlet name, in an order
    of its own, so concurrent transactions take the same new texts in different orders)."""
    own = [a.record() for a in corpus.articles(OWN * 2, seed=100 + writer) if a.copy_of is None]
    shared = [a.record() for a in corpus.articles(SHARED * 2, seed=99) if a.copy_of is None]
    shared = [{**r, "source": f"Writer {writer}"} for r in shared[:SHARED]]
    shift = writer * SHARED // WRITERS
    shared = shared[shift:] + shared[:shift]
    if writer % 2:
        shared.reverse()
    mixed = []
    for i, record in enumerate(own[:OWN]):
        mixed.append(record)
        if i < len(shared):
            mixed.append(shared[i])
    return mixed + shared[len(own[:OWN]) :]


def _write(data_dir: str, url: str, writer: int) -> list[tuple[str, str]]:
    """One writer's ingest; its results as (status, id)."""
    subs = [from_record(r, f"w{writer}:{i}") for i, r in enumerate(_records(writer))]
    with Archive(data_dir, database_url=url, catch_up=False) as archive:
        return [(r.status, r.id) for r in archive.add_many(subs)]


def test_many_writers_at_once_lose_nothing_store_nothing_twice_and_a_reader_misses_nothing(
    tmp_path, pg_url
):
    Archive(tmp_path / "w0", database_url=pg_url).close()  # the schema, made once
    results: dict[int, list] = {}
    stop = threading.Event()
    seen: dict[str, int] = {}  # article id -> the last change number the reader saw it at
    order_broken: list[tuple[int, int]] = []

    def read():
        reader = PostgresStore(pg_url)
        last = 0
        while True:
            finished = stop.is_set()
            for seq, article in reader.changed_since(last, batch=50):
                if seq <= last:
                    order_broken.append((last, seq))
                last = seq
                seen[article.id] = seq
            if finished:
                break
        reader.close()

    def write_in_thread(writer):
        results[writer] = _write(str(tmp_path / f"w{writer}"), pg_url, writer)

    poller = threading.Thread(target=read)
    poller.start()
    threads = [threading.Thread(target=write_in_thread, args=(w,)) for w in (0, 1)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn) as pool:
        futures = {w: pool.submit(_write, str(tmp_path / f"w{w}"), pg_url, w) for w in (2, 3)}
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for w, future in futures.items():
            results[w] = future.result()
    stop.set()
    poller.join()

    store = PostgresStore(pg_url)
    everything = [r for w in range(WRITERS) for r in results[w]]
    statuses = [s for s, _ in everything]
    assert "rejected" not in statuses
    stored = {i for s, i in everything if s != "duplicate"}
    assert len(stored) == sum(s != "duplicate" for s in statuses)  # each stored by one writer
    assert stored == set(store.ids()) and len(stored) == WRITERS * OWN + SHARED
    assert statuses.count("duplicate") == (WRITERS - 1) * SHARED
    assert store.count()["copies"] == (WRITERS - 1) * SHARED  # every outlet kept
    assert order_broken == []
    assert set(seen) == stored  # the reader caught every article up
    latest = {a.id: seq for seq, a in store.changed_since(0)}
    assert seen == latest  # and each at its last change
    store.close()


def test_the_cli_keeps_the_articles_in_the_database_it_is_given(cli, pg_url, monkeypatch):
    done = cli("--database-url", pg_url, "ingest", "--json", SEEDS)
    assert done.exit_code == 0, done.output
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", pg_url)
    stats = cli("stats", "--json")
    assert stats.exit_code == 0, stats.output
    assert '"articles": 5' in stats.output
    store = PostgresStore(pg_url)
    assert store.count()["articles"] == 5
    store.close()
    assert not (cli.data_dir / "articles.sqlite3").exists()
    monkeypatch.delenv("ARCHIVE_DATABASE_URL")
    wrong = cli("--database-url", "mysql://db/x", "stats")
    assert wrong.exit_code == 2 and "postgresql://" in wrong.output


def test_writers_taking_the_same_new_texts_in_opposite_orders_both_finish(
    tmp_path, pg_url, monkeypatch, caplog
):
    """Each holds one new text uncommitted and wants the other's: PostgreSQL undoes one
    (a deadlock); that writer's group is stored again and finds both stored."""
    from archive.archive import _Pushback
    from archive.ingest import prepare
    from archive.store import SqlStore

    texts = [a.record()["text"] for a in corpus.articles(4, seed=5) if a.copy_of is None][:2]
    monkeypatch.setattr("archive.archive.STORE_GROUP_SECONDS", 30.0)
    met = threading.Barrier(2, timeout=20)
    real_insert = SqlStore.insert
    first_insert = threading.local()

    def insert_then_meet(self, conn, article, **kwargs):
        real_insert(self, conn, article, **kwargs)
        if not getattr(first_insert, "done", False):
            first_insert.done = True
            met.wait()  # both writers now hold one new text each, uncommitted

    monkeypatch.setattr(SqlStore, "insert", insert_then_meet)
    caplog.set_level("INFO", logger="archive.archive")
    results: dict[str, list] = {}

    def write(name: str, order: list[str]):
        subs = [from_record({"text": t, "source": name}, name) for t in order]
        with Archive(tmp_path / name, database_url=pg_url, catch_up=False) as archive:
            items = _Pushback([(s, prepare(s)) for s in subs])
            results[name] = [r.status for r in archive._store_group(items)]

    Archive(tmp_path / "setup", database_url=pg_url, catch_up=False).close()
    writers = [
        threading.Thread(target=write, args=("One", texts)),
        threading.Thread(target=write, args=("Two", texts[::-1])),
    ]
    for t in writers:
        t.start()
    for t in writers:
        t.join(60)
    assert sorted(map(tuple, results.values())) == [
        ("added", "added"), ("duplicate", "duplicate"),
    ]  # fmt: skip
    assert any("won a race" in r.getMessage() for r in caplog.records)
    store = PostgresStore(pg_url)
    assert store.count()["articles"] == 2 and store.count()["copies"] == 2
    store.close()


def test_the_web_app_serves_and_adds_on_the_postgresql_store(tmp_path, pg_url):
    from tests.web.conftest import TOKEN, make_app

    app = make_app(tmp_path / "data", database_url=pg_url)
    try:
        client = app.test_client()
        text = (
            "Shelling hit the outskirts of Idlib overnight, officials said, and schools "
            "stayed closed across the province on Monday."
        )
        body = {"text": text, "source": "Wire"}
        auth = {"Authorization": f"Bearer {TOKEN}"}
        added = client.post("/api/articles", json=body, headers=auth)
        assert added.status_code == 201, added.get_data(as_text=True)
        article_id = added.get_json()["id"]
        again = client.post("/api/articles", json=body, headers=auth).get_json()
        assert (again["status"], again["id"]) == ("duplicate", article_id)
        found = client.get("/api/search?q=Idlib").get_json()
        assert [h["id"] for h in found["hits"]] == [article_id]
        assert client.get(f"/api/articles/{article_id}").get_json()["source"] == "Wire"
    finally:
        app.extensions["archive"].close()
    store = PostgresStore(pg_url)
    assert store.ids() == [article_id]
    store.close()


def test_only_the_postgresql_store_and_search_backend_import_psycopg():
    import ast

    from .conftest import ROOT

    importers = set()
    for path in [*ROOT.glob("archive/**/*.py"), *ROOT.glob("web/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n.split(".")[0] in ("psycopg", "psycopg_pool") for n in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert "archive/store_postgres.py" in importers
    assert {p for p in importers if not p.startswith("archive/search/postgres/")} == {
        "archive/store_postgres.py"
    }
