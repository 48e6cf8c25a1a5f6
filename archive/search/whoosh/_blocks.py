"""Whoosh's W3 posting lists, a block at a time: walking, decoding, encoding, writing.

A list is a 4-byte header, then blocks of up to 128 postings. Each block is its length
(negative for the list's last), its pickled info (count, last id, max weight, compression
level, min and max length bytes) and its pickled (ids, weights, values): ids delta-encoded
from zero, weights None (all 1.0), one float (all the same) or one per posting.
"""

from __future__ import annotations

import io
import pickle
import zlib
from array import array
from collections.abc import Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import _INT_SIZE, pack_int, unpack_int

# zlib's framing outweighs what it saves on pickled blocks shorter than this (a posting or
# two): they are written as they are, which the block's compression flag allows.
COMPRESS_MIN = 80


def iter_blocks(data: bytes) -> Iterator[tuple[tuple, bytes]]:
    """(info tuple, stored block bytes) for each block of one term's posting list."""
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


def decode(raw: bytes, comp: int) -> tuple:
    """A stored block's (ids, weights, values)."""
    return pickle.loads(zlib.decompress(raw) if comp else raw)


def encode(block: tuple) -> tuple[bytes, int]:
    """A block's (ids, weights, values) as stored, with its compression level."""
    raw = pickle.dumps(block, 2)
    if len(raw) < COMPRESS_MIN:
        return raw, 0
    return zlib.compress(raw, 1), 1


def stored(info: tuple, data: bytes, last: bool) -> bytes:
    """One block as a postings file holds it (after the list's header)."""
    infobytes = pickle.dumps(info, 2)
    length = len(infobytes) + len(data)
    return pack_int(-length if last else length) + infobytes + data


def write(postfile, info: tuple, data: bytes, last: bool) -> None:
    """Append one block (after the list's header) to a postings file."""
    postfile.write(stored(info, data, last))


def mini(ids: list[int], weights: array, values: list, fixed: int | None) -> tuple:
    """A block's (ids, weights, values) in W3PostingsWriter's "mini" forms: ids
    delta-encoded from zero; weights None if all 1.0, one number if all equal; only the
    non-empty values, joined when the format's values have a fixed size (`fixed`)."""
    deltas = [ids[0]]
    deltas.extend(b - a for a, b in zip(ids, ids[1:], strict=False))
    first = weights[0]
    if all(w == first for w in weights):
        mini_weights = None if first == 1.0 else first
    else:
        mini_weights = tuple(weights)
    return tuple(deltas), mini_weights, mini_values(values, fixed)


def mini_values(values: list, fixed: int | None):
    """A block's values as W3PostingsWriter stores them (see `mini`)."""
    if fixed == 0:
        return None
    present = [v for v in values if v]
    if fixed is None or fixed < 0:
        return tuple(present)
    return b"".join(present)


def shifted(block: tuple, shift: int) -> tuple:
    """The block with its document numbers moved by `shift`: ids are delta-encoded, so
    only the first changes."""
    ids, weights, values = block
    return ((ids[0] + shift, *ids[1:]), weights, values)
