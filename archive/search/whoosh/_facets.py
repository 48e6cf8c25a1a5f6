"""Facet counting from per-document values cached per index segment.

Whoosh's `groupedby` re-reads values on every query (p95 770 ms at 100k articles); reading
each segment's facet postings once, and counting over the matched document set, is ~8x
faster. Segments are immutable, so a cache entry lives as long as its segment. Each
segment's values are also saved beside it (`<segment>.facets`, removed by Whoosh with the
segment), so a freshly started server does not re-read every posting before its first answer.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from archive.search import registry
from archive.search.whoosh import _compat as compat
from archive.search.whoosh._docsets import block_ids

log = logging.getLogger(__name__)

# Each registry facet's index field; these four keep the names they had before the registry
# (renaming them would make every index be rebuilt), a facet declared since gets `facet_<name>`.
_NAMED = {"place": "place", "source": "source", "language": "lang", "date": "month"}


class _FacetFields(dict):
    def __missing__(self, name: str) -> str:
        return _NAMED.get(name, f"facet_{name}")


FACET_FIELD: dict[str, str] = _FacetFields()


def facet_fields() -> tuple[str, ...]:
    """The fields whose values are cached: every registry facet's, and the days of `date`
    (the range filter and the date sorts)."""
    return (*(FACET_FIELD[f.name] for f in registry.FACETS), "date")


_FORMAT = 3  # bump when the saved layout changes; old files are then re-read from postings
_MEMO_BYTES = 32 * 2**20  # filter masks kept by a view (a byte a document each)


class _SegmentValues:
    """One segment's facet values, by segment-local document number: value -> docnums, and
    the same as two parallel arrays (docnum, value id; ids of the cache's `_ValueIds`) for
    counting."""

    def __init__(self, docs: dict[str, dict[str, array]], size: int, value_ids: _ValueIds):
        self.size = size
        self.docs = docs
        self.entries: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for fieldname, by_value in docs.items():
            ids = [np.frombuffer(d, dtype=np.intc) for d in by_value.values()]
            counts = [len(d) for d in ids]
            value_of = np.array([value_ids.of(v) for v in by_value], dtype=np.int32)
            self.entries[fieldname] = (
                np.concatenate(ids) if ids else np.empty(0, np.int32),
                np.repeat(value_of, counts),
            )

    @classmethod
    def read(cls, leaf, value_ids: _ValueIds) -> _SegmentValues:
        """From the segment's postings, a block of ids at a time."""
        docs: dict[str, dict[str, array]] = {}
        names = set(leaf.indexed_field_names())
        for fieldname in facet_fields():
            by_value: dict[str, array] = {}
            if fieldname in names:
                for term in leaf.lexicon(fieldname):
                    matcher = (
                        leaf._terms.matcher(fieldname, term, leaf.schema[fieldname].format)
                        if compat.trusted()  # without the deleted-documents filter
                        else leaf.postings(fieldname, term)
                    )
                    ids = block_ids(matcher)
                    by_value[term.decode("utf-8")] = array(
                        "i", ids if ids is not None else matcher.all_ids()
                    )
            docs[fieldname] = by_value
        return cls(docs, leaf.doc_count_all(), value_ids)

    @classmethod
    def load(cls, leaf, path: Path | None, value_ids: _ValueIds) -> _SegmentValues:
        """From the saved file when there is a good one, else read (and saved)."""
        file = _values_file(path, leaf.segment().segment_id()) if path else None
        if file is not None:
            try:
                with open(file, "rb") as fh:
                    data = pickle.load(fh)
                if data[0] == _FORMAT and data[1] == leaf.doc_count_all():
                    return cls(data[2], data[1], value_ids)
            except FileNotFoundError:
                pass
            except Exception as err:  # a damaged cache file is only a slower start
                log.warning("facet cache %s unreadable (%s); re-reading the segment", file, err)
        values = cls.read(leaf, value_ids)
        if file is not None:
            values._save(file)
        return values

    def _save(self, file: Path) -> None:
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")  # Whoosh ignores dot files
        try:
            with open(tmp, "wb") as fh:
                data = (_FORMAT, self.size, self.docs)
                pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, file)
        except OSError as err:  # a read-only index still searches
            log.info("facet cache not saved: %s", err)
            tmp.unlink(missing_ok=True)


def save_values(ix, path: Path) -> None:
    """Save the facet values of each segment of `ix` that has no file of them yet. The
    index writer does it after each commit, so that a fresh process's first search finds
    them: reading a new segment's facet postings cost the first `archive search` after a
    100,000-article bulk ingest over a second."""
    value_ids = _ValueIds()
    reader = ix.reader()
    try:
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment()
            if segment is None:
                continue
            file = _values_file(path, segment.segment_id())
            if not file.exists():
                _SegmentValues.read(leaf, value_ids)._save(file)
    finally:
        reader.close()


