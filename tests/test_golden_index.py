"""The upgrade gate for the embedded engine: an index written by this archive's own Whoosh
code (tests/data/golden-index, made by tests/golden_index.py) must be read and searched by
today's code, and writing the same stories again must give the same bytes. A Whoosh
upgrade or a change to the writer that alters the format fails here first."""

from __future__ import annotations

import json
import shutil

import pytest
import whoosh

from archive.search import SearchRequest, SearchService
from archive.search.whoosh._schema import SCHEMA_VERSION
from archive.search.whoosh.index import STATE_FILE, WhooshBackend
from tests.golden_index import DOCUMENTS, GOLDEN, STORE_ID, data_files, write

REGENERATE = "write it anew on purpose: .venv/bin/python -m tests.golden_index"


@pytest.fixture(params=["fast", "public"])
def way(request, monkeypatch):
    """Each test twice: with the fast paths, and through Whoosh's public API only."""
    monkeypatch.setenv("ARCHIVE_WHOOSH_PUBLIC", "1" if request.param == "public" else "0")
    return request.param


@pytest.fixture
def golden(tmp_path, way):
    copy = tmp_path / "golden"
    shutil.copytree(GOLDEN, copy)  # searching may write caches; the committed copy stays
    restamp(copy)
    index = WhooshBackend(copy)
    yield index
    index.close()


def restamp(copy):
    """A checkout gives the committed files new modification times, which the index's
    health check would take for damage: the lengths the commit recorded must still hold,
    and the times become the checkout's."""
    state_file = copy / STATE_FILE
    state = json.loads(state_file.read_text())
    build = copy / state["build"]
    for name, stamp in state["files"].items():
        stat = (build / name).stat()
        assert stat.st_size == stamp[0], f"{name} is not the length its commit recorded"
        stamp[1] = stat.st_mtime_ns
    state_file.write_text(json.dumps(state))


def search(index, q="", **kw):
    """The ids the backend ranked (the service asks the store for them), and the result."""
    asked = []
    result = SearchService(index, lambda ids: asked.extend(ids) or {}).search(
        SearchRequest(q=q, **kw)
    )
    return asked, result


def ids(index, q="", **kw):
    return search(index, q, **kw)[0]


def assert_finds_the_golden_stories(index):
    assert ids(index, "Homs") == ["g1", "g2"]
    assert ids(index, "rebels") == ["g1", "g2", "g3"]  # and the French "rebelles"
    assert ids(index, "withdrawal") == ["g5"]
    assert ids(index, '"army withdrew"') == ["g1"]
    assert ids(index, "withdr*") == ["g1", "g5"]
    assert ids(index, "Hma~") == ["g1"]
    assert ids(index, "コロナ") == ["g4"]
    assert ids(index, sort="newest") == ["g3", "g2", "g1", "g4", "g5"]  # undated last
    assert ids(index, sort="added") == ["g5", "g4", "g3", "g2", "g1"]
    assert ids(index, sources=["AFP"]) == ["g2", "g5"]
    assert ids(index, places=["Syria"]) == ["g3", "g2", "g1"]  # cities roll up
    found = search(index, "Homs")[1]
    assert {v.value: v.count for v in found.facets["source"]} == {
        "Reuters": 1,
        "Associated Press": 1,
        "Agence France-Presse": 1,
    }


def test_the_golden_index_is_of_this_schema_and_store(golden):
    state = golden.state()
    assert state is not None, f"today's code cannot read the golden index; {REGENERATE}"
    assert state["schema"] == SCHEMA_VERSION, REGENERATE
    assert golden.store_id() == STORE_ID and golden.indexed_seq() == len(DOCUMENTS)
    assert golden.verify() is None
    assert golden.doc_count() == len(DOCUMENTS)


def test_todays_code_finds_what_the_golden_index_holds(golden):
    assert_finds_the_golden_stories(golden)


def test_whooshs_own_writer_writes_an_index_the_fast_paths_read(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_WHOOSH_PUBLIC", "1")
    write(tmp_path / "public")
    monkeypatch.setenv("ARCHIVE_WHOOSH_PUBLIC", "0")
    index = WhooshBackend(tmp_path / "public")
    try:
        assert_finds_the_golden_stories(index)
    finally:
        index.close()


def test_another_whoosh_is_read_through_its_public_api_and_said_so(monkeypatch, caplog):
    import logging

    from archive.search.whoosh import _compat

    monkeypatch.setenv("ARCHIVE_WHOOSH_PUBLIC", "0")
    assert _compat.trusted()
    monkeypatch.setattr(whoosh, "versionstring", lambda: "2.7.6")
    monkeypatch.setattr(_compat, "_warned", False)
    with caplog.at_level(logging.WARNING):
        assert not _compat.trusted()
    assert "Whoosh 2.7.6 is not 2.7.5" in caplog.text


def test_writing_the_golden_stories_again_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_WHOOSH_PUBLIC", "0")  # the archive's own writer
    golden_build = next(p for p in GOLDEN.iterdir() if p.is_dir())
    again = write(tmp_path / "again")
    expected, written = data_files(golden_build), data_files(again)
    assert set(written) == set(expected), REGENERATE
    changed = sorted(name for name in expected if written[name] != expected[name])
    assert not changed, (
        f"whoosh {whoosh.versionstring()} with today's writer changed {changed}; {REGENERATE}"
    )
