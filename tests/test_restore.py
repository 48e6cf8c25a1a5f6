"""Backups restore, whatever their size: JSONL is read a line at a time, a bad or oversized
line is reported by its number, and an export restores every article as it was."""

from __future__ import annotations

import base64
import io
import json
import random

import pytest

from archive.archive import Archive
from archive.ingest import MAX_LINE_BYTES
from archive.submissions import _lines, from_jsonl
from benchmarks.corpus import articles, saved_page_lines

N_ARTICLES = 2000


def _contents(archive: Archive) -> dict[str, dict]:
    """Everything stored of each article: metadata with bases, places, story links, copies
    and the original bytes."""
    out = {}
    for article, sightings in archive.store.iter_articles():
        record = article.to_json()
        record["copies"] = sorted(
            (s.source or "", s.url or "", s.added_at or "") for s in sightings
        )
        data, content_type, name = archive.store.original(article.id)
        record["original"] = (data, content_type, name)
        record["original_type"] = article.original_type
        out[article.id] = record
    return out


@pytest.fixture(scope="module")
def saved_pages(tmp_path_factory):
    """An archive of N_ARTICLES saved pages with copies and versions, and its export."""
    data_dir = tmp_path_factory.mktemp("pages")
    source = data_dir / "pages.jsonl"
    # Two paragraphs are enough to place and fold the stories, at a third of the cost.
    lines = saved_page_lines(N_ARTICLES, seed=3, paragraphs=2)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Archive(data_dir / "data") as archive:
        with source.open("rb") as stream:
            results = list(archive.add_many(from_jsonl(stream, str(source))))
        assert not [r for r in results if r.status == "rejected"]
        backup = data_dir / "backup.jsonl"
        with backup.open("w", encoding="utf-8") as out:
            for record in archive.export():
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        contents = _contents(archive)
    return contents, backup


def test_a_backup_of_saved_pages_far_over_50_mb_restores_every_article_as_it_was(
    saved_pages, tmp_path, cli
):
    contents, backup = saved_pages
    assert backup.stat().st_size > 60 * 2**20
    versions = sum(1 for a in contents.values() if a["version_of"])
    copies = sum(len(a["copies"]) for a in contents.values())
    assert len(contents) >= N_ARTICLES * 0.97 and versions >= 10 and copies >= 15

    result = cli("ingest", backup, "--json", data=tmp_path / "restored")
    assert result.exit_code == 0, result.output[-2000:]
    with Archive(tmp_path / "restored") as restored:
        again = _contents(restored)
        assert restored.stats()["indexed"] == restored.store.count()["stories"]
    assert again.keys() == contents.keys()
    for article_id, record in contents.items():
        assert again[article_id] == record, article_id


def test_restoring_a_backup_twice_changes_nothing(saved_pages, tmp_path, cli, database_url):
    """On either store (`database_url`: SQLite, then PostgreSQL)."""
    _, backup = saved_pages
    head = tmp_path / "head.jsonl"
    with backup.open("rb") as src:
        head.write_bytes(b"".join(next(src) for _ in range(300)))
    target = tmp_path / "restored"
    store = ["--database-url", database_url] if database_url else []
    assert cli(*store, "ingest", head, data=target).exit_code == 0
    with Archive(target, database_url=database_url) as archive:
        before = _contents(archive)
    again = cli(*store, "ingest", head, "--json", data=target)
    assert json.loads(again.output.splitlines()[-1])["summary"] == {"duplicate": 300}
    with Archive(target, database_url=database_url) as archive:
        assert _contents(archive) == before


def test_a_200_mb_file_with_a_broken_and_an_oversized_line_adds_every_other_line(tmp_path, cli):
    """Most of the bytes are in export lines with large originals (a restore of saved pages);
    line 40 is broken JSON and line 70 is 30 MB."""
    rng = random.Random(5)
    big = tmp_path / "big.jsonl"
    expected = []
    with big.open("w", encoding="utf-8") as out:
        for number, art in enumerate(articles(120, seed=9), start=1):
            if number == 40:
                out.write('{"text": "an unfinished line\n')
                continue
            if number == 70:
                out.write(json.dumps({"text": "x" * (30 * 2**20)}) + "\n")
                continue
            record = art.record()
            if number % 6 == 0:
                padding = rng.randbytes(7 * 2**20)
                record["original"] = base64.b64encode(padding).decode()
                record["original_type"] = "application/octet-stream"
            out.write(json.dumps(record) + "\n")
            expected.append(number)
    assert big.stat().st_size > 200 * 2**20

    result = cli("ingest", big, "--json", data=tmp_path / "data")
    assert result.exit_code == 1
    reports = [json.loads(line) for line in result.output.splitlines()]
    summary = reports.pop()["summary"]
    rejected = {r["name"]: r["reason"] for r in reports if r["status"] == "rejected"}
    assert rejected.keys() == {f"{big}:40", f"{big}:70"}
    assert rejected[f"{big}:40"].startswith("line 40: not valid JSON")
    assert rejected[f"{big}:70"].startswith("line 70: too large (30 MB")
    assert summary["rejected"] == 2
    assert sum(summary.values()) == 120
    stored = [r for r in reports if r["status"] in ("added", "near-duplicate", "duplicate")]
    assert [int(r["name"].rsplit(":", 1)[1]) for r in stored] == expected


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", []),
        (b"abc", [(1, b"abc", 3)]),
        (b"abc\n\nde\n", [(1, b"abc\n", 4), (2, b"\n", 1), (3, b"de\n", 3)]),
        # exactly the limit, then the limit with its newline, then one byte too many
        (
            b"12345\n123456\n1234567\n12",
            [(1, b"12345\n", 6), (2, b"123456\n", 7), (3, None, 8), (4, b"12", 2)],
        ),
        (b"1234567890", [(1, None, 10)]),
    ],
)
def test_lines_are_read_one_at_a_time_and_oversized_ones_passed_over(data, expected):
    assert list(_lines(io.BytesIO(data), 6)) == expected


def test_an_oversized_line_is_read_past_in_pieces_not_whole():
    reads = []

    class Recording(io.BytesIO):
        def readline(self, size=-1):
            line = super().readline(size)
            reads.append(len(line))
            return line

    data = b"a" * (5 * MAX_LINE_BYTES // 4) + b"\n" + b'{"text": "after it"}\n'
    got = list(_lines(Recording(data), MAX_LINE_BYTES))
    assert [(n, line is None) for n, line, _ in got] == [(1, True), (2, False)]
    assert max(reads) <= MAX_LINE_BYTES + 1
