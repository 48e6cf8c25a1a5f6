"""The engine-neutral query model: what a query string means, before any engine sees it."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from archive.search.query import (
    MAX_TERMS,
    And,
    Everything,
    Fuzzy,
    Not,
    Or,
    Phrase,
    Place,
    Prefix,
    Term,
    Wildcard,
    parse,
)

PLACES = {"daraa": "170903", "deir ez-zor": "170794", "damascus": "170654", "new york": "5128581"}


def resolve(name: str):
    found = PLACES.get(name.casefold())
    return SimpleNamespace(geonameid=found) if found else None


def test_words_are_all_required_by_default():
    assert parse("army withdrew").tree == And((Term("army"), Term("withdrew")))


def test_operators_phrases_and_negation():
    tree = parse('"White House" OR Kremlin -sanctions').tree
    assert tree == And((Or((Phrase(("White", "House")), Term("Kremlin"))), Not(Term("sanctions"))))
    assert parse("Hama NOT army").tree == And((Term("Hama"), Not(Term("army"))))
    assert parse("a OR b AND c").tree == Or((Term("a"), And((Term("b"), Term("c")))))


def test_operators_in_lower_case_are_words():
    assert parse("war and peace").tree == And((Term("war"), Term("and"), Term("peace")))


def test_prefix_wildcard_and_typo_tolerance():
    assert parse("withdr*").tree == Prefix("withdr")
    assert parse("colo?r").tree == Wildcard("colo?r")
    assert parse("Damscus~").tree == Fuzzy("Damscus", 1)
    assert parse("Damscus~2").tree == Fuzzy("Damscus", 2)


def test_a_leading_wildcard_is_the_engines_budget_to_refuse():
    assert parse("*scus army").tree == And((Wildcard("*scus"), Term("army")))
    assert parse("? army").tree == And((Wildcard("?"), Term("army")))


def test_unbalanced_quotes_and_parentheses_are_dropped_with_a_note():
    q = parse('"White House')
    assert q.tree == And((Term("White"), Term("House")))
    assert "unbalanced quote" in q.notes[0]
    q = parse("(Hama OR Homs")
    assert q.tree == Or((Term("Hama"), Term("Homs"))) and "parentheses" in q.notes[0]


def test_title_field_scopes_its_words_and_groups():
    assert parse("title:Hama").tree == Term("Hama", field="title")
    assert parse("title:(Hama OR Homs) army").tree == And(
        (Or((Term("Hama", "title"), Term("Homs", "title"))), Term("army"))
    )
    assert parse('title:"Hama falls"').tree == Phrase(("Hama", "falls"), field="title")


def test_filters_are_taken_out_of_the_words():
    q = parse('rebels place:Homs source:"Financial Times" lang:ar')
    assert q.tree == Term("rebels")
    assert (q.places, q.sources, q.languages) == (["Homs"], ["Financial Times"], ["ar"])
    q = parse("place:")
    assert q.tree == Everything() and q.places == [] and "needs a value" in q.notes[0]


def test_an_unknown_field_is_read_as_words():
    assert parse("http://example.com/a").tree != Everything()
    tree = parse("foo:bar").tree
    assert tree == And((Term("foo"), Term("bar")))


@pytest.mark.parametrize(
    "raw",
    [
        "a AND b OR",
        "a OR OR b",
        "a AND",
        "AND OR NOT",
        "[a TO b]",
        "/reg.x/",
        "'; DROP TABLE x; --",
        "0~.",
    ],
)
def test_malformed_queries_are_searched_as_plain_words_with_a_note(raw):
    q = parse(raw)
    assert any("plain words" in n for n in q.notes)
    for leaf in q.leaves():
        assert isinstance(leaf, Term)
        assert not set(leaf.text) & set('"()[]/')


def test_the_query_is_cut_to_its_limits():
    q = parse(" ".join(f"w{i}" for i in range(MAX_TERMS + 10)))
    assert len(q.leaves()) == MAX_TERMS
    assert any(str(MAX_TERMS) in n for n in q.notes)


def test_empty_and_star_queries_match_everything():
    assert parse("").tree == Everything()
    assert parse("   ").tree == Everything()
    assert parse("*").tree == Everything()


def test_words_naming_a_place_also_match_its_mentions():
    assert parse("Daraa", resolve).tree == Or((Term("Daraa"), Place("170903")))
    tree = parse("fighting Deir ez-Zor", resolve).tree
    assert tree == And((Term("fighting"), Or((Phrase(("Deir", "ez-Zor")), Place("170794")))))
    assert parse('"new york" mayor', resolve).tree == And(
        (Or((Phrase(("new", "york")), Place("5128581"))), Term("mayor"))
    )
    # a place under NOT is excluded under every spelling; a title word stays a title word
    assert parse("army -Damascus", resolve).tree == And(
        (Term("army"), Not(Or((Term("Damascus"), Place("170654")))))
    )
    assert parse("title:Daraa", resolve).tree == Term("Daraa", "title")


def test_plain_words_are_kept_for_did_you_mean():
    q = parse('Damscus "White House" -army OR title:x*', resolve)
    assert "Damscus" in q.words and "OR" not in q.words


def test_boosts_and_proximity():
    assert parse("Hama^3").tree == Term("Hama", boost=3.0)
    assert parse('"rebels advanced"~3').tree == Phrase(("rebels", "advanced"), slop=3)


def test_scripts_without_spaces_and_right_to_left_words_are_words():
    assert parse("コロナ 自由時報").tree == And((Term("コロナ"), Term("自由時報")))
    assert parse("لحلب").tree == Term("لحلب")


def test_parsing_from_many_threads_gives_the_same_trees():
    queries = [f'"rebels {i}" OR army{i} -x{i} title:(a{i} OR b{i}) w{i}*' for i in range(40)]
    expected = [parse(q).tree for q in queries]
    errors: list = []

    def work():
        for _ in range(25):
            for q, want in zip(queries, expected, strict=True):
                if parse(q).tree != want:
                    errors.append(q)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
