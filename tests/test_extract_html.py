"""Saved web pages and pasted HTML become clean text with their metadata, or a clear rejection."""

from __future__ import annotations

import base64
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.extract.encoding import decode_html
from archive.extract.html import extract_html, looks_like_html
from archive.extract.mhtml import extract_mhtml
from archive.extract.outlets import (
    OUTLETS,
    is_wire_service,
    known_outlet,
    normalise_outlet,
    outlet_from_url,
)
from archive.model import Rejected

PAGES = Path(__file__).parent / "pages"
STORY_URL = "https://levantledger.example/news/2023/03/14/deraa-water"
TAG = re.compile(r"<[A-Za-z/!?]")

STORY = """\
Running water reached homes in the southern city of Deraa on Tuesday for the first time in \
nearly three weeks, after engineers finished repairs to the main pumping station that serves \
the city and a dozen surrounding villages.

The station, on the road towards the Jordanian border, was badly damaged in February when a \
power surge destroyed two of its four pumps. Residents had since relied on water tankers, whose \
prices doubled within days as demand outstripped supply.

"We filled every bucket in the house the moment the taps started running," said Umm Khaled, a \
mother of four who lives near the old market. "For three weeks we counted every litre."

The local water authority said the repaired pumps were running at about two thirds of their \
normal capacity and that supply would be rationed by district until replacement parts arrived. \
Each neighbourhood will receive water on alternate days.

Aid workers warned that the network of pipes itself needs urgent work. An engineer with a \
humanitarian organisation that funded part of the repairs estimated that more than a third of \
the water pumped into the network is lost to leaks before it reaches a tap.

The authority has asked for funding to replace the oldest sections of pipe before the summer, \
when demand usually peaks and shortages are most severe."""


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def article(body: str, *, head: str = "", title: str = "A headline") -> str:
    """A small page around `body`, long enough to count as an article."""
    filler = " ".join(["The committee met again on Thursday to discuss the new proposals."] * 6)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body><article>{body}<p>{filler}</p><p>{filler}</p></article></body></html>"
    )


# --- the article and nothing else -------------------------------------------------------


def test_page_with_banner_share_bar_related_links_and_comments_keeps_only_the_article():
    found = extract_html(page("article_with_clutter.html"))
    assert found.text == STORY
    for debris in ("cookies", "Share on", "Email this", "Related stories", "Farmers in Daraa",
                   "Comments", "abu_samir", "thank you for reporting", "All rights reserved",
                   "Subscribe", "Updated", "Rana Haddad"):  # fmt: skip
        assert debris not in found.text


def test_page_metadata_is_found_with_how_it_was_found():
    found = extract_html(page("article_with_clutter.html"))
    assert found.title == "Water returns to Deraa after pumping station repairs"
    assert found.source == "The Levant Ledger"
    assert found.author == "Rana Haddad"
    assert found.date == "2023-03-14"  # published, not the 16 March update
    assert found.url == STORY_URL
    assert found.language_hint == "en"
    assert found.kind == "html"
    assert found.basis == {
        "text": "html:trafilatura",
        "title": "html:json-ld",
        "source": "html:meta",
        "author": "html:json-ld",
        "date": "html:json-ld",
        "url": "html:canonical",
        "language_hint": "html:lang",
    }


def test_text_is_plain_nfc_paragraphs_separated_by_blank_lines():
    decomposed = unicodedata.normalize("NFD", "Café owners in Homs reopened on Sunday.")
    found = extract_html(article(f"<p>{decomposed}</p><p>Second&nbsp;paragraph\u200b here.</p>"))
    assert found.text == unicodedata.normalize("NFC", found.text)
    paragraphs = found.text.split("\n\n")
    assert paragraphs[0] == "Café owners in Homs reopened on Sunday."
    assert paragraphs[1] == "Second paragraph here."
    assert all(p.strip() == p and "\n" not in p for p in paragraphs)


