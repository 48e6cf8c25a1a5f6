"""Crashes and damage: a killed ingest, a lost or broken index, a broken store, and the
export that rebuilds an archive elsewhere."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from archive.archive import export_jsonl
from archive.cli import main
from archive.search import SearchRequest
from archive.store import StoreError
from archive.submissions import from_jsonl, from_paths
from tests.engines import open_archive
from tests.test_concurrency import assert_all_found, cli_command, marker, write_articles

pytestmark = pytest.mark.both_engines

FILES = 200


def stored_count(db: Path) -> int:
    """How many articles a (possibly busy) store holds, read without the archive code."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def assert_consistent(data_dir: Path) -> int:
    """The store passes SQLite's checks and its own invariants, and opening the archive brings
    the index level with it. Returns the number of articles."""
    conn = sqlite3.connect(data_dir / "articles.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "SELECT COUNT(*) FROM bands WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        seqs = conn.execute("SELECT COUNT(DISTINCT seq), COUNT(*) FROM articles").fetchone()
        assert seqs[0] == seqs[1], "two articles share a sequence number"
    finally:
        conn.close()
    with open_archive(data_dir) as archive:  # opening catches the index up, unasked
        counts = archive.store.count()
        assert archive.index.indexed_seq() == archive.store.last_seq()
        assert archive.index.doc_count() == counts["stories"]
        return counts["articles"]


def kill_ingest_after(data_dir: Path, folder: Path, stored: int, env: dict) -> int:
    """Start `archive ingest folder`, SIGKILL it once the store holds `stored` articles (or
    at once when `stored` is 0); returns how many articles the store held when it died."""
    proc = subprocess.Popen(
        cli_command(data_dir, "ingest", str(folder)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    db = data_dir / "articles.sqlite3"
    deadline = time.monotonic() + 120
    try:
        while stored_count(db) < stored and proc.poll() is None:
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.01)
        if stored == 0:
            time.sleep(0.5)  # somewhere in start-up: opening, the first index build
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return stored_count(db)


@pytest.mark.engines("embedded")  # reads the SQLite file as it dies
def test_sigkilled_ingest_leaves_a_consistent_archive_and_a_rerun_completes_it(tmp_path):
    """Kill `archive ingest` of 200 files at several points (start-up, mid-batch, around an
    index commit); each time the store is consistent and the index catches up on open; a final
    run adds exactly what was missing: no duplicates, no losses."""
    folder = tmp_path / "batch"
    write_articles(folder, range(FILES))
    data_dir = tmp_path / "data"
    # Index commits every 40 articles, so kills land both between and around commits.
    env = {**os.environ, "ARCHIVE_INGEST_BATCH": "40"}
    before = 0
    for point in (0, 25, 41, 130):
        after = kill_ingest_after(data_dir, folder, point, env)
        assert after >= before
        if (data_dir / "articles.sqlite3").exists():
            assert assert_consistent(data_dir) == after
        before = after
    assert before < FILES, "the ingest finished before it could be killed"

    done = subprocess.run(
        cli_command(data_dir, "ingest", str(folder), "--json"),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])["summary"]
    assert summary.get("added", 0) == FILES - before
    assert summary.get("duplicate", 0) == before
    assert set(summary) <= {"added", "duplicate"}
    assert assert_consistent(data_dir) == FILES
    assert_all_found(data_dir, range(FILES))


# --- the index is disposable -----------------------------------------------------------------


def _finds_homs(data_dir: Path) -> int:
    with open_archive(data_dir) as archive:
        return archive.search(SearchRequest(q="Homs")).total


@pytest.mark.engines("embedded")
def test_deleted_index_is_rebuilt_on_open(seeded_copy):
    expected = _finds_homs(seeded_copy)
    shutil.rmtree(seeded_copy / "whoosh")
    assert _finds_homs(seeded_copy) == expected > 0


@pytest.mark.parametrize(
    "damage",
    ["garbage-in-every-file", "truncated-files", "state-file-only", "empty-directory"],
)
@pytest.mark.engines("embedded")
def test_damaged_index_is_rebuilt_from_the_store(seeded_copy, damage):
    expected = _finds_homs(seeded_copy)
    index_dir = seeded_copy / "whoosh"
    for path in [p for p in index_dir.rglob("*") if p.is_file()]:
        if damage == "garbage-in-every-file":
            path.write_bytes(os.urandom(path.stat().st_size or 64))
        elif damage == "truncated-files":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
        elif damage == "state-file-only" and path.suffix == ".json":
            path.unlink()
        elif damage == "empty-directory":
            path.unlink()
    assert _finds_homs(seeded_copy) == expected > 0


def test_index_behind_the_store_catches_up_without_being_asked(seeded_copy, tmp_path):
    """A process stored articles and died before indexing them: the next open indexes them."""
    write_articles(tmp_path / "more", range(3))
    with open_archive(seeded_copy, ingest_batch=10_000) as archive:
        indexed = archive.index.indexed_seq()
        for sub in from_paths([str(tmp_path / "more")]):
            archive._add_one(sub)  # stored, not indexed: what a crash leaves
        assert archive.index.indexed_seq() == indexed < archive.store.last_seq()
    with open_archive(seeded_copy) as archive:
        assert archive.search(SearchRequest(q=marker(2))).total == 1


@pytest.mark.engines("embedded")
def test_a_rebuild_killed_halfway_leaves_the_old_index_serving(seeded_copy, tmp_path):
    """A rebuild writes a new build beside the index in use and switches only when done:
    killed halfway, the old index still answers, and the next rebuild clears the debris."""
    write_articles(tmp_path / "more", range(60))
    with open_archive(seeded_copy) as archive:
        assert all(r.ok for r in archive.add_many(from_paths([str(tmp_path / "more")])))
    index_dir = seeded_copy / "whoosh"
    current = json.loads((index_dir / "archive-index.json").read_text())["build"]
    proc = subprocess.Popen(
        cli_command(seeded_copy, "reindex"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    halfway = False
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            halfway = any(p.is_dir() and p.name != current for p in index_dir.iterdir())
            if halfway:
                time.sleep(0.05)  # let it write a little into the new build
                break
            time.sleep(0.002)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert halfway, "the rebuild ended before it could be killed halfway"
    state = json.loads((index_dir / "archive-index.json").read_text())
    assert state["build"] == current  # still the old build
    assert assert_consistent(seeded_copy) == 65
    assert_all_found_in(seeded_copy, range(60))
    with open_archive(seeded_copy) as archive:
        archive.reindex()
    builds = [p.name for p in index_dir.iterdir() if p.is_dir()]
    assert len(builds) == 2 and current in builds  # the new one and the previous one
    assert_all_found_in(seeded_copy, range(60))


def assert_all_found_in(data_dir: Path, numbers) -> None:
    with open_archive(data_dir) as archive:
        for n in numbers:
            assert archive.search(SearchRequest(q=marker(n))).total == 1, n


# --- the store is the truth: damage is reported, never papered over --------------------------


@pytest.mark.parametrize("damage", ["not-a-database", "truncated", "garbage-pages"])
@pytest.mark.engines("embedded")
def test_corrupt_store_is_reported_clearly_and_left_untouched(seeded_copy, damage, runner):
    db = seeded_copy / "articles.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    data = db.read_bytes()
    if damage == "not-a-database":
        data = b"these are not the pages you are looking for\n" * 200
    elif damage == "truncated":
        data = data[:4096] + b"\0" * 10  # the header survives, the tables do not
    else:  # every page after the first overwritten with noise
        data = data[:4096] + os.urandom(len(data) - 4096)
    db.write_bytes(data)

    def open_and_use():
        with open_archive(seeded_copy) as archive:
            archive.search(SearchRequest(q="Homs"))
            archive.stats()

    with pytest.raises(StoreError) as caught:
        open_and_use()
    message = str(caught.value)
    assert str(db) in message
    assert "backup" in message or "export" in message
    assert db.read_bytes() == data, "the damaged store was changed"

    result = runner.invoke(main, ["--data-dir", str(seeded_copy), "search", "Homs"])
    assert result.exit_code == 1
    assert "damaged" in result.output and "Traceback" not in result.output
    assert db.read_bytes() == data


@pytest.mark.engines("embedded")
def test_newer_store_schema_is_refused_not_downgraded(seeded_copy):
    db = seeded_copy / "articles.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_archive(seeded_copy)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


# --- backup and restore ----------------------------------------------------------------------


def _snapshot(data_dir: Path) -> dict:
    """Everything an archive holds, in a comparable form (not when it was added)."""
    with open_archive(data_dir) as archive:
        articles = {}
        for article, sightings in archive.store.iter_articles():
            data = article.to_json()
            data["original"] = archive.original(article.id)
            data["sightings"] = sorted(
                (s.source or "", s.url or "", s.original_name or "") for s in sightings
            )
            articles[article.id] = data
        searches = {}
        for q in ("Homs", "Damascus rebels", "", "Assad OR Erdogan"):
            result = archive.search(SearchRequest(q=q, sort="relevance" if q else "newest"))
            searches[q] = (
                result.total,
                sorted(h.id for h in result.hits),
                {k: [(v.value, v.count) for v in vals] for k, vals in result.facets.items()},
            )
        return {"articles": articles, "stats": archive.stats() | {"data_dir": None}, **searches}


def test_export_then_fresh_ingest_reproduces_the_archive(seeded_copy, tmp_path, runner):
    # Give the archive a copy from another outlet and a near-duplicate version as well.
    with open_archive(seeded_copy) as archive:
        first = next(iter(archive.store.iter_articles()))[0]
        sub = next(from_jsonl(json.dumps({"text": first.text, "source": "Le Monde"}).encode(), "x"))
        assert archive.add(sub).status == "duplicate"
        edited = first.text.replace(".", ". Updated.", 1) + "\n\nCopyright 2024 Wire."
        sub = next(from_jsonl(json.dumps({"text": edited, "source": "Wire"}).encode(), "y"))
        assert archive.add(sub).status == "near-duplicate"
        out = io.StringIO()
        exported = export_jsonl(archive, out)
        assert exported == archive.store.count()["articles"]
    backup = tmp_path / "backup.jsonl"
    backup.write_text(out.getvalue(), encoding="utf-8")

    restored = tmp_path / "restored"
    result = runner.invoke(main, ["--data-dir", str(restored), "ingest", str(backup)])
    assert result.exit_code == 0, result.output
    before, after = _snapshot(seeded_copy), _snapshot(restored)
    for article_id, data in before["articles"].items():
        again = after["articles"].get(article_id)
        assert again is not None, f"{article_id} was not restored"
        for key in data:
            if key in ("added_at", "original_name"):
                continue
            assert again[key] == data[key], (article_id, key)
    assert set(after["articles"]) == set(before["articles"])
    assert {k: v for k, v in after.items() if k != "articles"} == {
        k: v for k, v in before.items() if k != "articles"
    }


def test_restore_takes_the_exported_clean_text_as_it_is(tmp_path, runner):
    """A clean text that a second cleaning would change (it opens with a line that reads as
    front matter) keeps its text and id through export and restore."""
    source = tmp_path / "odd.txt"
    source.write_text(
        " \nTitle: not front matter\n\nThe rebels entered Homs on Saturday, officials said."
    )
    first, restored = tmp_path / "first", tmp_path / "restored"
    assert runner.invoke(main, ["--data-dir", str(first), "ingest", str(source)]).exit_code == 0
    backup = tmp_path / "backup.jsonl"
    runner.invoke(main, ["--data-dir", str(first), "export", "--output", str(backup)])
    again = runner.invoke(main, ["--data-dir", str(restored), "ingest", str(backup)])
    assert again.exit_code == 0, again.output
    assert _snapshot(restored)["articles"].keys() == _snapshot(first)["articles"].keys()


@pytest.mark.engines("embedded")  # its fresh archive is another data directory
def test_cli_export_writes_a_file_a_fresh_archive_can_ingest(seeded_copy, tmp_path, runner):
    backup = tmp_path / "backup.jsonl"
    result = runner.invoke(
        main, ["--data-dir", str(seeded_copy), "export", "--output", str(backup)]
    )
    assert result.exit_code == 0, result.output
    lines = backup.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    restored = tmp_path / "restored"
    again = runner.invoke(main, ["--data-dir", str(restored), "ingest", str(backup), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output.strip().splitlines()[-1])["summary"] == {"added": 5}
    assert _finds_homs(restored) == _finds_homs(seeded_copy)
    # Restoring twice changes nothing.
    third = runner.invoke(main, ["--data-dir", str(restored), "ingest", str(backup), "--json"])
    assert json.loads(third.output.strip().splitlines()[-1])["summary"] == {"duplicate": 5}
