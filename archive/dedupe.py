"""Fingerprints for exact duplicates and MinHash bands for near-duplicates.

Exact: the SHA-256 of the text with case, accents, punctuation and spacing folded away.
Near: 5-word shingles; a 60-value one-permutation MinHash cut into 20 bands of 3. Two texts
that share a band are candidates (found through an index, never by scanning); candidates are
then compared on their real shingles. Jaccard 0.5 is caught with 93% probability, 0.3 with
42%, unrelated texts (< 0.05) almost never.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

from archive.folding import strip_marks

SHINGLE = 5
NUM_HASHES = 60
BAND_ROWS = 3
NEAR_JACCARD = 0.5  # same story, different boilerplate or small edits
NEAR_CONTAINMENT = 0.8  # a trimmed copy: most of the shorter text is in the longer
MIN_SHINGLES = 20  # too short to call a near-duplicate on containment alone

MINHASH_SCHEME = "oph60-crc32"  # stored with the bands; a change re-bands the archive
_MIX = 0x9E3779B1  # odd multiplier: spreads crc32's bits before binning
_MASK = (1 << 32) - 1
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, case and accents folded."""
    return _WORD.findall(strip_marks(text.casefold()))


def fingerprint(text: str, tokens: list[str] | None = None) -> str:
    """The exact-duplicate key of a text: equal for texts that differ only in form.
    `tokens`: the text's `words`, when the caller has them."""
    tokens = words(text) if tokens is None else tokens
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:32]


def shingles(text: str, tokens: list[str] | None = None) -> set[int]:
    """Hashes of the overlapping 5-word windows of a text (`tokens`: its `words`)."""
    tokens = words(text) if tokens is None else tokens
    if len(tokens) < SHINGLE:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {
        zlib.crc32(" ".join(tokens[i : i + SHINGLE]).encode())
        for i in range(len(tokens) - SHINGLE + 1)
    }


def minhash(hashes: set[int]) -> list[int]:
    """The MinHash signature of a shingle set, by one-permutation hashing: each shingle falls
    into one of 60 bins and each bin keeps its smallest value; an empty bin borrows from the
    next filled one, offset by the distance (rotation densification). One pass over the
    shingles instead of 60 (18 ms -> under 1 ms for a 1,400-shingle article)."""
    if not hashes:
        return [0] * NUM_HASHES
    bins: list[int | None] = [None] * NUM_HASHES
    for h in hashes:
        mixed = (h * _MIX) & _MASK
        index, value = mixed % NUM_HASHES, mixed // NUM_HASHES
        current = bins[index]
        if current is None or value < current:
            bins[index] = value
    signature = []
    for i in range(NUM_HASHES):
        distance = 0
        while bins[(i + distance) % NUM_HASHES] is None:
            distance += 1
        signature.append(bins[(i + distance) % NUM_HASHES] + distance * (_MASK + 1))
    return signature


def band_keys(signature: list[int]) -> list[int]:
    """One key per band: two texts sharing any key are near-duplicate candidates."""
    keys = []
    for band, start in enumerate(range(0, NUM_HASHES, BAND_ROWS)):
        rows = signature[start : start + BAND_ROWS]
        digest = hashlib.blake2b(repr((band, rows)).encode(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


@dataclass(frozen=True)
class Resemblance:
    jaccard: float
    containment: float  # share of the smaller text found in the larger
    smaller: int

    @property
    def near_duplicate(self) -> bool:
        if self.jaccard >= NEAR_JACCARD:
            return True
        return self.containment >= NEAR_CONTAINMENT and self.smaller >= MIN_SHINGLES


def resemblance(a: set[int], b: set[int]) -> Resemblance:
    """How much two shingle sets overlap."""
    if not a or not b:
        return Resemblance(0.0, 0.0, 0)
    common = len(a & b)
    smaller = min(len(a), len(b))
    return Resemblance(common / len(a | b), common / smaller, smaller)
