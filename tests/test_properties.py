"""Properties that hold for every input (hypothesis): extraction raises nothing but Rejected
and is idempotent on its own output, fingerprints are stable, query parsing never raises."""

from __future__ import annotations

import base64
import html
import json
import os
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from archive import dedupe
from archive.dates import BadDate, parse_bound, parse_date
from archive.extract import extract_document
from archive.extract.decode import decode_bytes
from archive.ingest import Submission, prepare
from archive.model import Rejected
from archive.places import resolve_place
from archive.search import SearchRequest
from archive.search.whoosh._query import highlight_terms, parse_query
from archive.search.whoosh._schema import build_schema
from archive.submissions import from_record

# Bounded examples: the whole module stays within a few seconds on a busy machine.
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what people paste: words, punctuation, line structure, front matter,
# outlet lines, boilerplate, Markdown and HTML bits, other scripts and odd characters.
_FRAGMENTS = [
    "Title: Talks resume",
    "Source: Reuters",
    "Date: 2024-12-07",
    "Author: Jane Doe",
    "By Jane Doe",
    "Reuters",
    "Share this article",
    "Advertisement",
    "Read more",
    "# Heading",
    "**bold** and _emphasis_",
    "[a link](http://example.com)",
    "<p>para</p>",
    "<b>bold</b>",
    "The rebels entered Homs on Saturday, officials said.",
    "Government forces withdrew from Daraa and Deir ez-Zor.",
    "Le président a visité Alep.",
    "قال الوزير إن المحادثات ستستمر",
    "Власти заявили о переговорах.",
    "“Quoted,” he said — and left…",
    "",
    " ",
    "\t",
]
_CHARS = st.characters(
    blacklist_categories=("Cs",),
    whitelist_categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
)
lines = st.one_of(st.sampled_from(_FRAGMENTS), st.text(_CHARS, max_size=80))
documents = st.lists(lines, min_size=0, max_size=25).map("\n".join)
# Without markup: text that the text extractor keeps (markup sends a paste to the HTML one).
plain_lines = st.one_of(
    st.sampled_from([f for f in _FRAGMENTS if "<" not in f]),
    st.text(_CHARS, max_size=80).filter(lambda t: "<" not in t),
)
plain_documents = st.lists(plain_lines, min_size=0, max_size=25).map("\n".join)
raw_bytes = st.one_of(
    st.binary(max_size=2000),
    documents.map(lambda t: t.encode("utf-8")),
    documents.map(lambda t: t.encode("utf-16")),
    documents.map(lambda t: t.encode("cp1252", "ignore")),
)


@FAST
@given(data=raw_bytes, kind=st.sampled_from(["text", "markdown", "html"]))
def test_extraction_raises_nothing_but_rejected(data, kind):
    try:
        extracted = extract_document(data, kind=kind)
    except Rejected:
        return
    assert isinstance(extracted.text, str)
    assert "\x00" not in extracted.text


@FAST
@given(data=st.binary(max_size=3000))
def test_decoding_raises_nothing_but_rejected(data):
    try:
        text = decode_bytes(data)
    except Rejected:
        return
    assert text.strip()
    assert "\u202e" not in text


@SLOW
@given(text=plain_documents, markdown=st.booleans())
def test_text_extraction_is_idempotent_on_its_own_output(text, markdown):
    """Clean text extracted again, knowing the title and author found the first time, comes
    back unchanged (so a pasted copy of an article's clean text is its exact duplicate)."""
    try:
        first = extract_document(text.encode(), kind="markdown" if markdown else "text")
    except Rejected:
        return
    assume(first.text.strip())
    again = extract_document(first.text.encode(), title=first.title, author=first.author)
    assert again.text == first.text
    assert dedupe.fingerprint(again.text) == dedupe.fingerprint(first.text)


@pytest.mark.parametrize(
    "paragraphs",
    [
        [
            f"The rebels entered Homs on day {n}, officials said, and the army withdrew."
            for n in range(4)
        ],
        ["Talks resume", "The rebels entered Homs on Saturday, officials said, at dawn."],
    ],
    ids=["one-paragraph", "headline-like-first"],
)
def test_html_extraction_is_idempotent_on_its_own_output(paragraphs):
    """The clean text of a page, pasted back as text, reads as the same text."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs * 3)
    page = f"<html><head><title>Page</title></head><body><article>{body}</article></body></html>"
    first = extract_document(page.encode(), kind="html")
    again = extract_document(first.text.encode(), title=first.title, author=first.author)
    assert again.text == first.text


def test_a_leading_field_line_is_text_in_a_page_but_front_matter_in_a_text_file():
    """A documented limit: plain text that starts with `Title: ...` and a blank line states
    its title; the same words as a page's first paragraph are article text."""
    paras = "".join(
        f"<p>The rebels entered Homs on day {n}, officials said, and the army withdrew.</p>"
        for n in range(4)
    )
    page = f"<html><body><article><p>Title: Talks resume</p>{paras}</article></body></html>"
    from_page = extract_document(page.encode(), kind="html")
    assert from_page.text.startswith("Title: Talks resume")
    from_text = extract_document(from_page.text.encode())
    assert from_text.title == "Talks resume" and from_text.basis["title"] == "front-matter"
    assert from_text.text == from_page.text.split("\n\n", 1)[1]


