"""Checks at the boundary and isolation per item: every bad value of a JSONL line, API
object, sidecar or file is that item's rejection (or a noted repair), never a neighbour's."""

from __future__ import annotations

import json
import os

import pytest

from archive.archive import Archive, _Pushback
from archive.ingest import Submission, prepare
from archive.model import Rejected
from archive.search import SearchRequest
from archive.submissions import from_line, from_paths, from_record
from tests.test_concurrency import article_text, marker

BAD_LINES = {
    "list-in-sightings": '{"text": "%s", "language": "en", "sightings": [{"source": [1]}]}',
    "list-type": '{"text": "%s", "original": "aGVsbG8=", "original_type": [1]}',
    "huge-probability": '{"text": "%s", "language": "en", "language_prob": 1' + "0" * 400 + "}",
    "infinite-probability": '{"text": "%s", "language": "en", "language_prob": 1e999}',
    "title-number": '{"text": "%s", "title": 12}',
    "source-object": '{"text": "%s", "source": {"a": 1}}',
    "url-true": '{"text": "%s", "url": true}',
    "basis-list": '{"text": "%s", "basis": ["user"]}',
    "text-list": '{"text": ["%s"]}',
    "title-huge": '{"text": "%s", "title": "' + "t" * 50_000 + '"}',
}


def _line(template: str, n: int) -> str:
    return template % article_text(n).replace("\n", "\\n")


def test_a_mixed_jsonl_file_stores_every_good_line_and_names_every_bad_one(cli, tmp_path):
    lines = [json.dumps({"text": article_text(n)}) for n in range(70)]
    bad = list(BAD_LINES.values())
    for offset, template in enumerate(bad):
        lines.append(_line(template, 1000 + offset))
    lines.append("[" * 5000 + "]" * 5000)  # valid JSON, nested past the parser's depth
    lines.append("5")
    lines.append('"a string"')
    lines += [json.dumps({"text": article_text(n)}) for n in range(70, 140)]
    feed = tmp_path / "mixed.jsonl"
    feed.write_text("\n".join(lines), encoding="utf-8")
    result = cli("ingest", feed, "--json")
    assert result.exit_code == 1, result.output
    answers = [json.loads(line) for line in result.output.strip().splitlines()]
    summary = answers.pop()["summary"]
    assert summary == {"added": 140, "rejected": len(bad) + 3}, summary
    rejected = {int(a["name"].rsplit(":", 1)[1]): a["reason"] for a in answers if a.get("reason")}
    first_bad = 71
    for number, reason in rejected.items():
        assert reason.startswith(f"line {number}:"), reason
    assert "nested too deeply" in rejected[first_bad + len(bad)]
    assert "not a JSON object" in rejected[first_bad + len(bad) + 1]
    assert "not a JSON object" in rejected[first_bad + len(bad) + 2]
    assert "sightings[1].source: expected text, got a list" in rejected[first_bad]
    assert "language_prob" in rejected[first_bad + 2]
    assert "title: expected text, got a number" in rejected[first_bad + 4]
    assert "title: too long" in rejected[first_bad + 9]
    with Archive(cli.data_dir) as archive:
        assert archive.store.count()["articles"] == 140
        for n in (0, 69, 70, 139):  # the good lines after the bad were stored and indexed
            assert archive.search(SearchRequest(q=marker(n))).total == 1, n


def test_rerunning_a_mixed_file_changes_nothing_and_reports_the_same(cli, tmp_path):
    feed = tmp_path / "again.jsonl"
    feed.write_text(
        "\n".join(
            [json.dumps({"text": article_text(1)}), "[1, 2]", json.dumps({"text": article_text(2)})]
        )
    )
    first = cli("ingest", feed)
    second = cli("ingest", feed)
    assert first.exit_code == second.exit_code == 1
    assert "line 2: not a JSON object" in second.output
    assert second.output.count("duplicate of") == 2


def test_lone_surrogates_and_xml_invalid_characters_are_removed_and_said(archive):
    record = {
        "text": article_text(5) + " \ud800 and \ufffe\uffff and \x01.",
        "title": "Talks \udfff resume\ufffe",
        "source": "Wire\x0b",
    }
    result = archive.add(from_record(record, "request"))
    assert result.status == "added", result.reason
    article = archive.get(result.id)
    assert article.title == "Talks resume"
    for value in (article.title, article.text, article.source):
        assert not any(ch in value for ch in "\ud800\udfff\ufffe\uffff\x01\x0b")
    assert any(note.startswith("title:") for note in result.notes)
    assert any(note.startswith("text:") for note in result.notes)
    assert "note:" in result.describe()


