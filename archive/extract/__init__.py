"""Extraction: any submitted document (text, Markdown, HTML, saved page) to clean text and
the metadata it shows. Pure functions; nothing here touches the disk."""

from __future__ import annotations

from pathlib import PurePath

from archive.extract.decode import decode_bytes
from archive.extract.document import Extracted
from archive.extract.text import extract_text

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MHTML_SUFFIXES = {".mhtml", ".mht"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt", ".text", ""}
SUFFIXES = HTML_SUFFIXES | MHTML_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES | {".jsonl"}


def kind_for(name: str) -> str:
    """The kind of document a file name says it is: html, mhtml, markdown or text."""
    suffix = PurePath(name).suffix.casefold()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MHTML_SUFFIXES:
        return "mhtml"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def extract_document(
    data: bytes,
    *,
    kind: str = "text",
    url: str | None = None,
    title: str | None = None,
    author: str | None = None,
) -> Extracted:
    """Clean text and found metadata of one document; raises `Rejected` with a reason.

    `title` and `author`, when already known, help remove a repeated headline and byline
    debris from plain text.
    """
    if kind == "mhtml":
        from archive.extract.mhtml import extract_mhtml

        return extract_mhtml(data, url=url)
    # The HTML stage is imported when needed: trafilatura takes a while to import, and
    # searching or adding plain text never needs it.
    from archive.extract.html import extract_html, looks_like_html

    if kind == "html":
        return extract_html(data, url=url)
    text = decode_bytes(data)
    if kind == "text" and looks_like_html(text):  # pasted HTML, or a page saved as .txt
        return extract_html(text, url=url)
    return extract_text(text, markdown=kind == "markdown", title=title, author=author)


__all__ = ["Extracted", "extract_document", "extract_text", "kind_for", "SUFFIXES"]
