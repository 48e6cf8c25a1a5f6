"""Search in every script: words inside CJK and Thai running text are found and marked,
names are not stemmed into another language's words, snippets mark what the query matched,
"did you mean" stays in the word's script, and the newest added article can be asked for."""

from __future__ import annotations

import re

import pytest

from archive.ingest import Submission
from archive.search import SearchRequest
from archive.search.words import query_stems, script_of, terms
from tests.engines import open_archive

pytestmark = pytest.mark.both_engines


def add(archive, text, **stated):
    result = archive.add(Submission(data=text.encode(), name="t", stated=stated))
    assert result.status == "added", result
    return result.id


def search(archive, q, **kw):
    return archive.search(SearchRequest(q=q, **kw))


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


CHINESE = "台灣的報紙自由時報今天報導，統一發票的中獎號碼已經在網站上公布了。"
JAPANESE = "不動産会社ハウスコムは、新型コロナウイルスの影響で来店する客が減ったと発表した。"
KOREAN = "정부는 코로나19 확산을 막으려고 거리두기를 연장했다. 코로나가 다시 퍼지고 있다."
THAI = "รัฐบาลประกาศมาตรการใหม่เพื่อควบคุมโรคในกรุงเทพมหานครเมื่อวานนี้"


@pytest.fixture
def scripts(archive):
    made = {
        "zh": add(archive, CHINESE, lang="zh-tw", title="報紙"),
        "ja": add(archive, JAPANESE, lang="ja", title="不動産"),
        "ko": add(archive, KOREAN, lang="ko", title="거리두기"),
        "th": add(archive, THAI, lang="th", title="มาตรการ"),
    }
    return archive, made


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("zh", "自由時報"),
        ("zh", "發票"),
        ("ja", "コロナ"),
        ("ja", "ハウスコム"),
        ("ko", "코로나"),
        ("th", "กรุงเทพ"),
    ],
)
def test_a_word_inside_running_text_is_found_and_marked(scripts, language, word):
    archive, made = scripts
    result = search(archive, word)
    assert [h.id for h in result.hits] == [made[language]]
    assert word in marked(result.hits[0].snippet)
    assert result.suggestion is None


def test_characters_of_a_word_apart_do_not_make_it(scripts):
    archive, _ = scripts
    assert search(archive, "東京").total == 0  # 京 and 東 are in the texts, never together
    assert search(archive, "報時").total == 0  # 時報 is, reversed is not


def test_a_korean_word_is_found_before_its_particle_and_its_number(scripts):
    archive, made = scripts
    hit = search(archive, "코로나").hits[0]
    assert hit.id == made["ko"]
    assert marked(hit.snippet) == ["코로나", "코로나"]  # in 코로나19 and in 코로나가


def test_a_cjk_word_next_to_latin_letters_is_found(archive):
    made = add(archive, "東京ではiPhone発売日に行列ができた。", lang="ja")
    assert [h.id for h in search(archive, "iPhone").hits] == [made]
    assert [h.id for h in search(archive, "発売日").hits] == [made]


def test_did_you_mean_never_offers_a_word_of_another_script(archive):
    add(archive, "The talks were moved to Geneva, officials said to reporters.", lang="en")
    add(archive, CHINESE, lang="zh-tw")
    result = search(archive, "發表")  # in no text
    assert result.total == 0
    assert result.suggestion is None or script_of(result.suggestion) == "Han"
    latin = search(archive, "Genva")
    assert latin.suggestion == "Geneva"


def test_a_place_name_is_not_stemmed_into_common_words(archive):
    add(
        archive,
        "O trabalho em home office cresceu durante a pandemia, e muitos homens ficaram em casa.",
        lang="pt",
    )
    add(archive, "Many homes were damaged and people worked from home for months.", lang="en")
    homs = add(archive, "Rebels entered Homs overnight and moved south.", lang="en")
    for q in ("Homs", "homs", "Homs NOT Damascus"):
        assert [h.id for h in search(archive, q).hits] == [homs], q
    assert search(archive, "home").total == 2  # the common word still finds its forms


def test_a_capitalised_name_keeps_its_possessive_but_no_foreign_stem(archive):
    text = "Assad's forces left the city; a farmer led his ass and cart to the market."
    made = add(archive, text, lang="en")
    hit = search(archive, "Assad").hits[0]
    assert hit.id == made
    assert marked(hit.snippet) == ["Assad&#x27;s"]  # escaped, as every snippet is
    assert all(q.split(":", 1)[1] in ("assad",) for q in query_stems("Assad", name=True))


