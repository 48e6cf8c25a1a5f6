"""The embedded search backend: a Whoosh index on disk, written from the store, answering
the service's queries with ranked ids and raw facet counts (`archive.search.backend`)."""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN
from whoosh.filedb.filestore import FileStorage

from archive.search import query as qm
from archive.search import registry
from archive.search.backend import Document, Filters, IndexDamaged, Matches
from archive.search.whoosh import _compat as compat
from archive.search.whoosh._analysis import tag_language, word_postings
from archive.search.whoosh._compile import to_whoosh
from archive.search.whoosh._docsets import CACHE_MB, Evaluator, PostingCache
from archive.search.whoosh._facets import FACET_FIELD, FacetCache, save_values
from archive.search.whoosh._query import highlight_terms
from archive.search.whoosh._schema import SCHEMA_VERSION, Analysed, build_schema
from archive.search.whoosh._similar import FrequencyCache, key_terms, similar_query
from archive.search.whoosh._writer import commit
from archive.search.whoosh.budget import bound_query
from archive.search.whoosh.health import check_files, record_files, valid_state
from archive.search.words import script_of, stem_terms, terms

log = logging.getLogger(__name__)
STATE_FILE = "archive-index.json"
_SCHEMA = build_schema()
_FIRST_FACETS = ["place", "source", "language", "date"]  # an index's before it recorded them


def _facet_names() -> list[str]:
    return [f.name for f in registry.FACETS]


def _text_values(title: str | None, text: str, language: str) -> dict[str, str]:
    title = title or ""
    return {
        "title": title,
        "title_stem": tag_language(title, language),
        "body": text,
        "body_stem": tag_language(text, language),
    }


def analyse(title: str | None, text: str, language: str) -> dict[str, Analysed]:
    """The text fields' postings for a story (`WhooshBackend.prepare`, pickled): what
    the fields' `index` gives for `_text_values`, with each text split and folded once
    for its two fields."""
    out = {}
    for name, value in (("title", title or ""), ("body", text)):
        words = terms(value)
        out[name] = Analysed(word_postings(words, _SCHEMA[name].encode))
        stemmed = f"{name}_stem"
        out[stemmed] = Analysed(word_postings(stem_terms(words, language), _SCHEMA[stemmed].encode))
    return out


