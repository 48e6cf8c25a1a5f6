"""Copying an archive's store to another store, SQLite to PostgreSQL or back: every table,
row for row, ids, insertion order and change numbers kept, so the search index (and every
link and bookmark) stays valid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.store import SqlStore, Store, StoreError

_ARTICLE_COLUMNS = (
    "rowid", "id", "seq", "fingerprint", "version_of", "title", "source", "author", "date",
    "url", "language", "language_prob", "source_domain", "date_confidence", "date_uncertain",
    "deleted", "split", "place_edits", "basis", "places", "text", "shingles", "original",
    "original_name", "original_type", "added_at",
)  # fmt: skip
# Every table, in the order they are copied (what others refer to first), with its columns
# and the key it is read in order of.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "meta": (("key", "value"), ("key",)),
    "articles": (_ARTICLE_COLUMNS, ("rowid",)),
    "sightings": (("id", "article_id", "source", "url", "original_name", "added_at"), ("id",)),
    "bands": (("key", "article_id"), ("key", "article_id")),
    "rules": (
        ("id", "kind", "name", "target", "source", "language", "at", "editor"),
        ("id",),
    ),
    "changes": (
        ("id", "article_id", "kind", "field", "old", "new", "at", "editor", "reverted_by"),
        ("id",),
    ),
}
# Meta rows a store keeps about itself, not about the archive.
_OWN_META = {"schema_version"}
BATCH = 500


class MigrationError(ValueError):
    """The target cannot take the copy (it holds an archive already, or is the source)."""


def open_target(target: str) -> SqlStore:
    """The store `--to` names: postgresql://..., sqlite:///PATH (SQLAlchemy's form: four
    slashes for an absolute path), or a data directory (its articles.sqlite3)."""
    if target.startswith(("postgresql://", "postgres://")):
        from archive.store_postgres import PostgresStore

        return PostgresStore(target)
    if target.startswith("sqlite:///"):
        path = Path(target.removeprefix("sqlite:///"))
    elif "://" in target:
        raise MigrationError(
            f"{target!r}: give postgresql://..., sqlite:///PATH or a data directory"
        )
    else:
        path = Path(target) / "articles.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return Store(path)


def counts(store: SqlStore) -> dict[str, int]:
    """Rows in each table (meta's own rows left out)."""
    found = {t: store.query(f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}
    found["meta"] -= sum(store.meta(key) is not None for key in _OWN_META)
    return found


def holds_archive(store: SqlStore) -> bool:
    return any(n for table, n in counts(store).items() if table != "meta")


def migrate(
    source: SqlStore,
    target: SqlStore,
    *,
    replace: bool = False,
    advance: Callable[[int], None] = lambda rows: None,
) -> dict:
    """Copy every row of `source` into `target`, in batches, calling `advance` with the
    rows of each; then check that every table has as many rows at both ends. `target`
    must be empty unless `replace`, which empties it first."""
    if holds_archive(target):
        if not replace:
            raise MigrationError("the target holds an archive already (--replace empties it)")
        with target.transaction() as conn:
            for table in ("bands", "sightings", "changes", "rules", "articles"):
                conn.execute(f"DELETE FROM {table}")
    links: list[tuple[str, str]] = []  # (story, version): set once every article is in
    for table, (columns, key) in TABLES.items():
        version_at = columns.index("version_of") if table == "articles" else None
        for rows in _batches(source, table, columns, key):
            if table == "meta":
                rows = [r for r in rows if r[0] not in _OWN_META]
            if version_at is not None:
                links += [(r[version_at], r[1]) for r in rows if r[version_at]]
                rows = [(*r[:version_at], None, *r[version_at + 1 :]) for r in rows]
            with target.transaction() as conn:
                conn.executemany(_insert(table, columns), rows)
            advance(len(rows))
    with target.transaction() as conn:
        for start in range(0, len(links), BATCH):
            conn.executemany(
                "UPDATE articles SET version_of = ? WHERE id = ?", links[start : start + BATCH]
            )
        target.renumber_all(conn)
    return verify(source, target)


def verify(source: SqlStore, target: SqlStore) -> dict:
    """Both ends' row counts, change number and identity; `StoreError` when they differ."""
    report, expected = _summary(target), _summary(source)
    if report != expected:
        raise StoreError(f"the copy differs from its source: {report} against {expected}")
    return report


def _summary(store: SqlStore) -> dict:
    return {"tables": counts(store), "seq": store.current_seq(), "store_id": store.store_id()}


def _batches(store: SqlStore, table: str, columns: tuple[str, ...], key: tuple[str, ...]):
    select = f"SELECT {', '.join(columns)} FROM {table}"
    order = f" ORDER BY {', '.join(key)} LIMIT {BATCH}"
    at = [columns.index(k) for k in key]
    rows = store.query(select + order)
    while rows:
        rows = [tuple(r) for r in rows]
        yield rows
        last = tuple(rows[-1][i] for i in at)
        after = f" WHERE ({', '.join(key)}) > ({', '.join('?' * len(key))})"
        rows = store.query(select + after + order, last)


def _insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ",".join("?" * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    if table == "meta":  # the target made its own store id and seq when it was created
        sql += " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    return sql
