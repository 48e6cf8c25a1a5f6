"""Bounded queries: wildcards, typo tolerance and ranges expand within a budget, with a note
saying what was cut; searches run side by side and never wait for a write."""

from __future__ import annotations

import threading

from archive.places import resolve_place
from archive.search import SearchRequest
from archive.search.whoosh._query import parse_query
from archive.search.whoosh.budget import MAX_FUZZY, bound_query
from tests.test_hostile_input import bounded


def search(archive, q: str):
    return bounded(lambda: archive.search(SearchRequest(q=q)), 30)


def test_every_short_wildcard_is_left_out_not_only_the_first(seeded):
    plain = search(seeded, "Homs")
    result = search(seeded, "Homs ?a OR ?? OR *x OR ???")
    assert result.total == plain.total > 0
    note = next(n for n in result.notes if "wildcard needs" in n)
    for word in ("?a", "??", "*x", "???"):
        assert f"“{word}”" in note


def test_a_wildcard_with_a_literal_start_still_matches(seeded):
    assert search(seeded, "Hom*").total == search(seeded, "Homs").total
    assert search(seeded, "Da?aa").total >= 1
    assert not any("wildcard" in n for n in search(seeded, "Hom*").notes)


def test_a_long_typo_tolerance_is_cut_to_two_and_said(seeded):
    result = search(seeded, "Hosm~5")
    assert result.total >= 1  # Homs, two edits away
    assert any(f"at most {MAX_FUZZY}" in n and "hosm~5" in n.casefold() for n in result.notes)
    assert not any("typo" in n for n in search(seeded, "Hosm~2").notes)


def _bound(seeded, q: str, **kwargs):
    searcher = seeded.index._current_searcher()
    notes: list[str] = []
    parsed = parse_query(q, searcher.schema, resolve_place)
    return bound_query(parsed.query, searcher.reader(), notes, **kwargs), notes


def test_expansions_share_one_word_limit(seeded):
    query, notes = _bound(seeded, "th* OR se* OR re*", max_words=5)
    assert len([t for t in query.iter_all_terms()]) <= 5
    assert any("more words match" in n for n in notes)


def test_expansions_stop_at_the_time_limit_with_a_note(seeded):
    _, notes = _bound(seeded, "th* OR se*", limit=0)
    assert any("longer than a search may" in n for n in notes)


def test_an_expanded_wildcard_scores_as_whoosh_scores_one(seeded):
    result = seeded.search(SearchRequest(q="Hom*"))
    assert result.total >= 2
    ids = [h.id for h in result.hits]
    again = seeded.search(SearchRequest(q="Hom*"))
    assert ids == [h.id for h in again.hits]


def test_searches_do_not_wait_for_a_write_in_progress(seeded):
    seeded.search(SearchRequest(q="Homs"))
    with seeded.index._lock:  # what a commit holds while it writes
        result = bounded(lambda: seeded.search(SearchRequest(q="Damascus")), 10)
    assert result.total >= 1


def test_each_thread_searches_its_own_snapshot(seeded):
    seen = []

    def run():
        seeded.search(SearchRequest(q="Homs"))
        seen.append(id(seeded.index._local.searcher))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 3


def test_a_fuzzy_word_with_no_match_still_stops_at_the_time_limit(seeded):
    _, notes = _bound(seeded, "zqxjv~2 OR qqzzx~2", limit=0)
    assert any("longer than a search may" in n and "zqxjv~2" in n for n in notes)
