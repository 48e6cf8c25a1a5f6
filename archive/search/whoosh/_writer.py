"""Writing segments: Whoosh's segment writer with cheaper settings and a tiered merge policy
whose merges move posting blocks (`_merge`)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter
from whoosh.reading import SegmentReader
from whoosh.util.numeric import length_to_byte
from whoosh.writing import NO_MERGE, SegmentWriter

from archive.search.whoosh import _blocks as blocks
from archive.search.whoosh import _compat as compat
from archive.search.whoosh._merge import merge_blocks
from archive.search.whoosh._terms import TermPool, write_terms

MERGE_FACTOR = 8


class Codec(W3Codec):
    """Whoosh's codec with zlib level 1 for posting blocks (as small as the default level 3
    here, and a fifth less indexing time), and none for blocks too small to gain from it.

    Each segment in the index's TOC pickles its codec: moving or renaming this class makes
    existing indexes unreadable, and the archive then rebuilds them from the store."""

    def __init__(self):
        super().__init__(compression=1)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _PostingsWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        """As Whoosh writes a block, but a short one uncompressed: Whoosh means to skip
        zlib under 20 bytes, but the next line overrides that, and most blocks of a
        segment hold one posting, which zlib makes longer."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data, comp = blocks.encode((self._mini_ids(), self._mini_weights(), self._mini_values()))
        info = (
            len(self._ids),
            self._ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        blocks.write(self._postfile, info, data, last)
        self._blockcount += 1
        self._new_block()


class Writer(SegmentWriter):
    """Non-compound segments (a searcher maps them instead of loading them whole), small
    posting blocks uncompressed (`Codec`), postings written a term at a time (`_terms`),
    and block-level merges."""

    def __init__(self, ix):
        super().__init__(ix, compound=False, codec=Codec())
        self.pool = TermPool()  # the whole commit's postings stay in memory
        self._merging: list[tuple[SegmentReader, int, dict | None]] = []
        self._plain = not any(f.vector or f.separate_spelling() for _, f in self.schema.items())

    def add_document(self, **fields):
        """As Whoosh's, but each field's postings go to the pool in one call (a method call
        and a tuple per posting were a fifth of the writer's time)."""
        if not self._plain or any(name.startswith("_") for name in fields):
            return super().add_document(**fields)  # boosts, custom stored values, vectors
        self._check_state()
        schema = self.schema
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    items = field.index(value)
                    length = self.pool.add_field(name, docnum, items, field.scorable)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

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
        try:
            if self._merging and not self.pool.fields:
                # Only merged segments, no new documents: move their blocks.
                merge_blocks(self.fieldwriter, self.schema, self._merging)
            else:
                for reader, basedoc, docmap in self._merging:
                    self.add_postings_to_pool(reader, basedoc, docmap)
                self._write_pool()
            self.fieldwriter.close()
        finally:
            for reader, _, _ in self._merging:
                reader.close()
            self._merging = []

    def _write_pool(self) -> None:
        reader = self.per_document_reader()
        try:
            docs = range(self.docnum)

            def lengths(fieldname: str) -> list[int]:
                return [reader.doc_field_length(d, fieldname, 0) for d in docs]

            write_terms(self.fieldwriter, self.schema, self.pool, lengths)
        finally:
            reader.close()


def commit(ix, documents: Iterable[dict], deletes: Iterable[str] = ()) -> int:
    """Add or replace `documents` (field values) as a new segment, and drop the documents
    with the ids in `deletes`, then merge by size tier in a writer of its own, so the merge
    moves blocks (`merge_tiers`). Returns how many were added or replaced. With a Whoosh
    the block writer was not written for (`_compat`), Whoosh's own writer and merges."""
    if not compat.trusted():
        # Separate files per segment, as the block writer makes: what the index's health
        # checks and the searchers' open files expect.
        writer = ix.writer(compound=False)
        count = _fill(writer, documents, deletes)
        writer.commit()
        return count
    writer = Writer(ix)
    count = _fill(writer, documents, deletes)
    writer.commit(mergetype=NO_MERGE)
    while _tier_to_merge(ix._segments()):
        Writer(ix).commit(mergetype=merge_tiers)
    return count


def _fill(writer, documents: Iterable[dict], deletes: Iterable[str]) -> int:
    """Hand a writer its deletes and documents (cancelled if that fails); how many added."""
    count = 0
    try:
        for doc_id in deletes:
            writer.delete_by_term("id", doc_id)
        for fields in documents:
            writer.update_document(**fields)
            count += 1
    except BaseException:
        writer.cancel()
        raise
    return count


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
