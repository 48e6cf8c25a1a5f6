"""The outlet's domain and the date's trust are stored, migrated onto older archives,
exported, restored and shown."""

from __future__ import annotations

import json
import sqlite3

from archive.archive import Archive
from archive.ingest import Submission
from archive.store import SCHEMA_VERSION, Store

from .test_cli import as_json

PAGE = (
    "<!DOCTYPE html><html><head><title>Ferries resume | Island Post</title>"
    '<meta property="og:site_name" content="Island Post">'
    '<meta property="article:published_time" content="2009-06-01T08:00:00Z">'
    '<meta property="article:modified_time" content="2021-03-10T08:00:00Z">'
    '<link rel="canonical" href="https://www.islandpost.co.uk/news/ferries-resume">'
    "</head><body><article><h1>Ferries resume</h1>"
    "<p>The ferry service to the islands resumed on Tuesday after the storm had kept the "
    "boats in harbour for four days, and the first crossing was full by seven.</p>"
    "<p>Islanders queued at the quay with empty gas bottles and crates for supplies, and "
    "the shop on the main island said it had run out of bread on Sunday.</p>"
    "</article></body></html>"
)


def add_page(archive: Archive):
    result = archive.add(Submission(data=PAGE.encode(), name="ferries.html", kind="html"))
    assert result.status == "added", result.reason
    return archive.get(result.id)


def test_outlet_domain_and_date_trust_are_stored(tmp_path):
    with Archive(tmp_path / "data") as archive:
        article = add_page(archive)
    assert (article.source, article.source_domain) == ("Island Post", "islandpost.co.uk")
    assert article.date == "2009-06-01" and article.date_uncertain
    assert 0 < article.date_confidence < 0.5
    data = article.to_json()
    assert data["date_uncertain"] is True and data["source_domain"] == "islandpost.co.uk"


def test_a_schema_1_archive_gains_the_columns_and_keeps_its_articles(tmp_path):
    path = tmp_path / "articles.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    # an archive as schema 1 wrote it: without the three columns
    for column in ("source_domain", "date_confidence", "date_uncertain"):
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    conn.execute(
        "INSERT INTO articles (id, seq, fingerprint, title, language, basis, places, text,"
        " shingles, original, added_at) VALUES ('old1', 1, 'fp', 'Old', 'en', '{}', '[]',"
        " 'old text', 1, x'00', '2024-01-01T00:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(path)
    old = store.get("old1")
    assert (old.title, old.source_domain, old.date_uncertain) == ("Old", None, False)
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_export_and_restore_carry_the_domain_and_the_date_trust(tmp_path, cli):
    data = tmp_path / "data"
    with Archive(data) as archive:
        article = add_page(archive)
    dump = tmp_path / "export.jsonl"
    assert cli("export", "-o", dump, data=data).exit_code == 0
    line = json.loads(dump.read_text(encoding="utf8").splitlines()[0])
    assert line["source_domain"] == "islandpost.co.uk" and line["date_uncertain"] is True
    fresh = tmp_path / "fresh"
    assert cli("ingest", dump, data=fresh).exit_code == 0
    restored = as_json(cli("show", "--json", article.id, data=fresh))
    assert restored["source_domain"] == "islandpost.co.uk"
    assert restored["date_uncertain"] is True
    assert restored["date_confidence"] == article.date_confidence


def test_show_says_the_domain_and_that_the_date_is_uncertain(tmp_path, cli):
    data = tmp_path / "data"
    with Archive(data) as archive:
        article = add_page(archive)
    out = cli("show", article.id, data=data).output
    assert "islandpost.co.uk" in out and "uncertain" in out


def test_a_stated_date_is_not_second_guessed(tmp_path):
    with Archive(tmp_path / "data") as archive:
        sub = Submission(
            data=PAGE.encode(), name="ferries.html", kind="html", stated={"date": "2009-06-01"}
        )
        article = archive.get(archive.add(sub).id)
    assert article.date == "2009-06-01" and not article.date_uncertain
    assert article.date_confidence is None
