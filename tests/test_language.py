"""Language detection: deterministic, with a probability, "und" when unsure."""

from __future__ import annotations

from archive.language import SEED, _get_detector, detect_language

FRENCH = "Les rebelles syriens sont aux portes de Damas et le régime vacille selon nos sources."


def test_english_is_english():
    result = detect_language("The rebels have reached the outskirts of Homs, officials said.")
    assert result.code == "en" and result.probability > 0.9


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
