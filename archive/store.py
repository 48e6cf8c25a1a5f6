"""The system of record: every article in SQLite with its original bytes, metadata and the
duplicates it gathered. The search index is derived from this and nothing else."""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.curation_store import CurationStore, json_or_null
from archive.curation_store import now as now  # the store's clock, as before
from archive.locking import WriteLock
from archive.model import Article, PlaceRef

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,            -- bumped on every change the index must see
    fingerprint TEXT NOT NULL UNIQUE,
    version_of TEXT REFERENCES articles(id),
    title TEXT, source TEXT, author TEXT, date TEXT, url TEXT,
    language TEXT NOT NULL, language_prob REAL,
    source_domain TEXT, date_confidence REAL,          -- schema 2
    date_uncertain INTEGER NOT NULL DEFAULT 0,         -- schema 2
    deleted TEXT,                    -- schema 3: JSON tombstone {at, editor, why}, or NULL
    split INTEGER NOT NULL DEFAULT 0,  -- schema 3: an editor made it a story of its own
    place_edits TEXT,                -- schema 3: JSON {"remove": [ids], "add": [ids]}
    basis TEXT NOT NULL,             -- JSON: field -> how its value was found
    places TEXT NOT NULL,            -- JSON list of PlaceRef
    text TEXT NOT NULL,
    shingles INTEGER NOT NULL,       -- how many 5-word shingles the text has
    original BLOB NOT NULL,
    original_name TEXT, original_type TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_seq ON articles(seq);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_version_of ON articles(version_of);
