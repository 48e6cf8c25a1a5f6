"""The `archive` command end to end on the seeds (the archive core's acceptance tests)."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from .conftest import SEEDS

pytestmark = pytest.mark.both_engines


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def search_ids(cli, *args, **where):
    return {h["id"] for h in as_json(cli("search", "--json", *args, **where))["hits"]}


@pytest.fixture
def seeded_cli(cli, seeded_source, seeded_url):
    """`cli` on the seeded archive of the test's engine, to read, never to change."""

    def run(*args, **kwargs):
        return cli(*args, data=seeded_source, url=seeded_url, **kwargs)

    return run


@pytest.fixture
def seed_ids(seeded):
    """Seed file number -> article id."""
    ids = {}
    for article, _ in seeded.store.iter_articles():
        ids[article.original_name.split("/")[-1][:3]] = article.id
    return ids


def test_ingesting_seeds_twice_stores_five_articles(cli):
    first = cli("ingest", SEEDS)
    assert first.exit_code == 0, first.output
    assert first.output.count("added ") == 5
    second = cli("ingest", SEEDS)
    assert second.exit_code == 0 and second.output.count("duplicate of") == 5
    stats = as_json(cli("stats", "--json"))
    assert (stats["articles"], stats["stories"], stats["copies"]) == (5, 5, 0)


def test_seed_metadata_is_that_of_the_sidecar_and_unknown_elsewhere(seeded):
    sidecar = tomllib.loads((SEEDS / "metadata.toml").read_text())["article"]
    by_file = {a.original_name.split("/")[-1]: a for a, _ in seeded.store.iter_articles()}
    for entry in sidecar:
        article = by_file[entry["file"]]
        assert article.title == entry.get("title", article.title)
        assert article.date == entry["date"].isoformat()
        assert article.basis["date"] == "sidecar"
        assert article.language == "en"
        if "source" in entry:
            assert article.source == entry["source"]
    assert by_file["001_241a784381566099.txt"].title is None
    assert by_file["001_241a784381566099.txt"].source is None
    assert by_file["004_530948af3000cbbd.txt"].title is None
    assert by_file["000_97d9ff768279ed18.txt"].source is None
    assert by_file["000_97d9ff768279ed18.txt"].author == "Fabrice Balanche"


def test_palmyra_finds_exactly_seeds_001_and_003(seeded_cli, seed_ids):
    assert search_ids(seeded_cli, "Palmyra") == {seed_ids["001"], seed_ids["003"]}


def test_daraa_finds_articles_that_write_deraa(seeded_cli, seed_ids):
    found = search_ids(seeded_cli, "Daraa")
    assert {seed_ids["000"], seed_ids["001"], seed_ids["002"], seed_ids["004"]} == found


def test_withdrawal_finds_withdraw_and_withdrawing_by_stemming(seeded_cli, seed_ids):
    found = search_ids(seeded_cli, "withdrawal")
    # 002 writes only "withdraw", 001 only "withdraw" too; 003 "withdrawal"/"withdrawing"
    assert {seed_ids["002"], seed_ids["001"], seed_ids["003"]} <= found


def test_turkiye_finds_turkiye_with_diacritics(seeded_cli, seed_ids):
    result = as_json(seeded_cli("search", "--json", "Turkiye"))
    hit = next(h for h in result["hits"] if h["id"] == seed_ids["003"])
    assert "<mark>Türkiye</mark>" in hit["snippet"]


def test_place_filter_finds_every_spelling_of_deir_ez_zor(seeded_cli, seed_ids):
    found = search_ids(seeded_cli, "--place", "Deir ez-Zor")
    assert found == {seed_ids["000"], seed_ids["002"], seed_ids["004"]}
    assert search_ids(seeded_cli, "--place", "Deir Ezzor") == found


@pytest.mark.parametrize("query", ['Homs "Damascus', "place:", "(Homs", "source:", "title:"])
def test_malformed_query_answers_results_and_a_note(seeded_cli, query):
    result = as_json(seeded_cli("search", "--json", query))
    assert result["notes"], result
    assert result["total"] >= 1