class WhooshBackend:
    """A Whoosh index under `path`, with its schema version and the store sequence it
    reflects.

    The index lives in a build directory (`path/b<id>/`) named by the state file
    (`path/archive-index.json`). A rebuild writes a new build beside the current one and
    switches to it by replacing the state file, so readers, in this process or another,
    never see a half-built index; they notice the new build on their next search.
    """

    def __init__(self, path: Path, cache_mb: int = CACHE_MB):
        self.path = Path(path)
        self._lock = threading.RLock()  # writers take turns; searches never take it
        self._open_lock = threading.Lock()  # swapping the open build
        # Each thread searches its own snapshot (a Whoosh searcher is not shared between
        # threads), so searches run side by side and never wait for a write.
        self._local = threading.local()
        self._searchers: set = set()  # every thread's, to close them all
        self._facets = FacetCache()
        self._postings = PostingCache(cache_mb)
        self._frequencies = FrequencyCache()
        self._ix = None
        self._build: str | None = None  # the build `_ix` has open
        self._state_cache: tuple[tuple, dict] | None = None  # (file identity, parsed)

    # --- state ---------------------------------------------------------------------------

    def state(self) -> dict | None:
        """The schema version, build and last store sequence indexed, or None if there is
        no usable index. Asked on every search, so the file is parsed again only when it
        was replaced (its inode and mtime change)."""
        file = self.path / STATE_FILE
        try:
            stat = file.stat()
            key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if self._state_cache is None or self._state_cache[0] != key:
                self._state_cache = (key, json.loads(file.read_text()))
        except (OSError, ValueError):
            self._state_cache = None
            return None
        state = valid_state(self._state_cache[1], SCHEMA_VERSION)
        if state is None or not (self.path / state["build"]).is_dir():
            return None
        if state.get("facets", _FIRST_FACETS) != _facet_names():
            return None  # a facet declared or dropped since: rebuilt with its field
        return state

    def older_schema(self) -> int | None:
        """The schema version of an index an earlier version of the archive made, if the
        state file says so (it is then rebuilt, as any unusable index is)."""
        self.state()
        raw = self._state_cache[1] if self._state_cache else None
        schema = raw.get("schema") if isinstance(raw, dict) else None
        if isinstance(schema, int) and not isinstance(schema, bool) and schema < SCHEMA_VERSION:
            return schema
        return None

    def indexed_seq(self) -> int:
        """The last store change the index reflects; -1 when there is no usable index."""
        state = self.state()
        return state["seq"] if state else -1

    def store_id(self) -> str | None:
        """The identity of the store the index was built from (None: not recorded)."""
        state = self.state()
        return state.get("store") if state else None

    def current_dir(self) -> Path | None:
        """The directory of the build in use, or None if there is none."""
        state = self.state()
        return self.path / state["build"] if state else None

    def _open(self) -> tuple:
        """The current build's index, its name and facet cache, reopened when another
        writer switched builds. Raises `IndexDamaged` when there is none to open."""
        state = self.state()
        if state is None:
            raise IndexDamaged(None, f"no usable search index in {self.path}")
        with self._open_lock:
            if self._ix is None or state["build"] != self._build:
                directory = self.path / state["build"]
                with _opening() as failed:
                    try:
                        ix = _retrying(lambda: _Storage(str(directory)).open_index())
                    except Exception as err:  # a damaged table of contents
                        reason = _describe(err)
                        failed.append(True)
                    else:
                        reason = None
                if reason:
                    raise IndexDamaged(state["build"], reason)
                self._ix, self._build = ix, state["build"]
                self._facets = FacetCache(directory)
            return self._ix, self._build, self._facets

    def verify(self) -> str | None:
        """Why the current build cannot be trusted (missing, a file of the wrong length,
        unreadable), or None when it can."""
        try:
            self._drop_searcher()  # a fresh one checks the files
            self._current_searcher().doc_count()
        except IndexDamaged as err:
            return err.reason
        except Exception as err:  # a damaged index fails in many ways; the store rebuilds it
            reason = _describe(err)
        else:
            return None
        self._drop_searcher()
        return reason

    def mark_damaged(self, build: str | None) -> None:
        """Record that `build` failed a read, so every process rebuilds instead of using it
        (the damaged build stays beside the new one until the next rebuild)."""
        with self._open_lock:
            state = self.state()
            if build is None or state is None or state["build"] != build:
                return  # already replaced
            self._replace_state({**state, "damaged": True})
            self._ix = None
            self._build = None

    def _write_state(self, seq: int, build: str, store: str | None, files: dict) -> None:
        state = {
            "schema": SCHEMA_VERSION,
            "seq": seq,
            "build": build,
            "store": store,
            "facets": _facet_names(),
            **files,
        }
        self._replace_state(state)

    def _replace_state(self, state: dict) -> None:
        tmp = self.path / f".{STATE_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(json.dumps(state))
        tmp.replace(self.path / STATE_FILE)

    def _drop_searcher(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            self._local.searcher = None
            self._searchers.discard(searcher)
            try:
                searcher.close()
            except Exception:  # noqa: BLE001 - closing a damaged reader may fail too
                pass

    def close(self) -> None:
        """Close every thread's searcher and the open build."""
        with self._open_lock:
            for searcher in list(self._searchers):
                try:
                    searcher.close()
                except Exception:  # noqa: BLE001 - closing a damaged reader may fail too
                    pass
            self._searchers.clear()
            self._local = threading.local()
            if self._ix is not None:
                self._ix.close()
                self._ix = None
                self._build = None

    # --- writing (the caller holds the archive's write lock) ------------------------------

    @staticmethod
    def prepare(doc: Document) -> bytes:
        """The text fields' postings (`analyse`), pickled: made in an ingest worker, so the
        single index writer only unpickles them. A static method, so workers can call it."""
        return pickle.dumps(analyse(doc.title, doc.text, doc.language), pickle.HIGHEST_PROTOCOL)

    def write(
        self,
        docs: Iterable[Document],
        *,
        seq: int,
        store: str | None = None,
        deletes: Iterable[str] = (),
    ) -> int:
        """Add or replace documents in the current build, and drop those with the ids in
        `deletes`, in one commit, and record `seq` as indexed (and the store's identity,
        kept when not given). Searches go on meanwhile, on the snapshot they hold."""
        with self._lock:
            ix, build, _ = self._open()
            store = store or self.store_id()
            count = commit(ix, map(_fields, docs), deletes)
            directory = self.path / build
            save_values(ix, directory)
            self._write_state(seq, build, store, record_files(directory, ix.latest_generation()))
        return count

    def delete(self, ids: Iterable[str], *, seq: int) -> int:
        """Drop the documents with these ids (in one commit) and record `seq` as indexed.
        Ids the index does not hold cost no commit (most versions never were stories)."""
        with self._lock:
            searcher = self._current_searcher()  # reopened if a commit came since
            held = [i for i in dict.fromkeys(ids) if searcher.document_number(id=i) is not None]
            if held:
                self.write((), seq=seq, deletes=held)
        return len(held)

    def rebuild(self, docs: Iterable[Document], *, seq: int, store: str | None = None) -> int:
        """Index `docs` into a new build and switch to it; the old build serves until then.
        One commit makes one segment, with no merges on the way (3x faster queries at 10k
        than dozens of segments)."""
        with self._lock:
            self._clear_the_way()
            previous = (self.state() or {}).get("build")
            build = f"b{time.time_ns():x}"
            directory = self.path / build
            directory.mkdir(parents=True)
            try:
                ix = FileStorage(str(directory)).create_index(build_schema())
                try:
                    count = commit(ix, map(_fields, docs))
                    save_values(ix, directory)
                    files = record_files(directory, ix.latest_generation())
                finally:
                    ix.close()
                self._write_state(seq, build, store, files)
            except BaseException:
                shutil.rmtree(directory, ignore_errors=True)
                raise
            with self._open_lock:  # each thread reopens its searcher on its next search
                self._ix = None
                self._build = None
            self._remove_builds(keep={build, previous})
        return count

    def _clear_the_way(self) -> None:
        """Move aside what stands where the index folder or its state file belong (a file
        named like the folder): kept for a person to look at, never deleted."""
        for path in (self.path, self.path / STATE_FILE):
            wrong = path.is_dir() if path.name == STATE_FILE else not path.is_dir()
            if (path.exists() or path.is_symlink()) and wrong:
                aside = path.with_name(f"{path.name}.moved-aside-{time.time_ns():x}")
                log.warning("%s is not what the index needs there; moved to %s", path, aside)
                path.rename(aside)

    def _remove_builds(self, keep: set[str | None]) -> None:
        """Delete old builds and half-built ones, and files of the pre-build layout. The
        previous build is kept: a reader in another process may still have it open."""
        for entry in self.path.iterdir():
            if entry.name == STATE_FILE or entry.name in keep or entry.name.startswith("."):
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    # --- searching -----------------------------------------------------------------------

    def _current_searcher(self):
        """This thread's searcher, reopened when the build or its commit changed."""
        ix, build, facets = self._open()
        local = self._local
        searcher = getattr(local, "searcher", None)
        # Reopen rather than `refresh()`: a refreshed reader reuses each old segment
        # reader with its old deletions (and keeps merged-away segments), so a story
        # updated after a commit was found twice. Opening non-compound segments is cheap.
        if searcher is not None and (local.build != build or not searcher.up_to_date()):
            self._drop_searcher()
            searcher = None
        if searcher is None:
            state = self.state() or {}
            problem = check_files(self.path / build, state, ix.latest_generation())
            if problem and ix.latest_generation() == state.get("generation"):
                raise IndexDamaged(build, problem)
            searcher = _open_searcher(ix)
            local.searcher, local.build, local.facets = searcher, build, facets
            self._searchers.add(searcher)
        return searcher

    def doc_count(self) -> int:
        """Stories in the index; raises `IndexDamaged` when it cannot be read."""
        try:
            return self._current_searcher().doc_count()
        except IndexDamaged:
            raise
        except Exception as err:
            reason = _describe(err)
        self._damaged(reason)

    def query(
        self,
        tree: qm.Node,
        filters: Filters,
        *,
        sort: str = "relevance",
        start: int = 0,
        limit: int = 20,
    ) -> Matches:
        """Match, rank and count facets. Raises `IndexDamaged` when the index cannot be read
        (a fresh searcher is tried first: a writer in another process may have replaced
        files under the old one)."""
        for _ in range(2):
            try:
                return self._query(tree, filters, sort, start, limit)
            except IndexDamaged:
                raise
            except Exception as err:  # noqa: BLE001 - tried once more, then reported as damage
                reason = _describe(err)
            self._drop_searcher()
        self._damaged(reason)

    def _query(self, tree: qm.Node, filters: Filters, sort: str, start: int, limit: int):
        searcher = self._current_searcher()
        notes: list[str] = []
        query = to_whoosh(tree, searcher.schema)
        if query is not wq.NullQuery:
            query = query.normalize()
        query = bound_query(query, searcher.reader(), notes)
        facets = self._local.facets.view(searcher.reader())

        evaluator = Evaluator(searcher, self._postings)
        relevance = sort == "relevance" and not isinstance(query, wq.Every)
        found = evaluator.match(query, scored=relevance)
        matched = found.mask
        tests = _facet_tests(facets, filters)

        def narrowed(*names):
            docs = matched
            for name in names:
                if tests.get(name) is not None:
                    docs = docs & tests[name]
            return docs

        final = narrowed(*tests)
        facet_counts = {
            f.name: facets.count(
                FACET_FIELD[f.name],
                narrowed(*(n for n in tests if n != f.name or f.combine == "and")),
            )
            for f in registry.FACETS
        }
        end = start + limit
        if relevance and found.scores is None:  # a weighting of Whoosh's own
            ids = _whoosh_ranked_ids(searcher, query, final, end)
        elif relevance:
            ids = _ranked_ids(searcher, final, found.scores, end)
        else:
            ids = _dated_ids(searcher, evaluator, facets, sort, final, end)
        return Matches(
            ids=ids[start:],
            total=int(np.count_nonzero(final)),
            facet_counts={
                name: {v: c for v, c in counts.items() if v}
                for name, counts in facet_counts.items()
            },
            notes=notes,
            words=sorted(highlight_terms(query).plain),
        )

    def suggest(self, word: str) -> str | None:
        """The index word nearest one that is in no article (None when it is in one, or
        is several terms: a CJK word's pairs, or al-Assad's parts, are not typos)."""
        try:
            # the searcher this thread's query just used: a suggestion needs no fresher one
            searcher = getattr(self._local, "searcher", None) or self._current_searcher()
            reader = searcher.reader()
            found = terms(word)
            if len(found) != 1:
                return None
            if reader.doc_frequency("body", found[0]) or reader.doc_frequency("title", found[0]):
                return None
            return _correct(searcher.corrector("body"), found[0])
        except IndexDamaged:
            raise
        except Exception as err:
            reason = _describe(err)
        self._damaged(reason)

    def similar(self, doc_id: str, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """The stories most like one (the key terms of its text, OR-ed), each with its
        score as a share of the score the story gets itself: 1.0 is as alike as itself, and
        a page that shares a stray word scores near 0 (so callers can cut off junk). Raises
        `IndexDamaged` when the index cannot be read."""
        try:
            searcher = self._current_searcher()
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            terms = key_terms(searcher, text, self._frequencies, number=25)
            if not terms:
                return []
            found = Evaluator(searcher, self._postings).match(similar_query(terms), scored=True)
            best = _best_docs(found.mask, found.scores, limit + 1)
            scored = [(d, searcher.stored_fields(d)["id"], found.scores[d]) for d in best]
            own = next((score for num, _, score in scored if num == docnum), None)
            if own is None:  # it always matches its own key terms; this is a safeguard
                own = max((score for _, _, score in scored), default=0.0)
            if not own:
                return []
            return [(i, round(score / own, 3)) for num, i, score in scored if num != docnum][:limit]
        except IndexDamaged:
            raise
        except Exception as err:
            reason = _describe(err)
        self._damaged(reason)

    def _damaged(self, reason: str) -> NoReturn:
        """Raise `IndexDamaged` for the open build, after a failed read (outside the
        `except` block, so the failed readers' files can be closed first)."""
        self._drop_searcher()
        raise IndexDamaged(self._build, reason)


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"[:300]


class _Storage(FileStorage):
    """File storage that tells the current attempt to open (`_opening`) which files it
    opened, so that none is left open when it fails. Whoosh does not close them itself:
    when a file is missing (a writer in another process merged its segment away), it
    starts the whole open again from the table of contents, keeping the failure in a
    reference cycle with the files opened before, which then stay open until some later
    garbage collection."""

    def open_file(self, name, **kwargs):
        opened = getattr(_attempt, "files", None)
        if opened and name.endswith(".toc"):  # a fresh try: the ones before were given up
            _close(opened)
            opened.clear()
        file = super().open_file(name, **kwargs)
        if opened is not None:
            opened.append(file)
        return file


_attempt = threading.local()


@contextmanager
def _opening():
    """Around an attempt to open an index or searcher: when it fails (an exception, or
    `failed.append(...)`), the files it opened are closed; when it succeeds, they belong
    to what it opened (and to an enclosing attempt)."""
    failed: list = []
    outer = getattr(_attempt, "files", None)
    _attempt.files = opened = []
    try:
        yield failed
    except BaseException:
        failed.append(True)
        raise
    finally:
        _attempt.files = outer
        if failed:
            _close(opened)
        elif outer is not None:
            outer.extend(opened)


def _close(files) -> None:
    for file in files:
        if not file.is_closed:
            try:
                file.close()
            except Exception:  # noqa: BLE001 - a file of a damaged build may fail to close
                pass


def _retrying(open_index):
    """Open an index, retrying briefly when a writer in another process
    replaces the TOC file between Whoosh listing it and opening it (FileNotFoundError,
    seen under concurrent ingest and search)."""
    for _ in range(20):
        with _opening() as failed:
            try:
                return open_index()
            except FileNotFoundError:
                failed.append(True)
        time.sleep(0.01)
    return open_index()


def _open_searcher(ix, attempts: int = 20):
    """A searcher with every file of its segments open.

    A writer in another process deletes the files of the segments it merged away as soon
    as its commit is written, and Whoosh opens some files of a segment (stored fields,
    field lengths, sort columns) only when they are first read: a search then found a
    stored-fields reader of None, or field lengths of 0. An open file outlives its
    deletion, so they are all opened here; if the index changed meanwhile, some may have
    gone first, and the searcher is opened again."""
    for _ in range(attempts):
        generation = ix.latest_generation()
        searcher = None
        with _opening() as failed:
            try:
                searcher = ix.searcher()
                _open_files(searcher)
                if searcher.up_to_date():
                    return searcher
            except FileNotFoundError:
                failed.append(True)  # a segment merged away meanwhile: open again
            except Exception:
                if ix.latest_generation() == generation:
                    raise  # not a file deleted under us: a damaged index
                failed.append(True)
            if searcher is not None:
                searcher.close()
        time.sleep(0.01)
    with _opening():
        return ix.searcher()  # a writer committing all the time: read what can be read


def _open_files(searcher) -> None:
    """Open what searches read of each segment's per-document files: stored fields (the
    hits' ids), field lengths (scores) and the `seq` column (`_dated_ids`). The `date`
    columns are not read (dates come from the facet tables), and opening them would cost
    ~10 ms of every reopen at 100k."""
    if not compat.trusted():  # the same files, opened by asking for one value of each
        for leaf, _ in searcher.reader().leaf_readers():
            if leaf.doc_count_all():
                leaf.stored_fields(0)
                for name, fieldobj in leaf.schema.items():
                    if fieldobj.scorable:
                        leaf.doc_field_length(0, name)
        return
    for leaf, _ in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if perdoc is None:  # an empty index
            continue
        perdoc._cached_reader("_stored", STORED_COLUMN)
        for name, fieldobj in leaf.schema.items():
            if fieldobj.scorable:
                perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)
        for name in ("seq", "added"):
            perdoc._cached_reader(name, leaf.schema[name].column_type)


def _fields(doc: Document) -> dict:
    places = list(dict.fromkeys(doc.places))
    postings = pickle.loads(doc.prepared) if doc.prepared else None
    return {
        "id": doc.id,
        "seq": doc.seq,
        "added": _epoch(doc.added_at),
        **(postings or _text_values(doc.title, doc.text, doc.language)),
        **{FACET_FIELD[f.name]: ",".join(f.values(doc)) for f in registry.FACETS},
        "place_exact": ",".join(places),
        "date": doc.date or "",
        "date_asc": doc.date or "9999-99-99",
    }


def _facet_tests(facets, filters: Filters) -> dict[str, np.ndarray | None]:
    """The documents each facet's filter lets through (None: not filtered): several places
    narrow, several outlets or languages widen, dates are a range of days."""
    place_docs = None
    for pid in filters.places:
        docs = facets.docs_with(FACET_FIELD["place"], pid)
        place_docs = docs if place_docs is None else place_docs & docs
    tests = {
        "place": place_docs,
        "source": facets.docs_with_any(FACET_FIELD["source"], filters.sources)
        if filters.sources
        else None,
        "language": facets.docs_with_any(FACET_FIELD["language"], filters.languages)
        if filters.languages
        else None,
    }
    for name, values in filters.other.items():
        field_name = FACET_FIELD[name]
        if registry.facet(name).combine == "and":
            docs = None
            for value in values:
                found = facets.docs_with(field_name, value)
                docs = found if docs is None else docs & found
            tests[name] = docs
        else:
            tests[name] = facets.docs_with_any(field_name, values)
    low, high = filters.date_from, filters.date_to
    if low is not None or high is not None:
        tests["date"] = facets.docs_where(
            "date", lambda day: (low is None or day >= low) and (high is None or day <= high)
        )
    return {name: docs for name, docs in tests.items() if docs is not None}


def _ranked_ids(searcher, allowed: np.ndarray, scores: np.ndarray, limit: int) -> list[str]:
    """The ids of the best `limit` documents by score."""
    return [searcher.stored_fields(d)["id"] for d in _best_docs(allowed, scores, limit)]


def _best_docs(allowed: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """The best `limit` documents by score, ties in document order (as Whoosh ranks)."""
    docs = np.flatnonzero(allowed)
    if not len(docs) or limit <= 0:
        return []
    keys = scores[docs]
    if len(docs) > limit:  # only those scoring at least the limit-th best need sorting
        cut = np.partition(keys, len(keys) - limit)[len(keys) - limit]
        docs, keys = docs[keys >= cut], keys[keys >= cut]
    order = np.lexsort((docs, -keys))[:limit]
    return [int(d) for d in docs[order]]


def _dated_ids(searcher, evaluator, facets, sort: str, allowed: np.ndarray, limit: int):
    """Newest (or oldest) first, undated last, then by store sequence, as the index's
    `date`/`date_asc` and `seq` columns sort; or (`sort="added"`) newest added first."""
    docs = np.flatnonzero(allowed)
    if not len(docs) or limit <= 0:
        return []
    if sort == "added":  # newest added first; stories added at once by sequence
        order = np.lexsort((evaluator.numbers("seq")[docs], evaluator.numbers("added")[docs]))
        return [searcher.stored_fields(int(d))["id"] for d in docs[order[::-1][:limit]]]
    oldest = sort == "oldest"
    days = facets.days()[docs]
    if oldest:
        days = np.where(days == 0, 99_999_999, days)
    if len(docs) > limit:
        if oldest:
            cut = np.partition(days, limit - 1)[limit - 1]
            keep = days <= cut
        else:
            cut = np.partition(days, len(days) - limit)[len(days) - limit]
            keep = days >= cut
        docs, days = docs[keep], days[keep]
    order = np.lexsort((evaluator.numbers("seq")[docs], days))
    if not oldest:
        order = order[::-1]
    return [searcher.stored_fields(int(d))["id"] for d in docs[order[:limit]]]


def _whoosh_ranked_ids(searcher, query: wq.Query, allowed: np.ndarray, limit: int):
    if not allowed.any() or limit <= 0:
        return []
    allowed_set = set(np.flatnonzero(allowed).tolist())
    results = searcher.search(query, limit=limit, filter=allowed_set)
    return [hit["id"] for hit in results]


def _correct(corrector, folded: str) -> str | None:
    """The index word nearest a folded word, in the same script (a two-letter word is two
    edits from every other one, "發票" from "to"); a short word may differ by one edit."""
    maxdist = 1 if len(folded) <= 4 else 2
    script = script_of(folded)
    # Most typos keep the first letter: looking there first walks a fraction of the
    # term list (57 vs 255 ms at 1k articles); the full walk is the fallback.
    for prefix in (1, 0):
        for found in corrector.suggest(folded, limit=5, maxdist=maxdist, prefix=prefix):
            if found != folded and script_of(found) == script:
                return found
    return None


def _epoch(stamp: str | None) -> int:
    """An ISO 8601 time as whole seconds since 1970 (0 when unknown or unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return 0
    if moment is None:
        return 0
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())
