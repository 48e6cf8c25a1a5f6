"""Fuzzing at every boundary: JSONL records, API bodies, sidecars, queries and URL parameters
made of surrogates, deep nesting, wrong types and huge numbers are answered (no exception,
no 5xx), and a rejected item leaves the store as it was."""

from __future__ import annotations

import json
import math
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.model import METADATA_FIELDS, AddResult
from archive.search import SearchRequest
from archive.submissions import from_line, from_paths
from tests.test_concurrency import article_text

from .conftest import TOKEN, make_app

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every code point, lone surrogates and noncharacters included.
ANY_CHAR = st.characters(codec=None, categories=None)
TEXT = st.text(ANY_CHAR, max_size=40)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)
FIELDS = (*METADATA_FIELDS, "text", "html", "sightings", "language_prob", "original")
FIELDS += ("original_type", "original_name", "basis")
RECORDS = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=6)


def _with_body(record: dict, n: int) -> dict:
    return {"text": article_text(n), **record} if "text" not in record else record


def _fresh_random() -> None:
    """Hypothesis seeds the global `random` alike for every example, and Whoosh names new
    segments from it: the same name twice in one index would overwrite a live segment's
    files. Real runs never reseed it; examples must not either."""
    random.seed()


def _deep(depth: int, kind: str) -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ('{"a":' * depth + "1" + "}" * depth)


@FUZZ
@given(record=RECORDS, n=st.integers(0, 10_000), keep_text=st.booleans())
def test_any_jsonl_record_is_stored_or_rejected_with_the_store_unchanged(
    archive, record, n, keep_text
):
    _fresh_random()
    record = _with_body(record, n) if keep_text else record
    line = json.dumps(record, allow_nan=True)
    before = archive.store.count()
    item = from_line(line, "fuzz.jsonl:1", 1)
    result = item if isinstance(item, AddResult) else archive.add(item)
    assert result.status in ("added", "duplicate", "near-duplicate", "rejected")
    if result.status == "rejected":
        assert result.reason
        assert archive.store.count() == before
    else:
        stored = archive.get(result.id)
        for value in (stored.title, stored.source, stored.author, stored.text):
            assert value is None or not any(
                "\ud800" <= ch <= "\udfff" or ch in "\ufffe\uffff" for ch in value
            )


@FUZZ
@given(depth=st.integers(500, 60_000), kind=st.sampled_from(["list", "object"]))
def test_deeply_nested_lines_are_rejected_by_number(depth, kind):
    result = from_line(_deep(depth, kind), "f.jsonl:3", 3)
    assert result.status == "rejected" and result.reason.startswith("line 3:")


@FUZZ
@given(
    body=st.one_of(
        RECORDS.map(lambda r: json.dumps(r, allow_nan=True)),
        st.lists(RECORDS, max_size=4).map(lambda r: json.dumps(r, allow_nan=True)),
        JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True)),
        st.integers(200, 50_000).map(lambda d: _deep(d, "list")),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )
)
def test_any_api_body_is_answered_below_500_and_a_4xx_changes_nothing(seeded_copy, body):
    _fresh_random()
    app = make_app(seeded_copy)
    try:
        archive = app.extensions["archive"]
        before = archive.store.count()
        response = app.test_client().post(
            "/api/articles",
            data=body.encode("utf-8", "surrogatepass"),
            headers={"Authorization": f"Bearer {TOKEN}"},
            content_type="application/json",
        )
        assert response.status_code < 500, response.get_data(as_text=True)
        assert response.is_json
        if 400 <= response.status_code < 500:
            assert archive.store.count() == before
    finally:
        app.extensions["archive"].close()


SIDECAR_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "[[article]]",
                'file = "a.txt"',
                "article = 5",
                "[article]",
                "title = 5",
                "title = [1, 2]",
                "date = 2024-02-30",
                "date = 1979-05-27T07:32:00Z",
                'source = "\\ud800"',
                "language = { a = 1 }",
                "x = " + "[" * 200 + "]" * 200,
            ]
        ),
        TEXT.map(lambda t: f"title = {json.dumps(t)}"),
    ),
    max_size=8,
)


@FUZZ
@given(lines=SIDECAR_LINES)
def test_any_sidecar_gives_results_never_an_exception(archive, tmp_path_factory, lines):
    _fresh_random()
    folder = tmp_path_factory.mktemp("sidecar")
    (folder / "a.txt").write_text(article_text(len(lines)))
    (folder / "metadata.toml").write_text("\n".join(lines), encoding="utf-8", errors="replace")
    before = archive.store.count()
    results = list(archive.add_many(from_paths([str(folder)])))
    assert len(results) == 1
    if results[0].status == "rejected":
        assert results[0].reason and archive.store.count() == before


QUERY_TEXT = st.text(
    st.one_of(ANY_CHAR, st.sampled_from(list('*?~"()-: ORANDNOT^[]{}'))), max_size=80
)


@FUZZ
@given(q=QUERY_TEXT)
def test_any_query_is_answered(seeded, q):
    result = seeded.search(SearchRequest(q=q))
    assert result.total >= 0
    assert math.isfinite(result.elapsed_ms)


PARAM_NAMES = st.sampled_from(["q", "place", "source", "lang", "from", "to", "sort", "page", "x"])
PARAMS = st.lists(st.tuples(PARAM_NAMES, QUERY_TEXT), max_size=6)


@FUZZ
@given(params=PARAMS, path=st.sampled_from(["/", "/api/search", "/feed.atom"]))
def test_any_url_parameters_are_answered_below_500(client, params, path):
    query = [(k, v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")) for k, v in params]
    response = client.get(path, query_string=query)
    assert response.status_code < 500, (path, params, response.status_code)
