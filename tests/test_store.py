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
