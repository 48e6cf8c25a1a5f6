"""The store: originals kept byte for byte, schema versioned, damage reported not repaired.
The tests taking `database_url` run on both stores, SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from archive.archive import Archive
from archive.store import SCHEMA_VERSION, SqlStore, Store, StoreError
from archive.submissions import from_paths

from .conftest import SEEDS


@pytest.fixture
def seeded_any(tmp_path, database_url) -> Archive:
    """The five seeds in an archive on each store in turn."""
    archive = Archive(tmp_path / "data", database_url=database_url)
    assert {r.status for r in archive.add_many(from_paths([str(SEEDS)]))} == {"added"}
    yield archive
    archive.close()


def test_original_bytes_are_kept_as_received(seeded_any):
    for article, _ in seeded_any.store.iter_articles():
        original, name, _ = seeded_any.original(article.id)
        assert original == (SEEDS / name.split("/")[-1]).read_bytes()


def test_every_read_gives_back_what_was_stored(seeded_any):
    store = seeded_any.store
    articles = [a for a, _ in store.iter_articles()]
    assert len(articles) == 5 and store.count() == {
        "articles": 5, "stories": 5, "copies": 0, "deleted": 0,
    }  # fmt: skip
    ids = [a.id for a in articles]
    assert store.ids() == ids and store.stored_before(ids[0], ids[1])
    assert not store.stored_before(ids[1], ids[0])
    assert store.get_many(ids) == {a.id: a for a in articles}
    assert [store.get(i) for i in ids] == articles
    seqs = [s for s, _ in store.changed_since(0)]
    assert seqs == sorted(seqs) and len(seqs) == 5 and store.last_seq() == seqs[-1]
    assert [a.id for _, a in store.changed_since(seqs[2])] == [
        a.id for s, a in store.changed_since(0) if s > seqs[2]
    ]
    assert store.current_seq() == store.last_seq() and len(store.store_id()) == 16
    assert sum(n for _, n in store.histogram("language")) == 5
    first, last = store.date_span()
    assert first is None or first <= last
    assert [a.id for a in store.recently_added(2)] == [a.id for a in store.recently_added(5)][:2]
    assert store.texts(ids[:2]) == {a.id: a.text for a in articles[:2]}
    assert store.id_for_fingerprint(articles[3].fingerprint) == ids[3]


def test_a_copy_is_recorded_once_and_touches_its_story(seeded_any):
    from archive.store import Sighting

    store = seeded_any.store
    story = store.ids()[0]
    before = store.last_seq()
    copy = Sighting("Other Outlet", "https://example.org/x", "x.txt", "2025-01-01T00:00:00+00:00")
    with store.transaction() as conn:
        assert store.add_sighting(conn, story, copy)
    with store.transaction() as conn:
        assert not store.add_sighting(conn, story, copy)  # nothing new
    assert store.sightings(story) == [copy]
    assert "Other Outlet" in store.outlets(story)
    assert [a.id for _, a in store.changed_since(before)] == [story]
    assert store.count()["copies"] == 1


def test_a_failed_inner_transaction_is_undone_alone(seeded_any):
    store = seeded_any.store
    first, second = store.ids()[:2]
    with store.transaction() as conn:
        store.update(conn, first, title="Kept")
        with pytest.raises(RuntimeError), store.transaction() as inner:
            store.update(inner, second, title="Undone")
            raise RuntimeError("this one fails")
    assert store.get(first).title == "Kept"
    assert store.get(second).title != "Undone"
    assert [a.id for _, a in store.changed_since(store.last_seq() - 1)] == [first]


def test_store_uses_wal_and_records_its_schema_version(seeded_dir):
    conn = sqlite3.connect(seeded_dir / "articles.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "articles.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_a_corrupt_store_is_reported_and_left_alone(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    junk = b"this is not a database" * 100
    (data / "articles.sqlite3").write_bytes(junk)
    with pytest.raises(StoreError, match="damaged"):
        Archive(data)
    assert (data / "articles.sqlite3").read_bytes() == junk


def test_a_failed_transaction_leaves_nothing(seeded_any):
    store = seeded_any.store
    before = store.count()
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("DELETE FROM sightings")
        conn.execute("DELETE FROM bands")
        raise RuntimeError("crash mid-write")
    assert store.count() == before
    assert len(store.texts([a.id for a, _ in store.iter_articles()])) == 5


def _locked() -> sqlite3.OperationalError:
    err = sqlite3.OperationalError("database is locked")
    err.sqlite_errorcode = 5  # SQLITE_BUSY, as SQLite reports it
    return err


def test_a_store_another_process_is_creating_is_opened_after_a_retry(tmp_path, monkeypatch):
    """Two ingests starting on a new data directory: SQLite may answer "locked" at once
    while the other converts it to WAL; that is not damage, and opening tries again."""
    calls = []
    real = Store._set_up

    def busy_twice(self):
        calls.append(1)
        if len(calls) <= 2:
            raise _locked()
        return real(self)

    monkeypatch.setattr(Store, "_set_up", busy_twice)
    store = Store(tmp_path / "articles.sqlite3")
    assert len(calls) == 3 and store.count()["articles"] == 0


def test_a_store_that_stays_locked_is_reported_as_busy_not_damaged(tmp_path, monkeypatch):
    monkeypatch.setattr("archive.store._OPEN_TRIES", 3)
    monkeypatch.setattr(Store, "_set_up", lambda self: (_ for _ in ()).throw(_locked()))
    with pytest.raises(StoreError, match="stayed locked") as info:
        Store(tmp_path / "articles.sqlite3")
    assert "damaged" not in str(info.value)


def test_bulk_ingest_reports_only_committed_articles_and_a_failed_group_lands_whole(
    tmp_path, monkeypatch, database_url
):
    """Bulk ingest stores articles in groups, one transaction each: when a store fails in
    the middle of a group, what was reported added is exactly what the store holds, and
    running the ingest again adds the rest."""
    from archive.submissions import from_record
    from benchmarks import corpus

    subs = [from_record(a.record(), f"gen:{a.index}") for a in corpus.articles(90, seed=21)]
    real_insert = SqlStore.insert
    inserts = 0
    # The store failing as each one does: SQLite's own error, PostgreSQL's as StoreError.
    failure = StoreError if database_url else sqlite3.OperationalError

    def insert_then_fail(self, *args, **kwargs):
        nonlocal inserts
        inserts += 1
        if inserts == 75:
            raise failure("disk I/O error")
        return real_insert(self, *args, **kwargs)

    with Archive(tmp_path / "data", database_url=database_url) as archive:
        monkeypatch.setattr(SqlStore, "insert", insert_then_fail)
        reported = []
        with pytest.raises(failure):
            for result in archive.add_many(subs):
                reported.append(result)
        monkeypatch.setattr(SqlStore, "insert", real_insert)
        stored = {a.id for a, _ in archive.store.iter_articles()}
        assert reported and len(reported) < 75
        assert {r.article.id for r in reported if r.status != "duplicate"} == stored
        again = list(archive.add_many(subs))
        assert len(again) == 90
        assert sum(r.status == "duplicate" for r in again) == len(stored)
        assert archive.store.count()["articles"] == sum(r.status != "rejected" for r in again)