def test_place_facet_has_one_entry_per_place_with_the_right_counts(seeded_cli):
    facets = as_json(seeded_cli("search", "--json"))["facets"]["place"]
    counts = {f["label"].split(" · ")[0]: f["count"] for f in facets}
    expected = {
        "Homs": 5,
        "Damascus": 5,
        "Aleppo": 5,
        "Daraa": 4,
        "As-Suwayda": 4,
        "Tartus": 4,
        "Deir ez-Zor": 3,
        "Palmyra": 2,
    }
    assert {name: counts.get(name) for name in expected} == expected
    labels = [f["label"] for f in facets]
    assert len(labels) == len(set(labels))
    for variant in ("Deraa", "Sweida", "Suweida", "Tartous", "Deir Ezzor", "Deir al-Zor"):
        assert not any(label.startswith(variant) for label in labels)


def test_reworded_copy_is_a_near_duplicate_and_shown_once(cli, seeded_copy, seed_ids, tmp_path):
    text = next(SEEDS.glob("002_*.txt")).read_text()
    copy = "Advertisement\n\n" + text.replace(
        "Unlock Editor’s Digest for free", "Share this article"
    ).replace("Source link", "Read more").replace(
        "the largest city still controlled", "the biggest city still held"
    )
    (tmp_path / "copy.txt").write_text(copy)
    result = cli("ingest", "--source", "Syndicated Daily", tmp_path / "copy.txt", data=seeded_copy)
    assert result.exit_code == 0
    assert f"near-duplicate of {seed_ids['002']}" in result.output
    hits = as_json(cli("search", "--json", "Telegram channel", data=seeded_copy))["hits"]
    assert [h["id"] for h in hits] == [seed_ids["002"]]
    assert set(hits[0]["sources"]) == {"Financial Times", "Syndicated Daily"}


def test_seeds_001_and_002_are_not_duplicates(seeded):
    assert all(a.version_of is None for a, _ in seeded.store.iter_articles())


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_extract_shows_no_boilerplate_or_debris(cli, number):
    path = next(SEEDS.glob(f"{number}_*.txt"))
    data = as_json(cli("extract", "--json", path))
    for junk in ("Share\n", "comments", "Source link", "Unlock Editor", "ice Balanche"):
        assert junk not in data["text"]
    assert "Barran Press" not in data["text"][:20]


def test_bad_inputs_are_reported_and_good_ones_added(cli, tmp_path):
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (mixed / "good.txt").write_text("Rebels entered Hama on Thursday after days of fighting.")
    (mixed / "latin1.txt").write_bytes(
        "Les rebelles sont entrés à Homs, déjà célèbre.".encode("latin-1")
    )
    result = cli("ingest", mixed, tmp_path / "missing.txt")
    assert result.exit_code == 1
    assert "empty.txt: rejected: empty file" in result.output
    assert "junk.txt: rejected: binary" in result.output
    assert "missing.txt: rejected: no such file" in result.output
    assert result.output.count("added ") == 2
    found = as_json(cli("search", "--json", "entrés"))
    assert (
        found["total"] == 1
        and "<mark>entrés</mark> à Homs, déjà célèbre" in found["hits"][0]["snippet"]
    )