CREATE TABLE IF NOT EXISTS sightings (   -- another copy of an exact duplicate
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    source TEXT, url TEXT, original_name TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sightings_article ON sightings(article_id);
CREATE TABLE IF NOT EXISTS changes (    -- schema 3: every curation change, for history
    id INTEGER PRIMARY KEY,
    article_id TEXT,                 -- NULL for an archive-wide rule
    kind TEXT NOT NULL,              -- edit, places, rule-add, rule-remove, delete, ...
    field TEXT,
    old TEXT, new TEXT,              -- JSON values
    at TEXT NOT NULL,
    editor TEXT NOT NULL,
    reverted_by INTEGER              -- the change that undid this one
);
CREATE INDEX IF NOT EXISTS changes_article ON changes(article_id);
CREATE TABLE IF NOT EXISTS rules (      -- schema 3: archive-wide corrections
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,              -- not-a-place, alias, outlet
    name TEXT NOT NULL,
    target TEXT,                     -- alias: GeoNames id; outlet: the name kept
    source TEXT, language TEXT,      -- not-a-place: only for this outlet or language
    at TEXT NOT NULL,
    editor TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bands (       -- MinHash LSH buckets for near-duplicate lookup
    key INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
"""

_ARTICLE_COLUMNS = (
    "id, fingerprint, version_of, title, source, author, date, url, language, language_prob, "
    "source_domain, date_confidence, date_uncertain, "
    "basis, places, text, original_name, original_type, added_at, deleted, split, place_edits"
)
# Columns added after schema 1, with their definitions: an older archive gains them on open.
_ADDED_COLUMNS = {
    "source_domain": "TEXT",
    "date_confidence": "REAL",
    "date_uncertain": "INTEGER NOT NULL DEFAULT 0",
    "deleted": "TEXT",
    "split": "INTEGER NOT NULL DEFAULT 0",
    "place_edits": "TEXT",
}


class StoreError(RuntimeError):
    """The store cannot be opened, cannot be reached or is damaged; the message says what to
    do. Either store raises it (or `sqlite3.OperationalError`: see `STORE_FAILURES`)."""


class StoreConflict(StoreError):
    """A concurrent writer won a race for the same rows (a deadlock, or the same id taken
    for another text): everything the transaction wrote is undone; run it again."""


class DuplicateArticle(Exception):
    """Another writer stored the same text first; `holder` is its article's id."""

    def __init__(self, holder: str):
        super().__init__(f"already stored as {holder}")
        self.holder = holder


# What a store raises when it fails itself (damage, a full disk, a lost server), as opposed
# to one article being bad: SQLite's own errors pass through as they are.
STORE_FAILURES = (StoreError, sqlite3.OperationalError)


@dataclass(frozen=True)
class Sighting:
    source: str | None
    url: str | None
    original_name: str | None
    added_at: str


def _damaged(path: Path, err: sqlite3.DatabaseError) -> StoreError:
    return StoreError(
        f"the store {path} is damaged or not an archive database ({err}). "
        "Nothing was changed. Restore it from a backup or an export (see docs/operations.md)."
    )


# SQLITE_CORRUPT and SQLITE_NOTADB: damage can sit in any page, so it may surface in any
# query, long after the store opened; it must read as damage, not as a crash.
_DAMAGE_CODES = {11, 26}
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_OPEN_TRIES = 100  # ~10 s


def _code(err: sqlite3.DatabaseError) -> int:
    return getattr(err, "sqlite_errorcode", 0) & 0xFF


def _checked(method):
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as err:
            if _code(err) in _DAMAGE_CODES:
                raise _damaged(self.connection.store_path, err) from err
            raise

    return call


class _CheckedCursor(sqlite3.Cursor):
    """A cursor that reports a damaged database as `StoreError`."""

    execute = _checked(sqlite3.Cursor.execute)
    executemany = _checked(sqlite3.Cursor.executemany)
    executescript = _checked(sqlite3.Cursor.executescript)
    fetchone = _checked(sqlite3.Cursor.fetchone)
    fetchmany = _checked(sqlite3.Cursor.fetchmany)
    fetchall = _checked(sqlite3.Cursor.fetchall)
    __next__ = _checked(sqlite3.Cursor.__next__)


class _CheckedConnection(sqlite3.Connection):
    store_path: Path

    def cursor(self, factory=_CheckedCursor):
        return super().cursor(factory)

    def execute(self, sql, parameters=(), /):
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, parameters, /):
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script, /):
        return self.cursor().executescript(script)


class SqlStore(CurationStore):
    """What both stores share: every read and write in SQL that SQLite and PostgreSQL both
    read (`?` placeholders). A store gives `_conn`, `transaction`, `touch` and `_seq_for`."""

    # How a text column is compared to a value that may be NULL, and a date pattern.
    SAME = "IS"
    IS_DATE = "date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"

    # --- reading -------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        row = (
            self._conn()
            .execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )
        return _article(row) if row else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Article]:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", ids
        )
        return {row["id"]: _article(row) for row in rows}

    def original(self, article_id: str) -> tuple[bytes, str | None, str | None] | None:
        row = (
            self._conn()
            .execute(
                "SELECT original, original_name, original_type FROM articles WHERE id = ?",
                (article_id,),
            )
            .fetchone()
        )
        return (bytes(row[0]), row[1], row[2]) if row else None

    def id_for_fingerprint(self, fp: str) -> str | None:
        row = (
            self._conn().execute("SELECT id FROM articles WHERE fingerprint = ?", (fp,)).fetchone()
        )
        return row[0] if row else None

    def candidates(self, keys: list[int]) -> list[str]:
        """Articles sharing a MinHash band with the given keys, oldest first."""
        marks = ",".join("?" * len(keys))
        rows = self._conn().execute(
            f"SELECT id FROM articles WHERE id IN (SELECT article_id FROM bands "
            f"WHERE key IN ({marks})) ORDER BY seq",
            keys,
        )
        return [r[0] for r in rows]

    def texts(self, ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def versions(self, article_id: str) -> list[Article]:
        rows = self._conn().execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE version_of = ? AND deleted IS NULL "
            "ORDER BY seq",
            (article_id,),
        )
        return [_article(r) for r in rows]

    def sightings(self, article_id: str) -> list[Sighting]:
        rows = self._conn().execute(
            "SELECT source, url, original_name, added_at FROM sightings WHERE article_id = ? "
            "ORDER BY id",
            (article_id,),
        )
        return [Sighting(*r) for r in rows]

    def outlets(self, article_id: str) -> list[str]:
        """Every outlet known to have run a story: its own, its copies' and its versions'."""
        rows = self._conn().execute(
            "SELECT source FROM articles WHERE (id = ? OR version_of = ?) AND deleted IS NULL "
            "UNION ALL SELECT s.source FROM sightings s JOIN articles a ON a.id = s.article_id "
            "WHERE (a.id = ? OR a.version_of = ?) AND a.deleted IS NULL",
            (article_id,) * 4,
        )
        seen: dict[str, None] = {}
        for (source,) in rows:
            if source:
                seen.setdefault(source)
        return list(seen)

    def last_seq(self) -> int:
        return self._conn().execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def current_seq(self) -> int:
        """The last change number handed out (an index can never be past it)."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        return max(int(row[0]) if row else 0, self.last_seq())

    def store_id(self) -> str:
        """The store's random identity, made when it was created."""
        return self.meta("store_id") or ""

    def changed_since(
        self, seq: int, batch: int = 500, *, versions: bool = False
    ) -> Iterator[tuple[int, Article]]:
        """Stories changed after `seq`, in order, read in batches; with `versions`, also
        the versions an editor changed (a story rejoined to another leaves the index)."""
        conn = self._conn()
        stories = " AND version_of IS NULL"
        if versions:
            stories = " AND (version_of IS NULL OR id IN (SELECT article_id FROM changes))"
        while True:
            rows = conn.execute(
                f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles "
                f"WHERE seq > ?{stories} ORDER BY seq LIMIT ?",
                (seq, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row["seq"], _article(row)
            seq = rows[-1]["seq"]

    def iter_articles(self) -> Iterator[tuple[Article, list[Sighting]]]:
        """Every article in the order it was added, with its sightings (for export). Not by
        `seq`: a story gets a new one when a copy or version arrives, and a restore must see
        each story before its versions to link them again."""
        rowid = 0
        conn = self._conn()
        while True:
            rows = conn.execute(
                f"SELECT rowid, {_ARTICLE_COLUMNS} FROM articles WHERE rowid > ? "
                "ORDER BY rowid LIMIT 500",
                (rowid,),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article(row), self.sightings(row["id"])
            rowid = rows[-1]["rowid"]

    def count(self) -> dict[str, int]:
        conn = self._conn()
        articles, stories, deleted = conn.execute(
            "SELECT COALESCE(SUM(CASE WHEN deleted IS NULL THEN 1 ELSE 0 END), 0),"
            " COALESCE(SUM(CASE WHEN version_of IS NULL AND deleted IS NULL THEN 1 ELSE 0 END),"
            " 0), COALESCE(SUM(CASE WHEN deleted IS NOT NULL THEN 1 ELSE 0 END), 0) FROM articles"
        ).fetchone()
        sightings = conn.execute("SELECT COUNT(*) FROM sightings").fetchone()[0]
        return {
            "articles": int(articles),
            "stories": int(stories),
            "copies": sightings,
            "deleted": int(deleted),
        }

    def histogram(self, column: str) -> list[tuple[str, int]]:
        assert column in {"source", "language"}
        rows = self._conn().execute(
            f"SELECT COALESCE({column}, ''), COUNT(*) FROM articles WHERE deleted IS NULL"
            " GROUP BY 1 ORDER BY 2 DESC, 1"
        )
        return [(r[0], r[1]) for r in rows]

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """The rows of a read in the stores' shared SQL (a migration reads whole tables)."""
        return [tuple(row) for row in self._conn().execute(sql, args).fetchall()]

    def renumber_all(self, conn) -> None:
        """After rows were copied in with their own ids, new ones are numbered after them
        (SQLite does that by itself)."""

    # --- writing (inside `transaction`) --------------------------------------------------

    def date_span(self) -> tuple[str | None, str | None]:
        """The first and last publication dates (YYYY-MM-DD) of the dated articles."""
        row = (
            self._conn()
            .execute(
                f"SELECT MIN(date), MAX(date) FROM articles WHERE {self.IS_DATE}"
                " AND deleted IS NULL"
            )
            .fetchone()
        )
        return row[0], row[1]

    def recently_added(self, limit: int) -> list[Article]:
        """The stories added last, newest first (versions of a story are left out)."""
        rows = self._conn().execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE version_of IS NULL"
            " AND deleted IS NULL ORDER BY added_at DESC, seq DESC LIMIT ?",
            (limit,),
        )
        return [_article(row) for row in rows]

    def meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, conn, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def replace_bands(self, conn, bands: dict[str, list[int]]) -> None:
        """New near-duplicate band keys for the given articles (after a scheme change)."""
        conn.executemany("DELETE FROM bands WHERE article_id = ?", [(i,) for i in bands])
        conn.executemany(
            "INSERT INTO bands (key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(key, i) for i, keys in bands.items() for key in keys],
        )

    def insert(
        self,
        conn,
        article: Article,
        *,
        original: bytes,
        shingle_count: int,
        band_keys: list[int],
    ) -> None:
        """Store a new article; `DuplicateArticle` when its text is stored already (by a
        concurrent writer: the caller checked before), `StoreConflict` when its id is."""
        row = conn.execute(
            "INSERT INTO articles (id, seq, fingerprint, version_of, title, source, author, date,"
            " url, language, language_prob, source_domain, date_confidence, date_uncertain,"
            " basis, places, text, shingles, original, original_name, original_type, added_at,"
            " deleted, split, place_edits)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (
                article.id,
                self._seq_for(conn, article.id),
                article.fingerprint,
                article.version_of,
                article.title,
                article.source,
                article.author,
                article.date,
                article.url,
                article.language,
                article.language_prob,
                article.source_domain,
                article.date_confidence,
                int(article.date_uncertain),
                json.dumps(article.basis, ensure_ascii=False),
                json.dumps([p.to_json() for p in article.places], ensure_ascii=False),
                article.text,
                shingle_count,
                original,
                article.original_name,
                article.original_type,
                article.added_at,
                json_or_null(article.deleted),
                int(article.split),
                json_or_null(article.place_edits),
            ),
        ).fetchone()
        if row is None:
            self._forget_seq(article.id)
            holder = self.id_for_fingerprint(article.fingerprint)
            if holder:
                raise DuplicateArticle(holder)
            raise StoreConflict(f"the id {article.id} was taken by another writer just now")
        if band_keys:  # one statement, not a round trip per band
            conn.execute(
                "INSERT INTO bands (key, article_id) VALUES "
                + ", ".join(["(?, ?)"] * len(band_keys))
                + " ON CONFLICT DO NOTHING",
                [value for key in band_keys for value in (key, article.id)],
            )
        if article.version_of:
            self.touch(conn, article.version_of)

    def add_sighting(self, conn, article_id: str, sighting: Sighting) -> bool:
        """Record another copy of an article if it brings another outlet or URL; False when
        it brings nothing new (re-ingesting the same file changes nothing)."""
        if sighting.source is None and sighting.url is None:
            return False
        same = f"source {self.SAME} ? AND url {self.SAME} ?"
        known = conn.execute(
            f"SELECT 1 FROM articles WHERE id = ? AND {same} "
            f"UNION ALL SELECT 1 FROM sightings WHERE article_id = ? AND {same}",
            (article_id, sighting.source, sighting.url) * 2,
        ).fetchone()
        if known:
            return False
        conn.execute(
            "INSERT INTO sightings (article_id, source, url, original_name, added_at)"
            " VALUES (?,?,?,?,?)",
            (article_id, sighting.source, sighting.url, sighting.original_name, sighting.added_at),
        )
        story = conn.execute(
            "SELECT COALESCE(version_of, id) FROM articles WHERE id = ?", (article_id,)
        ).fetchone()[0]
        self.touch(conn, story)
        return True


class Store(SqlStore):
    """SQLite in WAL mode; one connection per thread; writes in IMMEDIATE transactions."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        for attempt in range(_OPEN_TRIES):
            try:
                self._set_up()
                return
            except sqlite3.DatabaseError as err:
                self.close()
                if _code(err) in _BUSY_CODES and attempt < _OPEN_TRIES - 1:
                    # Two processes creating or converting the same new store at once:
                    # SQLite answers "locked" at once instead of waiting; try again.
                    time.sleep(0.05 + random.random() * 0.1)
                    continue
                if _code(err) in _BUSY_CODES:
                    raise StoreError(
                        f"the store {self.path} stayed locked by another process ({err}); try again"
                    ) from err
                raise _damaged(self.path, err) from err

    def _set_up(self) -> None:
        conn = self._conn()
        conn.executescript(_SCHEMA)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if conn.execute("SELECT 1 FROM meta WHERE key = 'store_id'").fetchone() is None:
            # The store's identity: an index records it, so one built from another store
            # (a copied folder) is noticed and rebuilt.
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('store_id', ?)",
                (secrets.token_hex(8),),
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer version (schema {version}); upgrade"
            )
        if version < SCHEMA_VERSION:
            self._migrate(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        # What counting live articles and stories reads (`count`), so /healthz and the home
        # page need not read every row: 70-190 ms at 100,000 articles, 7 ms with it. Made
        # after the migration, which adds `deleted` to older stores.
        conn.execute("CREATE INDEX IF NOT EXISTS articles_live ON articles(deleted, version_of)")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Bring an older archive's tables up to this schema; nothing stored is touched."""
        have = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        for name, definition in _ADDED_COLUMNS.items():
            if name in have:
                continue
            try:
                conn.execute(f"ALTER TABLE articles ADD COLUMN {name} {definition}")
            except sqlite3.OperationalError as err:  # another process added it just now
                if "duplicate column" not in str(err):
                    raise

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, factory=_CheckedConnection
            )
            conn.store_path = self.path
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all of it lands or none of it does. Inside another, a
        savepoint: undone alone when it fails, committed with the outer one."""
        conn = self._conn()
        if conn.in_transaction:
            conn.execute("SAVEPOINT inner")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK TO inner")
                conn.execute("RELEASE inner")
                raise
            conn.execute("RELEASE inner")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def where(self) -> str:
        """Where the store is, one way for one store (two names for it compare equal)."""
        return f"sqlite://{self.path.resolve()}"

    def write_lock(self, path: Path) -> WriteLock:
        """What writers hold: one at a time, a file lock in the data directory (SQLite
        takes one writer at a time anyway)."""
        return WriteLock(path)

    def _next_seq(self, conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        seq = max(int(row[0]) if row else 0, self.last_seq()) + 1
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seq', ?)", (str(seq),))
        return seq

    def _seq_for(self, conn: sqlite3.Connection, article_id: str) -> int:
        return self._next_seq(conn)

    def _forget_seq(self, article_id: str) -> None:
        pass

    def touch(self, conn: sqlite3.Connection, article_id: str) -> None:
        """Mark an article changed so the index picks it up again."""
        conn.execute("UPDATE articles SET seq = ? WHERE id = ?", (self._next_seq(conn), article_id))


def _article(row) -> Article:
    return Article(
        id=row["id"],
        fingerprint=row["fingerprint"],
        version_of=row["version_of"],
        title=row["title"],
        source=row["source"],
        author=row["author"],
        date=row["date"],
        url=row["url"],
        language=row["language"],
        language_prob=row["language_prob"],
        source_domain=row["source_domain"],
        date_confidence=row["date_confidence"],
        date_uncertain=bool(row["date_uncertain"]),
        basis=json.loads(row["basis"]),
        places=[PlaceRef.from_json(p) for p in json.loads(row["places"])],
        text=row["text"],
        original_name=row["original_name"],
        original_type=row["original_type"],
        added_at=row["added_at"],
        deleted=json.loads(row["deleted"]) if row["deleted"] else None,
        split=bool(row["split"]),
        place_edits=json.loads(row["place_edits"]) if row["place_edits"] else {},
    )


def open_store(data_dir: Path, database_url: str | None = None) -> SqlStore:
    """The archive's store: PostgreSQL when `database_url` names a server
    (postgresql://...), else SQLite in `data_dir`/articles.sqlite3."""
    if database_url:
        from archive.store_postgres import PostgresStore, is_postgres_url

        if not is_postgres_url(database_url):
            raise StoreError(
                f"the database URL must start with postgresql:// (got {database_url!r})"
            )
        return PostgresStore(database_url)
    return Store(Path(data_dir) / "articles.sqlite3")
