"""Writing segments: Whoosh's segment writer with cheaper settings, a tiered merge policy,
and merges that move posting blocks instead of single postings.

Whoosh merges segments by feeding every posting of every merged segment, one by one,
through the indexing pool again: at 3,000 articles that cost 19 CPU-ms per merged article,
twice what indexing it did. Posting blocks store their document numbers delta-encoded, so a
block of a segment without deletions only needs its first number shifted to move into the
merged segment; only segments with deleted documents are decoded posting by posting.
"""

from __future__ import annotations

import heapq
import io
import math
import pickle
import zlib
from array import array
from itertools import groupby

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.reading import SegmentReader
from whoosh.system import _INT_SIZE, pack_int, pack_ushort, unpack_int
from whoosh.util.numeric import byte_to_length
from whoosh.writing import NO_MERGE, SegmentWriter

MERGE_FACTOR = 8
# Postings held in memory before Whoosh sorts them into a temporary file: a 3,000-article
# commit fits, and spilling cost a third more indexing time.
POOL_MB = 512


class Writer(SegmentWriter):
    """Non-compound segments (a searcher maps them instead of loading them whole), zlib
    level 1 for posting blocks (as small as the default level 3 here, and a fifth less
    indexing time), field lengths decoded once per document instead of once per posting,
    and block-level merges."""

    def __init__(self, ix):
        super().__init__(ix, compound=False, limitmb=POOL_MB, codec=W3Codec(compression=1))
        self._merging: list[tuple[SegmentReader, int, dict | None]] = []

    def add_reader(self, reader):
        """Take a segment into this one: its documents now, its postings at flush."""
        self._check_state()
        basedoc = self.docnum
        names = {n for n in reader.indexed_field_names() if n in self.schema}
        docmap = self.write_per_doc(set(self.schema.names()) | names, reader)
        self._merging.append((reader, basedoc, docmap))
        self._added = True

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            if self._merging and self._merging[0][1] == 0:
                # Only merged segments, no new documents: move their blocks.
                _merge_blocks(self.fieldwriter, self.schema, self._merging)
            else:  # Whoosh's posting-by-posting way
                for reader, basedoc, docmap in self._merging:
                    self.add_postings_to_pool(reader, basedoc, docmap)
                self._write_pool(lengths)
            self.fieldwriter.close()
        finally:
            if lengths:
                lengths.close()
            for reader, _, _ in self._merging:
                reader.close()
            self._merging = []

    def _write_pool(self, lengths):
        memo = _Lengths(lengths) if lengths else None
        self.fieldwriter.add_postings(self.schema, memo, self.pool.iter_postings())


class _Lengths:
    """A per-document reader's field lengths, remembered: Whoosh asks for them once per
    posting while writing a segment (a tenth of indexing time)."""

    def __init__(self, reader):
        self._reader = reader
        self._known: dict[str, dict[int, int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        known = self._known.get(fieldname)
        if known is None:
            known = self._known[fieldname] = {}
        length = known.get(docnum)
        if length is None:
            length = known[docnum] = self._reader.doc_field_length(docnum, fieldname, default)
        return length


def commit(ix, add) -> None:
    """Write what `add(writer)` adds as a new segment, then merge by size tier in a writer
    of its own, so the merge moves blocks (`merge_tiers`)."""
    writer = Writer(ix)
    try:
        add(writer)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=NO_MERGE)
    while _tier_to_merge(ix._segments()):
        Writer(ix).commit(mergetype=merge_tiers)


def _tier_to_merge(segments) -> list:
    tiers: dict[int, list] = {}
    for seg in segments:
        live = max(1, seg.doc_count())  # a segment of mostly deleted documents drops a tier
        tiers.setdefault(int(math.log(live, MERGE_FACTOR)), []).append(seg)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= MERGE_FACTOR:
            return tiers[tier]
    return []


def merge_tiers(writer, segments):
    """Merge policy: when MERGE_FACTOR segments are of one size tier (live documents within
    a factor of MERGE_FACTOR), they are merged into the segment being written.

    Each document is then rewritten about log_F(total / commit size) times, and the index
    keeps fewer than F segments per tier. Whoosh's default (MERGE_SMALL) often merged
    nearly the whole index at a commit: at 3,000 articles in commits of 200, merging was a
    third of all ingest time."""
    group = _tier_to_merge(segments)
    for seg in group:
        writer.add_reader(SegmentReader(writer.storage, writer.schema, seg))
    return [seg for seg in segments if seg not in group]


# --- block-level merging -------------------------------------------------------------------


def _merge_blocks(fieldwriter, schema, sources) -> None:
    """Write the postings of `sources` ((reader, first new docnum, docmap or None), in
    docnum order) through a W3 field writer, term by term in key order."""

    def terms(i, reader):
        for (fieldname, btext), info in reader._terms.items():
            if fieldname in schema:
                yield fieldname, btext, i, info

    streams = [terms(i, reader) for i, (reader, _, _) in enumerate(sources)]
    postfile = fieldwriter._postfile
    blocklimit = fieldwriter._codec._blocklimit
    current = None
    for (fieldname, btext), group in groupby(heapq.merge(*streams), key=lambda t: t[:2]):
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current = fieldname
        out = _TermOut(postfile, schema[fieldname].format, blocklimit)
        for _, _, i, info in group:
            reader, basedoc, docmap = sources[i]
            if info.is_inlined():
                raise ValueError("inlined postings are not written by this codec")
            offset, length = info.extent()
            if isinstance(length, tuple):  # as W3TermInfo.from_bytes reads it
                length = length[0]
            data = reader._terms._postfile.get(offset, length)
            if docmap is None:
                out.shifted(data, basedoc, info)
            else:
                out.remapped(data, docmap, out.format)
        info = out.finish()
        if info is not None:
            fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, info.to_bytes())
    if current is not None:
        fieldwriter.finish_field()


