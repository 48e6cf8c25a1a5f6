"""Curation in the core: edits, place edits, rules, delete/restore/purge, split, history and
revert, each seen at once in search and facets (real store, real index)."""

from __future__ import annotations

import pytest

from archive.archive import Archive
from archive.curation import EDITED, CurationError, NotFound
from archive.ingest import Submission
from archive.search import SearchRequest

AUGUST = (
    "August Brown, the mayor, said the floods in Aleppo had closed the main road. "
    "Residents of Aleppo waited for buses while August Brown spoke to reporters."
)
OTHER = (
    "Officials in Homs said the grain shipment had arrived on time. August Miller, a "
    "trader, said prices in Homs would fall within a week."
)
VIDEO = "Watch the video of the market fire in Idlib. The fire burned for hours overnight."


def add(archive: Archive, text: str, **stated) -> str:
    result = archive.add(Submission(text.encode(), "t.txt", stated=stated))
    assert result.status == "added", result
    return result.id


def facet(archive: Archive, name: str, **filters) -> dict[str, int]:
    result = archive.search(SearchRequest(**filters))
    return {v.value: v.count for v in result.facets[name]}


def place_names(archive: Archive, article_id: str) -> set[str]:
    return {p.name for p in archive.get(article_id).places}


@pytest.fixture
def archive(tmp_path, database_url):
    """An empty archive on each store in turn (the curation tables' contract)."""
    a = Archive(tmp_path / "data", database_url=database_url)
    yield a
    a.close()


@pytest.fixture
def two(archive):
    a = add(archive, AUGUST, source="Daily Planet", date="2024-03-01")
    b = add(archive, OTHER, source="Daily Planet", date="2024-03-02")
    return archive, a, b


def test_an_edit_shows_at_once_in_search_and_facets(two):
    archive, a, _ = two
    archive.curation.edit(a, {"source": "The Bugle", "date": "2023-05-06", "language": "fr"}, "ann")
    got = archive.get(a)
    assert (got.source, got.date, got.language) == ("The Bugle", "2023-05-06", "fr")
    assert got.basis["source"] == got.basis["date"] == got.basis["language"] == EDITED
    assert facet(archive, "source") == {"Daily Planet": 1, "The Bugle": 1}
    assert facet(archive, "language") == {"en": 1, "fr": 1}
    hits = archive.search(SearchRequest(q="floods", sources=["The Bugle"])).hits
    assert [h.id for h in hits] == [a]


