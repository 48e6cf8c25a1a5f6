"""A facet is one declaration in the registry plus the values it takes from a document: a
facet declared here (the first letter of each story's title), over a real archive indexed
before it existed, is in the index, counted, in the JSON and on the search page."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from archive.archive import Archive
from archive.search import SearchRequest, registry
from archive.search.registry import Facet
from tests.web.conftest import make_app


def _initial(doc) -> list[str]:
    return [doc.title.strip()[:1].upper()] if doc.title and doc.title.strip() else []


@pytest.fixture
def initials(monkeypatch):
    """The registry with one more facet, as if declared in it (restored afterwards)."""
    extra = Facet("initial", "initial", _initial, title="Initials")
    monkeypatch.setattr(registry, "FACETS", (*registry.FACETS, extra))
    return extra


def _expected(archive: Archive, language: str | None = None) -> Counter:
    """The facet counted from the store, story by story (versions are their story)."""
    found = Counter()
    for article, _ in archive.store.iter_articles():
        if article.deleted or article.version_of:
            continue
        if language is None or article.language == language:
            found.update(v for v in [(article.title or "").strip()[:1].upper()] if v)
    return found


def test_a_facet_declared_in_the_registry_is_indexed_counted_and_shown(seeded_copy, initials):
    with Archive(seeded_copy) as archive:  # its index was built without the facet: rebuilt
        expected = _expected(archive)
        assert len(expected) > 1
        searcher = archive.index._current_searcher()
        assert "facet_initial" in searcher.schema
        indexed = {t.decode() for t in searcher.reader().lexicon("facet_initial")}
        assert indexed == set(expected)

        result = archive.search(SearchRequest())
        assert {v.value: v.count for v in result.facets["initial"]} == dict(expected)
        assert result.facet_totals["initial"] == len(expected)
        assert result.truncated["initial"] == 0
        cut = archive.search(SearchRequest(facet_limit=1))  # the commonest only, the rest said
        assert len(cut.facets["initial"]) == 1 and cut.truncated["initial"] == len(expected) - 1
        letter, count = expected.most_common(1)[0]
        only = archive.search(SearchRequest(facets={"initial": [letter]}))
        assert only.total == count and {v.value for v in only.facets["initial"]} == set(expected)
        as_json = result.to_json()["facets"]["initial"]
        assert {v["value"]: v["count"] for v in as_json} == dict(expected)
        assert [v["count"] for v in as_json] == sorted(expected.values(), reverse=True)

        # counted under the other facets' filters, as every facet is
        language = archive.store.histogram("language")[0][0]
        narrowed = archive.search(SearchRequest(languages=[language]))
        assert {v.value: v.count for v in narrowed.facets["initial"]} == dict(
            _expected(archive, language)
        )

    app = make_app(seeded_copy)
    try:
        page = app.test_client().get("/?sort=newest")  # every story
        assert page.status_code == 200
        soup = BeautifulSoup(page.data, "html.parser")
        block = soup.find("section", attrs={"aria-labelledby": "facet-initial"})
        assert block is not None, "the search page has no block for the declared facet"
        assert block.find("h2").get_text(" ", strip=True).startswith("Initials")
        shown = {
            item.select_one(".facet-item__label").get_text(strip=True): int(
                item.select_one(".facet-item__count").get_text(strip=True)
            )
            for item in block.select("li.facet-item")
        }
        assert shown == dict(expected)
        for link in block.select("a.facet-item__link"):  # each toggles its value's filter
            label = link.select_one(".facet-item__label").get_text(strip=True)
            assert f"initial={label}" in link["href"]
        letter, count = expected.most_common(1)[0]
        narrowed = BeautifulSoup(app.test_client().get(f"/?initial={letter}").data, "html.parser")
        chosen = narrowed.select("section[aria-labelledby=facet-initial] li.is-selected")
        assert [i.select_one(".facet-item__label").get_text(strip=True) for i in chosen] == [letter]
        assert len(narrowed.select("ol.hits > li")) == count
        every = BeautifulSoup(app.test_client().get("/facets/initial").data, "html.parser")
        listed = [i.get_text(strip=True) for i in every.select(".facet-item__label")]
        assert sorted(listed) == sorted(expected)
    finally:
        app.extensions["archive"].close()


def test_without_the_declaration_the_facet_is_gone_again(seeded_copy, initials, monkeypatch):
    with Archive(seeded_copy) as archive:
        assert "initial" in archive.search(SearchRequest()).facets
    monkeypatch.setattr(registry, "FACETS", registry.FACETS[:-1])
    with Archive(seeded_copy) as archive:  # rebuilt once more, without its field
        assert "facet_initial" not in archive.index._current_searcher().schema
        result = archive.search(SearchRequest())
        assert "initial" not in result.facets and "initial" not in result.to_json()["facets"]
        assert result.total == archive.store.count()["stories"]


def test_the_cli_filters_by_a_declared_facet_and_refuses_an_unknown_one(seeded_copy, initials):
    from click.testing import CliRunner

    from archive.cli import main

    with Archive(seeded_copy) as archive:
        letter, count = _expected(archive).most_common(1)[0]
    runner = CliRunner()
    found = runner.invoke(
        main, ["--data-dir", str(seeded_copy), "search", "--facet", f"initial={letter}", "--json"]
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    assert data["total"] == count
    assert {v["value"] for v in data["facets"]["initial"]} >= {letter}
    for wrong in ("colour=red", "initial", "source=AFP"):
        refused = runner.invoke(main, ["--data-dir", str(seeded_copy), "search", "--facet", wrong])
        assert refused.exit_code == 2, (wrong, refused.output)
        assert "NAME=VALUE" in refused.output
