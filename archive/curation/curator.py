"""One article's corrections and the history: edit, places, delete, restore, purge, split,
and revert of any change (rules' included)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from archive.model import Article
from archive.places.normalize import fold_name
from archive.store import now

from .backup import CurationRecord, restore_record
from .checks import (
    EDITED,
    CurationError,
    NotFound,
    clean_edit,
    corrected_places,
    find_place_id,
    outlet_for,
)
from .rules import RuleCorrections


class Curator(RuleCorrections):
    """Corrections of one archive, under its write lock, each recorded as history."""

    def __init__(self, archive):
        self.archive = archive
        self.store = archive.store

    def _article(self, article_id: str) -> Article:
        article = self.store.get(article_id)
        if article is None:
            raise NotFound(f"no article {article_id}")
        return article

    def _done(self) -> None:
        self.archive.curated()

    @contextmanager
    def _changing(self, article_id: str):
        """One article's change: under the write lock, in one transaction, then indexed."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            yield conn, self._article(article_id)
        self._done()

    def _record(
        self, conn, kind: str, editor: str, article_id=None, field=None, old=None, new=None
    ) -> int:
        return self.store.record_change(
            conn,
            {
                "article_id": article_id,
                "kind": kind,
                "field": field,
                "old": old,
                "new": new,
                "at": now(),
                "editor": editor,
            },
        )

    # --- one article ------------------------------------------------------------------

    def edit(self, article_id: str, values: dict, editor: str) -> list[int]:
        """Set metadata values; each becomes `edited` and wins over extraction."""
        values = clean_edit(values)
        changes = []
        with self._changing(article_id) as (conn, article):
            if "source" in values:
                values["source"] = outlet_for(values["source"], self.store.rules())
            for name, value in values.items():
                old = {"value": getattr(article, name), "basis": article.basis.get(name)}
                if old == {"value": value, "basis": EDITED}:
                    continue
                self._set(conn, article, name, value, EDITED)
                new = {"value": value, "basis": EDITED}
                changes.append(self._record(conn, "edit", editor, article.id, name, old, new))
        return changes

    def _set(self, conn, article: Article, name: str, value, basis: str | None) -> None:
        article.basis = dict(article.basis)
        if basis:
            article.basis[name] = basis
        else:
            article.basis.pop(name, None)
        extra: dict = {}
        if name == "language":
            value = value or "und"
            extra["language_prob"] = None
        if name == "date":
            extra.update(date_confidence=None, date_uncertain=False)
        setattr(article, name, value)
        self.store.update(conn, article.id, **{name: value}, basis=article.basis, **extra)

    def edit_places(self, article_id: str, remove=(), add=(), editor: str = "cli") -> int:
        """Remove places wrongly found and add missing ones (by any name or a GeoNames id)."""
        article = self._article(article_id)
        removing = [self._own_place(article, p) for p in remove]
        adding = [find_place_id(p) for p in add]
        if not removing and not adding:
            raise CurationError("say which places to --remove or --add")
        with self._changing(article_id) as (conn, article):
            old = {k: list(v) for k, v in article.place_edits.items()}
            edits = {"remove": list(old.get("remove", [])), "add": list(old.get("add", []))}
            for pid in removing:
                edits["add"] = [p for p in edits["add"] if p != pid]
                edits["remove"] = [*dict.fromkeys([*edits["remove"], pid])]
            for pid in adding:
                edits["remove"] = [p for p in edits["remove"] if p != pid]
                edits["add"] = [*dict.fromkeys([*edits["add"], pid])]
            edits = {k: v for k, v in edits.items() if v}
            change = self._record(conn, "places", editor, article.id, "places", old, edits)
            self._set_place_edits(conn, article, edits)
        return change

    def correct(self, article_id: str, values: dict, remove=(), add=(), editor="cli") -> list:
        """Metadata and place corrections together, every value checked before any is
        changed (the API's PATCH)."""
        article = self._article(article_id)
        clean_edit(values)
        for name in remove:
            self._own_place(article, name)
        for name in add:
            find_place_id(name)
        changes = self.edit(article_id, values, editor) if values else []
        if remove or add:
            changes.append(self.edit_places(article_id, remove, add, editor))
        return changes

    def _own_place(self, article: Article, name_or_id: str) -> str:
        """Which of the article's places an editor means: by id, name or the words used."""
        key = fold_name(str(name_or_id))
        for p in article.places:
            if p.geonameid == str(name_or_id).strip() or fold_name(p.name) == key:
                return p.geonameid
            if any(fold_name(m.surface) == key for m in p.mentions):
                return p.geonameid
        pid = find_place_id(name_or_id)
        if pid not in article.place_ids:
            raise CurationError(f"{name_or_id!r} is not among this article's places")
        return pid

    def _set_place_edits(self, conn, article: Article, edits: dict) -> None:
        article.place_edits = edits
        article.places = corrected_places(article, self.store.rules())
        self.store.update(conn, article.id, place_edits=edits, places=article.places)

    def delete(self, article_id: str, editor: str, why: str | None = None) -> int:
        """Hide an article from search, facets, feeds, similar articles and readers."""
        with self._changing(article_id) as (conn, article):
            if article.deleted:
                raise CurationError(f"{article_id} is already deleted")
            tombstone = {"at": now(), "editor": editor, "why": (why or "").strip() or None}
            self.store.update(conn, article.id, deleted=tombstone)
            change = self._record(conn, "delete", editor, article.id, "deleted", None, tombstone)
        return change

    def restore(self, article_id: str, editor: str) -> int:
        """Bring a deleted article back everywhere."""
        with self._changing(article_id) as (conn, article):
            if not article.deleted:
                raise CurationError(f"{article_id} is not deleted")
            self.store.update(conn, article.id, deleted=None)
            change = self._record(
                conn, "restore", editor, article.id, "deleted", article.deleted, None
            )
        return change

    def purge(self, article_id: str, editor: str) -> int:
        """Remove a deleted article for good, original bytes included (no undo)."""
        with self._changing(article_id) as (conn, article):
            if not article.deleted:
                raise CurationError(f"delete {article_id} before purging it")
            self.store.purge(conn, article.id)
            old = {"title": article.title, "source": article.source, "deleted": article.deleted}
            change = self._record(conn, "purge", editor, article.id, None, old, None)
        return change

    def split(self, article_id: str, editor: str) -> int:
        """Make a version wrongly folded into a story a story of its own, for good."""
        with self._changing(article_id) as (conn, article):
            if not article.version_of:
                raise CurationError(f"{article_id} is a story of its own already")
            change = self._record(
                conn, "split", editor, article.id, "version_of", article.version_of, None
            )
            self._set_story(conn, article, None)
        return change

    def _set_story(self, conn, article: Article, story: str | None) -> None:
        old = article.version_of
        self.store.update(conn, article.id, version_of=story, split=story is None)
        for other in (old, story):
            if other and self.store.get(other):
                self.store.touch(conn, other)

    # --- history ----------------------------------------------------------------------------

    def history(self, article_id: str) -> list[dict]:
        """Every change of one article, oldest first (a purged article's too), with the
        archive-wide rules that changed it."""
        rows = self.store.changes(article_id=article_id)
        if not rows and self.store.get(article_id) is None:
            raise NotFound(f"no article {article_id}")
        for change in self.store.changes(archive_wide=True):
            touched = (change["new"] or change["old"] or {}).get("affected", {})
            if article_id in touched.get("articles", []):
                rows.append(change)
        return sorted(rows, key=lambda c: c["id"])

    def revert(self, change_id: int, editor: str) -> int:
        """Undo one change; the undo is a change of its own, revertible in turn."""
        found = self.store.changes(change_id=int(change_id))
        if not found:
            raise NotFound(f"no change {change_id}")
        change = found[0]
        if change["reverted_by"]:
            raise CurationError(f"change {change_id} was reverted by {change['reverted_by']}")
        undo = self._undo(change, editor)
        with self.archive.lock.held(), self.store.transaction() as conn:
            self.store.mark_reverted(conn, change["id"], undo)
        return undo

    def _undo(self, change: dict, editor: str) -> int:
        kind, article_id = change["kind"], change["article_id"]
        actions: dict[str, Callable[[], int]] = {
            "delete": lambda: self.restore(article_id, editor),
            "restore": lambda: self.delete(article_id, editor, (change["old"] or {}).get("why")),
            "rule-add": lambda: self.remove_rule(change["new"]["rule"]["id"], editor),
            "rule-remove": lambda: self._readd(change["old"]["rule"], editor),
            "split": lambda: self._unsplit(article_id, change["old"], editor),
            "unsplit": lambda: self.split(article_id, editor),
            "reprocess": lambda: self.split(article_id, editor),  # undo a fold it found
            "places": lambda: self._reset_places(article_id, change, editor),
            "edit": lambda: self._reset_field(article_id, change, editor),
        }
        if kind not in actions:
            raise CurationError(f"a {kind} cannot be undone")
        return actions[kind]()

    def _unsplit(self, article_id: str, story: str, editor: str) -> int:
        with self._changing(article_id) as (conn, article):
            target = self.store.get(story)
            if target is None or target.version_of:
                raise CurationError(f"the story {story} is no longer there to rejoin")
            change = self._record(conn, "unsplit", editor, article.id, "version_of", None, story)
            self._set_story(conn, article, story)
            self.store.update(conn, article.id, split=False)
        return change

    def _reset_places(self, article_id: str, change: dict, editor: str) -> int:
        with self._changing(article_id) as (conn, article):
            edits = change["old"] or {}
            new = self._record(conn, "places", editor, article.id, "places", change["new"], edits)
            self._set_place_edits(conn, article, edits)
        return new

    def _reset_field(self, article_id: str, change: dict, editor: str) -> int:
        name, old = change["field"], change["old"]
        with self._changing(article_id) as (conn, article):
            now_value = {"value": getattr(article, name), "basis": article.basis.get(name)}
            self._set(conn, article, name, old["value"], old["basis"])
            new = self._record(conn, "edit", editor, article.id, name, now_value, old)
        return new

    def restore_record(self, record: CurationRecord) -> str:
        """Put an export's rule or history row back (once: a second restore skips it)."""
        return restore_record(self, record)