@pytest.mark.parametrize(
    "record, words",
    [
        ([1, 2], "not a JSON object"),
        ({"text": 5}, "expected text, got a number"),
        ({"html": {"a": 1}}, "html: expected text"),
        ({"text": "x y z w", "date": ["2024"]}, "date: expected text"),
        ({"text": "x y z w", "language": "en", "language_prob": -1}, "language_prob"),
        ({"text": "x y z w", "language": "en", "language_prob": True}, "language_prob"),
        ({"text": "x y z w", "sightings": "Reuters"}, "sightings: expected a list"),
        ({"text": "x y z w", "sightings": [5]}, "sightings[1]: expected an object"),
        ({"text": "x y z w", "original": 5}, "original: expected base64"),
        ({"text": "x y z w", "original": "!!!"}, "not base64"),
        ({"text": "x y z w", "original_name": ["a"]}, "original_name: expected text"),
    ],
)
def test_each_wrong_field_is_rejected_by_name(record, words):
    with pytest.raises(Rejected) as caught:
        from_record(record, "request")
    assert words in str(caught.value)


def test_deep_json_on_a_line_is_rejected_with_its_line_number():
    result = from_line(b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "f.jsonl:9", 9)
    assert result.status == "rejected"
    assert result.reason.startswith("line 9:")


def _nested_mhtml(depth: int) -> bytes:
    head = b"MIME-Version: 1.0\r\n"
    parts = []
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n')
    body = "Content-Type: text/html\r\n\r\n<p>" + article_text(3) + "</p>\r\n"
    tail = "".join(f"--b{level}--\r\n" for level in reversed(range(depth)))
    return head + ("".join(parts) + body + tail).encode()


def test_an_mhtml_of_thousands_of_nested_parts_is_one_rejection_or_read(archive):
    result = archive.add(Submission(data=_nested_mhtml(3000), name="deep.mhtml", kind="mhtml"))
    assert result.status in ("rejected", "added")
    if result.status == "rejected":
        assert result.reason
    assert archive.store.count()["articles"] == (result.status == "added")


def test_any_failure_while_preparing_is_that_items_rejection(monkeypatch):
    import archive.ingest as ingest

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(ingest, "extract_places", explode)
    with pytest.raises(Rejected, match="nested too deeply"):
        prepare(Submission(data=article_text(1).encode(), name="a.txt"))


def test_an_article_the_store_refuses_fails_alone_not_its_group(archive):
    subs = [Submission(data=article_text(n).encode(), name=f"{n}.txt") for n in range(3)]
    prepared = [prepare(s) for s in subs]
    # Past every check, a value SQLite cannot bind (a lone surrogate): the store refuses it.
    prepared[1].article.title = "bad \ud800"
    results = archive._store_group(_Pushback(zip(subs, prepared, strict=True)))
    assert [r.status for r in results] == ["added", "rejected", "added"]
    assert "UnicodeEncodeError" in results[1].reason
    assert archive.store.count()["articles"] == 2
    archive.sync_index()
    assert archive.index.doc_count() == 2


