"""Words for codes: language names, and how a metadata value was found, said plainly."""

from __future__ import annotations

from datetime import date

from archive.language import language_name  # noqa: F401  (names for every code, from CLDR)

# How a value was found (Article.basis), in words a reader understands.
BASIS = {
    "user": "stated when it was added",
    "edited": "corrected by an editor",
    "sidecar": "from the metadata file beside the original",
    "front-matter": "from the header lines of the file",
    "langdetect": "detected from the text",
    "langdetect+html:lang": "detected from the text, with the page's declared language",
    "script": "told by the text's writing system",
    "script+html:lang": "told by the text's writing system",
    "html:masthead": "from the site's logo or home link",
    "html:copyright": "from the page's copyright line",
    "html:htmldate": "found in the page by the date finder",
    "html:canonical": "from the page's canonical link",
    "html:json-ld": "from the page's structured data",
    "html:lang": "declared by the page",
    "html:meta": "from the page's meta tags",
    "html:saved-from": "from the browser's “saved from” note",
    "html:title": "from the page title",
    "html:trafilatura": "found in the page by the article extractor",
    "text:first-line": "the first line of the text",
    "text:headline": "a headline line in the text",
    "text:markdown": "the Markdown heading",
    "text:outlet-line": "an outlet line in the text",
    "text:byline": "a byline in the text",
    "text:dateline": "a dateline in the text",
}

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe_basis(basis: str | None) -> str:
    """How a metadata value was found, e.g. "from the page's structured data"."""
    if not basis:
        return ""
    if basis in BASIS:
        return BASIS[basis]
    kind, _, detail = basis.partition(":")
    where = {"html": "found in the page", "text": "found in the text"}.get(kind)
    return f"{where} ({detail.replace('-', ' ')})" if where and detail else basis


def month_label(value: str) -> str:
    """ "2024-12" -> "Dec 2024"."""
    try:
        year, month = value.split("-")[:2]
        return f"{MONTHS[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return value


def date_label(value: str | None) -> str:
    """ "2024-12-07" -> "7 Dec 2024"; partial or odd dates are shown as they are."""
    if not value:
        return "undated"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
