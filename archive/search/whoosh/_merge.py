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
import struct
from array import array
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filetables import _lengths as _ROW_LENGTHS
from whoosh.system import pack_ushort
from whoosh.util.numlists import delta_decode

from archive.search.whoosh import _blocks as blocks
from archive.search.whoosh._terms import Appender, TermsTable, term_row

_INFO = W3TermInfo._struct
_EXTENT = struct.Struct("!qi")  # the posting list's offset and length after a term info
_INLINED = 1


def merge_blocks(fieldwriter, schema, sources) -> None:
    """Write the postings of `sources` ((reader, first new docnum, docmap or None), in
    docnum order) through a W3 field writer's files, term by term in key order."""
    postings = Appender(fieldwriter._postfile)
    table = TermsTable(fieldwriter._tindex)
    blocklimit = fieldwriter._codec._blocklimit
    streams = [_terms(i, reader, schema) for i, (reader, _, _) in enumerate(sources)]
    current = prefix = fixed = None
    for (fieldname, btext), group in groupby(heapq.merge(*streams), key=itemgetter(0, 1)):
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            prefix = pack_ushort(fieldwriter._fieldid)
            fixed = schema[fieldname].format.fixed_value_size()
            current = fieldname
        out = _TermOut(fixed, blocklimit)
        for _, _, i, info in group:
            reader, basedoc, docmap = sources[i]
            data = reader._terms._postfile.get(info[8], info[9])
            if docmap is None:
                out.shifted(data, basedoc, info)
            else:
                out.remapped(data, docmap)
        row = out.finish(postings)
        if row is not None:
            table.add(prefix + btext, row)
    postings.flush()
    table.flush()
    if current is not None:
        fieldwriter.finish_field()


def _terms(i: int, reader, schema) -> Iterator[tuple]:
    """(fieldname, term, i, term info fields + posting list extent) for every term of a
    segment in key order, read from its terms table's rows in one piece."""
    terms = reader._terms
    tindex = terms._tindex
    names = terms._fieldunmap
    data = tindex.dbfile.get(tindex.startofdata, tindex.endofdata - tindex.startofdata)
    unpack_row = _ROW_LENGTHS.unpack_from
    row_size = _ROW_LENGTHS.size
    info_size = _INFO.size
    pos = 0
    end = len(data)
    while pos < end:
        keylen, vallen = unpack_row(data, pos)
        key = data[pos + row_size : pos + row_size + keylen]
        value = pos + row_size + keylen
        pos = value + vallen
        fieldname = names[int.from_bytes(key[:2], "big")]
        if fieldname not in schema:
            continue
        info = _INFO.unpack_from(data, value)
        if info[0] & _INLINED:
            raise ValueError("inlined postings are not written by this codec")
        yield fieldname, key[2:], i, info + _EXTENT.unpack_from(data, value + info_size)


class _TermOut:
    """One term's merged posting list: its blocks, and its statistics as W3TermInfo keeps
    them (length bounds as their byte codes, which keep their order)."""

    def __init__(self, fixed: int | None, blocklimit: int):
        self.fixed = fixed  # the field format's value size: None or < 0 varies, 0 none
        self.blocklimit = blocklimit
        self.blocks: list[tuple[tuple, bytes]] = []  # (info, stored block)
        self.whole: bytes | None = None  # a source list copied as it is
        self.weight = 0
        self.df = 0
        self.minbyte: int | None = None
        self.maxbyte = 0
        self.maxweight = 0
        self.minid: int | None = None
        self.maxid = 0

    def _note(self, count, first, last, maxweight, minbyte, maxbyte, weight) -> None:
        if self.minid is None:
            self.minid = first
        self.maxid = last
        self.df += count
        self.weight += weight
        self.maxweight = max(self.maxweight, maxweight)
        self.minbyte = minbyte if self.minbyte is None else min(self.minbyte, minbyte)
        self.maxbyte = max(self.maxbyte, maxbyte)

    def shifted(self, data: bytes, basedoc: int, info: tuple) -> None:
        """A segment without deletions: every block as it is, its docnums moved by
        `basedoc` (only the first of each block's delta-encoded numbers changes)."""
        _, weight, df, minbyte, maxbyte, maxweight, minid, maxid, _, _ = info
        if not basedoc and not self.blocks and self.whole is None:
            self.whole = data  # the whole list, unless another segment's follows
        else:
            self._unwhole()
            for (count, lastid, bmax, comp, bmin, bmaxlen), raw in blocks.iter_blocks(data):
                if basedoc:  # decoded and encoded again: see benchmarks/shift_first.py
                    raw, comp = blocks.encode(blocks.shifted(blocks.decode(raw, comp), basedoc))
                self.blocks.append(((count, lastid + basedoc, bmax, comp, bmin, bmaxlen), raw))
        self._note(df, minid + basedoc, maxid + basedoc, maxweight, minbyte, maxbyte, weight)

    def _unwhole(self) -> None:
        if self.whole is not None:
            self.blocks.extend(blocks.iter_blocks(self.whole))
            self.whole = None

    def remapped(self, data: bytes, docmap: dict[int, int]) -> None:
        """A segment with deletions: a block without deleted documents moves whole; the
        live postings of the others are renumbered into new blocks, whose length bounds are
        the source block's (still bounds of what is left)."""
        self._unwhole()
        fixed = self.fixed
        for (count, lastid, maxweight, comp, minbyte, maxbyte), raw in blocks.iter_blocks(data):
            block = blocks.decode(raw, comp)
            ids_d, weights, values = block
            first = ids_d[0]
            new_first, new_last = docmap.get(first), docmap.get(lastid)
            if new_first is not None and new_last == new_first + (lastid - first):
                # No deleted document within the block (new numbers are dense and in
                # order): it moves whole, like a block of a segment without deletions.
                shift = new_first - first
                raw, comp = blocks.encode(blocks.shifted(block, shift))
                self.blocks.append(((count, new_last, maxweight, comp, minbyte, maxbyte), raw))
                weight = sum(_weights(weights, count))
                self._note(count, new_first, new_last, maxweight, minbyte, maxbyte, weight)
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

    def _block(self, postings, minbyte, maxbyte) -> None:
        """Encode postings as W3PostingsWriter._write_block does (its "mini" forms)."""
        ids = [d for d, _, _ in postings]
        weights = array("f", (w for _, w, _ in postings))
        values = [v for _, _, v in postings]
        raw, comp = blocks.encode(blocks.mini(ids, weights, values, self.fixed))
        maxweight = max(weights)
        self.blocks.append(((len(ids), ids[-1], maxweight, comp, minbyte, maxbyte), raw))
        self._note(len(ids), ids[0], ids[-1], maxweight, minbyte, maxbyte, sum(weights))

    def finish(self, postings: Appender) -> bytes | None:
        """Write the list; its row for the terms table, or None when no posting was left."""
        start = postings.pos
        if self.whole is not None:
            postings.raw(self.whole)
        elif not self.blocks:
            return None
        else:
            last = len(self.blocks) - 1
            for k, (info, raw) in enumerate(self.blocks):
                postings.block(info, raw, start if k == 0 else None, last=k == last)
        minbyte = self.minbyte or 0
        stats = (
            self.weight,
            self.df,
            minbyte,
            self.maxbyte,
            self.maxweight,
            self.minid,
            self.maxid,
        )
        return term_row(stats, start, postings.pos - start)


def _weights(weights, count: int) -> list[float]:
    """A block's weights, one per posting, from their stored form."""
    if weights is None:
        return [1.0] * count
    if isinstance(weights, float):
        return [weights] * count
    return list(weights)
