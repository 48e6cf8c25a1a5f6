"""`archive migrate`: an archive with edited, deleted, merged and split articles copied from
SQLite to PostgreSQL and back comes out the same, ids, change numbers and history kept."""

from __future__ import annotations

import io
import json

import pytest

from archive.archive import Archive, export_jsonl
from archive.ingest import Submission
from archive.search import SearchRequest

STORY = (
    "August Brown, the mayor, said the floods in Aleppo had closed the main road. Residents "
    "of Aleppo waited for buses while August Brown spoke to reporters at the old bridge."
)
OTHER = (
    "Officials in Homs said the grain shipment had arrived on time. August Miller, a "
    "trader, said prices in Homs would fall within a week of the harvest."
)
GONE = "Watch the video of the market fire in Idlib. The fire burned for hours overnight."


def _curated(archive: Archive) -> None:
    """Articles with every kind of stored state: a copy, versions (one split off), an edit,
    place corrections, a deletion and archive-wide rules (an outlet merge)."""
    story = archive.add(Submission(STORY.encode(), "a.txt", stated={"source": "Planet"})).id
    copy = archive.add(Submission(STORY.encode(), "b.txt", stated={"source": "Planet Daily"}))
    assert copy.status == "duplicate"
    version = archive.add(Submission((STORY + " It rained.").encode(), "v.txt")).article.id
    split = archive.add(Submission((STORY + " It snowed.").encode(), "s.txt")).article.id
    other = archive.add(Submission(OTHER.encode(), "o.txt", stated={"source": "Daily Planet"}))
    gone = archive.add(Submission(GONE.encode(), "g.txt")).id
    curation = archive.curation
    curation.edit(other.id, {"title": "Grain in Homs"}, "ann")
    curation.edit_places(story, remove=["Aleppo"], add=["Damascus"], editor="ann")
    curation.split(split, "ann")
    curation.delete(gone, "ann", why="a video page")
    curation.add_rule("outlet", "Planet", "Daily Planet", editor="ann")
    curation.add_rule("not-a-place", "August", editor="bob")
    assert archive.get(version).version_of == story


def _export(archive: Archive, **options) -> str:
    out = io.StringIO()
    export_jsonl(archive, out, **options)
    return out.getvalue()


def _state(archive: Archive) -> dict:
    store = archive.store
    return {
        "full": _export(archive, with_deleted=True),
        "export": _export(archive),
        "changes": [(s, a.id) for s, a in store.changed_since(0, versions=True)],
        "order": store.ids(),
        "seq": store.current_seq(),
        "store_id": store.store_id(),
        "history": store.changes(),
    }


def test_a_curated_archive_goes_to_postgresql_and_back_unchanged(tmp_path, cli, pg_url):
    source_dir = tmp_path / "sqlite"
    with Archive(source_dir) as archive:
        _curated(archive)
        before = _state(archive)
    assert '"tombstone"' in before["export"] and '"rule"' in before["export"]

    there = cli("migrate", "--to", pg_url, "--json", data=source_dir)
    assert there.exit_code == 0, there.output
    report = json.loads(there.output)
    assert report["tables"]["articles"] == 5 and report["tables"]["sightings"] == 1
    assert report["tables"]["rules"] == 2 and report["seq"] == before["seq"]
    with Archive(source_dir, database_url=pg_url, catch_up=False) as on_pg:
        assert _state(on_pg) == before
        # search moves too: the database's search tables are written on the first open
        assert on_pg._index_problem() is not None
    with Archive(source_dir, database_url=pg_url) as on_pg:
        assert on_pg._index_problem() is None
        stories = on_pg.store.count()["stories"]
        assert on_pg.index.doc_count() == on_pg.search(SearchRequest()).total == stories > 0
        on_pg.curation.edit(before["order"][0], {"author": "Someone"}, "ann")  # numbered after
        assert on_pg.store.current_seq() == before["seq"] + 1
        assert on_pg.store.changes()[-1]["id"] == len(before["history"]) + 1
        after_edit = _state(on_pg)

    back_dir = tmp_path / "back"
    back = cli("--database-url", pg_url, "migrate", "--to", back_dir, data=tmp_path / "any")
    assert back.exit_code == 0, back.output
    assert "articles: 5 rows" in back.output
    with Archive(back_dir) as archive:
        assert _state(archive) == after_edit


def test_a_target_holding_an_archive_is_refused_unless_replaced(tmp_path, cli, pg_url):
    source_dir = tmp_path / "sqlite"
    with Archive(source_dir) as archive:
        archive.add(Submission(OTHER.encode(), "o.txt"))
    assert cli("migrate", "--to", pg_url, data=source_dir).exit_code == 0
    with Archive(source_dir) as archive:
        archive.add(Submission(GONE.encode(), "g.txt"))
    again = cli("migrate", "--to", pg_url, data=source_dir)
    assert again.exit_code == 2 and "holds an archive" in again.output
    with Archive(tmp_path / "x", database_url=pg_url, catch_up=False) as on_pg:
        assert on_pg.store.count()["articles"] == 1  # nothing changed
    replaced = cli("migrate", "--to", pg_url, "--replace", "--json", data=source_dir)
    assert replaced.exit_code == 0, replaced.output
    assert json.loads(replaced.output)["tables"]["articles"] == 2


@pytest.mark.parametrize(
    "target, message",
    [("mysql://db/x", "postgresql://"), ("SELF", "own store")],
)
def test_a_bad_target_is_a_usage_error(tmp_path, cli, target, message):
    source_dir = tmp_path / "sqlite"
    with Archive(source_dir) as archive:
        archive.add(Submission(OTHER.encode(), "o.txt"))
    target = str(source_dir) if target == "SELF" else target
    done = cli("migrate", "--to", target, data=source_dir)
    assert done.exit_code == 2 and message in done.output, done.output


def test_migrating_a_data_directory_without_an_archive_is_a_usage_error(tmp_path, cli):
    done = cli("migrate", "--to", str(tmp_path / "elsewhere"), data=tmp_path / "empty")
    assert done.exit_code == 2 and "no archive" in done.output


def test_an_export_of_a_curated_archive_restores_the_same_on_either_store(tmp_path, database_url):
    from archive.submissions import from_jsonl

    with Archive(tmp_path / "sqlite") as archive:
        _curated(archive)
        backup = _export(archive, with_deleted=True)
    with Archive(tmp_path / "restored", database_url=database_url) as restored:
        results = list(restored.add_many(from_jsonl(backup.encode(), "backup.jsonl")))
        assert "rejected" not in {r.status for r in results}
        again = _export(restored, with_deleted=True)
    assert [json.loads(line) for line in again.splitlines()] == [
        json.loads(line) for line in backup.splitlines()
    ]