def test_a_sidecar_of_the_wrong_shape_rejects_its_folder_with_a_reason(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(article_text(1))
    (folder / "metadata.toml").write_text('article = "x"\n')
    results = list(from_paths([str(folder)]))
    assert results[0].status == "rejected"
    assert "[[article]]" in results[0].reason


@pytest.mark.parametrize(
    "entry, words",
    [
        ("title = 5", "title: expected text, got a number"),
        ("title = ['a']", "title: expected text, got a list"),
        ("source = { name = 'x' }", "source: expected text, got an object"),
    ],
)
def test_wrong_sidecar_values_reject_their_file_by_field(archive, tmp_path, entry, words):
    folder = tmp_path / "side"
    folder.mkdir()
    (folder / "a.txt").write_text(article_text(1))
    (folder / "b.txt").write_text(article_text(2))
    (folder / "metadata.toml").write_text(f'[[article]]\nfile = "a.txt"\n{entry}\n')
    results = list(archive.add_many(from_paths([str(folder)])))
    assert [r.status for r in results] == ["rejected", "added"]
    assert words in results[0].reason


def test_a_sidecar_date_as_a_toml_date_is_taken(archive, tmp_path):
    folder = tmp_path / "dated"
    folder.mkdir()
    (folder / "a.txt").write_text(article_text(1))
    (folder / "metadata.toml").write_text('[[article]]\nfile = "a.txt"\ndate = 2024-03-05\n')
    (result,) = archive.add_many(from_paths([str(folder)]))
    assert result.article.date == "2024-03-05"


def test_front_matter_with_invalid_characters_is_cleaned(archive):
    text = f"Title: Talks \ufffe resume\nSource: Wire\n\n{article_text(4)}"
    result = archive.add(Submission(data=text.encode(), name="fm.txt"))
    assert result.status == "added", result.reason
    assert "\ufffe" not in (result.article.title or "")


# --- files that are not files --------------------------------------------------------------


def test_fifos_and_dangling_links_are_rejected_not_waited_on(cli, tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "good.txt").write_text(article_text(1))
    os.mkfifo(folder / "pipe.txt")
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    os.mkfifo(tmp_path / "direct.txt")
    result = cli("ingest", folder, tmp_path / "direct.txt")
    assert result.exit_code == 1, result.output
    lines = dict(line.split(": ", 1) for line in result.output.splitlines()[:-1])
    assert lines[str(folder / "good.txt")].startswith("added")
    assert "named pipe" in lines[str(folder / "pipe.txt")]
    assert "link to nothing" in lines[str(folder / "dangling.txt")]
    assert "named pipe" in lines[str(tmp_path / "direct.txt")]
    extract = cli("extract", tmp_path / "direct.txt")
    assert extract.exit_code == 1 and "named pipe" in extract.output
    assert extract.exception is None or isinstance(extract.exception, SystemExit)


def test_a_named_pipe_put_in_place_of_a_listed_file_is_refused_not_waited_on(tmp_path):
    from archive.submissions import from_listed, list_files

    folder = tmp_path / "swap"
    folder.mkdir()
    for name in ("a.txt", "b.jsonl"):
        (folder / name).write_text("{}")
    listed = list(list_files([str(folder)]))
    for name in ("a.txt", "b.jsonl"):
        (folder / name).unlink()
        os.mkfifo(folder / name)
    results = list(from_listed(listed))
    assert [r.reason for r in results] == [
        "not a regular file (a named pipe, a device or a folder)"
    ] * 2


def test_a_link_out_of_an_ingested_folder_is_not_followed(cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret password list is here and must never be published at all.")
    folder = tmp_path / "shared"
    folder.mkdir()
    os.symlink(secret, folder / "passwd.txt")
    inside = folder / "real.txt"
    inside.write_text(article_text(2))
    os.symlink(inside, folder / "alias.txt")  # a link within the folder is read
    result = cli("ingest", folder, "--json")
    answers = {a["name"]: a for a in map(json.loads, result.output.splitlines()[:-1])}
    assert answers[str(folder / "passwd.txt")]["status"] == "rejected"
    assert "outside the folder" in answers[str(folder / "passwd.txt")]["reason"]
    read = {answers[str(folder / name)]["status"] for name in ("alias.txt", "real.txt")}
    assert read == {"added", "duplicate"}
    with Archive(cli.data_dir) as archive:
        texts = [a.text for a, _ in archive.store.iter_articles()]
    assert not any("password" in t for t in texts)


def test_a_file_name_with_a_newline_stays_on_one_report_line(cli, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "two\nlines.txt").write_text(article_text(6))
    result = cli("ingest", folder)
    lines = result.output.splitlines()
    assert len(lines) == 2, lines  # the file's line and the summary
    assert "two\\nlines.txt: added" in lines[0]


# --- archive places -------------------------------------------------------------------------


def test_places_on_non_utf8_input_says_so(cli, tmp_path):
    file = tmp_path / "latin1.txt"
    file.write_bytes("Talks in Homs and Dera\xe2".encode("latin-1"))
    result = cli("places", file)
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert not isinstance(result.exception, UnicodeError)


def test_places_jsonl_skips_lines_of_the_wrong_shape_by_number(cli):
    lines = [
        json.dumps({"id": "a", "text": "Shelling in Homs."}),
        json.dumps({"id": "b", "text": 5}),
        json.dumps([1]),
        "[" * 5000 + "]" * 5000,
        json.dumps({"id": "c", "text": "Talks in Damascus."}),
    ]
    result = cli("places", "--jsonl", input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert 'line 2: skipped ("text" must be a string)' in result.output
    assert "line 3: skipped (not a JSON object)" in result.output
    assert "line 4: skipped (JSON nested too deeply)" in result.output
    found = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [f["id"] for f in found] == ["a", "c"]
