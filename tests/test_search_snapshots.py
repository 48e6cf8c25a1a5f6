"""Searches never wait for a write: each searcher is a snapshot of the index, so a search in
the same process answers while a commit is under way, from the index as it was, and the next
search after the commit sees what it wrote."""

from __future__ import annotations

import threading

from archive.archive import Archive
from archive.search import Document, SearchRequest

GUARD = 120  # seconds before a hung search fails the test instead of hanging it


def _held_commit(archive: Archive, doc: Document, inside: threading.Event, go: threading.Event):
    """Write `doc` in a commit that stops inside itself, after the document is handed to the
    writer and before the commit is done, until `go` is set."""

    def docs():
        yield doc
        inside.set()
        go.wait()

    seq = archive.index.indexed_seq()
    return threading.Thread(target=lambda: archive.index.write(docs(), seq=seq), daemon=True)


def _search(archive: Archive, q: str):
    found = []
    thread = threading.Thread(target=lambda: found.append(archive.search(SearchRequest(q=q))))
    thread.start()
    thread.join(GUARD)
    assert not thread.is_alive(), "a search waited for the write in progress"
    return found[0]


def test_a_search_answers_while_a_write_is_inside_its_commit(seeded_copy):
    with Archive(seeded_copy) as archive:
        before = archive.search(SearchRequest(q="Homs"))
        assert before.total >= 1
        doc = Document(
            id="snapshot-test",
            seq=archive.index.indexed_seq(),
            title="Quorvantine report",
            text="A quorvantine story from Homs, written while others searched.",
            language="en",
            date="2024-12-08",
            sources=["The Test Wire"],
        )
        inside, go = threading.Event(), threading.Event()
        writer = _held_commit(archive, doc, inside, go)
        writer.start()
        try:
            assert inside.wait(GUARD)
            assert writer.is_alive()
            # the writer holds the index's write lock: another write would wait here
            assert not archive.index._lock.acquire(blocking=False)
            during = _search(archive, "Homs")
            assert during.total == before.total  # the snapshot from before the commit
            assert [h.id for h in during.hits] == [h.id for h in before.hits]
            assert _search(archive, "quorvantine").total == 0
            assert writer.is_alive()  # the write was still in progress throughout
        finally:
            go.set()
            writer.join(GUARD)
        assert not writer.is_alive()
        after = _search(archive, "quorvantine")
        assert after.total == 1
        assert _search(archive, "Homs").total == before.total + 1