def test_headline_repeated_at_the_top_of_the_text_is_dropped():
    body = "<h1>Bridge closes for repairs</h1><p>Traffic is diverted.</p>"
    found = extract_html(article(body, title="Bridge closes for repairs"))
    assert found.title == "Bridge closes for repairs"
    assert not found.text.startswith("Bridge closes")


# --- encodings ----------------------------------------------------------------------------


FRENCH = "reçoivent une aide de 2 000 € par boutique pour réparer les voûtes"


def test_windows_1252_page_decodes_right():
    found = extract_html(page("windows-1252.html"))
    assert FRENCH in found.text
    assert "Pour Œuvre d’Orient" in found.text
    assert "« Le souk, c’est la mémoire de la ville. »" in found.text
    assert found.title == "À Alep, la reconstruction du souk avance à petits pas"
    assert found.language_hint == "fr"


def test_windows_1252_page_without_a_declared_charset_decodes_right():
    data = re.sub(rb"<meta http-equiv[^>]*>", b"", page("windows-1252.html"))
    assert b"charset" not in data
    assert extract_html(data).text == extract_html(page("windows-1252.html")).text


def test_page_labelled_latin_1_but_saved_as_utf8_is_not_mojibake():
    data = article("<p>Les échoppes rouvrent à Alep, dit-il.</p>")
    data = data.replace("<head>", '<head><meta charset="iso-8859-1">').encode("utf-8")
    assert "Les échoppes rouvrent à Alep" in extract_html(data).text


def test_shift_jis_page_decodes_right():
    found = extract_html(page("shift_jis.html"))
    assert "シリア南部の都市ダルアーで十四日" in found.text
    assert found.title == "シリア南部で給水再開、三週間ぶり"
    assert found.source == "中東ニュース速報"
    assert found.language_hint == "ja"


def test_shift_jis_page_without_a_declared_charset_decodes_right():
    data = page("shift_jis.html").replace(b'<meta charset="Shift_JIS">', b"")
    assert extract_html(data).text == extract_html(page("shift_jis.html")).text


def test_bom_decides_the_encoding():
    text = article("<p>Straße nach Aleppo wieder geöffnet.</p>")
    assert "Straße" in decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "Straße" in decode_html("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))


def test_binary_junk_is_rejected():
    junk = random.Random(5).randbytes(20000)
    with pytest.raises(Rejected, match="not a readable web page"):
        extract_html(junk)


# --- only text comes out ------------------------------------------------------------------


def assert_only_text(text: str) -> None:
    assert not TAG.search(text)
    for bad in ("onerror", "onload", "javascript:", "evil.example", "document.cookie",
                "alert('img')", "alert('link')", "alert('body')", "base64"):  # fmt: skip
        assert bad not in text


def test_page_with_scripts_event_handlers_and_javascript_links_produces_only_text():
    found = extract_html(page("hostile.html"))
    assert_only_text(found.text)
    assert "the full timetable will be published next month" in found.text
    assert "Read the council's report for the details" in found.text


def test_pasted_hostile_html_produces_only_text():
    pasted = page("hostile.html").decode("utf-8")
    assert looks_like_html(pasted)
    found = extract_html(pasted)
    assert_only_text(found.text)
    assert_only_text(found.title or "")


def test_markup_in_titles_and_bylines_does_not_come_out_as_markup():
    head = '<meta name="author" content="&lt;img src=x onerror=alert(1)&gt;Jane Doe">'
    title = "&lt;script&gt;alert(1)&lt;/script&gt;Ministers meet"
    found = extract_html(article("<p>Ministers met.</p>", head=head, title=title))
    assert (found.title, found.author) == ("alert(1) Ministers meet", "Jane Doe")


def test_markup_shown_as_text_in_a_page_does_not_come_out_as_markup():
    body = "<p>The receipt read &lt;b onclick=x&gt;PAID&lt;/b&gt; today.</p>"
    found = extract_html(article(body))
    assert "PAID" in found.text
    assert not TAG.search(found.text)


# --- no article, clear reason -------------------------------------------------------------


def test_404_page_is_rejected_with_a_clear_reason():
    with pytest.raises(Rejected, match="error page .*not found.*not an article"):
        extract_html(page("not_found.html"))


def test_login_wall_is_rejected_with_a_clear_reason():
    with pytest.raises(Rejected, match="login or subscription wall"):
        extract_html(page("login_wall.html"))


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n ", "<html><body><nav><a href='/'>Home</a></nav></body></html>",
     "<html><head><title>Empty</title></head><body></body></html>"],
)  # fmt: skip
def test_page_without_main_text_is_rejected(data):
    with pytest.raises(Rejected, match="empty|no article found"):
        extract_html(data)


