"""Language detection: deterministic, with a probability, "und" when unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.extract.html import extract_html
from archive.language import (
    MAX_PROBABILITY,
    SCRIPT_LANGUAGES,
    SEED,
    _get_detector,
    detect_language,
    language_name,
)

SAMPLES = [
    tuple(line.split("\t", 1))
    for line in (Path(__file__).parent / "data/language_samples.tsv")
    .read_text(encoding="utf8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]

FRENCH = "Les rebelles syriens sont aux portes de Damas et le régime vacille selon nos sources."


def test_english_is_english():
    result = detect_language("The rebels have reached the outskirts of Homs, officials said.")
    # one sentence: likely, not certain (the cap grows with the text)
    assert result.code == "en" and 0.6 < result.probability < 0.9
    longer = detect_language(" ".join([FRENCH] * 6))
    assert longer.code == "fr" and 0.9 < longer.probability <= MAX_PROBABILITY


def test_same_text_same_answer_every_time():
    answers = {detect_language(FRENCH) for _ in range(5)}
    assert answers == {detect_language(FRENCH)} and detect_language(FRENCH).code == "fr"


def test_too_short_is_undetermined():
    assert detect_language("Homs.").code == "und"
    assert detect_language("12 345 678").probability is None


def test_declared_language_breaks_a_tie_only():
    assert detect_language(FRENCH, hint="de").code == "fr"


def _langdetect(text: str) -> list[tuple[str, float]]:
    """langdetect's own detector, seeded as the archive seeds it."""
    from langdetect import DetectorFactory, detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = SEED
    detector_factory.init_factory()
    detector = detector_factory._factory.create()
    detector.append(text)
    try:
        return [(c.lang, c.prob) for c in detector.get_probabilities()]
    except LangDetectException:
        return []


HOSTILE = [
    "Ｆｕｌｌｗｉｄｔｈ ＴＥＸＴ and ALL CAPS HEADLINE ABOUT HOMS, then normal words follow here.",
    "مقاتلو المعارضة دخلوا حمص ثم دمشق، وقال مسؤولون إن القوات انسحبت من المدينة",
    "Повстанцы вошли в Хомс. Then English: the rebels entered Damascus at dawn on Sunday.",
    "visit https://example.org/a?b=c or mail press@example.org — Tiếng Việt có dấu, Română: ș ț",
    "叛军进入霍姆斯。反对派武装周日进入大马士革，政府军撤离。",
    "x" * 50 + " " + "Ab" * 40 + " 1234 ¿¡ «»",
]


def test_answers_are_langdetects_to_the_last_bit():
    from benchmarks import corpus

    texts = [a.text[:800] for a in corpus.articles(40, seed=3)]
    texts += [FRENCH, *HOSTILE]
    detector = _get_detector()
    for text in texts:
        assert detector.probabilities(text) == _langdetect(text), text[:60]


# --- scripts, names and calibration (our own sentences: tests/data/language_samples.tsv) ---


@pytest.mark.parametrize(
    ("code", "text"), [s for s in SAMPLES if s[0] in SCRIPT_LANGUAGES.values()]
)
def test_a_script_langdetect_does_not_know_decides_the_language(code, text):
    found = detect_language(text)
    assert (found.code, found.basis) == (code, "script")


def test_armenian_and_georgian_are_never_a_latin_language_however_sure_langdetect_is():
    armenian = dict(SAMPLES)["hy"]
    georgian = dict(SAMPLES)["ka"]
    assert detect_language(armenian, hint="et").code == "hy"
    assert detect_language(georgian, hint="en").code == "ka"


def test_a_chinese_text_is_never_korean_and_says_which_characters():
    for code in ("zh-cn", "zh-tw"):
        found = detect_language(dict(SAMPLES)[code])
        assert found.code == code, found


def test_declared_traditional_chinese_is_read_from_the_page():
    body = "<p>" + dict(SAMPLES)["zh-tw"] * 3 + "</p>"
    html = f'<html lang="zh-Hant-TW"><head><title>舊橋</title></head><body>{body}</body></html>'
    assert extract_html(html).language_hint == "zh-tw"


def test_probability_is_calibrated_on_our_own_sentences():
    """Never certain, and on the whole not surer than it is right."""
    found = [(code, detect_language(text)) for code, text in SAMPLES]
    assert all((f.probability or 0) <= MAX_PROBABILITY for _, f in found)
    wrong = [f for code, f in found if f.code != code]
    assert all(f.probability < 0.9 for f in wrong), wrong
    accuracy = 1 - len(wrong) / len(found)
    mean_probability = sum(f.probability or 0 for _, f in found) / len(found)
    assert accuracy >= mean_probability


def test_every_language_the_archive_can_emit_has_a_name():
    codes = {*_get_detector().langs, *SCRIPT_LANGUAGES.values()}
    for code in codes:
        name = language_name(code)
        assert name != code and name[0].isupper(), code
    assert language_name("zh-tw") == "Chinese (Traditional)"
    assert language_name("zh-cn") == "Chinese (Simplified)"
    assert language_name("und") == language_name(None) == "Unknown language"
