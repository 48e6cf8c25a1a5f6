"""Totals and facet counts are exact: compared with a brute-force count over every story.

The brute force reads the store, not the index, and decides matches from the analysed words
(folded words, and stems in the story's language), so a collector that drops or rewrites
clauses — Whoosh's top-N term replacement once turned `title:x OR y` into AND — shows up
as a wrong total or count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from archive.archive import Archive
from archive.dates import parse_bound
from archive.ingest import Submission
from archive.places import country_of, get_place, resolve_place
from archive.search import SearchRequest
from archive.search.registry import clean_value as keyword
from archive.search.words import query_stems, stem_terms, terms
from archive.submissions import from_record
from benchmarks.corpus import LANGUAGES, article, vocabulary
from tests.conftest import ENGINES
from tests.pgserver import as_url, create_database, drop_database

N_ARTICLES = 240
COMMON = len(set(LANGUAGES["en"][1].split()))  # the first rank after the function words


@dataclass
class Story:
    id: str
    title_words: set[str]
    words: set[str]  # title and body, folded
    stems: set[str]  # title and body, stemmed in the story's language
    places: set[str]  # mentioned places and their countries
    sources: set[str]
    language: str
    date: str | None


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, request):
    """The generated corpus in an archive of each engine, built when first asked for."""
    built: dict[str, tuple] = {}
    databases = []

    def get(engine: str) -> tuple:
        if engine not in built:
            url = None
            if engine == "postgresql":
                server = request.getfixturevalue("pg_server")
                url = as_url(create_database(server, prefix="archive_exact"))
                databases.append((server, url))
            built[engine] = _build(tmp_path_factory.mktemp(f"exact-{engine}"), url)
        return built[engine]

    yield get
    for archive, _ in built.values():
        archive.close()
    for server, url in databases:
        drop_database(server, url)


@pytest.fixture(scope="module", params=ENGINES)
def corpus(corpora, request):
    """The corpus on each engine in turn: the contract both keep."""
    return corpora(request.param)


@pytest.fixture(scope="module")
def embedded_corpus(corpora):
    """The corpus on the embedded engine, for tests of Whoosh's own workings."""
    return corpora("embedded")


def _build(data_dir, database_url: str | None) -> tuple:
    """A generated corpus in an archive whose index has several segments (on Whoosh)."""
    records = [from_record(article(i, seed=7).record(), f"gen:{i}") for i in range(N_ARTICLES)]
    archive = Archive(data_dir, database_url=database_url, ingest_batch=50)  # several commits
    results = list(archive.add_many(records))
    assert {r.status for r in results} <= {"added", "near-duplicate", "duplicate"}
    # A copy from another outlet updates an indexed story: the index then has a deletion,
    # whichever commits the background indexer happened to make.
    _, first = next(archive.store.changed_since(0))
    again = Submission(data=first.text.encode(), name="again", stated={"source": "Elsewhere"})
    assert archive.add(again).status == "duplicate"
    stories = [_story(archive, art) for _, art in archive.store.changed_since(0)]
    return archive, stories


def _story(archive: Archive, art) -> Story:
    title = set(terms(art.title or ""))
    words = title | set(terms(art.text))
    places = set(art.place_ids)
    for pid in art.place_ids:
        place = get_place(pid)
        country = country_of(place) if place else None
        if country:
            places.add(country.geonameid)
    return Story(
        id=art.id,
        title_words=title,
        words=words,
        stems=set(stem_terms(list(words), art.language)),
        places=places,
        sources={keyword(s) for s in archive.store.outlets(art.id)},
        language=art.language,
        date=art.date,
    )


def _has(story: Story, word: str) -> bool:
    """What an unfielded word matches: its folded form, or any of its query stems."""
    return word in story.words or any(v in story.stems for v in query_stems(word))


# Queries as (text, brute-force predicate); words come from the corpus's ranks.
def _word(rank: int) -> str:
    for word in vocabulary("en")[COMMON + rank :]:
        if resolve_place(word) is None:  # a place name would also match its other spellings
            return word
    raise AssertionError("no word")


