"""Pages saved by a browser as a single file (.mhtml/.mht): find the page, then read it as HTML."""

from __future__ import annotations

import email
import email.utils
from email import policy
from email.message import Message

from archive.extract.document import Extracted
from archive.extract.encoding import decode_html
from archive.extract.html import extract_page, looks_like_html
from archive.model import Rejected


def extract_mhtml(data: bytes, *, url: str | None = None) -> Extracted:
    """The article in an MHTML saved page: its text/html part, decoded, then as `extract_html`.

    Raises Rejected when the file holds no HTML page or the page holds no article.
    """
    message = email.message_from_bytes(data, policy=policy.compat32)
    part = _page_part(message)
    if part is None:
        # a plain .html file saved under an .mhtml name is still a page
        text = decode_html(data)
        if looks_like_html(text):
            return extract_page(text, url=url, kind="mhtml")
        raise Rejected("the MHTML file holds no web page (no text/html part)")
    payload = part.get_payload(decode=True) or b""
    text = decode_html(payload, declared=part.get_content_charset())
    # the address the browser saved the page from, as the page's own "saved from" note
    location = message.get("Snapshot-Content-Location") or part.get("Content-Location")
    return extract_page(
        text, url=url, kind="mhtml", saved_from=location, saved_on=_saved_on(message)
    )


def _saved_on(message: Message) -> str | None:
    """The day the browser saved the page (the MIME Date header), as YYYY-MM-DD."""
    try:
        when = email.utils.parsedate_to_datetime(message.get("Date") or "")
    except (TypeError, ValueError, IndexError):
        return None
    return when.date().isoformat() if when else None


def _page_part(message: Message) -> Message | None:
    """The saved page itself: the root the MIME headers name, else the first text/html part."""
    pages = [p for p in message.walk() if p.get_content_type() == "text/html"]
    if not pages:
        return None
    start = message.get_param("start")
    location = message.get("Snapshot-Content-Location")
    for part in pages:
        if (start and part.get("Content-ID") == start) or (
            location and part.get("Content-Location") == location
        ):
            return part
    return pages[0]
