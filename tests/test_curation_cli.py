"""The curation commands: each change is made, shown in search at once, recorded with
"cli:<user>", revertible; bad values exit 2 and change nothing; reprocess keeps corrections;
export -> ingest restores corrections, rules, tombstones and history exactly."""

from __future__ import annotations

import json
import sqlite3

import pytest

from archive.archive import Archive
from archive.ingest import Submission
from archive.store import Store

ROAD = (
    "Residents of Aleppo said the main road had been closed by floods since Monday night. "
    "Fans in Aleppo cheered as Jordan scored again; Jordan now leads the league."
)
GRAIN = "Officials in Homs said the grain shipment to Aleppo had arrived on time this week."


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def made(tmp_path):
    """An archive of two articles: (data dir, the saved page's id, the text's id)."""
    data_dir = tmp_path / "data"
    (tmp_path / "road.html").write_text(
        "<html><head><title>Floods close the road</title>"
        '<meta property="og:site_name" content="Daily Planet"></head>'
        f"<body><article><p>{ROAD}</p></article></body></html>"
    )
    with Archive(data_dir) as archive:
        road = archive.add(
            Submission((tmp_path / "road.html").read_bytes(), "road.html", kind="html")
        )
        grain = archive.add(Submission(GRAIN.encode(), "grain.txt", stated={"source": "Bugle"}))
    return data_dir, road.id, grain.id


def search(cli, data, *args):
    return as_json(cli("search", "--json", *args, data=data))


def test_edit_shows_in_search_and_reprocess_keeps_it(cli, made):
    data, road, _ = made
    result = cli(
        "edit", road, "--source", "The Bugle", "--date", "2023-05-06", "--lang", "fr", data=data
    )
    assert result.exit_code == 0, result.output
    assert "archive revert" in result.output
    found = search(cli, data, "--source", "The Bugle")
    assert [h["id"] for h in found["hits"]] == [road]
    assert {v["value"]: v["count"] for v in found["facets"]["language"]} == {"fr": 1}
    # What an older extractor left behind: reprocessing finds the title again
    with sqlite3.connect(data / "articles.sqlite3") as conn:
        conn.execute("UPDATE articles SET title = 'Home | Planet' WHERE id = ?", (road,))
    lines = cli("reprocess", "--all", "--json", data=data).output.splitlines()
    assert json.loads(lines[-1]) == {"summary": {"changed": 1, "unchanged": 1}}
    shown = as_json(cli("show", "--json", road, data=data))
    assert (shown["source"], shown["date"], shown["language"]) == ("The Bugle", "2023-05-06", "fr")
    assert shown["basis"]["source"] == "edited"
    assert shown["title"] == "Floods close the road"  # not edited: extracted again


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "someday"], "date"),
        (["--lang", "xq"], "language"),
        (["--title", ""], "title"),
    ],
)
def test_a_bad_edit_exits_2_and_changes_nothing(cli, made, args, message):
    data, road, _ = made
    before = as_json(cli("show", "--json", road, data=data))
    result = cli("edit", road, *args, data=data)
    assert result.exit_code == 2 and message in result.output
    assert as_json(cli("show", "--json", road, data=data)) == before
    assert as_json(cli("history", road, "--json", data=data)) == []


def test_places_edit_and_a_rule_from_the_command_line(cli, made):
    data, road, grain = made
    assert cli("places-edit", road, "--add", "Qwzxland", data=data).exit_code == 2
    assert cli("places-edit", road, "--remove", "Aleppo", data=data).exit_code == 0
    places = {p["value"]: p["count"] for p in search(cli, data)["facets"]["place"]}
    aleppo = next(k for k, v in places.items() if v == 1 and k != "")  # only grain left
    assert aleppo
    assert cli("rules", "add", "Jordan", "--not-a-place", data=data).exit_code == 0
    names = {p["name"] for p in as_json(cli("show", "--json", road, data=data))["places"]}
    assert "Jordan" not in names and "Aleppo" not in names
    rules = as_json(cli("rules", "list", "--json", data=data))
    assert [(r["kind"], r["name"], r["editor"][:4]) for r in rules] == [
        ("not-a-place", "Jordan", "cli:")
    ]
    assert cli("rules", "remove", str(rules[0]["id"]), data=data).exit_code == 0
    names = {p["name"] for p in as_json(cli("show", "--json", road, data=data))["places"]}
    assert "Jordan" in names
    assert cli("rules", "add", "X", "--means", "Qwzxland", data=data).exit_code == 2


def test_delete_restore_purge_and_history(cli, made):
    data, road, grain = made
    assert cli("delete", road, "--why", "a video page", data=data).exit_code == 0
    assert [h["id"] for h in search(cli, data)["hits"]] == [grain]
    assert cli("restore", road, data=data).exit_code == 0
    assert {h["id"] for h in search(cli, data)["hits"]} == {road, grain}
    history = as_json(cli("history", road, "--json", data=data))
    assert [c["kind"] for c in history] == ["delete", "restore"]
    assert all(c["editor"].startswith("cli:") and c["at"] for c in history)
    assert "reverted" not in cli("history", road, data=data).output
    assert cli("revert", str(history[1]["id"]), data=data).exit_code == 0  # deleted again
    assert [h["id"] for h in search(cli, data)["hits"]] == [grain]
    assert cli("purge", road, data=data).exit_code == 2  # no terminal, no --yes
    assert cli("purge", road, "--yes", data=data).exit_code == 0
    assert cli("show", road, data=data).exit_code == 1
    store = Store(data / "articles.sqlite3")
    assert store.original(road) is None
    store.close()


