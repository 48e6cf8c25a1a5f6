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
from itertools import chain
from pathlib import Path

from archive.search._docsets import block_ids

log = logging.getLogger(__name__)

FACET_FIELDS = ("place", "source", "lang", "month", "date")
_FORMAT = 3  # bump when the saved layout changes; old files are then re-read from postings
_MEMO_DOCS = 250_000  # document numbers kept in a view's filter sets, ~16 MB


class _SegmentValues:
    """One segment's facet values, by segment-local document number: value -> docnums, and
    docnum -> the ids of its values (ids of the cache's `_ValueIds`)."""

    def __init__(self, docs: dict[str, dict[str, array]], size: int, value_ids: _ValueIds):
        self.size = size
        self.docs = docs
        self.rows: dict[str, list[tuple[int, ...]]] = {}
        for fieldname, by_value in docs.items():
            # Per document, a tuple of value ids: the documents of a one-valued field share
            # one tuple per value, and the ids are the cache's own int objects. Counting
            # iterates tuples at C speed; arrays of offsets would be smaller, but slicing
            # them per document counted half as fast.
            table: list[tuple[int, ...]] = [()] * size
            for value, ids in by_value.items():
                one = (value_ids.of(value),)
                for docnum in ids:
                    have = table[docnum]
                    table[docnum] = have + one if have else one
            self.rows[fieldname] = table

    @classmethod
    def read(cls, leaf, value_ids: _ValueIds) -> _SegmentValues:
        """From the segment's postings, a block of ids at a time."""
        docs: dict[str, dict[str, array]] = {}
        names = set(leaf.indexed_field_names())
        for fieldname in FACET_FIELDS:
            by_value: dict[str, array] = {}
            if fieldname in names:
                for term in leaf.lexicon(fieldname):
                    matcher = leaf._terms.matcher(fieldname, term, leaf.schema[fieldname].format)
                    ids = block_ids(matcher)
                    by_value[term.decode("utf-8")] = array(
                        "i", ids if ids is not None else matcher.all_ids()
                    )
            docs[fieldname] = by_value
        return cls(docs, leaf.doc_count_all(), value_ids)

    @classmethod
    def load(cls, leaf, path: Path | None, value_ids: _ValueIds) -> _SegmentValues:
        """From the saved file when there is a good one, else read (and saved)."""
        file = path / f"{leaf.segment().segment_id()}.facets" if path else None
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
    """The facet values of one reader: filter sets and counts over a set of documents."""

    def __init__(self, segments: list[tuple[_SegmentValues, int]], size: int, values: list[str]):
        self._segments = segments
        self._values = values
        # One table per field over the reader's document numbers: counting is then a
        # list index per matched document, whatever the number of segments.
        self._tables: dict[str, list[tuple[int, ...]]] = {}
        for fieldname in FACET_FIELDS:
            table: list[tuple[int, ...]] = []
            for seg, offset in segments:
                table.extend([()] * (offset - len(table)))
                table.extend(seg.rows.get(fieldname, ()))
            table.extend([()] * (size - len(table)))
            self._tables[fieldname] = table
        self._memo: dict[tuple[str, str], set[int]] = {}
        self._memo_docs = 0
        self._memo_lock = threading.Lock()

    def docs_with(self, fieldname: str, value: str) -> set[int]:
        key = (fieldname, value)
        found = self._memo.get(key)
        if found is None:
            found = set()
            for seg, offset in self._segments:
                ids = seg.docs[fieldname].get(value, ())
                found.update(map(offset.__add__, ids) if offset else ids)
            with self._memo_lock:  # filters repeat (a place, a source): keep a few
                # Bounded in documents too: a set costs ~65 bytes a document, and 256 sets of
                # a big country or source would hold hundreds of MB.
                if len(self._memo) > 256 or self._memo_docs + len(found) > _MEMO_DOCS:
                    self._memo.clear()
                    self._memo_docs = 0
                self._memo[key] = found
                self._memo_docs += len(found)
        return found

    def docs_with_any(self, fieldname: str, values: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for value in values:
            found |= self.docs_with(fieldname, value)
        return found

    def docs_where(self, fieldname: str, keep: Callable[[str], bool]) -> set[int]:
        """Documents with a value that `keep` accepts."""
        found: set[int] = set()
        for seg, offset in self._segments:
            for value, docnums in seg.docs[fieldname].items():
                if keep(value):
                    found.update(map(offset.__add__, docnums) if offset else docnums)
        return found

    def count(self, fieldname: str, docs: Iterable[int]) -> Counter:
        counts = Counter(chain.from_iterable(map(self._tables[fieldname].__getitem__, docs)))
        values = self._values
        return Counter({values[i]: n for i, n in counts.items()})

    def values_of(self, fieldname: str, docnum: int) -> tuple[str, ...]:
        table = self._tables[fieldname]
        row = table[docnum] if docnum < len(table) else ()
        return tuple(map(self._values.__getitem__, row))
