"""The store's curation tables (schema 3): history rows, rules, and the curated columns of
an article (tombstone, split, place edits) set with every change the index must see."""

from __future__ import annotations

import json
from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def json_or_null(value) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


class CurationStore:
    """What both stores do for curation, in SQL both SQLite and PostgreSQL read (each gives
    `_conn`, `touch` and `_inserted`); writes go inside `transaction`."""

    def update(self, conn, article_id: str, **values) -> None:
        """Set stored values of one article and mark its story changed for the index."""
        encoded = {
            name: _CURATED[name](value) if name in _CURATED else value
            for name, value in values.items()
        }
        assert set(encoded) <= _UPDATABLE, set(encoded) - _UPDATABLE
        sets = ", ".join(f"{name} = ?" for name in encoded)
        conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", (*encoded.values(), article_id))
        story = conn.execute(
            "SELECT COALESCE(version_of, id) FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        self.touch(conn, article_id)
        if story and story[0] != article_id:
            self.touch(conn, story[0])

    def purge(self, conn, article_id: str) -> None:
        """Remove an article for good: its row, original bytes, copies and bands."""
        found = conn.execute("SELECT id FROM articles WHERE version_of = ?", (article_id,))
        versions = [r[0] for r in found]
        conn.execute("UPDATE articles SET version_of = NULL WHERE version_of = ?", (article_id,))
        for version in versions:  # stories of their own now: the index must take them
            self.touch(conn, version)
        conn.execute("DELETE FROM sightings WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM bands WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def record_change(self, conn, change: dict) -> int:
        """One history row; `change` as `changes` gives them back (an id keeps its id)."""
        return self._inserted(
            conn,
            "changes",
            {
                "id": change.get("id"),
                "article_id": change.get("article_id"),
                "kind": change["kind"],
                "field": change.get("field"),
                "old": json.dumps(change.get("old"), ensure_ascii=False),
                "new": json.dumps(change.get("new"), ensure_ascii=False),
                "at": change.get("at") or now(),
                "editor": change["editor"],
                "reverted_by": change.get("reverted_by"),
            },
        )

    def _inserted(self, conn, table: str, values: dict) -> int | None:
        """Insert one row of `changes` or `rules`, numbered by the store unless its `id` is
        given (a row restored from a backup keeps its id; one already there is kept)."""
        if values.get("id") is None:
            values = {k: v for k, v in values.items() if k != "id"}
        marks = ",".join("?" * len(values))
        row = conn.execute(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})"
            " ON CONFLICT DO NOTHING RETURNING id",
            tuple(values.values()),
        ).fetchone()
        return row[0] if row else values.get("id")

    def mark_reverted(self, conn, change_id: int, by: int) -> None:
        conn.execute("UPDATE changes SET reverted_by = ? WHERE id = ?", (by, change_id))

    def changes(
        self, article_id: str | None = None, change_id: int | None = None, archive_wide=False
    ) -> list[dict]:
        """History rows, oldest first: of one article, one row by id, the archive-wide
        ones (rules), or all of them."""
        sql, args = "SELECT * FROM changes", ()
        if archive_wide:
            sql += " WHERE article_id IS NULL"
        elif change_id is not None:
            sql, args = sql + " WHERE id = ?", (change_id,)
        elif article_id is not None:
            sql, args = sql + " WHERE article_id = ?", (article_id,)
        rows = self._conn().execute(sql + " ORDER BY id", args)
        return [
            {**dict(row), "old": json.loads(row["old"]), "new": json.loads(row["new"])}
            for row in rows
        ]

    def rules(self) -> list[dict]:
        rows = self._conn().execute("SELECT * FROM rules ORDER BY id")
        return [dict(row) for row in rows]

    def add_rule(self, conn, rule: dict) -> int:
        values = {k: rule.get(k) for k in ("id", "kind", "name", "target", "source", "language")}
        return self._inserted(
            conn, "rules", {**values, "at": rule.get("at") or now(), "editor": rule["editor"]}
        )

    def remove_rule(self, conn, rule_id: int) -> None:
        conn.execute("DELETE FROM rules WHERE id = ?", (rule_id,))

    def ids(self, *, source: str | None = None) -> list[str]:
        """Ids of every article in the order they were stored, or of one outlet's."""
        if source is None:
            rows = self._conn().execute("SELECT id FROM articles ORDER BY rowid")
        else:
            rows = self._conn().execute("SELECT id FROM articles WHERE source = ?", (source,))
        return [r[0] for r in rows]

    def stored_before(self, article_id: str, other: str) -> bool:
        """Whether `article_id` was stored before `other`."""
        row = (
            self._conn()
            .execute(
                "SELECT 1 FROM articles a JOIN articles b ON b.id = ?"
                " WHERE a.id = ? AND a.rowid < b.rowid",
                (other, article_id),
            )
            .fetchone()
        )
        return row is not None

    def ids_with_text(self, test) -> list[str]:
        """Ids of the articles whose text passes `test` (a Python predicate), read in batches."""
        found, after = [], None
        conn = self._conn()
        while True:
            rows = conn.execute(
                "SELECT rowid, id, text FROM articles WHERE rowid > ? ORDER BY rowid LIMIT 500",
                (after if after is not None else -1,),
            ).fetchall()
            if not rows:
                return found
            found.extend(r[1] for r in rows if test(r[2]))
            after = rows[-1][0]

    def rename_copies(self, conn, new: str, *, old: str | None = None, ids=None) -> list[int]:
        """Copies recorded under outlet `old` (or the copies `ids`) now name `new`; their
        stories are marked changed. Returns the copies renamed."""
        if ids is None:
            ids = [r[0] for r in conn.execute("SELECT id FROM sightings WHERE source = ?", (old,))]
        stories = set()
        for copy in ids:
            row = conn.execute(
                "SELECT COALESCE(a.version_of, a.id) FROM sightings s"
                " JOIN articles a ON a.id = s.article_id WHERE s.id = ?",
                (copy,),
            ).fetchone()
            if row is not None:
                conn.execute("UPDATE sightings SET source = ? WHERE id = ?", (new, copy))
                stories.add(row[0])
        for story in stories:
            self.touch(conn, story)
        return list(ids)


_UPDATABLE = {
    *("title", "source", "author", "date", "url", "language", "language_prob", "basis"),
    *("places", "deleted", "split", "place_edits", "version_of", "text", "fingerprint"),
    *("source_domain", "date_confidence", "date_uncertain", "shingles"),
}
_CURATED = {
    "basis": lambda v: json.dumps(v, ensure_ascii=False),
    "places": lambda v: json.dumps([p.to_json() for p in v], ensure_ascii=False),
    "deleted": lambda v: json_or_null(v),
    "place_edits": lambda v: json_or_null(v),
    "split": int,
    "date_uncertain": int,
}
