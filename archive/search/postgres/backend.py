"""The search backend on PostgreSQL (see the package's docstring)."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool

from archive.search.backend import Document, Filters, Matches
from archive.search.postgres.compile import compile_query
from archive.search.postgres.vectors import document_vectors, quote, rank_query
from archive.search.query import Node
from archive.search.registry import FACETS
from archive.search.registry import facet as declared_facet
from archive.search.words import terms

SCHEMA_VERSION = 2  # 2: the title and ranking vectors
WRITE_CHUNK = 500  # documents a write statement takes at once
STATEMENT_TIMEOUT_MS = 5000  # a search that runs longer is stopped and said so
WEIGHTS = "{0.25, 0.25, 0.25, 1.0}"  # D, C, B, A: a title word weighs four body words
_LEXEME = re.compile(r"^[^#:]+$")  # plain terms, not scoped stems or place marks

_DDL = [
    "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",  # levenshtein(), as the typo budget counts
    "CREATE TABLE IF NOT EXISTS search_meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE TABLE IF NOT EXISTS search_docs (
        n bigint GENERATED ALWAYS AS IDENTITY,
        id text PRIMARY KEY,
        seq bigint NOT NULL,
        added_at text NOT NULL DEFAULT '',
        date text NOT NULL DEFAULT '',
        tsv tsvector NOT NULL,
        facets jsonb NOT NULL
    )""",
    # Rows up to a page stay whole in it, so the ranking vector is read with the row
    # (`vectors`); the matching one, larger, still goes out of line.
    "ALTER TABLE search_docs SET (toast_tuple_target = 8160)",
    "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS rank_tsv tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS title_tsv tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS search_docs_title_tsv ON search_docs USING gin (title_tsv)",
    "ALTER TABLE search_docs ALTER COLUMN rank_tsv SET STORAGE MAIN",
    "CREATE INDEX IF NOT EXISTS search_docs_tsv ON search_docs USING gin (tsv)",
    # Every plain word with how many documents hold it: for wildcards, typos, "did you mean"
    # and similar documents. Byte order (C), so that a prefix is a range of the key.
    """CREATE TABLE IF NOT EXISTS search_words (
        word text COLLATE "C" PRIMARY KEY,
        docs integer NOT NULL
    )""",
    # Room in each page for a word's next count, so that changing it touches no index
    # (a heap-only update): half the time of a bulk write's word counting.
    "ALTER TABLE search_words SET (fillfactor = 50)",
]


def _plan_each_search(conn: psycopg.Connection) -> None:
    """Every statement planned for its own values: psycopg prepares a statement run five
    times, and PostgreSQL may then plan it once for all values, where how many stories a
    word or a place matches decides the plan (a generic plan made a place filter at
    100,000 stories forty times slower)."""
    conn.execute("SET plan_cache_mode = force_custom_plan")


def _facet_columns() -> list[str]:
    return [f"f_{f.name}" for f in FACETS]