def test_failed_ingest_leaves_stored_articles_intact(cli, seeded_copy, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    before = as_json(
        cli("export", data=seeded_copy).output and cli("stats", "--json", data=seeded_copy)
    )
    assert cli("ingest", tmp_path / "empty.txt", data=seeded_copy).exit_code == 1
    assert as_json(cli("stats", "--json", data=seeded_copy)) == before


@pytest.mark.engines("embedded")  # its index files
def test_deleted_index_is_rebuilt_by_itself(cli, seeded_copy, seed_ids):
    shutil.rmtree(seeded_copy / "whoosh")
    assert search_ids(cli, "Palmyra", data=seeded_copy) == {seed_ids["001"], seed_ids["003"]}
    assert (seeded_copy / "whoosh").is_dir()


def test_overrides_state_metadata_for_one_file(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rebels entered Hama on Thursday after days of fighting in the north.")
    result = cli("ingest", "--title", "Hama falls", "--date", "2024-12-05", "--source", "FT", path)
    assert result.exit_code == 0
    article_id = result.output.split("added ")[1].split()[0]
    shown = as_json(cli("show", "--json", article_id))
    assert (shown["title"], shown["date"], shown["source"]) == (
        "Hama falls",
        "2024-12-05",
        "Financial Times",
    )
    assert shown["basis"]["title"] == "user"


def test_a_date_that_is_not_a_date_is_rejected(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rebels entered Hama on Thursday after days of fighting in the north.")
    result = cli("ingest", "--date", "2024-13-45", path)
    assert result.exit_code == 1 and "not a calendar date" in result.output
    assert "not a date" in cli("ingest", "--date", "yesterday", path).output


def test_overrides_with_several_files_is_a_usage_error(cli):
    assert cli("ingest", "--title", "x", SEEDS).exit_code == 2


def test_jsonl_bad_line_is_reported_by_number_and_the_rest_added(cli, tmp_path):
    lines = [
        json.dumps({"text": "Rebels entered Hama after days of fighting.", "source": "AP"}),
        "{not json",
        json.dumps(
            {
                "html": "<html><body><article><h1>Homs</h1><p>"
                + "Fighting reached the outskirts of Homs on Friday night, witnesses said. " * 6
                + "</p></article></body></html>"
            }
        ),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    result = cli("ingest", tmp_path / "feed.jsonl")
    assert result.exit_code == 1
    assert "line 2: not valid JSON" in result.output
    assert result.output.count("added ") == 2


def test_export_then_ingest_reproduces_the_archive(cli, seeded_cli, tmp_path):
    dump = tmp_path / "export.jsonl"
    assert seeded_cli("export", "-o", dump).exit_code == 0
    fresh = tmp_path / "fresh"
    assert cli("ingest", dump, data=fresh).exit_code == 0
    for article_id in search_ids(seeded_cli):
        a = as_json(seeded_cli("show", "--json", article_id))
        b = as_json(cli("show", "--json", article_id, data=fresh))
        for key in ("title", "source", "author", "date", "text", "language", "basis", "places"):
            assert a[key] == b[key], key


def test_places_command_prints_places_with_mentions(cli):
    result = cli("places", "-", input="Rebels left Deraa for Daraa city and Homs.")
    places = {p["name"]: p for p in as_json(result)["places"]}
    assert len(places["Daraa"]["mentions"]) == 2
    assert set(places["Daraa"]) >= {"geonameid", "name", "country", "lat", "lon", "kind"}


def test_places_jsonl_batch(cli):
    lines = json.dumps({"id": "a", "text": "Fighting in Aleppo."}) + "\n"
    out = cli("places", "--jsonl", "-", input=lines)
    record = json.loads(out.output.splitlines()[0])
    assert record["id"] == "a" and record["places"][0]["name"] == "Aleppo"


def test_every_command_has_help(runner):
    from archive.cli import main

    for command in main.commands:
        assert runner.invoke(main, [command, "--help"]).exit_code == 0


def test_empty_query_lists_everything_newest_first(seeded_cli):
    result = as_json(seeded_cli("search", "--json"))
    dates = [h["date"] for h in result["hits"]]
    assert result["total"] == 5 and dates == sorted(dates, reverse=True)
    assert result["facets"]["language"] == [{"value": "en", "label": "en", "count": 5}]
    assert result["facets"]["date"] == [{"value": "2024-12", "count": 5}]


def test_stats_say_what_the_archive_holds(seeded_cli):
    stats = as_json(seeded_cli("stats", "--json"))
    assert stats["counts"]["articles"] == 5
    assert stats["counts"]["countries"] >= 5  # Syria, Iran, Russia, Turkey, Lebanon, ...
    assert stats["date_span"] == {"first": "2024-12-06", "last": "2024-12-07"}
    assert len(stats["recently_added"]) == 5
    assert stats["busiest_places"][0]["label"].endswith("Syria")
    text = seeded_cli("stats").output
    assert "countries named; published 2024-12-06 to 2024-12-07" in text


def test_help_points_to_the_help_page(cli):
    assert "/help" in cli("--help").output


@pytest.mark.engines("embedded")  # its index files
def test_reindex_of_an_outdated_index_builds_it_once(cli, caplog):
    import logging

    from archive.search.whoosh.index import STATE_FILE

    assert cli("ingest", SEEDS).exit_code == 0
    state_file = cli.data_dir / "whoosh" / STATE_FILE
    state = json.loads(state_file.read_text())
    state_file.write_text(json.dumps({**state, "schema": state["schema"] - 1}))
    builds = {p.name for p in (cli.data_dir / "whoosh").iterdir() if p.is_dir()}
    with caplog.at_level(logging.WARNING):
        result = cli("reindex")
    assert result.exit_code == 0 and "indexed 5 stories" in result.output
    assert "rebuilding" not in caplog.text  # no rebuild on opening before the asked one
    after = {p.name for p in (cli.data_dir / "whoosh").iterdir() if p.is_dir()}
    assert len(after - builds) == 1
    assert json.loads(state_file.read_text())["schema"] == state["schema"]
    assert len(search_ids(cli, "Homs", data=cli.data_dir)) == 5
