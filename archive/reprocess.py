"""Reprocessing: extraction, language, places and near-duplicates run again on the stored
originals (when the extractors improve), keeping every value a person stated or an editor
corrected, and applying every rule."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from archive import dedupe
from archive.curation import EDITED, corrected_places, outlet_for
from archive.extract import kind_for
from archive.ingest import Submission, prepare, prepare_all
from archive.model import METADATA_FIELDS, Article, Rejected

# Values a person gave: reprocessing states them again instead of extracting them.
KEPT = {"user", "sidecar", EDITED}
KINDS = {"text", "html", "markdown", "mhtml"}
_DERIVED = ("language_prob", "source_domain", "date_confidence", "date_uncertain")


@dataclass
class Reprocessed:
    """What reprocessing did to one article."""

    id: str
    status: str  # "changed", "unchanged", "rejected" (the article is kept as it was)
    note: str | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def resubmission(article: Article, original: bytes, name: str | None, kind: str | None):
    """The stored original as a submission, with the values people gave stated again."""
    stated = {f: getattr(article, f) for f in METADATA_FIELDS if article.basis.get(f) in KEPT}
    basis = {f: article.basis[f] for f in stated}
    return Submission(
        data=original,
        name=name or article.id,
        kind=document_kind(kind, name, original),
        stated={k: v for k, v in stated.items() if v is not None},
        stated_basis=basis,
    )


def document_kind(original_type: str | None, name: str | None, original: bytes) -> str:
    """How to read a stored original again: its recorded kind, a content type ("text/html"
    from an upload or an export), the file name, or markup at its start."""
    kind = (original_type or "").casefold()
    if kind in KINDS:
        return kind
    if "mhtml" in kind or "multipart/related" in kind:
        return "mhtml"
    if "html" in kind:
        return "html"
    if "markdown" in kind:
        return "markdown"
    by_name = kind_for(name or "")
    if by_name != "text":
        return by_name
    head = original[:512].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) else "text"


class Reprocessor:
    """Reprocess articles of one archive, one store transaction each, indexing as it goes."""

    def __init__(self, archive, editor: str = "reprocess", index_every: int = 200):
        self.archive = archive
        self.editor = editor  # history names it for a fold reprocessing finds
        self.store = archive.store
        self.index_every = index_every

    def ids(self, ids: Iterable[str] | None) -> list[str]:
        """The articles to reprocess: those named, or all."""
        if ids is None:
            return self.store.ids()
        return list(ids)

    def run(self, ids: list[str]) -> Iterator[Reprocessed]:
        """Each article's outcome, in order; the originals are prepared in worker processes
        when there are many (`prepare_all`), and the index catches up every `index_every`."""
        order: deque[Article | str] = deque()

        def submissions():
            for article_id in ids:
                old = self.store.get(article_id)
                found = self.store.original(article_id) if old else None
                if old is None or found is None:
                    order.append(article_id)
                    yield Reprocessed(article_id, "rejected", "no such article")
                    continue
                order.append(old)
                yield resubmission(old, *found)

        for done, (sub, prepared) in enumerate(prepare_all(submissions()), start=1):
            old = order.popleft()
            if isinstance(sub, Reprocessed):
                yield sub
            else:
                yield self.one(old, sub, prepared)
            if done % self.index_every == 0:
                self.archive.curated()
        self.archive.curated()

    def one(self, old: Article, sub: Submission, prepared=None) -> Reprocessed:
        """Store what reprocessing made of one article (prepared here if not yet)."""
        if prepared is None:
            try:
                prepared = prepare(sub)
            except Rejected as err:
                prepared = err
        if isinstance(prepared, Rejected):
            return Reprocessed(old.id, "rejected", f"kept as it was: {prepared}")
        new = prepared.article
        with self.archive.lock.held(), self.store.transaction() as conn:
            old = self.store.get(old.id) or old  # as it stands now: an editor may have been quicker
            for name in METADATA_FIELDS:  # a value cleared by an editor stays cleared
                if old.basis.get(name) == EDITED:
                    setattr(new, name, getattr(old, name))
                    new.basis[name] = EDITED
            if new.basis.get("language") == EDITED:
                new.language_prob = None
            if new.source and new.basis.get("source") not in KEPT:
                new.source = self.archive._one_outlet(new.source)
            rules = self.store.rules()
            new.source = outlet_for(new.source, rules)
            new.place_edits = old.place_edits
            new.places = corrected_places(new, rules, new.places)
            values = {name: getattr(new, name) for name in (*METADATA_FIELDS, *_DERIVED)}
            values.update(basis=new.basis, places=new.places)
            note = None
            holder = self.store.id_for_fingerprint(new.fingerprint)
            if holder in (None, old.id):
                values.update(text=new.text, fingerprint=new.fingerprint)
                values["shingles"] = len(prepared.shingles)
                self.store.replace_bands(conn, {old.id: prepared.band_keys})
            else:
                note = f"its text now reads as {holder}'s: text kept as it was"
            story = self._story(old, prepared)
            if story:
                values["version_of"] = story
                self.store.record_change(
                    conn,
                    {
                        "article_id": old.id,
                        "kind": "reprocess",
                        "field": "version_of",
                        "old": None,
                        "new": story,
                        "editor": self.editor,
                    },
                )
                note = f"now a version of {story}"
            same = all(
                _plain(getattr(old, k)) == _plain(v) for k, v in values.items() if k != "shingles"
            )
            if same:
                return Reprocessed(old.id, "unchanged")
            self.store.update(conn, old.id, **values)
        return Reprocessed(old.id, "changed", note)

    def _story(self, old: Article, prepared) -> str | None:
        """An earlier story this one now reads as a near-duplicate of: only for a story
        with no versions of its own that no editor split."""
        if old.version_of or old.split or self.store.versions(old.id):
            return None
        for cid in self.store.candidates(prepared.band_keys):
            if cid == old.id:
                continue
            other = self.store.get(cid)
            if other is None or other.version_of or other.deleted:
                continue
            if not self.store.stored_before(cid, old.id):
                continue  # only a story stored before this one
            match = dedupe.resemblance(prepared.shingles, dedupe.shingles(other.text))
            if match.near_duplicate:
                return other.id
        return None


def _plain(value):
    if isinstance(value, list):
        return [v.to_json() if hasattr(v, "to_json") else v for v in value]
    return value
