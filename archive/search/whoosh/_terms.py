"""Writing a new segment's posting lists a term at a time.

Whoosh's writer puts every posting in a pool as a tuple, sorts the pool, then feeds the
postings one by one through a field writer, a postings writer and a term info object: half
of bulk ingest's writer time for ~570 postings an article. Here the postings are grouped by
field and term as documents come, and each term's list is written in one step, in the
bytes Whoosh's W3 codec writes (a test compares the files).
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths as _ROW_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from archive.search.whoosh import _blocks as blocks

_FLOAT32 = struct.Struct("f")
_pack_info = W3TermInfo._struct.pack


class TermPool:
    """A segment's postings by field and term, each term's as ([docnum], [weight],
    [value bytes]); stands in for Whoosh's `PostingPool` in a `SegmentWriter`."""

    def __init__(self):
        self.fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self.ordered = True  # every term's docnums ascending (merged readers may break it)

    def add(self, item: tuple) -> None:
        """One posting, as Whoosh's writer hands a merged segment's postings to its pool."""
        fieldname, btext, docnum, weight, value = item
        if docnum < 0:
            raise ValueError("separate spelling words are not supported")
        self.add_field(fieldname, docnum, ((btext, 0, weight, value),), scorable=False)

    def add_field(self, fieldname: str, docnum: int, items, scorable: bool) -> int:
        """A document's postings in one field, as `add` takes them one by one (weights as
        floats, as Whoosh's field boost of 1.0 leaves them); returns the field's length."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        length = 0
        for btext, freq, weight, value in items:
            if scorable:
                length += freq
            lists = terms.get(btext)
            if lists is None:
                terms[btext] = ([docnum], [float(weight)], [value])
                continue
            ids, weights, values = lists
            if docnum < ids[-1]:
                self.ordered = False
            ids.append(docnum)
            weights.append(float(weight))
            values.append(value)
        return length

    def cleanup(self) -> None:
        self.fields = {}


def write_terms(fieldwriter, schema, pool: TermPool, lengths: Callable[[str], list]) -> None:
    """Write every term of `pool` through a W3 field writer's files. `lengths(fieldname)`
    gives the field's length (as the segment stores it) for every docnum."""
    postings = Appender(fieldwriter._postfile)
    table = TermsTable(fieldwriter._tindex)
    limit = fieldwriter._codec._blocklimit
    for fieldname in sorted(pool.fields):
        terms = pool.fields[fieldname]
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        prefix = pack_ushort(fieldwriter._fieldid)
        fixed = fieldobj.format.fixed_value_size()
        field_lengths = lengths(fieldname) if fieldobj.scorable else None
        for btext in sorted(terms):
            ids, weights, values = terms[btext]
            if not pool.ordered:
                order = sorted(range(len(ids)), key=ids.__getitem__)
                ids, weights, values = ([column[k] for k in order] for column in terms[btext])
            if len(ids) == 1:
                info = _one_posting(postings, ids[0], weights[0], values[0], fixed, field_lengths)
            else:
                info = _posting_list(postings, ids, weights, values, fixed, field_lengths, limit)
            table.add(prefix + btext, info)
        postings.flush()
        table.flush()
        fieldwriter.finish_field()


def _one_posting(postings, docnum, weight, value, fixed, field_lengths) -> bytes:
    """The common case (half of a segment's terms): a list of one posting, written as
    `_posting_list` writes it, with less work."""
    start = postings.pos
    w32 = _FLOAT32.unpack(_FLOAT32.pack(weight))[0]  # as Whoosh's float array holds it
    length = field_lengths[docnum] if field_lengths is not None else 0
    lengthbyte = length_to_byte(length) if length else 0
    maxweight = weight if weight > 0 else 0
    data, comp = blocks.encode(
        ((docnum,), None if w32 == 1.0 else w32, blocks.mini_values([value], fixed))
    )
    postings.block((1, docnum, maxweight, comp, lengthbyte, lengthbyte), data, start, last=True)
    stats = (w32, 1, lengthbyte, lengthbyte, maxweight, docnum, docnum)
    return term_row(stats, start, postings.pos - start)