A, B, C, RARE = _word(0), _word(3), _word(40), _word(900)
QUERIES = {
    A: lambda s: _has(s, A),
    f"{A} {B}": lambda s: _has(s, A) and _has(s, B),
    f"{A} {B} {C}": lambda s: _has(s, A) and _has(s, B) and _has(s, C),
    f"{A} OR {RARE}": lambda s: _has(s, A) or _has(s, RARE),
    f"title:{C} OR {RARE}": lambda s: C in s.title_words or _has(s, RARE),
    f"title:{A} OR {B}": lambda s: A in s.title_words or _has(s, B),
    f"{A} -{B}": lambda s: _has(s, A) and not _has(s, B),
    "": lambda s: True,
}

DAMASCUS, KYIV = "170654", "703448"


def _country(pid: str) -> str:
    return country_of(get_place(pid)).geonameid


FILTERS = {
    "none": {},
    "place": {"places": [DAMASCUS]},
    "country": {"places": [_country(KYIV)]},
    "two places": {"places": [DAMASCUS, _country(DAMASCUS)]},
    "sources": {"sources": ["Reuters", "Associated Press"]},
    "languages": {"languages": ["en", "fr"]},
    "dates": {"date_from": "2021-03", "date_to": "2023-08-15"},
    "everything": {
        "places": [_country(DAMASCUS)],
        "sources": ["Reuters", "BBC News", "Al Jazeera"],
        "languages": ["en", "de"],
        "date_from": "2020",
        "date_to": "2025-06",
    },
}


def _brute_force(stories: list[Story], match, f: dict) -> dict:
    low = parse_bound(f["date_from"], end=False) if f.get("date_from") else None
    high = parse_bound(f["date_to"], end=True) if f.get("date_to") else None
    sources = {keyword(s) for s in f.get("sources", [])}
    langs = set(f.get("languages", []))

    def ok(s: Story, skip: str = "") -> bool:
        if not match(s) or not set(f.get("places", [])) <= s.places:
            return False
        if skip != "source" and sources and not sources & s.sources:
            return False
        if skip != "language" and langs and s.language not in langs:
            return False
        if skip != "date" and (low or high):
            if not s.date or (low and s.date < low) or (high and s.date > high):
                return False
        return True

    final = [s for s in stories if ok(s)]
    return {
        "total": len(final),
        "ids": {s.id for s in final},
        "place": Counter(p for s in final for p in s.places),
        "source": Counter(v for s in stories if ok(s, "source") for v in s.sources),
        "language": Counter(s.language for s in stories if ok(s, "language")),
        "date": Counter(s.date[:7] for s in stories if ok(s, "date") and s.date),
    }


def _assert_facet(name: str, got: list, expected: Counter) -> None:
    counts = {v.value: v.count for v in got}
    for value, count in counts.items():
        assert expected[value] == count, (name, value)
    missing = [c for v, c in expected.items() if v not in counts]
    if missing:  # a long facet is cut to its top values: nothing left out outranks them
        assert len(counts) >= 10 and max(missing) <= min(counts.values()), name
    else:
        assert len(counts) == len(expected), name


@pytest.mark.parametrize("fname", list(FILTERS))
@pytest.mark.parametrize("q", list(QUERIES))
def test_totals_and_facets_match_brute_force(corpus, q, fname):
    archive, stories = corpus
    f = FILTERS[fname]
    expected = _brute_force(stories, QUERIES[q], f)
    result = archive.search(SearchRequest(q=q, sort="relevance" if q else "newest", **f))
    assert result.total == expected["total"]
    assert {h.id for h in result.hits} <= expected["ids"]
    assert len(result.hits) == min(20, expected["total"])
    for name in ("place", "source", "language", "date"):
        _assert_facet(name, result.facets[name], expected[name])


def test_the_queries_are_not_trivial(embedded_corpus):
    """The mix covers small and large match sets, so exactness is tested where it matters."""
    _, stories = embedded_corpus
    sizes = {q: sum(map(match, stories)) for q, match in QUERIES.items()}
    assert sizes[A] > len(stories) // 4
    assert 0 < sizes[f"title:{C} OR {RARE}"] < len(stories) // 2
    assert sizes[f"{A} OR {RARE}"] >= sizes[A]
    assert sizes[f"title:{A} OR {B}"] > sizes[f"{A} {B}"]  # an OR, not an AND


