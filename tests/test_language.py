"""Language detection: deterministic, with a probability, "und" when unsure."""

from __future__ import annotations

from archive.language import detect_language

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
