"""The one place that decides whether the archive may use Whoosh's internals.

The fast paths (posting blocks decoded into arrays, columns read whole, the block writer and
merger) read and write Whoosh's W3 format through private names of the version they were
written and tested against. With any other Whoosh they are not used: postings, columns and
field lengths are read through Whoosh's public reader API and segments are written by its
own writer (slower, still correct), and the archive says so once. `tests/test_golden_index.py`
is the gate for an upgrade: it reads an index written by today's code and compares what a
new writing gives, byte for byte.

One thing the public API cannot do: a sort column whose file a merge in another process has
just deleted reads as defaults (Whoosh looks for the file each time), so such a search sorts
by date wrongly once; the next one reads the merged segment.

`ARCHIVE_WHOOSH_PUBLIC=1` takes the public paths with the tested version too (for the tests
of the fallback, or to rule the fast paths out when something looks wrong).
"""

from __future__ import annotations

import logging
import os

import whoosh

log = logging.getLogger(__name__)

WRITTEN_FOR = "2.7.5"  # the whoosh-reloaded release the fast paths read and write
_warned = False


def trusted() -> bool:
    """Whether the fast paths may run: the Whoosh they were written for, not turned off."""
    global _warned
    if os.environ.get("ARCHIVE_WHOOSH_PUBLIC", "") not in ("", "0"):
        return False
    if whoosh.versionstring() == WRITTEN_FOR:
        return True
    if not _warned:
        _warned = True
        log.warning(
            "Whoosh %s is not %s, the version the archive's fast index paths were written "
            "for: reading and writing through Whoosh's public API instead (slower, correct). "
            "Pin whoosh-reloaded==%s for full speed.",
            whoosh.versionstring(),
            WRITTEN_FOR,
            WRITTEN_FOR,
        )
    return False


def postings(leaf, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    """A term's segment-local ids and weights through the public matcher."""
    matcher = leaf.postings(fieldname, btext)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def column(leaf, fieldname: str) -> list:
    """A sortable column's values by document, through the public column reader."""
    reader = leaf.column_reader(fieldname, translate=False)
    return [reader[i] for i in range(leaf.doc_count_all())]


def field_lengths(leaf, fieldname: str) -> list[int]:
    """Each document's length in a field, through the public reader (one call a document)."""
    return [leaf.doc_field_length(i, fieldname, 0) for i in range(leaf.doc_count_all())]