def test_short_real_article_on_a_site_with_a_login_form_is_kept():
    story = " ".join(["Police closed the coast road after a landslide on Sunday night."] * 4)
    html = (
        "<html><head><title>Coast road closed</title></head><body>"
        "<form><input type='password' name='pw'></form>"
        f"<article><h1>Coast road closed</h1><p>{story}</p></article></body></html>"
    )
    assert "landslide" in extract_html(html).text


def test_deeply_nested_html_does_not_crash():
    deep = "<html><body>" + "<div>" * 10_000 + "<p>" + "Deep text. " * 60 + "</p>"
    deep += "</div>" * 10_000 + "</body></html>"
    try:
        found = extract_html(deep)
    except Rejected:
        return
    assert "Deep text" in found.text


def test_deeply_nested_json_ld_does_not_crash():
    ld = '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>"
    found = extract_html(article("<p>Markets were calm.</p>", head=ld))
    assert "Markets were calm." in found.text


# --- MHTML ----------------------------------------------------------------------------------


def mhtml(html: bytes, *, transfer: str = "base64", charset: str | None = None) -> bytes:
    """A single-file saved page as Chromium writes it, with an image part after the page."""
    body = base64.encodebytes(html) if transfer == "base64" else html
    content_type = "text/html" + (f'; charset="{charset}"' if charset else "")
    return (
        (
            "MIME-Version: 1.0\r\n"
            f"Snapshot-Content-Location: {STORY_URL}\r\n"
            'Content-Type: multipart/related; type="text/html"; boundary="BOUNDARY"\r\n\r\n'
            f"--BOUNDARY\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: {transfer}\r\nContent-Location: {STORY_URL}\r\n\r\n"
        ).encode()
        + body
        + (
            b"\r\n--BOUNDARY\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
            b"Content-Location: https://levantledger.example/logo.png\r\n\r\niVBORw0KGgo=\r\n"
            b"--BOUNDARY--\r\n"
        )
    )


def test_mhtml_file_extracts_like_its_html():
    as_html = extract_html(page("article_with_clutter.html"))
    as_mhtml = extract_mhtml(page("article_with_clutter.mhtml"))
    assert as_mhtml.text == as_html.text == STORY
    for name in ("title", "source", "author", "date", "url", "language_hint", "basis"):
        assert getattr(as_mhtml, name) == getattr(as_html, name)
    assert as_mhtml.kind == "mhtml"


def test_mhtml_part_in_base64_with_its_charset_in_the_mime_header():
    html = re.sub(rb"<meta http-equiv[^>]*>", b"", page("windows-1252.html"))
    found = extract_mhtml(mhtml(html, charset="windows-1252"))
    assert FRENCH in found.text
    assert found.url == STORY_URL
    assert found.basis["url"] == "html:saved-from"


def test_mhtml_without_a_page_is_rejected():
    data = mhtml(b"").replace(b"text/html", b"text/plain")
    with pytest.raises(Rejected, match="no web page"):
        extract_mhtml(data)


def test_html_file_saved_under_an_mhtml_name_still_extracts():
    assert extract_mhtml(page("article_with_clutter.html")).text == STORY