def _posting_list(postings, ids, weights, values, fixed, field_lengths, limit) -> bytes:
    start = postings.pos
    total = 0.0
    minlength = None
    maxlength = 0
    maxweight = 0
    count = len(ids)
    for at in range(0, count, limit):
        end = min(at + limit, count)
        block_ids = ids[at:end]
        block_weights = array("f", weights[at:end])
        block_max = max(0, *weights[at:end])
        if field_lengths is None:
            block_min_length, block_max_length = None, 0
        else:
            present = [n for n in map(field_lengths.__getitem__, block_ids) if n]
            block_min_length = min(present) if present else None
            block_max_length = max(0, *present) if present else 0
        data, comp = blocks.encode(blocks.mini(block_ids, block_weights, values[at:end], fixed))
        info = (
            end - at,
            block_ids[-1],
            block_max,
            comp,
            length_to_byte(block_min_length),
            length_to_byte(block_max_length),
        )
        postings.block(info, data, start if at == 0 else None, last=end == count)
        # As W3TermInfo.add_block adds up a block's statistics.
        total += sum(block_weights)
        if block_min_length is not None:
            minlength = block_min_length if minlength is None else min(minlength, block_min_length)
        maxlength = max(maxlength, block_max_length)
        maxweight = max(maxweight, block_max)
    minbyte = 0 if minlength is None else length_to_byte(minlength)
    stats = (total, count, minbyte, length_to_byte(maxlength), maxweight, ids[0], ids[-1])
    return term_row(stats, start, postings.pos - start)


def term_row(stats: tuple, start: int, length: int) -> bytes:
    """A term's value in the terms table, as W3TermInfo.to_bytes writes it: `stats`
    (total weight, document frequency, min and max length bytes, max weight, first and
    last docnum), then where its posting list lies in the postings file."""
    return _pack_info(0, *stats) + pack_long(start) + pack_int(length)


class Appender:
    """A postings file written in large pieces, its position counted instead of asked."""

    FLUSH_AT = 4 << 20

    def __init__(self, postfile):
        self.file = postfile
        self.pos = postfile.tell()
        self.chunks: list[bytes] = []
        self.size = 0

    def block(self, info: tuple, data: bytes, start: int | None, last: bool) -> None:
        """As `_blocks.write`, after the list's header when `start` (its first block)."""
        piece = blocks.stored(info, data, last)
        self.raw(WHOOSH3_HEADER_MAGIC + piece if start is not None else piece)

    def raw(self, piece: bytes) -> None:
        """A whole posting list as it is stored."""
        self.chunks.append(piece)
        self.pos += len(piece)
        self.size += len(piece)
        if self.size > self.FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        self.file.write(b"".join(self.chunks))
        self.chunks = []
        self.size = 0


class TermsTable:
    """Rows added to Whoosh's ordered hash file of term infos, as its `add` would, with
    the rows' bytes written in large pieces."""

    def __init__(self, tindex):
        self.tindex = tindex
        self.pos = tindex.dbfile.tell()
        self.chunks: list[bytes] = []

    def add(self, key: bytes, value: bytes) -> None:
        tindex = self.tindex
        if key <= tindex.lastkey:
            raise ValueError(f"terms must be added in order: {tindex.lastkey!r}..{key!r}")
        tindex.lastkey = key
        tindex.index.append(self.pos)
        h = tindex.hashfn(key)
        tindex.buckets[h & 255].append((h, self.pos))
        row = _ROW_LENGTHS.pack(len(key), len(value)) + key + value
        self.chunks.append(row)
        self.pos += len(row)

    def flush(self) -> None:
        self.tindex.dbfile.write(b"".join(self.chunks))
        self.chunks = []