@pytest.mark.parametrize(
    "q",
    [
        *QUERIES,
        f'"{A} {B}"',
        f"{A[:3]}*",
        f"{RARE}~",
        f"NOT {A}",
        f"{A} AND ({B} OR {RARE}) -{C}",
        "Damascus",
        "Deraa OR Kiev",
        f"{A} place:Damascus",
    ],
)
def test_set_algebra_matches_what_whoosh_matches(embedded_corpus, q):
    """Totals come from set algebra over posting blocks; Whoosh's own matchers agree."""
    from archive.search.whoosh._docsets import matching_docs
    from archive.search.whoosh._query import parse_query

    archive, _ = embedded_corpus
    searcher = archive.index._current_searcher()
    assert searcher.reader().has_deletions()  # updated stories: deletions are exercised
    assert len(searcher.reader().leaf_readers()) > 1  # and offsets of several segments
    parsed = parse_query(q, searcher.schema, resolve_place)
    assert matching_docs(searcher, parsed.query) == set(searcher.docs_for_query(parsed.query))


PHRASE = "<two words of a story>"
RANKED = [
    *[q for q in QUERIES if q],
    f"NOT {A}",
    PHRASE,
    f"{A[:3]}*",
    f"{RARE}~",
    "Damascus",
    "Deraa OR Kiev",
]


@pytest.mark.parametrize("q", RANKED)
def test_scores_are_whoosh_scores(embedded_corpus, q):
    """Scores are computed over arrays, with Whoosh's BM25F: every matched story scores
    what Whoosh's own matchers give it, stepped through one by one. (Whoosh's collector
    would preload small indexes' ORs, which score expanded fuzzy terms differently.)"""
    from archive.search.whoosh._docsets import Evaluator, PostingCache
    from archive.search.whoosh._query import parse_query

    archive, _ = embedded_corpus
    if q == PHRASE:
        _, story = next(archive.store.changed_since(0))
        q = '"' + " ".join(story.text.split()[3:5]) + '"'
    searcher = archive.index._current_searcher()
    parsed = parse_query(q, searcher.schema, resolve_place)
    found = Evaluator(searcher, PostingCache()).match(parsed.query, scored=True)
    expected = {}
    matcher = parsed.query.matcher(searcher, searcher.context())
    while matcher.is_active():
        if not searcher.reader().is_deleted(matcher.id()):
            expected[matcher.id()] = matcher.score()
        matcher.next()
    got = {int(d): float(found.scores[d]) for d in found.mask.nonzero()[0]}
    assert expected and got.keys() == expected.keys()
    for docnum, score in expected.items():
        assert got[docnum] == pytest.approx(score, rel=1e-9), docnum


@pytest.mark.parametrize("q", RANKED[:4])
def test_ranking_is_whoosh_exhaustive_ranking(embedded_corpus, q):
    """The page's hits are the best-scoring stories, ties in index order, as Whoosh ranks
    when it scores every match."""
    from archive.search.whoosh._query import parse_query

    archive, _ = embedded_corpus
    searcher = archive.index._current_searcher()
    parsed = parse_query(q, searcher.schema, resolve_place)
    hits = searcher.search(parsed.query, limit=None)
    ranked = sorted((-h.score, h.docnum) for h in hits)
    scores = [-s for s, _ in ranked]
    page = archive.search(SearchRequest(q=q, page=2, per_page=10))
    got = [searcher.document_number(id=h.id) for h in page.hits]
    # Where scores tie across the page edge, summation order may swap the tied ones.
    for k, docnum in enumerate(got, start=10):
        assert docnum == ranked[k][1] or scores[k] == pytest.approx(scores[k + 1], rel=1e-9)
    assert len(got) == min(10, len(ranked) - 10)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("q", ["", A, f"{A} {B}"])
def test_date_order_is_the_index_columns_order(embedded_corpus, q, sort):
    """Newest and oldest first order as Whoosh sorts the `date`/`date_asc` and `seq`
    columns: undated stories last, then by store sequence."""
    from whoosh import query as wq

    from archive.search.whoosh._query import parse_query

    archive, stories = embedded_corpus
    searcher = archive.index._current_searcher()
    parsed = parse_query(q, searcher.schema, resolve_place) if q else None
    column = "date_asc" if sort == "oldest" else "date"
    expected = searcher.search(
        parsed.query if parsed else wq.Every(),
        limit=60,
        sortedby=[column, "seq"],
        reverse=sort == "newest",
    )
    got = archive.search(SearchRequest(q=q, sort=sort, per_page=30, page=2))
    assert [h.id for h in got.hits] == [h["id"] for h in expected][30:60]
    if sort == "oldest" and not q:
        assert any(s.date is None for s in stories)  # undated stories are exercised
