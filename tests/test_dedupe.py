"""Fingerprints and near-duplicate resemblance."""

from __future__ import annotations

import pytest

from archive import dedupe
from archive.store import open_store
from tests.engines import open_archive

from .conftest import SEEDS


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def test_fingerprint_ignores_case_accents_punctuation_and_spacing():
    a = dedupe.fingerprint("Türkiye, Syria:  the rebels!")
    assert a == dedupe.fingerprint("turkiye syria the REBELS")
    assert a != dedupe.fingerprint("turkiye syria the rebel")


def test_reworded_copy_resembles_its_original():
    text = seed_text("002")
    copy = text.replace("the largest city still", "the biggest city that is still")
    match = dedupe.resemblance(dedupe.shingles(text), dedupe.shingles(copy))
    assert match.near_duplicate and match.jaccard > 0.8


def test_trimmed_wire_copy_is_contained_in_the_full_story():
    text = seed_text("003")
    half = text[: len(text) // 2]
    match = dedupe.resemblance(dedupe.shingles(half), dedupe.shingles(text))
    assert match.near_duplicate and match.containment > 0.95


def test_articles_quoting_the_same_lines_are_not_duplicates():
    match = dedupe.resemblance(dedupe.shingles(seed_text("001")), dedupe.shingles(seed_text("002")))
    assert not match.near_duplicate


def test_similar_texts_share_a_band_unrelated_ones_do_not():
    text = seed_text("002")
    copy = text.replace("Homs is the largest city", "Homs is the biggest city")
    bands = lambda t: set(dedupe.band_keys(dedupe.minhash(dedupe.shingles(t))))  # noqa: E731
    assert bands(text) & bands(copy)
    assert not bands(text) & bands(seed_text("004"))


def test_minhash_is_stable_across_calls():
    hashes = dedupe.shingles(seed_text("000"))
    assert dedupe.minhash(hashes) == dedupe.minhash(set(hashes))


def test_one_permutation_signature_estimates_resemblance():
    text = seed_text("003")
    half = text[: len(text) // 2]
    a, b = dedupe.minhash(dedupe.shingles(text)), dedupe.minhash(dedupe.shingles(half))
    true = dedupe.resemblance(dedupe.shingles(text), dedupe.shingles(half)).jaccard
    estimate = sum(x == y for x, y in zip(a, b, strict=True)) / dedupe.NUM_HASHES
    assert abs(estimate - true) < 0.2
    unrelated = dedupe.minhash(dedupe.shingles(seed_text("004")))
    assert sum(x == y for x, y in zip(a, unrelated, strict=True)) <= 3


@pytest.mark.both_engines
def test_bands_of_another_scheme_are_made_again_on_open(seeded_copy, database):
    from archive.ingest import Submission

    store = open_store(seeded_copy, database)
    with store.transaction() as conn:
        conn.execute("DELETE FROM bands")
        conn.execute("UPDATE meta SET value = 'old-scheme' WHERE key = 'minhash'")
    store.close()
    copy = seed_text("002").replace("the largest city still", "the biggest city still")
    with open_archive(seeded_copy) as archive:
        result = archive.add(Submission(data=copy.encode(), name="copy.txt"))
        assert archive.store.meta("minhash") == dedupe.MINHASH_SCHEME
    assert result.status == "near-duplicate"
