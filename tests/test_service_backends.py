"""The search service assumes no engine: the same requests through `SearchService` over the
embedded Whoosh backend and over the PostgreSQL backend (a real server) find the same
stories and give the same labelled facets, filters resolved by the service for both."""

from __future__ import annotations

import pytest

from archive.search import Document, SearchRequest, SearchService
from archive.search.postgres import PostgresBackend
from archive.search.service import facet_values
from archive.search.whoosh import WhooshBackend
from tests.pgserver import create_database, drop_database, server_url

DAMASCUS, HOMS, PARIS = "170654", "169577", "2988507"

DOCS = [
    ("Hama falls", "Rebels captured Hama after the army withdrew towards Homs.", "en",
     "2024-12-05", ["Reuters"], [HOMS]),
    (None, "Fighting reached the outskirts of Homs as rebels advanced.", "en", "2024-12-07",
     ["Associated Press"], [HOMS]),
    ("Damascus celebrates", "Crowds celebrated in Damascus after Assad fled.", "en",
     "2024-12-08", ["Agence France-Presse", "Reuters"], [DAMASCUS]),
    (None, "Le président a quitté Damas; les rebelles sont entrés dans la capitale.", "fr",
     "2024-12-08", ["Le Monde"], [DAMASCUS]),
    (None, "Parisians watched the news from Syria on home screens.", "en", "2024-11-30",
     ["Agence France-Presse"], [PARIS]),
    (None, "An undated note about the withdrawal of troops.", "en", None, ["Associated Press"], []),
]  # fmt: skip

REQUESTS = [
    SearchRequest(q="Homs"),
    SearchRequest(q="rebels"),
    SearchRequest(q="withdr*"),
    SearchRequest(q="Damscus"),  # no match: "did you mean"
    SearchRequest(q="", places=["Syria"], sort="newest"),  # a name, rolled up to the country
    SearchRequest(q="", sources=["AFP", "Associated Press"], sort="oldest"),  # AFP: its name
    SearchRequest(q="", languages=["fr", "en"], date_from="2024-12", date_to="2024-12-07"),
    SearchRequest(q="rebels", places=["Homs", "Nowhere-at-all"]),  # a note for the unknown
]


def _documents() -> list[Document]:
    return [
        Document(
            id=f"d{i}",
            seq=i,
            title=title,
            text=text,
            language=lang,
            date=date,
            added_at=f"2025-01-{i:02d}T00:00:00+00:00",
            sources=sources,
            places=places,
        )
        for i, (title, text, lang, date, sources, places) in enumerate(DOCS, start=1)
    ]


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    url, cluster = server_url()
    database = create_database(url)
    postgres = PostgresBackend(database, pool_size=2)
    whoosh = WhooshBackend(tmp_path_factory.mktemp("whoosh"))
    for backend in (whoosh, postgres):
        backend.rebuild(_documents(), seq=len(DOCS), store="s1")
    yield whoosh, postgres
    whoosh.close()
    postgres.close()
    drop_database(url, database)
    if cluster:
        cluster.stop()


def _search(backend, request: SearchRequest):
    asked: list[str] = []
    result = SearchService(backend, lambda ids: asked.extend(ids) or {}).search(request)
    facets = {
        name: sorted((v.value, v.label, v.count, v.selected, v.parent) for v in values)
        for name, values in result.facets.items()
    }
    return asked, result.total, facets, result.suggestion, result.notes


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: r.q or str(r.sort))
def test_the_service_answers_alike_over_either_backend(backends, request_):
    whoosh, postgres = backends
    w_ids, w_total, w_facets, w_suggestion, w_notes = _search(whoosh, request_)
    p_ids, p_total, p_facets, p_suggestion, p_notes = _search(postgres, request_)
    assert w_total == p_total
    if request_.sort == "relevance":  # the engines rank by their own formulas
        assert set(w_ids) == set(p_ids)
    else:
        assert w_ids == p_ids
    assert w_facets == p_facets
    assert w_suggestion == p_suggestion
    assert w_notes == p_notes


def test_the_filters_the_service_resolved_reach_both(backends):
    for backend in backends:
        ids, total, facets, _, notes = _search(backend, REQUESTS[-1])
        assert set(ids) == {"d1", "d2"} and total == 2
        assert any("Nowhere-at-all" in n for n in notes)
        place = {value: selected for value, _, _, selected, _ in facets["place"]}
        assert place[HOMS] is True


def test_facet_values_of_equal_counts_come_in_one_order_whatever_the_engine_counted_first():
    a = facet_values({"source": {"Reuters": 2, "AFP": 2, "AP": 3}}, 10, {})["source"]
    b = facet_values({"source": {"AFP": 2, "AP": 3, "Reuters": 2}}, 10, {})["source"]
    assert [v.value for v in a] == [v.value for v in b] == ["AP", "AFP", "Reuters"]