def test_export_and_restore_carry_every_correction(cli, made, tmp_path):
    data, road, grain = made
    cli("edit", road, "--source", "The Bugle", "--author", "", data=data)
    cli("places-edit", grain, "--remove", "Homs", data=data)
    cli("rules", "add", "Jordan", "--not-a-place", data=data)
    cli("rules", "add", "Bugle", "--is-outlet", "The Bugle", data=data)
    cli("delete", grain, "--why", "wrong page", data=data)
    with Archive(data) as a:
        grain_text = a.get(grain).text
    dump = tmp_path / "export.jsonl"
    full = tmp_path / "backup.jsonl"
    assert cli("export", "-o", dump, data=data).exit_code == 0
    assert cli("export", "--with-deleted", "-o", full, data=data).exit_code == 0
    # an export leaves the deleted article out but for its tombstone; a full backup has it
    assert grain_text not in dump.read_text() and grain_text in full.read_text()
    lines = map(json.loads, dump.read_text().splitlines())
    tombstones = [r["tombstone"] for r in lines if "tombstone" in r]
    assert [t["id"] for t in tombstones] == [grain]
    assert tombstones[0]["deleted"]["why"] == "wrong page"
    fresh, whole = tmp_path / "fresh", tmp_path / "whole"
    for source, target in ((dump, fresh), (full, whole)):
        result = cli("ingest", source, data=target)
        assert result.exit_code == 0, result.output
        again = cli("ingest", source, data=target)  # a second restore changes nothing
        assert again.exit_code == 0
    with Archive(data) as a, Archive(fresh) as b, Archive(whole) as c:
        assert a.get(road).to_json() == b.get(road).to_json() == c.get(road).to_json()
        assert b.get(grain) is None
        assert a.get(grain).to_json() == c.get(grain).to_json()  # still deleted
        for restored in (b, c):
            assert a.store.rules() == restored.store.rules()
            assert a.store.changes() == restored.store.changes()
    for target in (fresh, whole):
        assert search(cli, target)["total"] == 1
        assert search(cli, target)["facets"]["source"] == [
            {"value": "The Bugle", "label": "The Bugle", "count": 1}
        ]
    # a tombstone restored into an archive that holds the article deletes it there too
    again = tmp_path / "again"
    with Archive(again) as archive:
        added = archive.add(Submission(grain_text.encode(), "grain.txt")).id
    assert search(cli, again)["total"] == 1
    assert cli("ingest", dump, data=again).exit_code == 0
    assert search(cli, again)["total"] == 1  # the road article only
    with Archive(again) as archive:
        assert archive.get(added).deleted["why"] == "wrong page"


def test_split_from_the_command_line_stays_split_on_reprocess(cli, tmp_path):
    data = tmp_path / "data"
    base = ROAD + " The council met on Monday to discuss the repairs to the bridge."
    with Archive(data) as archive:
        archive.add(Submission(base.encode(), "a.txt"))
        version = archive.add(Submission((base + " It rained.").encode(), "b.txt"))
    assert version.status == "near-duplicate"
    vid = version.article.id
    assert cli("split", vid, data=data).exit_code == 0
    assert search(cli, data)["total"] == 2
    assert cli("reprocess", vid, data=data).exit_code == 0
    assert search(cli, data)["total"] == 2
    assert cli("split", vid, data=data).exit_code == 2  # a story already


def test_rules_add_and_remove_answer_json(cli, made):
    data, road, _ = made
    added = as_json(cli("rules", "add", "Jordan", "--not-a-place", "--json", data=data))
    history = as_json(cli("history", road, "--json", data=data))
    assert [(c["id"], c["kind"]) for c in history] == [(added["change"], "rule-add")]
    rule = as_json(cli("rules", "list", "--json", data=data))[0]
    removed = as_json(cli("rules", "remove", str(rule["id"]), "--json", data=data))
    assert removed["change"] > added["change"]
    assert (
        cli("rules", "add", "Jordan", "--means", "Amman", "--source", "X", data=data).exit_code == 2
    )
    assert cli("rules", "remove", "999", data=data).exit_code == 1


def _purge_on_a_terminal(data, article_id: str, answer: bytes) -> tuple[int, str]:
    """`archive purge ID` run on a real pseudo-terminal, answering its question."""
    import os
    import pty
    import select
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, its stdin a terminal
        os.execv(
            sys.executable,
            [sys.executable, "-m", "archive.cli", "--data-dir", str(data), "purge", article_id],
        )
    out = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
        if not answered and b"[y/N]" in out:
            os.write(fd, answer + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_purge_asks_on_a_terminal_and_no_keeps_the_article(cli, made):
    data, road, _ = made
    assert cli("delete", road, data=data).exit_code == 0
    code, out = _purge_on_a_terminal(data, road, b"n")
    assert code == 1 and "for good?" in out, out
    assert cli("show", road, data=data).exit_code == 0
    code, out = _purge_on_a_terminal(data, road, b"y")
    assert code == 0, out
    assert cli("show", road, data=data).exit_code == 1