# --- titles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "head", "h1", "expected"),
    [
        ("Dam works resume | The Ledger", '<meta property="og:site_name" content="The Ledger">',
         "", "Dam works resume"),
        ("The Ledger - Dam works resume", '<meta property="og:site_name" content="The Ledger">',
         "", "Dam works resume"),
        ("Dam works resume – ledger.example", "", "", "Dam works resume"),
        ("Dam works resume | Business | The Ledger",
         '<meta property="og:site_name" content="The Ledger">', "Dam works resume",
         "Dam works resume"),
        ("Russia-Ukraine talks stall - The Ledger",
         '<meta property="og:site_name" content="The Ledger">', "", "Russia-Ukraine talks stall"),
        ("Fact check: did the dam fail?", "", "", "Fact check: did the dam fail?"),
        ("Unknown Site | Dam works resume", "", "", "Unknown Site | Dam works resume"),
    ],
)  # fmt: skip
def test_title_loses_its_outlet_segment(title, head, h1, expected):
    body = f"<h1>{h1}</h1><p>Work restarted.</p>" if h1 else "<p>Work restarted.</p>"
    assert extract_html(article(body, head=head, title=title)).title == expected


def test_site_logo_h1_is_not_taken_for_the_headline():
    body = '<h1><a href="/">The Ledger</a></h1><p>Work restarted.</p>'
    found = extract_html(article(body, title="Dam works resume - The Ledger"))
    # the logo names the site (the masthead), so the title loses that segment too
    assert (found.title, found.source) == ("Dam works resume", "The Ledger")
    assert found.basis["source"] == "html:masthead"


# --- outlets --------------------------------------------------------------------------------


def test_outlet_names_and_domains_normalise_to_one_name():
    for name in ("FT", "ft.com", "Financial Times", "The Financial Times", " financial  times "):
        assert normalise_outlet(name) == "Financial Times"
    assert normalise_outlet("The Levant  Ledger") == "The Levant Ledger"
    assert known_outlet("The Levant Ledger") is None
    assert known_outlet("AP") == "Associated Press"
    assert outlet_from_url("https://www.ft.com/content/abc") == "Financial Times"
    assert outlet_from_url("https://edition.cnn.com/2023/03/14/world") == "CNN"
    assert outlet_from_url("https://levantledger.example/x") is None
    assert outlet_from_url("http://[::1") is None
    assert is_wire_service("Reuters") and not is_wire_service("The Guardian")


def test_outlet_table_has_no_name_claimed_by_two_outlets():
    seen: dict[str, str] = {}
    for canonical, names in OUTLETS.items():
        for name in (canonical, *names):
            key = re.sub(r"[^\w]+", " ", name.casefold()).strip()
            assert seen.setdefault(key, canonical) == canonical, name


def page_with(site: str, url: str = "") -> str:
    head = f'<meta property="og:site_name" content="{site}">'
    if url:
        head += f'<link rel="canonical" href="{url}">'
    return article("<p>Ministers met.</p>", head=head)


def test_outlet_from_the_page_is_normalised():
    found = extract_html(page_with("FT"))
    assert (found.source, found.basis["source"]) == ("Financial Times", "html:meta")


def test_well_known_domain_beats_a_section_name_in_the_page():
    found = extract_html(page_with("World News", "https://www.reuters.com/world/x-2023-03-14/"))
    assert (found.source, found.basis["source"]) == ("Reuters", "url")


def test_wire_service_named_on_another_site_is_syndicated_copy():
    html = page_with("Associated Press", "https://www.valleynews.example/news/ap-story")
    assert extract_html(html).source == "valleynews.example"


def test_site_name_with_a_tagline_keeps_the_name():
    html = page_with("Ledger Daily | News you can trust", "https://ledgerdaily.example/a/1")
    assert extract_html(html).source == "Ledger Daily"


def test_no_site_name_and_no_address_leaves_the_outlet_unknown():
    found = extract_html(article("<p>Ministers met.</p>"))
    assert found.source is None and "source" not in found.basis


