"""The archive: one object over a data directory that both the CLI and the web app use."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from archive import dedupe, validate
from archive.curation import (
    EDITED,
    CurationRecord,
    Curator,
    corrected_places,
    export_records,
    outlet_for,
)
from archive.extract.outlets import squeezed
from archive.indexer import BackgroundIndexer
from archive.ingest import Prepared, Submission, prepare, prepare_all, prepared_key
from archive.locking import LockTimeout, WriteLock
from archive.model import AddResult, Article, Rejected
from archive.overview import overview
from archive.search import (
    Document,
    IndexDamaged,
    SearchRequest,
    SearchResult,
    SearchService,
    open_backend,
)
from archive.search.registry import FACETS
from archive.settings import Settings
from archive.store import (
    STORE_FAILURES,
    DuplicateArticle,
    Sighting,
    StoreConflict,
    now,
    open_store,
)

log = logging.getLogger(__name__)
# Times a group of articles is stored again after losing a race to a concurrent writer
# (PostgreSQL: a deadlock over the same new texts); each try starts afresh.
CONFLICT_TRIES = 5
# Seconds a search may wait for another index writer to bring the index up to date; past
# that it answers from the index as it stands, with a note.
SEARCH_WAITS_FOR_WRITER = 0.1
# Seconds a search waits for the rebuild of a damaged index before answering with a note.
HEAL_WAIT = 30.0
# Seconds an add waits for another process's indexing (a rebuild can take minutes) to index
# what it stored; after that the next search or add indexes it.
ADD_WAITS_FOR_INDEXER = 10.0
# During bulk ingest the index commits every `ingest_batch` articles, or sooner when this
# many seconds have passed, so other processes find new articles soon.
INDEX_EVERY_SECONDS = 30.0
# Bulk ingest stores up to this many articles in one transaction, or what arrives within
# STORE_GROUP_SECONDS (which bounds how long other writers wait for the lock).
STORE_GROUP = 64
STORE_GROUP_SECONDS = 0.25
_STORED = ("added", "near-duplicate", "duplicate")
# Bulk ingest goes on storing while the background indexer commits, until this many
# batches wait; then it waits for the indexer (which bounds the memory they take).
BACKLOG_BATCHES = 4
# "Similar articles" must share this share of what a story scores against its own key terms
# (measured over the seeds and 381 real pages: see docs/web.md).
SIMILAR_MIN_SCORE = 0.3


@dataclass
class ArticleView:
    """An article with what its page shows besides itself."""

    article: Article
    story: Article | None  # the story it is a version of, if any
    versions: list[Article]
    sightings: list[Sighting]
    outlets: list[str]


class Archive:
    """Articles stored in SQLite or PostgreSQL (the truth) and indexed by a search backend
    (derived, rebuildable; `open_backend` chooses it)."""

    def __init__(
        self,
        data_dir: str | Path = "index",
        *,
        ingest_batch: int = Settings.ingest_batch,
        search_cache_mb: int = Settings.search_cache_mb,
        catch_up: bool = True,
        database_url: str | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.store = open_store(self.data_dir, database_url)
        self.index = open_backend(
            self.data_dir, cache_mb=search_cache_mb, database_url=database_url
        )
        self.searches = SearchService(self.index, self._hit_records)
        # Two locks: storing and indexing take turns separately, so one process can store
        # while another indexes what was stored before (bulk ingest does both at once).
        self.lock = self.store.write_lock(self.data_dir / ".write.lock")
        self.index_lock = WriteLock(self.data_dir / ".index.lock")
        self.ingest_batch = ingest_batch
        # The backend's `prepare` of each story made while preparing it, by id, until the
        # story is indexed: (`prepared_key` of what it was made from, bytes).
        self._prepared_docs: dict[str, tuple] = {}
        self._heal_lock = threading.Lock()
        self._healer: threading.Thread | None = None
        self._outlet_names: dict[str, str] | None = None  # squeezed name -> the name in use
        self.curation = Curator(self)
        self._check_bands()
        if catch_up:
            self.sync_index()

    @classmethod
    def from_settings(cls, settings: Settings, *, catch_up: bool = True) -> Archive:
        """The archive in `settings.data_dir`, tuned by the ingest and search settings."""
        return cls(
            settings.data_dir,
            ingest_batch=settings.ingest_batch,
            search_cache_mb=settings.search_cache_mb,
            catch_up=catch_up,
            database_url=settings.database_url or None,
        )

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def _check_bands(self) -> None:
        """Near-duplicate bands made by another MinHash scheme are made again from the
        stored texts, so old articles keep being found as candidates."""
        if self.store.meta("minhash") == dedupe.MINHASH_SCHEME:
            return
        with self.lock.held():
            if self.store.meta("minhash") == dedupe.MINHASH_SCHEME:
                return
            with self.store.transaction() as conn:
                bands = {}
                for article, _ in self.store.iter_articles():
                    hashes = dedupe.shingles(article.text)
                    bands[article.id] = dedupe.band_keys(dedupe.minhash(hashes))
                    if len(bands) >= 1000:
                        self.store.replace_bands(conn, bands)
                        bands = {}
                self.store.replace_bands(conn, bands)
                self.store.set_meta(conn, "minhash", dedupe.MINHASH_SCHEME)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the index follows the store -------------------------------------------------------

    def sync_index(self, wait: float | None = None, upto: int | None = None) -> int:
        """Bring the index level with the store (or with its change `upto`): rebuild it if
        it is missing, unreadable, damaged, from another store or ahead of this one, else
        index what changed since. Returns how many stories were indexed. Waits at most
        `wait` seconds for another index writer (`LockTimeout` after that)."""
        last = self.store.last_seq() if upto is None else upto
        if self.index.indexed_seq() >= last and self._index_problem() is None:
            return 0
        with self.index_lock.held(timeout=wait):
            try:
                problem = self._index_problem()
                if problem:
                    if last > 0:  # a new, empty archive has nothing to warn about
                        log.warning("search index %s: rebuilding from the store", problem)
                    return self._rebuild()
                seq = self.index.indexed_seq()
                return self._index_since(seq, last) if seq < last else 0
            finally:
                self._prepared_docs.clear()  # indexed now, or by another process meanwhile

    def _index_problem(self) -> str | None:
        """Why the index cannot serve this store as it stands, or None."""
        if self.index.state() is None:
            older = self.index.older_schema()
            if older is not None:
                return f"made by an earlier version of the archive (index schema {older})"
            return "missing, damaged or with an unreadable state file"
        recorded = self.index.store_id()
        if recorded is not None and recorded != self.store.store_id():
            return "built from another store"
        if self.index.indexed_seq() > self.store.current_seq():
            return "ahead of its store (the store was restored from an older copy?)"
        problem = self.index.verify()
        if problem:
            self.index.close()
            return f"damaged ({problem})"
        return None

    def index_prepared(self, prepared: dict, upto: int) -> int:
        """`sync_index` up to change `upto`, with the backend's preparations of the articles
        (by id, entries as `_prepared_docs` keeps them), as bulk ingest's indexer is handed
        them."""
        self._prepared_docs.update(prepared)
        return self.sync_index(upto=upto)

    def _index_since(self, seq: int, last: int) -> int:
        """Index the stories changed after `seq` up to `last`, in commits of one to two
        `ingest_batch`es: never a last sliver of a few dozen, a segment every later query
        would pay for."""
        total = 0
        batch: list[Document] = []
        gone: list[str] = []  # deleted stories, and stories that became versions (split undone)

        def write(docs: list[Document], upto: int) -> int:
            nonlocal gone, seq
            if gone:  # recorded at the change already indexed: a crash between redoes both
                self.index.delete(gone, seq=seq)
                gone = []
            count = self.index.write(docs, seq=upto, store=self.store.store_id())
            seq = upto
            return count

        for row_seq, article in self.store.changed_since(seq, versions=True):
            if row_seq > last:
                break
            if article.deleted or article.version_of:
                gone.append(article.id)
                continue
            batch.append(self._index_document(article, row_seq))
            if len(batch) >= 2 * self.ingest_batch:
                head, batch = batch[: self.ingest_batch], batch[self.ingest_batch :]
                total += write(head, head[-1].seq)
        return total + write(batch, last)

    def _rebuild(self) -> int:
        last = self.store.last_seq()
        docs = (self._index_document(a, s) for s, a in self.store.changed_since(0) if not a.deleted)
        return self.index.rebuild(docs, seq=last, store=self.store.store_id())

    def _index_document(self, article: Article, seq: int) -> Document:
        made = self._prepared_docs.pop(article.id, None)
        return Document.of(
            article,
            seq,
            self.store.outlets(article.id),
            # made from what is indexed, or made again by the backend (a correction since)
            prepared=made[1] if made and made[0] == prepared_key(article) else None,
        )

    def reindex(self) -> int:
        """Rebuild the search index from the store."""
        with self.index_lock.held():
            return self._rebuild()

    # --- adding ----------------------------------------------------------------------------

    def add(self, submission: Submission) -> AddResult:
        """Add one document; the result says added, duplicate, near-duplicate or rejected."""
        results = list(self.add_many([submission]))
        return results[0]

    def add_many(self, submissions: Iterable[Submission | AddResult]) -> Iterator[AddResult]:
        """Add documents in order. Prepared ones are stored in groups, one transaction each
        (`_store_group`), and each result is yielded once its article is committed; the
        index is brought up to date every `ingest_batch` articles (or INDEX_EVERY_SECONDS)
        and at the end."""
        pending = 0
        synced = time.monotonic()
        items = _Pushback(prepare_all(submissions, prepare_doc=self.index.prepare))
        indexer: BackgroundIndexer | None = None
        try:
            while results := self._store_group(items):
                pending += sum(r.status in _STORED for r in results)
                if pending >= self.ingest_batch or (
                    pending and time.monotonic() - synced > INDEX_EVERY_SECONDS
                ):
                    # This many is bulk ingest: index in a process of its own from now on.
                    indexer = indexer or BackgroundIndexer(
                        partial(
                            Archive,
                            self.data_dir,
                            ingest_batch=self.ingest_batch,
                            catch_up=False,
                            database_url=self.database_url,
                        )
                    )
                    if indexer.ready(wait=pending >= BACKLOG_BATCHES * self.ingest_batch):
                        prepared, self._prepared_docs = self._prepared_docs, {}
                        indexer.start(prepared, self.store.last_seq())
                        pending = 0
                        synced = time.monotonic()
                yield from results
        finally:
            if indexer is not None:
                indexer.finish()
            if pending or indexer is not None:
                self._index_stored()

    def _index_stored(self) -> None:
        """Index what was stored, unless another process holds the index for long: what is
        stored is added, and shows in searches once the index catches up."""
        try:
            self.sync_index(wait=ADD_WAITS_FOR_INDEXER)
        except LockTimeout:
            log.warning("the index is busy in another process: it will catch up later")

    def _store_group(self, items: _Pushback) -> list[AddResult]:
        """The next items' results, their articles stored in one transaction: one commit
        (and disk sync) for up to STORE_GROUP articles instead of one each, which was a
        tenth of bulk ingest's time. A group fails or lands whole. A submission that was
        not prepared in a worker is prepared before the lock is taken, so the group ends
        before it."""
        first = next(items, None)
        if first is None:
            return []
        taken = [self._prepared(*first)]
        return _again_on_conflict(lambda: self._store_taken(taken, items))

    def _store_taken(self, taken: list, items: _Pushback) -> list[AddResult]:
        """Store the items `taken` and more from `items` (added to `taken`) in one
        transaction."""
        deadline = time.monotonic() + STORE_GROUP_SECONDS
        with self.lock.shared(), self.store.transaction():
            results = [self._result(*item) for item in taken]
            while len(results) < STORE_GROUP and time.monotonic() < deadline:
                item = next(items, None)
                if item is None:
                    break
                if item[1] is None and isinstance(item[0], Submission):
                    items.push(item)
                    break
                taken.append(item)
                results.append(self._result(*item))
        return results

    def _prepared(self, sub, prepared) -> tuple:
        if prepared is None and isinstance(sub, Submission):
            try:
                prepared = prepare(sub, self.index.prepare)
            except Rejected as err:
                prepared = err
        return sub, prepared

    def _result(self, sub, prepared: Prepared | Rejected | None) -> AddResult:
        if isinstance(sub, AddResult):
            return sub
        if isinstance(sub, CurationRecord):
            return AddResult(sub.name, self.curation.restore_record(sub))
        if isinstance(prepared, Rejected):
            return AddResult(sub.name, "rejected", reason=str(prepared))
        try:
            # Under a savepoint of its own (`Store.transaction` nests): a failure undoes this
            # article alone, and the rest of its group is stored.
            result = self._store_prepared(sub, prepared)
        except STORE_FAILURES:
            raise  # the store itself failing (damage, disk full) is not this item's fault
        except Exception as err:  # noqa: BLE001 - the item is rejected, its group goes on
            log.warning("could not store %s: %r", sub.name, err)
            return AddResult(sub.name, "rejected", reason=validate.failure_reason(err))
        result.notes = [*sub.notes, *prepared.notes]
        return result

    def _one_outlet(self, name: str) -> str:
        """The name the archive already knows this outlet by, when `name` differs from it
        only in case, spacing, accents or a leading "The" ("detroitnews", "Detroit News"):
        one outlet, not two. A written-out name wins over a handle."""
        if self._outlet_names is None:
            self._outlet_names = {}
            for known, _ in self.store.histogram("source"):  # most common first
                if known:
                    self._outlet_names.setdefault(squeezed(known), known)
        key = squeezed(name)
        known = self._outlet_names.get(key)
        if known is None or (_is_handle(known) and not _is_handle(name)):
            self._outlet_names[key] = name
            return name
        return known

    def _add_one(self, sub: Submission, prepared: Prepared | None = None) -> AddResult:
        """Store one submission, leaving the index to the next `sync_index`."""
        sub, prepared = self._prepared(sub, prepared)

        def store():
            with self.lock.shared():
                return self._result(sub, prepared)

        return _again_on_conflict(store)

    def _store_prepared(self, sub: Submission, prepared: Prepared) -> AddResult:
        article = prepared.article
        article.added_at = sub.restored.get("added_at") or now()
        if article.source and article.basis.get("source") not in ("user", EDITED):
            article.source = self._one_outlet(article.source)
        rules = self.store.rules()
        article.source = outlet_for(article.source, rules)
        for name, how in sub.stated_basis.items():  # an editor cleared it: it stays unknown
            if how == EDITED and name not in sub.stated:
                setattr(article, name, "und" if name == "language" else None)
                article.basis[name] = EDITED
        if sub.curated:  # an export line: its tombstone, split and place corrections
            article.deleted = sub.curated.get("deleted")
            article.split = bool(sub.curated.get("split"))
            article.place_edits = sub.curated.get("place_edits") or {}
        if rules or article.place_edits:
            article.places = corrected_places(article, rules, article.places)
        existing = self.store.id_for_fingerprint(article.fingerprint)
        if existing:
            return self._sighted(sub, article, existing)
        story = self._story_for(sub, prepared)
        if story:
            article.version_of = story
        kept = sub.restored.get("id", "")
        if len(kept) > len(article.id) and article.fingerprint.startswith(kept):
            article.id = kept  # lengthened in its archive: a restore keeps the same id
        # A different text whose id prefix collides: lengthen the id until it is free.
        while self.store.get(article.id) is not None:
            article.id = article.fingerprint[: len(article.id) + 4]
        try:
            self._insert(sub, prepared, article)
        except DuplicateArticle as dup:  # a concurrent writer stored it first
            return self._sighted(sub, article, dup.holder)
        if prepared.prepared is not None:
            self._prepared_docs[article.id] = (prepared.key, prepared.prepared)
        if story:
            return AddResult(sub.name, "near-duplicate", id=story, article=article)
        return AddResult(sub.name, "added", id=article.id, article=article)

    def _sighted(self, sub: Submission, article: Article, holder: str) -> AddResult:
        """A duplicate of the stored article `holder`: its outlet and URL are kept as a copy."""
        with self.store.transaction() as conn:
            self.store.add_sighting(
                conn, holder, Sighting(article.source, article.url, sub.name, article.added_at)
            )
        return AddResult(sub.name, "duplicate", id=holder, article=self.store.get(holder))

    def _insert(self, sub: Submission, prepared: Prepared, article: Article) -> None:
        with self.store.transaction() as conn:
            self.store.insert(
                conn,
                article,
                original=prepared.original,
                shingle_count=len(prepared.shingles),
                band_keys=prepared.band_keys,
            )
            for extra in sub.stated.get("sightings", []) or []:  # checked by `validate`
                if isinstance(extra, dict):
                    self.store.add_sighting(
                        conn,
                        article.id,
                        Sighting(
                            extra.get("source"),
                            extra.get("url"),
                            extra.get("original_name"),
                            extra.get("added_at") or article.added_at,
                        ),
                    )

    def _story_for(self, sub: Submission, prepared: Prepared) -> str | None:
        """The story a new article is a version of. An export line says (a restore keeps
        the versions as they were, whatever a newer detector would find); other
        submissions are compared with the stories stored."""
        if sub.curated.get("split"):
            return None
        if not sub.restored:
            return self._near_duplicate_of(prepared)
        recorded = sub.restored.get("version_of")
        if recorded is None:
            return None
        story = self.store.get(recorded)
        if story is None:  # its story is not here (a partial backup): look for another
            return self._near_duplicate_of(prepared)
        return story.version_of or story.id

    def _near_duplicate_of(self, prepared: Prepared) -> str | None:
        candidates = self.store.candidates(prepared.band_keys)
        if not candidates:
            return None
        texts = self.store.texts(candidates)
        for cid in candidates:
            match = dedupe.resemblance(prepared.shingles, dedupe.shingles(texts[cid]))
            if match.near_duplicate:
                story = self.store.get(cid)
                story = self.store.get(story.version_of) if story and story.version_of else story
                if story is not None and story.deleted:
                    continue  # a new article is never hidden as a version of a deleted one
                return story.id if story else cid
        return None

    def curated(self) -> None:
        """After a correction: outlet names may have changed, and the index follows."""
        self._outlet_names = None
        self._index_stored()

    # --- reading ---------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        return self.store.get(article_id)

    def view(self, article_id: str) -> ArticleView | None:
        """An article with its story, versions, copies and outlets."""
        article = self.store.get(article_id)
        if article is None:
            return None
        story = self.store.get(article.version_of) if article.version_of else None
        root = story or article
        return ArticleView(
            article=article,
            story=story,
            versions=[v for v in self.store.versions(root.id) if v.id != article.id],
            sightings=self.store.sightings(article.id),
            outlets=self.store.outlets(root.id),
        )

    def original(self, article_id: str) -> tuple[bytes, str | None, str | None] | None:
        return self.store.original(article_id)

    def search(self, request: SearchRequest) -> SearchResult:
        """Search stories with filters, facets and snippets. A damaged index is rebuilt
        from the store and the search answered from the rebuild, or with a note."""
        behind = False
        if self.index.indexed_seq() < self.store.last_seq():
            # Another process stored without indexing: it crashed, or it is indexing now.
            # Catch up, but never wait behind a writer (a rebuild can take minutes):
            # answer from the index as it stands instead, and say so.
            try:
                self.sync_index(wait=SEARCH_WAITS_FOR_WRITER)
            except LockTimeout:
                behind = True
        try:
            result = self.searches.search(request)
        except IndexDamaged as err:
            result = self._search_after_damage(request, err)
        if behind:
            result.notes.append(
                "The search index is being updated by another process; articles added or "
                "changed meanwhile may be missing from these results for now."
            )
        return result

    def _search_after_damage(self, request: SearchRequest, err: IndexDamaged) -> SearchResult:
        log.warning("search index unreadable (%s): rebuilding from the store", err.reason)
        self.index.mark_damaged(err.build)
        if self.heal(wait=HEAL_WAIT):
            try:
                result = self.searches.search(request)
                result.notes.append("The search index was damaged; it was rebuilt from the store.")
                return result
            except IndexDamaged as again:
                log.warning("the rebuilt index failed too: %s", again.reason)
        return SearchResult(
            request=request,
            total=0,
            hits=[],
            facets={f.name: [] for f in FACETS},
            notes=[
                "The search index is damaged and is being rebuilt from the store; nothing "
                "is lost. Search again in a minute."
            ],
        )

    def heal(self, wait: float | None = None) -> bool:
        """Rebuild or catch up the index in a thread of its own (one at a time), waiting at
        most `wait` seconds; whether the index is usable again by then."""
        with self._heal_lock:
            if self._healer is None or not self._healer.is_alive():
                self._healer = threading.Thread(target=self._heal_now, name="index-heal")
                self._healer.daemon = True
                self._healer.start()
            healer = self._healer
        healer.join(wait)
        return not healer.is_alive() and self.index.state() is not None

    def _heal_now(self) -> None:
        try:
            self.sync_index()
        except Exception:  # noqa: BLE001 - logged; the next search tries again
            log.exception("rebuilding the search index failed")
        finally:
            self.store.close()  # this thread's connection

    def similar(
        self, article_id: str, limit: int = 5, min_score: float = SIMILAR_MIN_SCORE
    ) -> list[tuple[Article, float]]:
        """Other stories most like this one's text, with how alike (1.0: as alike as the
        story itself); none below `min_score`, so a page with nothing alike shows nothing
        (and none while the index is damaged)."""
        article = self.store.get(article_id)
        if article is None:
            return []
        story = article.version_of or article.id
        try:
            found_ids = self.searches.similar(story, article.text, limit + 1)
        except IndexDamaged as err:
            log.warning("search index unreadable (%s): rebuilding it", err.reason)
            self.index.mark_damaged(err.build)
            self.heal(wait=0)
            return []
        scored = [(i, score) for i, score in found_ids if i != story and score >= min_score]
        scored = scored[:limit]
        found = self.store.get_many([i for i, _ in scored])
        return [(found[i], score) for i, score in scored if i in found]

    def _hit_records(self, ids: list[str]) -> dict[str, tuple[Article, list[str]]]:
        articles = self.store.get_many(ids)
        # An index a moment behind the store may still hold a story just deleted.
        return {a.id: (a, self.store.outlets(a.id)) for a in articles.values() if not a.deleted}

    def stats(self) -> dict:
        """What the archive holds (see `archive.overview`), with the index's state."""
        try:
            indexed = self.index.doc_count()
        except IndexDamaged:
            indexed = 0
        return {
            **self.store.count(),
            "indexed": indexed,
            "sources": dict(self.store.histogram("source")),
            "languages": dict(self.store.histogram("language")),
            "data_dir": str(self.data_dir),
            **self.overview(),
        }

    def overview(self) -> dict:
        """What the archive holds at a glance (counts, date span, recent and busiest)."""
        return overview(self)

    def export(self, *, with_deleted: bool = False) -> Iterator[dict]:
        """Every article as a JSONL-ingestable record, originals and copies included, with
        the rules before them and the history after them. A deleted article is only its
        tombstone (id, fingerprint, who, when, why: its text and original are left out);
        `with_deleted` makes a complete backup instead, the deleted articles whole with
        their tombstones, which a restore keeps deleted."""
        rules, history = export_records(self.store)
        yield from rules
        for article, sightings in self.store.iter_articles():
            if article.deleted and not with_deleted:
                yield {
                    "tombstone": {
                        "id": article.id,
                        "fingerprint": article.fingerprint,
                        "deleted": article.deleted,
                    }
                }
                continue
            original = self.store.original(article.id)
            record = {
                "id": article.id,
                "text": article.text,
                "title": article.title,
                "source": article.source,
                "author": article.author,
                "date": article.date,
                "url": article.url,
                "language": article.language,
                "language_prob": article.language_prob,
                "source_domain": article.source_domain,
                "date_confidence": article.date_confidence,
                "date_uncertain": article.date_uncertain or None,
                "basis": article.basis,
                "version_of": article.version_of,
                "added_at": article.added_at,
                "original_name": article.original_name,
                "original_type": article.original_type,
                "original": base64.b64encode(original[0]).decode() if original else None,
                "sightings": [s.__dict__ for s in sightings],
                "deleted": article.deleted,
                "split": article.split or None,
                "place_edits": article.place_edits,
            }
            yield {k: v for k, v in record.items() if v not in (None, [], {})}
        yield from history


def _again_on_conflict(store):
    """`store()`, run again (afresh: all it wrote was undone) when a concurrent writer won a
    race for the same rows."""
    for attempt in range(1, CONFLICT_TRIES + 1):
        try:
            return store()
        except StoreConflict:
            if attempt == CONFLICT_TRIES:
                raise
            log.info("a concurrent writer won a race: storing again (try %d)", attempt + 1)


def _is_handle(name: str) -> bool:
    """A name written as a handle or an address: "detroitnews", "nj.com"."""
    return name == name.casefold() and " " not in name


class _Pushback:
    """An iterator that can take back the item it just gave."""

    def __init__(self, iterable: Iterable):
        self._it = iter(iterable)
        self._back: list = []

    def __iter__(self):
        return self

    def __next__(self):
        return self._back.pop() if self._back else next(self._it)

    def push(self, item) -> None:
        self._back.append(item)


def export_jsonl(archive: Archive, out, *, with_deleted: bool = False) -> int:
    """Write the export to a text stream; returns the number of articles."""
    count = 0
    for record in archive.export(with_deleted=with_deleted):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += "text" in record
    return count
