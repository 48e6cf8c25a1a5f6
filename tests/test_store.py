"""The store: originals kept byte for byte, schema versioned, damage reported not repaired."""

from __future__ import annotations

import sqlite3

import pytest

from archive.archive import Archive
from archive.store import SCHEMA_VERSION, Store, StoreError

from .conftest import SEEDS


def test_original_bytes_are_kept_as_received(seeded):
    for article, _ in seeded.store.iter_articles():
        original, name, _ = seeded.original(article.id)
        assert original == (SEEDS / name.split("/")[-1]).read_bytes()


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


def test_a_failed_transaction_leaves_nothing(seeded_copy):
    store = Store(seeded_copy / "articles.sqlite3")
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
    tmp_path, monkeypatch
):
    """Bulk ingest stores articles in groups, one transaction each: when a store fails in
    the middle of a group, what was reported added is exactly what the store holds, and
    running the ingest again adds the rest."""
    from archive.submissions import from_record
    from benchmarks import corpus

    subs = [from_record(a.record(), f"gen:{a.index}") for a in corpus.articles(90, seed=21)]
    real_insert = Store.insert
    inserts = 0

    def insert_then_fail(self, *args, **kwargs):
        nonlocal inserts
        inserts += 1
        if inserts == 75:
            raise sqlite3.OperationalError("disk I/O error")
        return real_insert(self, *args, **kwargs)

    with Archive(tmp_path / "data") as archive:
        monkeypatch.setattr(Store, "insert", insert_then_fail)
        reported = []
        with pytest.raises(sqlite3.OperationalError):
            for result in archive.add_many(subs):
                reported.append(result)
        monkeypatch.setattr(Store, "insert", real_insert)
        stored = {a.id for a, _ in archive.store.iter_articles()}
        assert reported and len(reported) < 75
        assert {r.article.id for r in reported if r.status != "duplicate"} == stored
        again = list(archive.add_many(subs))
        assert len(again) == 90
        assert sum(r.status == "duplicate" for r in again) == len(stored)
        assert archive.store.count()["articles"] == sum(r.status != "rejected" for r in again)
