"""Merging segments block by block.

Whoosh merges segments by feeding every posting of every merged segment, one by one,
through the indexing pool again: 18.5 CPU-ms per merged article on 8 segments of 300, more
than indexing it cost. Posting blocks store their document numbers delta-encoded, so a block
of a segment without deletions only needs its first number shifted to move into the merged
segment (12.0 ms); only blocks that hold a deleted document are decoded posting by
posting (with the others moved whole, 29.8 → 19.0 CPU-s for a 4,899-article merge).
"""

from __future__ import annotations

import heapq
from array import array
from itertools import groupby

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numlists import delta_decode, delta_encode

from archive.search import _blocks as blocks


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


class _TermOut:
    """One term's merged posting list. The last block is held back until the next one
    comes or the list ends: only the list's last block carries the end mark."""

    def __init__(self, postfile, fixed: int | None, blocklimit: int):
        self.postfile = postfile
        self.fixed = fixed  # the field format's value size: None or < 0 varies, 0 none
        self.blocklimit = blocklimit
        self.start = None
        self.pending: tuple[tuple, bytes] | None = None  # (info, stored block)
        self.info = W3TermInfo()

    def _emit(self, info: tuple, data: bytes) -> None:
        if self.start is None:
            self.start = self.postfile.tell()
            self.postfile.write(WHOOSH3_HEADER_MAGIC)
        if self.pending is not None:
            blocks.write(self.postfile, *self.pending, last=False)
        self.pending = (info, data)

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
        for (count, lastid, maxweight, comp, minbyte, maxbyte), raw in blocks.iter_blocks(data):
            if basedoc:
                raw, comp = blocks.encode(blocks.shifted(blocks.decode(raw, comp), basedoc))
            self._emit((count, lastid + basedoc, maxweight, comp, minbyte, maxbyte), raw)
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
        for (count, lastid, maxweight, comp, minbyte, maxbyte), raw in blocks.iter_blocks(data):
            block = blocks.decode(raw, comp)
            ids_d, weights, values = block
            first = ids_d[0]
            new_first, new_last = docmap.get(first), docmap.get(lastid)
            if new_first is not None and new_last == new_first + (lastid - first):
                # No deleted document within the block (new numbers are dense and in
                # order): it moves whole, like a block of a segment without deletions.
                self._moved(block, new_first - first, (count, lastid, maxweight, minbyte, maxbyte))
                continue
            ids = delta_decode(ids_d)
            weights = _weights(weights, count)
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
        first, last = block[0][0] + shift, lastid + shift
        raw, comp = blocks.encode(blocks.shifted(block, shift))
        self._emit((count, last, maxweight, comp, minbyte, maxbyte), raw)
        self._note(
            count,
            first,
            last,
            maxweight,
            byte_to_length(minbyte),
            byte_to_length(maxbyte),
            sum(_weights(block[1], count)),
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
        raw, comp = blocks.encode((mini_ids, mini_weights, mini_values))
        maxweight = max(weights)
        self._emit((len(ids), ids[-1], maxweight, comp, minbyte, maxbyte), raw)
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
        blocks.write(self.postfile, *self.pending, last=True)
        self.info.set_extent(self.start, self.postfile.tell() - self.start)
        return self.info


def _weights(weights, count: int) -> list[float]:
    """A block's weights, one per posting, from their stored form."""
    if weights is None:
        return [1.0] * count
    if isinstance(weights, float):
        return [weights] * count
    return list(weights)
