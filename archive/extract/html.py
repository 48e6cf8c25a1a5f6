"""Saved web pages: the article's clean text and the metadata the page itself shows.

trafilatura finds the main text and htmldate the publication date (measured best on real news
pages, see docs/html-extraction.md). Title, outlet, author, address and language come from
the page's own JSON-LD, ``<meta>`` tags and byline, read on the same lxml parse (page.py) and
chosen here, each with how it was found. What comes out is plain text: no markup survives.
Pages that hold no article are rejected and menus cut from bodies (notarticle.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from htmldate import find_date
from trafilatura import bare_extraction, load_html

from archive.extract.document import Extracted
from archive.extract.encoding import decode_html
from archive.extract.notarticle import check_article, trim_navigation, word_count
from archive.extract.outlets import (
    domain_label,
    host_of,
    looks_like_domain,
    outlet_of_page,
    resembles,
    segments,
    site_domain,
)
from archive.extract.page import LEFTOVER_TAG, Page, read_page
from archive.extract.pagedates import judge_date, url_date
from archive.model import Rejected

SHORT_WORDS = 60  # a main text this short is checked against a recall-oriented second pass

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_KNOWN_TAG = re.compile(
    r"</?(?:p|div|span|a|br|hr|h[1-6]|ul|ol|li|table|tr|td|em|strong|b|i|u|article|section|"
    r"img|meta|link|title|head|body|blockquote|pre|figure|script|style)\b[^<>]*>",
    re.I,
)
_CLOSING_TAG = re.compile(r"</(?:p|div|span|a|h[1-6]|li|td|article|section|blockquote|b|i)>", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
# what is left of a dateline or a share bar once its dates and links are gone: "· Updated"
_DEBRIS = re.compile(r"[·•]\s*(?:\S+\s*){0,3}$")


def looks_like_html(text: str) -> bool:
    """Whether pasted text is HTML (a page or a fragment) rather than plain text."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    # a closing tag may come only at the end (a fragment nested deep in <div>s)
    closing = _CLOSING_TAG.search(head) or _CLOSING_TAG.search(text[-4096:])
    return len(_KNOWN_TAG.findall(head)) >= 3 and bool(closing)


def extract_html(data: bytes | str, *, url: str | None = None) -> Extracted:
    """The article in a saved web page or pasted HTML: clean text plus the metadata found.

    Raises Rejected when the page holds no article (error page, login wall, no main text)
    or its bytes are not text.
    """
    text = data if isinstance(data, str) else decode_html(data)
    return extract_page(text, url=url, kind="html")


def extract_page(
    text: str,
    *,
    url: str | None,
    kind: str,
    saved_from: str | None = None,
    saved_on: str | None = None,
) -> Extracted:
    """`extract_html` on decoded text, labelled with the kind of file it came from.

    `saved_from` and `saved_on` are the address and the day a saved-page format records
    outside the HTML (MHTML).
    """
    tree = _parse(text)
    page = read_page(tree, text, url, saved_from)
    page.saved_on = saved_on
    page_url = page.canonical or page.og_url or url or page.saved_from
    body, how = _main_text(tree, page_url), "html:trafilatura"
    if not body and _is_fragment(text):
        body, how = _fragment_text(text), "html:fragment"
    check_article(body, page)
    return _assemble(body, how, page, _find_date(tree, page_url), url=url, kind=kind)


def _parse(text: str):
    """The page as an lxml tree, parsed as trafilatura parses it (comments dropped)."""
    text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    if not text.strip():
        raise Rejected("the page is empty")
    # trafilatura refuses a bare fragment ("<p>a</p>"): give it a body to live in
    tree = load_html(text)
    if tree is None:
        tree = load_html(f"<html><body>{text}</body></html>")
    if tree is None:
        raise Rejected("the page could not be read as HTML")
    return tree


def _main_text(tree, url: str | None) -> str:
    """The article's text by trafilatura in precision mode, widened when that finds too
    little; menus at either end cut."""
    body = trim_navigation(_trafilatura_text(tree, url))
    if word_count(body) < SHORT_WORDS:
        # precision mode sometimes keeps only a notice and drops the story (a reprints box
        # in the article's own container); a recall pass that finds far more text wins
        wider = trim_navigation(_trafilatura_text(tree, url, recall=True))
        if word_count(wider) >= 2 * word_count(body):
            return wider
    return body


def _trafilatura_text(tree, url: str | None, *, recall: bool = False) -> str:
    """trafilatura's main text of the page, cleaned (the tree is copied, not changed)."""
    try:
        doc = bare_extraction(
            tree,
            url=url,
            favor_precision=not recall,
            favor_recall=recall,
            fast=recall,
            include_comments=False,
            include_tables=True,
        )
    except RecursionError:  # absurdly nested pages; libxml2 caps depth, this is a last guard
        return ""
    return _clean_text(doc.text) if doc is not None else ""


