"""Plain-text extraction: the seeds come out clean, metadata is found, not invented."""

from __future__ import annotations

import pytest

from archive.extract import extract_document
from archive.extract.decode import decode_bytes
from archive.extract.text import extract_text, is_boilerplate
from archive.model import Rejected

from .conftest import SEEDS

BOILERPLATE = ["Share", "comments", "Source link", "Unlock Editor’s Digest for free"]


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize("line", BOILERPLATE + ["Unlock Editor's Digest for free", "12 Comments"])
def test_boilerplate_lines_are_recognised(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Homs resists", "Share prices fell in Damascus."])
def test_article_lines_are_not_boilerplate(line):
    assert not is_boilerplate(line)


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_seed_keeps_boilerplate_lines(number):
    paragraphs = extract_text(seed(number)).text.split("\n\n")
    assert not [p for p in paragraphs if is_boilerplate(p)]


def test_headline_repeated_in_body_is_removed():
    result = extract_text(seed("003"))
    assert result.title == "Syria: Rebels at the Gates of Damascus, Assad Regime Wavers"
    assert result.basis["title"] == "text:first-line"
    assert result.title not in result.text


def test_byline_fragment_and_interrupting_headline_are_debris():
    result = extract_text(seed("000"), author="Fabrice Balanche")
    assert "ice Balanche" not in result.text
    assert "Homs resists, Damascus besieged" not in result.text
    # the sentence the headline cut in two is whole again
    assert "Iranian weapons were transiting to Hezbollah." in result.text


def test_interrupting_headline_becomes_the_title_when_none_is_known():
    result = extract_text(seed("000"))
    assert result.title == "Homs resists, Damascus besieged, the SDF cuts the Iranian axis"
    assert result.basis["title"] == "text:headline-fragment"


def test_outlet_line_becomes_the_source():
    result = extract_text(seed("004"))
    assert result.source == "Barran Press"
    assert result.basis["source"] == "text:outlet-line"
    assert not result.text.startswith("Barran Press")


def test_text_without_headline_has_no_title():
    assert extract_text(seed("001")).title is None


def test_paragraphs_are_kept():
    text = extract_text(seed("002")).text
    assert text.count("\n\n") >= 15


def test_front_matter_states_metadata():
    raw = "Title: Rebels near Homs\nSource: FT\nDate: 7 December 2024\n\nBody text of it here."
    result = extract_text(raw)
    assert (result.title, result.source, result.date) == (
        "Rebels near Homs",
        "FT",
        "7 December 2024",
    )
    assert result.basis == {
        "title": "front-matter",
        "source": "front-matter",
        "date": "front-matter",
    }
    assert result.text == "Body text of it here."


def test_hard_wrapped_paragraphs_are_joined():
    raw = "A first line that wraps\nonto a second line\nand ends here.\n\nNext paragraph."
    assert extract_text(raw).text == (
        "A first line that wraps onto a second line and ends here.\n\nNext paragraph."
    )


def test_markdown_heading_is_the_title():
    raw = "# Rebels take Hama\n\nThe **rebels** took [Hama](http://x) on Thursday."
    result = extract_document(raw.encode(), kind="markdown")
    assert result.title == "Rebels take Hama"
    assert result.text == "The rebels took Hama on Thursday."


def test_text_is_nfc_normalised():
    decomposed = "Tu\u0308rkiye and Re\u0301mi are named here in full sentences."
    assert "Türkiye" in extract_text(decomposed).text


def test_windows_1252_file_decodes_without_mojibake():
    raw = "Le régime s’effondre à Homs: «déjà», dit-il — café.".encode("cp1252")
    assert decode_bytes(raw) == "Le régime s’effondre à Homs: «déjà», dit-il — café."


def test_utf16_with_bom_decodes():
    assert decode_bytes("Damas, Syrie".encode("utf-16")) == "Damas, Syrie"


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\t ", "whitespace"), (bytes(range(256)) * 4, "binary")],
)
def test_junk_is_rejected_with_a_reason(data, reason):
    with pytest.raises(Rejected, match=reason):
        decode_bytes(data)


def test_bidi_overrides_are_removed():
    assert decode_bytes("abc\u202edef ghi".encode()) == "abcdef ghi"