def test_stems_of_one_language_never_match_another(archive):
    pt = add(archive, "Os homens voltaram para casa.", lang="pt")
    # Portuguese stems "homens" to "hom"; an English article's "hom..." words are English.
    en = add(archive, "The homily was long.", lang="en")
    found = {h.id for h in search(archive, "homens").hits}
    assert pt in found and en not in found


def test_prefix_and_fuzzy_matches_are_marked(archive):
    add(
        archive,
        "The army withdrew from Damascus as COVID-19 cases rose; a withdrawal was announced.",
        lang="en",
    )
    assert marked(search(archive, "withdr*").hits[0].snippet) == ["withdrew", "withdrawal"]
    assert marked(search(archive, "Damscus~").hits[0].snippet) == ["Damascus"]
    assert marked(search(archive, "covid*").hits[0].snippet) == ["COVID"]


def test_a_phrase_marks_only_where_it_occurs(archive):
    add(
        archive,
        "The White House said the House would vote; a white house stood on the hill.",
        lang="en",
    )
    snippet = search(archive, '"White House"').hits[0].snippet
    assert marked(snippet) == ["White House", "white house"]
    both = search(archive, '"White House" vote').hits[0].snippet
    assert marked(both) == ["White House", "vote", "white house"]


def test_the_newest_added_article_comes_first_whatever_its_date(archive):
    recent = add(archive, "Ceasefire talks resumed in Geneva today.", date="2024-12-08")
    old = add(archive, "Ceasefire talks had failed in Geneva.", date="2012-06-30")
    assert [h.id for h in search(archive, "Geneva", sort="added").hits] == [old, recent]
    assert [h.id for h in search(archive, "Geneva", sort="newest").hits] == [recent, old]


def test_terms_cut_cjk_into_overlapping_pairs_and_keep_other_words_whole():
    assert terms("自由時報 and U.S. 코로나19") == [
        "自由",
        "由時",
        "時報",
        "and",
        "u.s",
        "코로",
        "로나",
        "19",
    ]
    assert terms("中 Türkiye") == ["中", "turkiye"]


def test_a_known_outlet_or_place_typed_in_lower_case_is_a_name():
    from archive.places import resolve_place
    from archive.search.whoosh._query import parse_query
    from archive.search.whoosh._schema import STEM_FIELDS, build_schema

    for word in ("reuters", "homs"):
        query = parse_query(word, build_schema(), resolve_place).query
        stems = {t for f, t in query.iter_all_terms() if f in STEM_FIELDS}
        assert stems and all(t.split(":", 1)[1] == word for t in stems), (word, stems)
    # a common word is stemmed in every language
    query = parse_query("homes", build_schema(), resolve_place).query
    assert "en:home" in {t for f, t in query.iter_all_terms() if f in STEM_FIELDS}


@pytest.mark.engines("embedded")
def test_an_index_of_the_previous_schema_is_rebuilt_by_itself(tmp_path, caplog):
    import json
    import logging

    from archive.search.whoosh._schema import SCHEMA_VERSION
    from archive.search.whoosh.index import STATE_FILE

    with open_archive(tmp_path / "data") as archive:
        made = add(archive, JAPANESE, lang="ja")
        state_file = archive.index.path / STATE_FILE
    state = json.loads(state_file.read_text())
    assert state["schema"] == SCHEMA_VERSION
    state_file.write_text(json.dumps({**state, "schema": SCHEMA_VERSION - 1}))
    with caplog.at_level(logging.WARNING), open_archive(tmp_path / "data") as archive:
        # as an index an older version wrote: rebuilt, and the warning says why
        assert [h.id for h in search(archive, "コロナ").hits] == [made]
    assert json.loads(state_file.read_text())["schema"] == SCHEMA_VERSION
    assert f"made by an earlier version of the archive (index schema {SCHEMA_VERSION - 1})" in (
        caplog.text
    )


def test_a_capital_alone_does_not_make_a_name(archive):
    # queries start with a capital and headlines are pasted in title case
    made = add(archive, "The army began withdrawing from the northern towns.", lang="en")
    for q in ("Withdrawal", "Army Withdrawal", "withdrawal"):
        assert [h.id for h in search(archive, q).hits] == [made], q
    # a known place written in title case stays a name (not the Portuguese "home")
    add(archive, "O trabalho em home office cresceu.", lang="pt")
    assert search(archive, "Homs").total == 0