def _find_date(tree, url: str | None) -> str | None:
    """The publication date htmldate finds, with trafilatura's settings (original, extensive)."""
    try:
        return find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=True,
            max_date=dt.date.today().isoformat(),
        )
    except (RecursionError, ValueError):
        return None


def _clean_text(raw: str) -> str:
    """Plain text, NFC, one paragraph per line of the extract, blank lines between them."""
    text = unicodedata.normalize("NFC", raw)
    # pages that show escaped markup (double-encoded CMS output) must not hand it on as HTML
    text = LEFTOVER_TAG.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    paragraphs = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line and not _DEBRIS.match(line) and (not paragraphs or paragraphs[-1] != line):
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def _is_fragment(text: str) -> bool:
    return not re.search(r"<(?:html|body)\b", text[:65536], re.I)


def _fragment_text(text: str) -> str:
    """The text of a pasted HTML fragment that trafilatura left empty, sanitised with bs4."""
    with warnings.catch_warnings():
        # a pasted snippet that looks like a URL or a file name is still just text here
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "object", "svg"]):
        tag.decompose()
    blocks = soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre", "td"])
    lines = [b.get_text(" ", strip=True) for b in blocks] or [soup.get_text("\n")]
    return _clean_text("\n".join(lines))


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _pick_source(page: Page, url: str | None) -> tuple[str | None, str]:
    """The page's outlet and how it was found (see `outlets.outlet_of_page`)."""
    # a <title> segment that is a domain ("Headline - JPost.com") names the site too
    in_title = [p for p in segments(page.title_tag or "")[1:] if looks_like_domain(p)]
    claims = [
        (page.og_site, "html:meta"),
        (page.ld_publisher, "html:json-ld"),
        (page.app_name, "html:meta"),
        (in_title[-1] if in_title else None, "html:title"),
    ]
    own = host_of(url) or page.link_host or ""
    confirmed, matching = _title_affixes(page, own)
    inferred = [(a, "html:title") for a in dict.fromkeys(matching + confirmed)]
    inferred += [(n, "html:masthead") for h, n in page.home_links if h is None or h == own]
    if page.copyright:
        inferred.append((re.sub(r"^(?:by|par|por|von)\s+", "", page.copyright, flags=re.I),
                         "html:copyright"))  # fmt: skip
    titles = [page.og_title, page.ld_headline]  # not the <h1>s: one may be the logo
    if len(segments(page.title_tag or "")) > 1:  # a bare "<title>Site</title>" is no evidence
        titles.append(page.title_tag)
    return outlet_of_page(
        claims, url, inferred=inferred, titles=titles, own_host=own, affirmed=confirmed
    )


def _title_affixes(page: Page, own: str) -> tuple[list[str], list[str]]:
    """Title segments that name the site: (those the page confirms, those that only match
    its address). Confirmed: what is left when the rest of the title is the headline
    ("МК Оренбург" after "Headline - "), or a segment that is an <h1> other than the
    headline (a blog's name). Matching: a segment like the address ("… - Entermedia")."""
    title = page.title_tag or ""
    headlines = {_key(h) for h in (page.og_title, page.ld_headline, *page.h1s) if h}
    parts = segments(title)
    if len(parts) == 1 and ": " in title:
        parts = title.split(": ", 1)
    if len(parts) < 2:
        return [], []
    h1_keys = {_key(h) for h in page.h1s}
    confirmed, matching = [], []
    for affix, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
        if _key(" ".join(rest)) in headlines and affix is parts[-1]:
            confirmed.append(affix)
        elif _key(" ".join(rest)) in headlines and own and resembles(affix, own):
            matching.append(affix)  # a leading one may be a section ("Edition X | Headline")
    for part in parts:
        if _key(part) in headlines and _key(part) not in h1_keys - {_key(page.og_title or "")}:
            continue
        if _key(part) in h1_keys and part not in confirmed and _key(title) != _key(part):
            confirmed.append(part)
        elif own and resembles(part, own) and part not in matching:
            matching.append(part)
    return confirmed, matching


