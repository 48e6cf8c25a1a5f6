"""The upgrade gate for the embedded engine: an index written by this archive's own Whoosh
code (tests/data/golden-index, made by tests/golden_index.py) must be read and searched by
today's code, and writing the same stories again must give the same bytes. A Whoosh
upgrade or a change to the writer that alters the format fails here first."""

from __future__ import annotations

import shutil

import pytest
import whoosh

from archive.search import SearchRequest
from archive.search._schema import SCHEMA_VERSION
from archive.search.index import SearchIndex
from tests.golden_index import DOCUMENTS, GOLDEN, STORE_ID, data_files, write

REGENERATE = "write it anew on purpose: .venv/bin/python -m tests.golden_index"


@pytest.fixture
def golden(tmp_path):
    copy = tmp_path / "golden"
    shutil.copytree(GOLDEN, copy)  # searching may write caches; the committed copy stays
    index = SearchIndex(copy)
    yield index
    index.close()


def ids(index, q="", **kw):
    return index._find(SearchRequest(q=q, **kw)).ids


def test_the_golden_index_is_of_this_schema_and_store(golden):
    state = golden.state()
    assert state is not None, f"today's code cannot read the golden index; {REGENERATE}"
    assert state["schema"] == SCHEMA_VERSION, REGENERATE
    assert golden.store_id() == STORE_ID and golden.indexed_seq() == len(DOCUMENTS)
    assert golden.verify() is None
    assert golden.doc_count() == len(DOCUMENTS)


def test_todays_code_finds_what_the_golden_index_holds(golden):
    assert ids(golden, "Homs") == ["g1", "g2"]
    assert ids(golden, "rebels") == ["g1", "g2", "g3"]  # and the French "rebelles"
    assert ids(golden, "withdrawal") == ["g5"]
    assert ids(golden, '"army withdrew"') == ["g1"]
    assert ids(golden, "withdr*") == ["g1", "g5"]
    assert ids(golden, "Hma~") == ["g1"]
    assert ids(golden, "コロナ") == ["g4"]
    assert ids(golden, sort="newest") == ["g3", "g2", "g1", "g4", "g5"]  # undated last
    assert ids(golden, sort="added") == ["g5", "g4", "g3", "g2", "g1"]
    assert ids(golden, sources=["AFP"]) == ["g2", "g5"]
    assert ids(golden, places=["Syria"]) == ["g3", "g2", "g1"]  # cities roll up


def test_writing_the_golden_stories_again_gives_the_same_bytes(tmp_path):
    golden_build = next(p for p in GOLDEN.iterdir() if p.is_dir())
    again = write(tmp_path / "again")
    expected, written = data_files(golden_build), data_files(again)
    assert set(written) == set(expected), REGENERATE
    changed = sorted(name for name in expected if written[name] != expected[name])
    assert not changed, (
        f"whoosh {whoosh.versionstring()} with today's writer changed {changed}; {REGENERATE}"
    )