def test_saved_from_comment_gives_the_address_and_the_outlet():
    html = "<!-- saved from url=(0045)https://www.aljazeera.com/news/2023/3/14/x -->\n"
    html += article("<p>Ministers met.</p>")
    found = extract_html(html)
    assert found.url == "https://www.aljazeera.com/news/2023/3/14/x"
    assert (found.source, found.basis["url"]) == ("Al Jazeera", "html:saved-from")


def test_given_url_is_used_when_the_page_has_none():
    found = extract_html(article("<p>Ministers met.</p>"), url="https://www.bbc.co.uk/news/x")
    assert (found.url, found.basis["url"], found.source) == (
        "https://www.bbc.co.uk/news/x",
        "given",
        "BBC News",
    )


# --- what looks like HTML -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("  <html lang='en'><p>x</p></html>", True),
        ("<p>One.</p>\n<p>Two <b>bold</b>.</p>", True),
        ("Plain news text.\n\nSecond paragraph, 3 < 5 and 7 > 2.", False),
        ("# Markdown title\n\nSome *text* with a <br> in it.", False),
        ("I <3 this town.", False),
        ("<div>" * 2000 + "<p>Deep.</p>" + "</div>" * 2000, True),
    ],
)
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


# --- robustness -----------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<script>x()</script>", "<a href='javascript:x'>",
     "</a>", "<img onerror=x>", "<br>", "&lt;", "&amp;", "<!--", "-->", "<h1>", "</h1>",
     "<meta charset='x'>", " Ministers met on Tuesday in Damascus. "]
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=60))
def test_any_input_gives_plain_text_or_a_rejection(parts):
    try:
        found = extract_html("".join(parts))
    except Rejected as err:
        assert str(err)
        return
    # No markup survives; a "<" the input escaped ("&lt;A") is the text's own.
    assert found.text and len(TAG.findall(found.text)) <= "".join(parts).count("&lt;")


def test_short_story_whose_headline_says_not_found_is_not_an_error_page():
    story = " ".join(["Rescuers searched the ridge again at first light on Monday."] * 5)
    html = (
        "<html><head><title>Missing climber not found after three days</title></head><body>"
        f"<article><h1>Missing climber not found after three days</h1><p>{story}</p>"
        "</article></body></html>"
    )
    assert extract_html(html).title == "Missing climber not found after three days"


def test_pasted_fragment_without_page_structure_gives_its_text():
    first = "Ministers from both countries met in Amman on Sunday to discuss the border."
    second = "They agreed to reopen the Nasib crossing to lorries from next month."
    found = extract_html(f"<p>{first}</p><p>{second}</p>")
    assert found.text == f"{first}\n\n{second}"


def test_pasted_snippet_too_short_to_be_an_article_is_rejected():
    with pytest.raises(Rejected, match=r"only 6 words of main text"):
        extract_html("<p>Ministers met in Amman on Sunday.</p>")


def test_json_ld_with_nested_author_lists_does_not_crash():
    author = "[" * 900 + '"Jane Doe"' + "]" * 900
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": %s}</script>'
    found = extract_html(article("<p>Markets were calm.</p>", head=ld % author))
    assert "Markets were calm." in found.text


def test_xhtml_with_an_xml_declaration_reads_its_charset():
    page_text = article("<p>Le marché de Hama a rouvert après l’été.</p>")
    xhtml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + page_text.replace("’", "'")
    found = extract_html(xhtml.encode("latin-1"))
    assert "Le marché de Hama a rouvert après l'été." in found.text


def test_small_table_rows_are_kept():
    rows = "".join(f"<tr><td>{city}</td></tr>" for city in ("Homs", "Hama", "Idlib"))
    found = extract_html(article(f"<p>Schools reopened in these cities:</p><table>{rows}</table>"))
    assert all(city in found.text for city in ("Homs", "Hama", "Idlib"))