def _title_forms(title: str, sites: list[str]) -> list[str]:
    """The title, then the title without a leading or trailing segment naming the site."""
    parts = segments(title)
    keys = {_key(s) for s in sites if s}

    def names_site(part: str) -> bool:
        return _key(part) in keys or looks_like_domain(part)

    while len(parts) > 1 and (names_site(parts[-1]) or names_site(parts[0])):
        parts = parts[:-1] if names_site(parts[-1]) else parts[1:]
    stripped = _join_like(title, parts)
    forms = [stripped, title]
    if len(parts) > 1:  # an unknown affix; the visible headline may confirm dropping it
        forms += [_join_like(title, parts[:-1]), _join_like(title, parts[1:])]
    return forms


def _join_like(title: str, parts: list[str]) -> str:
    """The span of the original title that the kept parts cover (keeps its separators)."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(parts)


def _pick_title(page: Page, sites: list[str]) -> tuple[str | None, str]:
    """The headline: a title field the visible <h1> confirms, else the first, minus the site."""
    candidates = [(t, how) for t, how in ((page.ld_headline, "html:json-ld"),
                  (page.og_title, "html:meta"), (page.title_tag, "html:title")) if t]  # fmt: skip
    h1_keys = {_key(h) for h in page.h1s}
    for title, how in candidates:
        for form in _title_forms(title, sites):
            if _key(form) in h1_keys:
                return form, how
    for title, how in candidates:
        return _title_forms(title, sites)[0], how
    return (page.h1s[0], "html:h1") if page.h1s else (None, "")


def _pick_date(page: Page, found: str | None) -> tuple[str | None, str]:
    """htmldate's publication date, unless the page's own Article data says otherwise.

    A day apart is a time zone; further apart, htmldate has picked up some other date on the
    page, and the explicit datePublished / article:published_time is the better witness.
    """
    explicit, how = page.ld_published, "html:json-ld"
    if not explicit:
        explicit, how = page.meta_published, "html:meta"
    if found and explicit and found != explicit:
        apart = abs(dt.date.fromisoformat(found) - dt.date.fromisoformat(explicit)).days
        if apart > 1:
            return explicit, how
    if found:
        return found, how if found == explicit else "html:htmldate"
    return explicit, how


def _without_headline(body: str, headlines: list[str | None]) -> str:
    """The text without a first paragraph that repeats the headline (it is the title field)."""
    first, _, rest = body.partition("\n\n")
    if rest and _key(first) in {_key(h) for h in headlines if h}:
        return rest
    return body


def _assemble(
    body: str, how: str, page: Page, date: str | None, *, url: str | None, kind: str
) -> Extracted:
    """The extract, with how the text and each metadata value were found."""
    found: dict[str, str] = {}
    basis = {"text": how}

    def put(name: str, value: str | None, how: str) -> None:
        if value and name not in found:
            found[name], basis[name] = value, how

    put("url", page.canonical, "html:canonical")
    put("url", page.og_url, "html:meta")
    put("url", url, "given")
    put("url", page.saved_from, "html:saved-from")
    # the outlet is the site that ran the page: its own address before the canonical one,
    # which on syndicated copy (MSN, Yahoo) names the original publisher
    ran_at = url or page.saved_from or page.og_url or found.get("url")
    put("source", *_pick_source(page, ran_at))
    host = host_of(ran_at)
    if not host and page.link_host and resembles(found.get("source") or "", page.link_host):
        host = page.link_host  # the site's own links confirm the name read off the page
    domain = (site_domain(host) or host) if found.get("source") and host else None
    sites = [s for s in (found.get("source"), page.og_site, page.ld_publisher, page.app_name) if s]
    put("title", *_pick_title(page, sites + ([domain_label(host)] if host else [])))
    body = _without_headline(body, [found.get("title"), *page.h1s])
    put("author", page.ld_author, "html:json-ld")
    put("author", page.meta_author, "html:meta")
    put("author", page.byline, "html:byline")
    put("date", *_pick_date(page, date))
    chosen, how_dated = found.get("date"), basis.get("date", "")
    # the other dates the page shows; the date finder reads the same tags, so it confirms
    # nothing when it agrees, and the chosen date's own source never confirms itself
    witnesses = {"html:json-ld": page.ld_published, "html:meta": page.meta_published,
                 "html:htmldate": date if date != chosen else None}  # fmt: skip
    witnesses.pop(how_dated, None)
    others = [*witnesses.values(), url_date(ran_at), *page.other_dates]
    confidence, uncertain = judge_date(chosen, how_dated, others, page.saved_on)
    put("language_hint", page.lang, "html:lang")
    return Extracted(
        text=body,
        title=found.get("title"),
        source=found.get("source"),
        author=found.get("author"),
        date=found.get("date"),
        url=found.get("url"),
        language_hint=found.get("language_hint"),
        source_domain=domain,
        date_confidence=confidence,
        date_uncertain=uncertain,
        basis=basis,
        kind=kind,
    )