@SLOW
@given(text=documents)
def test_an_export_line_restores_the_same_text_and_id(text):
    try:
        first = prepare(Submission(data=text.encode(), name="in"))
    except Rejected:
        return
    article = first.article
    line = {
        "text": article.text,
        "title": article.title,
        "language": article.language,
        "original": base64.b64encode(first.original).decode(),
    }
    again = prepare(from_record(json.loads(json.dumps(line)), "backup.jsonl:1"))
    assert (again.article.text, again.article.id) == (article.text, article.id)
    assert again.original == first.original


@FAST
@given(text=st.text(_CHARS, max_size=500))
def test_fingerprint_ignores_form_not_words(text):
    fp = dedupe.fingerprint(text)
    assert fp == dedupe.fingerprint(text)
    assert fp == dedupe.fingerprint("  " + "\n\n".join(text.split()) + " .")
    assert fp == dedupe.fingerprint(unicodedata.normalize("NFD", text))
    assert fp == dedupe.fingerprint(unicodedata.normalize("NFC", text))
    assert len(fp) == 32


@FAST
@given(text=st.text(_CHARS, max_size=300))
def test_shingles_and_bands_are_deterministic(text):
    hashes = dedupe.shingles(text)
    assert hashes == dedupe.shingles(text)
    assert dedupe.band_keys(dedupe.minhash(hashes)) == dedupe.band_keys(dedupe.minhash(hashes))


def test_fingerprints_are_the_same_in_another_process():
    """No per-process randomness (Python's str hash is salted per process)."""
    texts = ["The rebels entered Homs.", "Le président à Alep", "", "قال الوزير", "x " * 50]
    here = [
        [dedupe.fingerprint(t), sorted(dedupe.band_keys(dedupe.minhash(dedupe.shingles(t))))]
        for t in texts
    ]
    code = (
        "import json, sys; from archive import dedupe; texts = json.load(sys.stdin); "
        "print(json.dumps([[dedupe.fingerprint(t), sorted(dedupe.band_keys("
        "dedupe.minhash(dedupe.shingles(t))))] for t in texts]))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        check=True,
    )
    assert json.loads(there.stdout) == here


# --- queries ---------------------------------------------------------------------------------

_QUERY_BITS = [
    "Homs",
    "Daraa",
    "Deir ez-Zor",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "-",
    '"',
    "(",
    ")",
    "*",
    "?",
    "~",
    "~2",
    "^",
    ":",
    "title:",
    "place:",
    "source:",
    "lang:",
    "seq:",
    "date:[",
    " TO ",
    "]",
    "{",
    "}",
    "\\",
    "'",
    "\x00",
    "\u202e",
    " ",
]
queries = st.lists(
    st.one_of(st.sampled_from(_QUERY_BITS), st.text(_CHARS, max_size=10)), max_size=30
).map("".join)


@pytest.fixture(scope="module")
def schema():
    return build_schema()


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(q=queries)
def test_query_parsing_never_raises(schema, q):
    parsed = parse_query(q, schema, resolve_place)
    assert parsed.query is not None
    highlight_terms(parsed.query)
    assert all(isinstance(note, str) for note in parsed.notes)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(q=queries, sort=st.sampled_from(["relevance", "newest", "oldest"]))
def test_searching_never_raises(seeded, q, sort):
    result = seeded.search(SearchRequest(q=q, sort=sort))
    assert 0 <= result.total <= 5
    assert len(result.hits) <= result.total


@FAST
@given(value=st.one_of(st.text(max_size=40), st.from_regex(r"\d{1,5}[-/.]\d{1,3}[-/.]\d{1,3}")))
def test_dates_parse_or_raise_bad_date(value):
    for parse in (parse_date, lambda v: parse_bound(v, end=True)):
        try:
            iso = parse(value)
        except BadDate:
            continue
        assume(iso)
        assert len(iso) == 10 and iso[4] == "-" and iso[7] == "-"
