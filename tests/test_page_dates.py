"""A page's publication date keeps how it was found and how far it can be trusted."""

from __future__ import annotations

from archive.extract.html import extract_html
from archive.extract.pagedates import judge_date, url_date
from tests.test_extract_html import mhtml

STORY = "".join(
    f"<p>{s}</p>"
    for s in (
        "The ferry service to the islands resumed on Tuesday after the storm had kept the "
        "boats in harbour for four days, and the first crossing was full by seven.",
        "Islanders queued at the quay with empty gas bottles and crates for supplies, and "
        "the shop on the main island said it had run out of bread on Sunday.",
        "The operator said it would add two sailings a day until the backlog was cleared.",
    )
)


def page(head: str = "", body_extra: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>Ferries resume</title>{head}</head><body>"
        f"<article><h1>Ferries resume</h1>{body_extra}{STORY}</article></body></html>"
    )


def published(day: str) -> str:
    return f'<meta property="article:published_time" content="{day}T08:00:00Z">'


def test_date_confirmed_by_another_date_on_the_page_is_trusted():
    found = extract_html(
        page(published("2021-03-09"), '<time datetime="2021-03-09">9 March</time>')
    )
    assert found.date == "2021-03-09"
    assert found.date_confidence >= 0.8 and not found.date_uncertain


def test_date_far_from_every_other_date_on_the_page_is_uncertain():
    head = published("2009-06-01") + '<meta property="article:modified_time" content="2021-03-10">'
    found = extract_html(page(head, '<time datetime="2021-03-09">9 March 2021</time>'))
    assert found.date == "2009-06-01"
    assert found.date_uncertain and found.date_confidence < 0.5
    assert found.basis["date"] == "html:meta"


def test_date_long_before_the_page_was_saved_is_uncertain():
    html = page(published("2004-02-02")).encode()
    data = mhtml(html).replace(
        b"MIME-Version", b"Date: Tue, 9 Mar 2021 10:00:00 +0000\r\nMIME-Version", 1
    )
    from archive.extract.mhtml import extract_mhtml

    found = extract_mhtml(data)
    assert found.date == "2004-02-02" and found.date_uncertain


def test_date_after_the_page_was_saved_is_uncertain():
    assert judge_date("2021-05-01", "html:json-ld", [], saved_on="2021-03-09")[1]
    assert not judge_date("2021-03-09", "html:json-ld", [], saved_on="2021-03-09")[1]


def test_a_date_read_from_the_text_alone_is_uncertain_and_one_from_data_is_not():
    assert judge_date("2021-03-09", "html:htmldate", [])[1]
    assert not judge_date("2021-03-09", "html:json-ld", [])[1]
    assert judge_date("2016-01-01", "html:htmldate", ["2016-01-01"])[1]  # a year made a day


def test_url_date():
    assert url_date("https://news.example/2020/03/14/story") == "2020-03-14"
    assert url_date("https://news.example/a-20200314-b") == "2020-03-14"
    assert url_date("https://news.example/2020/13/40/x") is None
    assert url_date(None) is None