@pytest.mark.parametrize(
    "values",
    [
        {"date": "the day after"},
        {"language": "xq"},
        {"title": "  "},
        {"url": "javascript:alert(1)"},
        {"colour": "red"},
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(two, values):
    archive, a, _ = two
    before = archive.get(a)
    with pytest.raises(CurationError):
        archive.curation.edit(a, values, "ann")
    assert archive.get(a) == before
    assert archive.curation.history(a) == []


def test_removing_a_false_place_lowers_its_facet_count_at_once(two):
    archive, a, b = two
    assert "Aleppo" in place_names(archive, a)
    aleppo = next(p.geonameid for p in archive.get(a).places if p.name == "Aleppo")
    before = facet(archive, "place").get(aleppo, 0)
    archive.curation.edit_places(a, remove=["Alep"], editor="ann")  # the French spelling
    assert "Aleppo" not in place_names(archive, a)
    assert facet(archive, "place").get(aleppo, 0) == before - 1
    archive.curation.edit_places(a, add=["Damascus"], editor="ann")
    assert "Damascus" in place_names(archive, a)


def test_an_unknown_place_is_refused(two):
    archive, a, _ = two
    with pytest.raises(CurationError, match="no place"):
        archive.curation.edit_places(a, add=["Qwzxland"], editor="ann")
    with pytest.raises(CurationError, match="not among"):
        archive.curation.edit_places(a, remove=["Paris"], editor="ann")


def test_a_not_a_place_rule_applies_now_later_and_is_undone(archive):
    # Jordan the player, read as the country: the rule fixes every article that names it.
    text = "Fans in Aleppo cheered as Jordan scored again; Jordan now leads the league."
    a = add(archive, text)
    jordan = next(p.geonameid for p in archive.get(a).places if p.name == "Jordan")
    change = archive.curation.add_rule("not-a-place", "jordan", editor="ann")
    assert "Jordan" not in place_names(archive, a)
    assert jordan not in facet(archive, "place")
    later = add(archive, "In Aleppo the crowd sang for Jordan, and Jordan waved back to them.")
    assert "Jordan" not in place_names(archive, later)
    archive.curation.revert(change, "ann")
    assert "Jordan" in place_names(archive, a)
    assert "Jordan" in place_names(archive, later)
    assert facet(archive, "place")[jordan] == 2


def test_a_not_a_place_rule_for_one_outlet_leaves_the_others(archive):
    a = add(archive, "Fans in Aleppo cheered as Jordan scored; Jordan leads.", source="One")
    b = add(archive, "Traders in Aleppo said Jordan had closed its border again.", source="Two")
    archive.curation.add_rule("not-a-place", "Jordan", source="One", editor="ann")
    assert "Jordan" not in place_names(archive, a)
    assert "Jordan" in place_names(archive, b)


def test_an_alias_rule_makes_a_name_mean_a_place(archive):
    a = add(archive, "The convoy left Qwzxville at dawn and reached the border by noon.")
    assert place_names(archive, a) == set()
    archive.curation.add_rule("alias", "Qwzxville", "Damascus", editor="ann")
    assert place_names(archive, a) == {"Damascus"}
    b = add(archive, "Another convoy left qwzxville today for the coast with food.")
    assert place_names(archive, b) == {"Damascus"}


def test_an_outlet_merge_sums_the_facet_and_catches_later_adds(archive):
    add(archive, AUGUST, source="Planet")
    add(archive, OTHER, source="Daily Planet")
    archive.curation.add_rule("outlet", "Planet", "Daily Planet", editor="ann")
    assert facet(archive, "source") == {"Daily Planet": 2}
    later = add(archive, VIDEO, source="Planet")
    assert archive.get(later).source == "Daily Planet"
    assert facet(archive, "source") == {"Daily Planet": 3}
    rule = archive.store.rules()[0]
    archive.curation.remove_rule(rule["id"], "ann")
    assert facet(archive, "source")["Planet"] == 1


def test_deleted_is_gone_everywhere_and_restored_is_back(two):
    archive, a, b = two
    assert any(o.id == a for o, _ in archive.similar(b, min_score=0))
    archive.curation.delete(a, "ann", why="a video page")
    assert archive.get(a).deleted["why"] == "a video page"
    assert [h.id for h in archive.search(SearchRequest()).hits] == [b]
    assert facet(archive, "source") == {"Daily Planet": 1}
    assert all(o.id != a for o, _ in archive.similar(b, min_score=0))
    assert archive.stats()["articles"] == 1
    archive.curation.restore(a, "ann")
    assert {h.id for h in archive.search(SearchRequest()).hits} == {a, b}


def test_purge_needs_a_delete_and_removes_the_original(two):
    archive, a, _ = two
    with pytest.raises(CurationError, match="delete"):
        archive.curation.purge(a, "ann")
    archive.curation.delete(a, "ann")
    archive.curation.purge(a, "ann")
    assert archive.get(a) is None
    assert archive.original(a) is None
    assert [c["kind"] for c in archive.curation.history(a)] == ["delete", "purge"]


def test_a_split_version_is_a_story_of_its_own_and_stays_split(archive):
    story = add(archive, AUGUST + " The council met on Monday to discuss repairs.")
    result = archive.add(Submission((AUGUST + " The council met on Tuesday.").encode(), "v.txt"))
    assert result.status == "near-duplicate"
    version = result.article.id
    archive.curation.split(version, "ann")
    assert archive.get(version).version_of is None
    assert {h.id for h in archive.search(SearchRequest()).hits} == {story, version}
    again = archive.add(Submission((AUGUST + " The council met on Tuesday.").encode(), "v.txt"))
    assert again.status == "duplicate"
    assert archive.get(version).version_of is None


def test_history_has_every_change_and_revert_restores_the_old_value(two):
    archive, a, _ = two
    archive.curation.edit(a, {"title": "Floods close the road"}, "ann")
    archive.curation.edit_places(a, remove=["Aleppo"], editor="bo")
    archive.curation.delete(a, "cli:root")
    history = archive.curation.history(a)
    assert [(c["kind"], c["editor"]) for c in history] == [
        ("edit", "ann"),
        ("places", "bo"),
        ("delete", "cli:root"),
    ]
    assert all(c["at"] for c in history)
    for change in reversed(history):
        archive.curation.revert(change["id"], "ann")
    got = archive.get(a)
    assert got.title is None and got.deleted is None and "Aleppo" in place_names(archive, a)
    with pytest.raises(CurationError, match="reverted"):
        archive.curation.revert(history[0]["id"], "ann")
    with pytest.raises(NotFound):
        archive.curation.revert(99999, "ann")


def test_a_schema_2_archive_gains_curation_and_keeps_its_articles(tmp_path):
    import sqlite3

    from archive.store import SCHEMA_VERSION, Store

    path = tmp_path / "articles.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX articles_live")  # schema 2 had no `deleted` to index
    for column in ("deleted", "split", "place_edits"):  # as schema 2 wrote it
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    conn.execute("DROP TABLE changes")
    conn.execute("DROP TABLE rules")
    conn.execute(
        "INSERT INTO articles (id, seq, fingerprint, title, language, basis, places, text,"
        " shingles, original, added_at) VALUES ('old1', 1, 'fp', 'Old', 'en', '{}', '[]',"
        " 'old text', 1, x'00', '2024-01-01T00:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = Store(path)
    old = store.get("old1")
    assert (old.title, old.deleted, old.split, old.place_edits) == ("Old", None, False, {})
    assert store.changes() == [] and store.rules() == []
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3


def test_reprocess_keeps_place_edits_rules_and_edits(archive):
    from archive.reprocess import Reprocessor

    text = "Fans in Aleppo cheered as Jordan scored; Jordan leads. Traders in Homs waited."
    a = add(archive, text)
    archive.curation.add_rule("not-a-place", "Jordan", editor="ann")
    archive.curation.edit_places(a, remove=["Aleppo"], add=["Damascus"], editor="ann")
    archive.curation.edit(a, {"author": "", "language": "de"}, "ann")
    before = archive.get(a)
    outcomes = list(Reprocessor(archive, "cli:test").run([a, "nosuchid"]))
    assert [o.status for o in outcomes] == ["unchanged", "rejected"]
    got = archive.get(a)
    assert got.places == before.places
    assert {p.name for p in got.places} >= {"Damascus"}
    assert not {"Jordan", "Aleppo"} & {p.name for p in got.places}
    assert (got.author, got.language, got.basis["author"]) == (None, "de", EDITED)


def test_reprocess_folds_a_story_that_now_reads_as_a_version_and_revert_splits_it(archive):
    from archive.reprocess import Reprocessor

    base = AUGUST + " The council met on Monday to discuss repairs to the old bridge."
    first = add(archive, base)
    second = add(archive, OTHER)
    # What a better cleaner finds in the second's original: the first story, lightly edited.
    with archive.store.transaction() as conn:
        conn.execute(
            "UPDATE articles SET original = ? WHERE id = ?",
            ((base + " It rained.").encode(), second),
        )
    [outcome] = Reprocessor(archive, "cli:test").run([second])
    assert outcome.status == "changed" and first in outcome.note
    assert archive.get(second).version_of == first
    assert [h.id for h in archive.search(SearchRequest()).hits] == [first]
    fold = archive.curation.history(second)[-1]
    assert (fold["kind"], fold["editor"]) == ("reprocess", "cli:test")
    archive.curation.revert(fold["id"], "ann")
    assert {h.id for h in archive.search(SearchRequest()).hits} == {first, second}
    assert list(Reprocessor(archive).run([second]))[0].status == "unchanged"  # stays split


@pytest.mark.parametrize(
    "kind, name, head, expected",
    [
        ("html", None, b"plain", "html"),
        ("text/html", None, b"x", "html"),
        ("text/html; charset=utf-8", "a.txt", b"x", "html"),
        (None, "page.mhtml", b"x", "mhtml"),
        (None, "notes.md", b"x", "markdown"),
        (None, None, b"  <!DOCTYPE html><html>", "html"),
        (None, "feed.jsonl:3", b"Plain words.", "text"),
    ],
)
def test_reprocess_reads_each_original_as_the_kind_it_is(kind, name, head, expected):
    from archive.reprocess import document_kind

    assert document_kind(kind, name, head) == expected


def test_a_split_stays_split_through_export_and_restore(archive, tmp_path):
    import io

    from archive.archive import export_jsonl
    from archive.submissions import from_jsonl

    base = AUGUST + " The council met on Monday to discuss repairs to the old bridge."
    add(archive, base)
    version = archive.add(Submission((base + " It rained.").encode(), "v.txt")).article.id
    archive.curation.split(version, "ann")
    out = io.StringIO()
    export_jsonl(archive, out)
    with Archive(tmp_path / "restored") as restored:
        results = list(restored.add_many(from_jsonl(out.getvalue().encode(), "backup.jsonl")))
        assert {r.status for r in results} == {"added", "restored"}
        got = restored.get(version)
        assert got.version_of is None and got.split
        assert len(restored.search(SearchRequest()).hits) == 2
        assert restored.curation.history(version) == archive.curation.history(version)


def test_purging_a_story_leaves_its_versions_found_as_stories(archive):
    base = AUGUST + " The council met on Monday to discuss repairs to the old bridge."
    story = add(archive, base)
    version = archive.add(Submission((base + " It rained.").encode(), "v.txt")).article.id
    archive.curation.delete(story, "ann")
    assert archive.search(SearchRequest()).hits == []
    archive.curation.purge(story, "ann")
    assert [h.id for h in archive.search(SearchRequest()).hits] == [version]


def test_undoing_a_merge_gives_articles_and_copies_their_old_names(archive):
    first = add(archive, AUGUST, source="Planet")
    again = archive.add(Submission(AUGUST.encode(), "copy.txt", stated={"source": "Planet Daily"}))
    assert again.status == "duplicate"
    add(archive, OTHER, source="Daily Planet")
    change = archive.curation.add_rule("outlet", "Planet", "Daily Planet", editor="ann")
    archive.curation.add_rule("outlet", "Planet Daily", "Daily Planet", editor="ann")
    assert archive.store.outlets(first) == ["Daily Planet"]
    assert facet(archive, "source") == {"Daily Planet": 2}
    archive.curation.revert(change, "ann")
    assert archive.get(first).source == "Planet"
    assert archive.store.outlets(first) == ["Planet", "Daily Planet"]
    assert facet(archive, "source") == {"Daily Planet": 2, "Planet": 1}