def _values_file(path: Path, segment_id: str) -> Path:
    return path / f"{segment_id}.facets"  # Whoosh removes a segment's files by this prefix


class _ValueIds:
    """A number for every facet value seen, the same in every segment, so that the tables of
    a reader's segments can be joined and counted together."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.values: list[str] = []  # only ever appended to: views read it without a lock

    def of(self, value: str) -> int:
        found = self._ids.get(value)
        if found is None:
            found = self._ids[value] = len(self.values)
            self.values.append(value)
        return found


class FacetCache:
    """Facet values for every live segment, refreshed as segments come and go."""

    def __init__(self, path: Path | None = None):
        self._lock = threading.Lock()
        self._path = Path(path) if path else None
        self._segments: dict[str, _SegmentValues] = {}
        self._value_ids = _ValueIds()
        self._view: tuple[tuple, FacetView] | None = None

    def view(self, reader) -> FacetView:
        leaves = []
        for leaf, offset in reader.leaf_readers():
            segment = leaf.segment()
            if segment is not None:  # an empty index has no segment, no facet values
                leaves.append((leaf, offset, segment.segment_id()))
        key = tuple((segid, offset) for _, offset, segid in leaves)
        with self._lock:
            if self._view is not None and self._view[0] == key:
                return self._view[1]
            current = {
                segid: self._segments.get(segid)
                or _SegmentValues.load(leaf, self._path, self._value_ids)
                for leaf, _, segid in leaves
            }
            self._segments = current
            view = FacetView(
                [(current[segid], offset) for _, offset, segid in leaves],
                reader.doc_count_all(),
                self._value_ids.values,
            )
            self._view = (key, view)
        return view


class FacetView:
    """The facet values of one reader: filter masks and counts over a mask of documents."""

    def __init__(self, segments: list[tuple[_SegmentValues, int]], size: int, values: list[str]):
        self.size = size
        self._segments = segments
        self._values = values
        # Per field, every (document, value) pair of the reader: counting is then one
        # bincount over the pairs whose document is in the mask.
        self._entries: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for fieldname in facet_fields():
            docs = [seg.entries[fieldname][0].astype(np.int64) + off for seg, off in segments]
            vals = [seg.entries[fieldname][1] for seg, _ in segments]
            self._entries[fieldname] = (
                np.concatenate(docs) if docs else np.empty(0, np.int64),
                np.concatenate(vals) if vals else np.empty(0, np.int32),
            )
        self._memo: dict[tuple[str, str], np.ndarray] = {}
        self._memo_lock = threading.Lock()
        self._days: np.ndarray | None = None

    def _mask(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def docs_with(self, fieldname: str, value: str) -> np.ndarray:
        key = (fieldname, value)
        found = self._memo.get(key)
        if found is None:
            found = self._mask()
            for seg, offset in self._segments:
                ids = seg.docs[fieldname].get(value)
                if ids:
                    found[np.frombuffer(ids, dtype=np.intc).astype(np.int64) + offset] = True
            with self._memo_lock:  # filters repeat (a place, a source): keep a few
                if (len(self._memo) + 1) * self.size > _MEMO_BYTES:
                    self._memo.clear()
                self._memo[key] = found
        return found

    def docs_with_any(self, fieldname: str, values: Iterable[str]) -> np.ndarray:
        found = self._mask()
        for value in values:
            found |= self.docs_with(fieldname, value)
        return found

    def docs_where(self, fieldname: str, keep: Callable[[str], bool]) -> np.ndarray:
        """Documents with a value that `keep` accepts."""
        docs, vals = self._entries[fieldname]
        accepted = np.zeros(len(self._values), dtype=bool)
        for vid in np.unique(vals).tolist():
            accepted[vid] = keep(self._values[vid])
        found = self._mask()
        found[docs[accepted[vals]]] = True
        return found

    def count(self, fieldname: str, mask: np.ndarray) -> Counter:
        docs, vals = self._entries[fieldname]
        counts = np.bincount(vals[mask[docs]], minlength=0)
        values = self._values
        nonzero = np.flatnonzero(counts).tolist()
        return Counter({values[i]: int(counts[i]) for i in nonzero})

    def days(self) -> np.ndarray:
        """Each document's date as a number (20241208), 0 when it has none."""
        if self._days is None:
            docs, vals = self._entries["date"]
            number = np.zeros(len(self._values), dtype=np.int64)
            for vid in np.unique(vals).tolist():
                digits = self._values[vid].replace("-", "")
                number[vid] = int(digits) if digits.isdigit() else 0
            days = np.zeros(self.size, dtype=np.int64)
            days[docs] = number[vals]
            self._days = days
        return self._days