class PostgresBackend:
    """Full-text search and facets in the database at `url` (tables `search_*`)."""

    def __init__(self, url: str, *, pool_size: int = 8):
        self.url = url
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            configure=_plan_each_search,
            open=True,
        )
        self._install()

    def close(self) -> None:
        self.pool.close()

    # --- schema ----------------------------------------------------------------------------

    def _install(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('archive search schema'))")
            for statement in _DDL:
                conn.execute(statement)
            have = {
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'search_docs'"
                )
            }
            for column in _facet_columns():
                if column not in have:  # a facet declared since: counted after a rebuild
                    conn.execute(
                        f"ALTER TABLE search_docs ADD COLUMN {column} text[] NOT NULL"
                        " DEFAULT '{}'"
                    )
                    conn.execute(
                        f"CREATE INDEX IF NOT EXISTS search_docs_{column} "
                        f"ON search_docs USING gin ({column})"
                    )
            try:
                with conn.transaction():  # several times faster both ways, where built in
                    for column in ("tsv", "rank_tsv"):
                        conn.execute(
                            f"ALTER TABLE search_docs ALTER COLUMN {column} SET COMPRESSION lz4"
                        )
            except psycopg.errors.FeatureNotSupported:
                pass
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'schema'").fetchone()
            if row and int(row[0]) < SCHEMA_VERSION:  # written again on the next catch-up
                conn.execute("UPDATE search_meta SET value = '-1' WHERE key = 'seq'")
                conn.execute(
                    "INSERT INTO search_meta VALUES ('older', %s) ON CONFLICT DO NOTHING",
                    (row[0],),
                )
            conn.execute(
                "INSERT INTO search_meta VALUES ('schema', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (str(SCHEMA_VERSION),),
            )

    # --- writing ---------------------------------------------------------------------------

    @staticmethod
    def prepare(doc: Document) -> bytes:
        """The story's vectors and plain words, made in an ingest worker (so a plain
        function's work)."""
        return json.dumps(document_vectors(doc.title, doc.text, doc.language, doc.places)).encode()

    def indexed_seq(self) -> int:
        """The store change the index reflects; -1 before its first write, or when it must
        be written again (made by an earlier schema)."""
        with self.pool.connection() as conn:
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'seq'").fetchone()
        return int(row[0]) if row else -1

    def state(self) -> dict | None:
        """What the index records of itself, or None when it holds nothing to serve."""
        with self.pool.connection() as conn:
            meta = dict(conn.execute("SELECT key, value FROM search_meta").fetchall())
        if int(meta.get("seq", -1)) < 0:
            return None
        return {"schema": int(meta["schema"]), "seq": int(meta["seq"]), "store": meta.get("store")}

    def older_schema(self) -> int | None:
        """The schema of an index made by an earlier version, until it is written again."""
        with self.pool.connection() as conn:
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'older'").fetchone()
        return int(row[0]) if row else None

    def verify(self) -> str | None:
        """None: the database keeps its tables whole (a failed read raises its own error)."""
        return None

    def mark_damaged(self, build: str | None) -> None:
        """Nothing to mark: the Whoosh backend's builds have no counterpart here."""

    def store_id(self) -> str | None:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'store'").fetchone()
        return row[0] if row else None

    @contextmanager
    def _writing(self, seq: int, store: str | None, *, whole: bool = False) -> Iterator:
        """One write transaction, writers one at a time (an advisory lock: readers never
        wait), that leaves the index reflecting the store up to `seq` (exactly `seq` for a
        `whole` new index, which may be older: a store restored from an earlier copy)."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('archive search writer'))")
            yield conn
            if whole:
                conn.execute("DELETE FROM search_meta WHERE key = 'seq'")
            self._set_state(conn, seq, store)

    def write(self, docs: Iterable[Document], *, seq: int, store: str | None = None) -> int:
        with self._writing(seq, store) as conn:
            return self._put_all(conn, docs)

    def rebuild(self, docs: Iterable[Document], *, seq: int, store: str | None = None) -> int:
        """Every document again, in one transaction: searches see the old rows until it
        commits, then the new ones."""
        with self._writing(seq, store, whole=True) as conn:
            conn.execute("DELETE FROM search_docs")
            conn.execute("DELETE FROM search_words")
            return self._put_all(conn, docs)

    def delete(self, ids: Iterable[str], *, seq: int) -> int:
        with self._writing(seq, None) as conn:
            return sum(self._drop(conn, doc_id) for doc_id in ids)

    def _set_state(self, conn, seq: int, store: str | None) -> None:
        conn.execute("DELETE FROM search_meta WHERE key = 'older'")
        conn.execute(
            "INSERT INTO search_meta VALUES ('seq', %s) ON CONFLICT (key) DO UPDATE "
            "SET value = GREATEST(search_meta.value::bigint, EXCLUDED.value::bigint)::text",
            (str(seq),),
        )
        if store is not None:
            conn.execute(
                "INSERT INTO search_meta VALUES ('store', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (store,),
            )

    def _put_all(self, conn, docs: Iterable[Document]) -> int:
        """Write documents in chunks: each chunk's old rows deleted in one statement, the
        new ones copied in (COPY), and the word list changed once for the whole chunk (a
        statement per document was most of a bulk write's time)."""
        count = 0
        for chunk in _chunks(docs, WRITE_CHUNK):
            latest = {doc.id: doc for doc in chunk}  # an id twice: its last version
            gone = conn.execute(
                "DELETE FROM search_docs WHERE id = ANY(%s) RETURNING tsvector_to_array(tsv)",
                (list(latest),),
            ).fetchall()
            columns = ["id", "seq", "added_at", "date", "tsv", "title_tsv", "rank_tsv", "facets"]
            change: Counter = Counter()
            with (
                conn.cursor() as cur,
                cur.copy(
                    f"COPY search_docs ({', '.join(columns + _facet_columns())}) FROM STDIN"
                ) as copy,
            ):
                for doc in latest.values():
                    *vectors, words = json.loads(doc.prepared or self.prepare(doc))
                    change.update(words)
                    values = [facet.values(doc) for facet in FACETS]
                    facets = json.dumps({f.name: v for f, v in zip(FACETS, values, strict=True)})
                    copy.write_row(
                        (doc.id, doc.seq, doc.added_at or "", doc.date or "", *vectors, facets)
                        + tuple(values)
                    )
            for (lexemes,) in gone:
                change.subtract(lexemes)
            self._count_words(conn, change)
            count += len(latest)
        return count

    def _drop(self, conn, doc_id: str) -> int:
        row = conn.execute(
            "DELETE FROM search_docs WHERE id = %s RETURNING tsvector_to_array(tsv)", (doc_id,)
        ).fetchone()
        if row is None:
            return 0
        self._count_words(conn, Counter({w: -1 for w in row[0]}))
        return 1

    def _count_words(self, conn, change: Counter) -> None:
        """Add `change` (word -> documents more or fewer) to the word list."""
        words = sorted(w for w, n in change.items() if n and _LEXEME.match(w))  # no deadlocks
        if not words:
            return
        conn.execute(
            "INSERT INTO search_words (word, docs) SELECT w, n"
            " FROM unnest(%s::text[], %s::int[]) AS t(w, n)"
            " ON CONFLICT (word) DO UPDATE SET docs = search_words.docs + EXCLUDED.docs",
            (words, [change[w] for w in words]),
        )
        fewer = [w for w in words if change[w] < 0]
        if fewer:
            conn.execute("DELETE FROM search_words WHERE word = ANY(%s) AND docs <= 0", (fewer,))

    # --- searching -------------------------------------------------------------------------

    def doc_count(self) -> int:
        with self.pool.connection() as conn:
            return conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]

    def _expand(self, conn):
        def expand(kind: str, text: str, distance: int, limit: int) -> list[str]:
            if kind == "fuzzy":
                return _near(conn, text, distance, limit)
            literal = re.split(r"[*?]", text, maxsplit=1)[0]
            pattern = _like(literal) + re.sub(
                r"[*?%_\\]", lambda m: {"*": "%", "?": "_"}.get(m[0], "\\" + m[0]),
                text[len(literal):],
            )  # fmt: skip
            rows = conn.execute(
                "SELECT word FROM search_words WHERE word LIKE %s ORDER BY word LIMIT %s",
                (pattern, limit),
            ).fetchall()
            return [r[0] for r in rows]

        return expand

    def query(
        self,
        tree: Node,
        filters: Filters,
        *,
        sort: str = "relevance",
        start: int = 0,
        limit: int = 20,
    ) -> Matches:
        with self.pool.connection() as conn, conn.transaction():
            # One snapshot for the page and its counts; a search never waits for a write.
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            conn.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
            compiled = compile_query(tree, self._expand(conn))
            if compiled.matched_nothing:
                empty = {f.name: {} for f in FACETS}
                return Matches(ids=[], total=0, facet_counts=empty, notes=compiled.notes)
            try:
                return self._query(conn, compiled, filters, sort, start, limit)
            except psycopg.errors.QueryCanceled:
                note = "The search took longer than it may and was stopped; try fewer words."
                empty = {f.name: {} for f in FACETS}
                return Matches(ids=[], total=0, facet_counts=empty, notes=[*compiled.notes, note])

    def _query(self, conn, compiled, filters: Filters, sort, start, limit) -> Matches:
        where, params = [], {}
        if compiled.where is not None:
            where.append(compiled.where)
            params.update(compiled.params)
        if filters.places:
            where.append("f_place @> %(places)s")
            params["places"] = list(filters.places)
        # each facet's test, so that its counts can leave it out
        tests: dict[str, str] = {}
        if filters.sources:
            tests["source"] = "f_source && %(sources)s"
            params["sources"] = list(filters.sources)
        if filters.languages:
            tests["language"] = "f_language && %(langs)s"
            params["langs"] = list(filters.languages)
        for name, values in filters.other.items():  # facets declared beyond the four
            declared = declared_facet(name)
            params[f"o_{name}"] = list(values)
            if declared.combine == "and":
                where.append(f"f_{name} @> %(o_{name})s")
            else:
                tests[name] = f"f_{name} && %(o_{name})s"
        if filters.date_from or filters.date_to:
            conds = ["date <> ''"]
            if filters.date_from:
                conds.append("date >= %(lo)s")
                params["lo"] = filters.date_from
            if filters.date_to:
                conds.append("date <= %(hi)s")
                params["hi"] = filters.date_to
            tests["date"] = " AND ".join(conds)
        base = " AND ".join(where) or "TRUE"
        flags = ", ".join(f"({t}) AS ok_{name}" for name, t in tests.items())
        columns = ", ".join(_facet_columns())

        def under(*names: str) -> str:
            conds = [f"ok_{n}" for n in names if n in tests]
            return " AND ".join(conds) or "TRUE"

        everything = under(*tests)
        facet_sql = []
        for facet in FACETS:
            others = [n for n in tests if n != facet.name or facet.combine == "and"]
            facet_sql.append(
                f"(SELECT coalesce(json_object_agg(v, c), '{{}}') FROM (SELECT v, count(*) AS c"
                f" FROM m, unnest(f_{facet.name}) v WHERE {under(*others)} GROUP BY v) x)"
            )
        sql = (
            f"WITH m AS MATERIALIZED (SELECT {columns}{', ' + flags if flags else ''}"
            f" FROM search_docs WHERE {base})"
            f" SELECT (SELECT count(*) FROM m WHERE {everything}), {', '.join(facet_sql)}"
        )
        row = conn.execute(sql, params).fetchone()
        total = row[0]
        counts = {f.name: dict(row[i + 1]) for i, f in enumerate(FACETS)}
        final = " AND ".join([base, *tests.values()])
        rank = rank_query(compiled.tsquery) if compiled.tsquery else None
        order = _ORDERS.get(sort, _ORDERS["relevance"])
        if sort == "relevance" and compiled.tsquery is None:
            order = _ORDERS["added"]
        ids = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM search_docs WHERE {final} ORDER BY {order} "
                "LIMIT %(limit)s OFFSET %(start)s",
                {**params, "limit": limit, "start": start, "weights": WEIGHTS, "rq": rank},
            )
        ]
        return Matches(
            ids=ids,
            total=total,
            facet_counts=counts,
            notes=list(compiled.notes),
            words=list(compiled.words),
        )

    def suggest(self, word: str) -> str | None:
        """The commonest indexed word within two edits of an unknown one, starting with its
        letter (most typos keep it), in the same script."""
        parts = terms(word)
        if len(parts) != 1:
            return None
        folded = parts[0]
        with self.pool.connection() as conn:
            known = conn.execute("SELECT 1 FROM search_words WHERE word = %s", (folded,)).fetchone()
            if known:
                return None
            found = _near(conn, folded, 2, 1)
        return found[0] if found else None

    def similar(self, doc_id: str, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """The documents sharing most of a document's telling words: its 25 words with the
        highest tf·idf, OR-ed, ranked like a search, each as a share of its own score."""
        with self.pool.connection() as conn:
            total = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
            rows = conn.execute(
                "SELECT u.lexeme, array_length(u.positions, 1), w.docs FROM search_docs d,"
                " unnest(d.tsv) u JOIN search_words w ON w.word = u.lexeme WHERE d.id = %s",
                (doc_id,),
            ).fetchall()
            if not rows or not total:
                return []
            scored = sorted(
                ((tf or 1) * math.log(1 + total / docs), word) for word, tf, docs in rows if docs
            )
            terms = [word for _, word in reversed(scored[-25:])]
            q = " | ".join(quote(t) for t in terms)
            found = conn.execute(
                "SELECT id, ts_rank(%(weights)s::float4[], rank_tsv, %(q)s::tsquery) AS r"
                " FROM search_docs WHERE tsv @@ %(q)s::tsquery ORDER BY r DESC, n LIMIT %(n)s",
                {"q": q, "n": limit + 1, "weights": WEIGHTS},
            ).fetchall()
        own = next((r for i, r in found if i == doc_id), None) or (found[0][1] if found else 0)
        if not own:
            return []
        return [(i, round(r / own, 3)) for i, r in found if i != doc_id][:limit]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _like(literal: str) -> str:
    return literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _near(conn, word: str, distance: int, limit: int) -> list[str]:
    """Indexed words within `distance` edits of `word` that start with its letter (most
    typos keep it: the scan is one letter's share of the word list), closest and then
    commonest first."""
    if not word:
        return []
    rows = conn.execute(
        "SELECT word FROM search_words WHERE word LIKE %s"
        " AND abs(length(word) - length(%s)) <= %s AND word <> %s"
        " AND levenshtein_less_equal(word, %s, %s) <= %s"
        " ORDER BY levenshtein_less_equal(word, %s, %s), docs DESC, word LIMIT %s",
        (
            _like(word[0]) + "%",
            word,
            distance,
            word,
            word,
            distance,
            distance,
            word,
            distance,
            limit,
        ),
    ).fetchall()
    return [r[0] for r in rows]


_ORDERS = {
    "relevance": "ts_rank(%(weights)s::float4[], rank_tsv, %(rq)s::tsquery) DESC, n",
    "newest": "date = '' , date DESC, seq DESC",
    "oldest": "date = '', date ASC, seq ASC",
    "added": "added_at DESC, seq DESC",
}
