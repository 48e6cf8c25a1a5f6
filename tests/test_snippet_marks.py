"""Snippets look only at the words that can match: the marks they make are exactly those of
folding and stemming every word of the text, as the straightforward algorithm did."""

from __future__ import annotations

import re
import sys
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.search.snippets import (
    _FIRST_LETTERS_STEMS_DROP,
    _STEMS_CHANGE_FIRST_LETTER,
    SNIPPET_CHARS,
    _best_window,
    _folding_to,
    snippet,
)
from archive.search.words import (
    STEM_LANGUAGES,
    fold_token,
    is_paired,
    query_stems,
    scoped_stem,
    stem,
)
from archive.search.words import term_spans as word_spans
from benchmarks import corpus

LANGUAGES = ["en", "fr", "de", "es", "it", "ru", "tr", "xx"]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_snippet(text: str, language: str, plain: set[str], stems: set[str]) -> str:
    """The straightforward algorithm: fold (and stem) every word of the text."""
    text = text[:60_000]
    spans = []
    if plain or stems:
        for start, end, word in word_spans(text):
            stemmed = stems and not is_paired(word) and scoped_stem(word, language) in stems
            if word in plain or stemmed:
                spans.append((start, end))
    start = _best_window(spans, len(text))
    if start > 0:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start + SNIPPET_CHARS // 2 else end
    pieces = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(escape(text[pos:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    pieces.append(escape(text[pos:end]))
    pieces.append("…" if end < len(text) else "")
    return " ".join("".join(pieces).split())


def query_terms(words: list[str]) -> tuple[set[str], set[str]]:
    """Highlight terms as a query for these words makes them: folded words, and their stems
    in every stemmed language, each scoped by its language (none for CJK pairs)."""
    plain = {fold_token(w) for w in words}
    return plain, {stem for w in plain for stem in query_stems(w)}


def assert_same(text: str, language: str, plain: set[str], stems: set[str]) -> None:
    assert snippet(text, language, plain, stems) == reference_snippet(text, language, plain, stems)


TRICKY = [
    "U.S. officials met al-Assad's envoy in Damascus; the U.S.-backed rebels advanced.",
    "Rebels ADVANCE on DAMASCUS. Rebel advances: advancing, advanced, rebelled, rebellion.",
    "Türkiye, TÜRKIYE, Turkiye and İstanbul, ISTANBUL, ıstanbul; DİYARBAKIR and Diyarbakır.",
    "Die Straße, STRASSE, Straßen und Großstädte; Fußball-Verbände, Äpfel, Öl und Übung.",
    "L'armée française, l’Élysée, aujourd'hui; les élections à Besançon, Œuvre, cœur, ﬁn.",
    "El niño, los niños y las NIÑAS; España, ESPAÑA; el año 2024; ¿Dónde están?",
    "ΣΟΦΟΣ and σοφός, ΟΔΟΣ. Σ alone, ΑΣ'Β and ΑΣ'’Β; Ǆemal, ǅemal, ǆemal.",
    "Numbers 3.5 and 1,000.00, 10am, 2nd, A4, 9/11, x86_64 and snake_case words.",
    "Dots... a..b a.b.c e.g. i.e. 'quoted' ’curly’ rock'n'roll o'clock don’t 'tis",
    "<script>alert('damascus')</script> &amp; <b>rebels</b> \"advance\" > < & done",
    "dying lying tying skies skis idly gently ugly early only singly news atlas",
    "Кошки и собаки в Москве; koshki i sobaki v Moskve, Kœnig, cœurs и Кремль.",
    "𝐃amascus and 𝐫ebels beyond the first plane; ｄａｍａｓｃｕｓ, ＲＥＢＥＬＳ in full width.",
    "東京Damascus戦争rebels: words right next to CJK, 코로나rebels advanced.",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("language", LANGUAGES)
def test_marks_every_word_the_query_matches_in_tricky_texts(text, language):
    words = [w for _, _, w in word_spans(text)]
    parts = ["damascus", "rebel", "assad", "armee", "elysee", "s", "roll", "b", "c", "5", "64"]
    for chosen in (words[:1], words[2:5], words[-3:], words[::4], parts):
        assert_same(text, language, *query_terms(chosen))
        plain, stems = query_terms(chosen)
        assert_same(text, language, plain, set())
        assert_same(text, language, set(), stems)


def test_marks_the_same_words_as_folding_every_word_on_corpus_texts():
    for n, article in enumerate(corpus.articles(300)):
        words = [w for _, _, w in word_spans(article.text)]
        chosen = words[n % 7 :: 97] + ["damascus"]
        assert_same(article.text, article.language, *query_terms(chosen))


_LETTERS = "aAbBcdDeEéÉèiIİıItTsSßσΣςyYnñÑoOœŒæﬁﬂuüÜkK" + "кКоОшШ"
_CHARS = _LETTERS + "0123456789_ .,;:'’-–\"()<>&\n\t"
_WORDS = st.text(alphabet=_LETTERS + "'’.0", min_size=1, max_size=8)


@FAST
@given(
    text=st.lists(st.one_of(_WORDS, st.text(alphabet=_CHARS, max_size=6)), max_size=40).map(
        " ".join
    ),
    language=st.sampled_from(LANGUAGES),
    extra=st.lists(_WORDS, max_size=3),
    pick=st.integers(min_value=0, max_value=10),
)
def test_marks_the_same_words_as_folding_every_word(text, language, extra, pick):
    words = [w for _, _, w in word_spans(text)]
    parts = [part for w in words for part in re.split("[.'’]", w)]  # "u.s." -> "u", "s"
    plain, stems = query_terms(words[pick :: pick + 2] + parts[pick :: pick + 3] + extra)
    assert_same(text, language, plain, stems)
    assert_same(text, language, plain, set())
    assert_same(text, language, set(), stems)


@FAST
@given(word=st.text(alphabet=_LETTERS + "abcdefghijklmnopqrstuvwxyz'’.0", min_size=1))
def test_stemming_keeps_a_words_first_letter(word):
    """What the snippet's shortcut relies on, but for the first letters and the languages
    it knows to differ."""
    for _, _, folded in word_spans(word):
        for lang in set(STEM_LANGUAGES) - _STEMS_CHANGE_FIRST_LETTER:
            stemmed = stem(folded, lang)
            if stemmed and folded[0] not in _FIRST_LETTERS_STEMS_DROP.get(lang, ""):
                assert stemmed[0] == folded[0]


def test_a_stem_of_another_language_marks_nothing():
    stems = {scoped_stem("assad", "hu"), scoped_stem("homs", "pt")}  # "hu:ass", "pt:hom"?
    assert snippet("The ass, the home and Assad", "en", set(), stems) == (
        "The ass, the home and Assad"
    )
    own = {scoped_stem("homes", "en")}
    assert snippet("The ass, the home and Assad", "en", set(), own) == (
        "The ass, the <mark>home</mark> and Assad"
    )


def test_marked_words_keep_their_spelling_and_the_text_stays_escaped():
    text = "<script>alert(1)</script> Rebels & the DAMASCUS <b>advance</b>"
    out = snippet(text, "en", {"damascus"}, {"en:rebel", "en:advanc"})
    assert out == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Rebels</mark> &amp; the "
        "<mark>DAMASCUS</mark> &lt;b&gt;<mark>advance</mark>&lt;/b&gt;"
    )


def test_folding_table_of_the_first_two_planes_is_the_whole_table():
    assert _folding_to() == _folding_to(sys.maxunicode + 1)
