"""Merging segments block by block.

Whoosh merges segments by feeding every posting of every merged segment, one by one,
through the indexing pool again: 18.5 CPU-ms per merged article on 8 segments of 300, more
than indexing it cost. Posting blocks store their document numbers delta-encoded, so a block
of a segment without deletions only needs its first number shifted to move into the merged
segment (12.0 ms); only segments with deleted documents are decoded posting by posting.
"""

from __future__ import annotations

import heapq
import io
import pickle
import zlib
from array import array
from itertools import groupby

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import _INT_SIZE, pack_int, pack_ushort, unpack_int
from whoosh.util.numeric import byte_to_length
from whoosh.util.numlists import delta_decode, delta_encode


def merge_blocks(fieldwriter, schema, sources) -> None:
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
        out = _TermOut(postfile, schema[fieldname].format.fixed_value_size(), blocklimit)
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
                out.remapped(data, docmap)
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


# zlib's framing outweighs what it saves on pickled blocks shorter than this (a posting or
# two): they are written as they are, which the block's compression flag allows.
COMPRESS_MIN = 80


def encode_block(block: tuple) -> tuple[bytes, int]:
    """A block's (ids, weights, values) as stored, with its compression level."""
    raw = pickle.dumps(block, 2)
    if len(raw) < COMPRESS_MIN:
        return raw, 0
    return zlib.compress(raw, 1), 1


def _shift(block: tuple, shift: int) -> tuple:
    """The block with its docnums moved by `shift`: ids are delta-encoded, so only the
    first changes."""
    ids_d, weights, values = block
    return ((ids_d[0] + shift, *ids_d[1:]), weights, values)


class _TermOut:
    """One term's merged posting list. The last block is held back until the next one
    comes or the list ends: only the list's last block carries the end mark."""

    def __init__(self, postfile, fixed: int | None, blocklimit: int):
        self.postfile = postfile
        self.fixed = fixed  # the field format's value size: None or < 0 varies, 0 none
        self.blocklimit = blocklimit
        self.start = None
        self.pending: tuple[bytes, bytes] | None = None  # (info bytes, data bytes)
        self.info = W3TermInfo()

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
                raw, comp = encode_block(_shift(block, basedoc))
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

    def remapped(self, data: bytes, docmap: dict[int, int]) -> None:
        """A segment with deletions: a block without deleted documents moves whole; the
        live postings of the others are renumbered into new blocks, whose length bounds are
        the source block's (still bounds of what is left)."""
        fixed = self.fixed
        for (count, lastid, maxweight, comp, minbyte, maxbyte), raw in _blocks(data):
            block = pickle.loads(zlib.decompress(raw) if comp else raw)
            ids_d, weights, values = block
            first = ids_d[0]
            new_first, new_last = docmap.get(first), docmap.get(lastid)
            if new_first is not None and new_last == new_first + (lastid - first):
                # No deleted document within the block (new numbers are dense and in
                # order): it moves whole, like a block of a segment without deletions.
                self._moved(block, new_first - first, (count, lastid, maxweight, minbyte, maxbyte))
                continue
            ids = delta_decode(ids_d)
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
                self._block(kept[s : s + self.blocklimit], minbyte, maxbyte)

    def _moved(self, block: tuple, shift: int, info: tuple) -> None:
        """A source block written whole, its docnums moved by `shift`."""
        count, lastid, maxweight, minbyte, maxbyte = info
        weights = block[1]
        first, last = block[0][0] + shift, lastid + shift
        raw, comp = encode_block(_shift(block, shift))
        self._emit(pickle.dumps((count, last, maxweight, comp, minbyte, maxbyte), 2), raw)
        if weights is None:
            total = float(count)
        elif isinstance(weights, float):
            total = weights * count
        else:
            total = sum(weights)
        self._note(
            count,
            first,
            last,
            maxweight,
            byte_to_length(minbyte),
            byte_to_length(maxbyte),
            total,
        )

    def _block(self, postings, minbyte, maxbyte) -> None:
        """Encode postings as W3PostingsWriter._write_block does (its "mini" forms)."""
        fixed = self.fixed
        ids = [d for d, _, _ in postings]
        weights = array("f", (w for _, w, _ in postings))
        mini_ids = tuple(delta_encode(ids))
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
        raw, comp = encode_block((mini_ids, mini_weights, mini_values))
        maxweight = max(weights)
        info = (len(ids), ids[-1], maxweight, comp, minbyte, maxbyte)
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