def _blocks(data: bytes):
    """(info tuple, block data bytes) for each block of one term's postings."""
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a W3 posting list")
    pos = 4
    while pos < len(data):
        length = unpack_int(data[pos : pos + _INT_SIZE])[0]
        end = pos + _INT_SIZE + abs(length)
        buf = io.BytesIO(data[pos + _INT_SIZE : end])
        info = pickle.load(buf)
        yield info, data[pos + _INT_SIZE + buf.tell() : end]
        pos = end
        if length < 0:
            break


class _TermOut:
    """One term's merged posting list. The last block is held back until the next one
    comes or the list ends: only the list's last block carries the end mark."""

    def __init__(self, postfile, format_, blocklimit: int):
        self.postfile = postfile
        self.format = format_
        self.blocklimit = blocklimit
        self.start = None
        self.pending: tuple[bytes, bytes] | None = None  # (info bytes, data bytes)
        self.info = W3TermInfo()
        self.info._minlength = None
        self.count = 0

    def _emit(self, infobytes: bytes, databytes: bytes) -> None:
        if self.start is None:
            self.start = self.postfile.tell()
            self.postfile.write(WHOOSH3_HEADER_MAGIC)
        if self.pending is not None:
            self._write(*self.pending, last=False)
        self.pending = (infobytes, databytes)

    def _write(self, infobytes: bytes, databytes: bytes, last: bool) -> None:
        length = len(infobytes) + len(databytes)
        self.postfile.write(pack_int(-length if last else length))
        self.postfile.write(infobytes)
        self.postfile.write(databytes)

    def _note(self, count, first, last, maxweight, minlen, maxlen, weight) -> None:
        info = self.info
        if info._minid is None:
            info._minid = first
        info._maxid = last
        info._df += count
        info._weight += weight
        info._maxweight = max(info._maxweight, maxweight)
        if minlen is not None:
            info._minlength = minlen if info._minlength is None else min(info._minlength, minlen)
        info._maxlength = max(info._maxlength, maxlen)

    def shifted(self, data: bytes, basedoc: int, source: W3TermInfo) -> None:
        """A segment without deletions: every block as it is, its docnums moved by
        `basedoc` (only the first of the delta-encoded numbers changes)."""
        for (count, lastid, maxweight, comp, minbyte, maxbyte), raw in _blocks(data):
            if basedoc:
                block = pickle.loads(zlib.decompress(raw) if comp else raw)
                ids = (block[0][0] + basedoc,) + tuple(block[0][1:])
                raw = pickle.dumps((ids, block[1], block[2]), 2)
                if comp:
                    raw = zlib.compress(raw, comp)
            info = (count, lastid + basedoc, maxweight, comp, minbyte, maxbyte)
            self._emit(pickle.dumps(info, 2), raw)
        self._note(
            source.doc_frequency(),
            source.min_id() + basedoc,
            source.max_id() + basedoc,
            source.max_weight(),
            source.min_length(),
            source.max_length(),
            source.weight(),
        )

    def remapped(self, data: bytes, docmap: dict[int, int], format_) -> None:
        """A segment with deletions: postings of live documents, renumbered, in new blocks.
        Block length bounds are the source block's (still bounds of what is left)."""
        fixed = format_.fixed_value_size()
        for (count, _, _, comp, minbyte, maxbyte), raw in _blocks(data):
            ids_d, weights, values = pickle.loads(zlib.decompress(raw) if comp else raw)
            ids, base = [], 0
            for delta in ids_d:
                base += delta
                ids.append(base)
            if weights is None:
                weights = [1.0] * count
            elif isinstance(weights, float):
                weights = [weights] * count
            if fixed is None or fixed < 0:
                values = list(values)
            elif fixed == 0:
                values = [None] * count
            else:
                values = [values[k * fixed : (k + 1) * fixed] for k in range(count)]
            rows = zip(ids, weights, values, strict=True)
            kept = [(docmap[d], w, v) for d, w, v in rows if d in docmap]
            for s in range(0, len(kept), self.blocklimit):
                self._block(kept[s : s + self.blocklimit], fixed, minbyte, maxbyte)

    def _block(self, postings, fixed, minbyte, maxbyte) -> None:
        ids = [d for d, _, _ in postings]
        weights = array("f", (w for _, w, _ in postings))
        mini_ids = tuple(b - a for a, b in zip([0] + ids[:-1], ids, strict=True))
        if all(w == 1.0 for w in weights):
            mini_weights = None
        elif all(w == weights[0] for w in weights):
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        if fixed is None or fixed < 0:
            mini_values = tuple(v for _, _, v in postings)
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(v for _, _, v in postings)
        raw = zlib.compress(pickle.dumps((mini_ids, mini_weights, mini_values), 2), 1)
        maxweight = max(weights)
        info = (len(ids), ids[-1], maxweight, 1, minbyte, maxbyte)
        self._emit(pickle.dumps(info, 2), raw)
        self._note(
            len(ids),
            ids[0],
            ids[-1],
            maxweight,
            byte_to_length(minbyte),
            byte_to_length(maxbyte),
            sum(weights),
        )

    def finish(self) -> W3TermInfo | None:
        """The term's info for the terms table, or None when no posting was left."""
        if self.pending is None:
            return None
        self._write(*self.pending, last=True)
        self.info.set_extent(self.start, self.postfile.tell() - self.start)
        return self.info
