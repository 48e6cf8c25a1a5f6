"""What a saved web page says about itself: its ``<meta>`` tags, JSON-LD, byline, links, dates.

Read from the lxml tree that `archive.extract.html` parses for the main text, so a page is
parsed once. Each value is kept as the page gives it (tidied); choosing among them is html.py's.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

# markup left in a value or a text (double-encoded CMS output); html.py strips it from bodies too
LEFTOVER_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")


@dataclass
class Page:
    """What the page states about itself in its head, JSON-LD and headings."""

    lang: str | None = None
    title_tag: str | None = None
    og_title: str | None = None
    ld_headline: str | None = None
    h1s: list[str] = field(default_factory=list)
    og_site: str | None = None
    ld_publisher: str | None = None
    ld_author: str | None = None
    meta_author: str | None = None
    byline: str | None = None
    app_name: str | None = None
    ld_published: str | None = None
    meta_published: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    saved_from: str | None = None
    has_password: bool = False
    # the masthead: names on links to a site's home page, as (host or None if relative, name)
    home_links: list[tuple[str | None, str]] = field(default_factory=list)
    link_host: str | None = None  # the host most absolute links point to: the site's own
    copyright: str | None = None  # the holder a "© 2020 Name" line names
    is_video: bool = False  # og:type video.*, or a VideoObject and no article in JSON-LD
    is_diff: bool = False  # a wiki's table comparing two revisions
    other_dates: list[str] = field(default_factory=list)  # modified dates, <time> elements
    saved_on: str | None = None  # when the page was saved (an MHTML file's Date header)


_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "dc.date", "date",
    "sailthru.date", "parsely-pub-date", "article.published", "publication_date",
)  # fmt: skip
_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
_ARTICLE_TYPE = re.compile(r"Article$|BlogPosting$|^Report$", re.I)


def read_page(tree, text: str, url: str | None, saved_from: str | None = None) -> Page:
    """What the page says about itself; `url` and `saved_from` resolve relative links."""
    page = Page()
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = _tidy(el.get("content"))
        if key and value and key not in meta:
            meta[key] = value
    page.lang = _language(tree.get("lang") or meta.get("content-language") or meta.get("og:locale"))
    title = tree.find(".//title")
    page.title_tag = _tidy(title.text_content()) if title is not None else None
    page.og_title = meta.get("og:title") or meta.get("twitter:title")
    page.og_site = meta.get("og:site_name")
    page.app_name = meta.get("application-name")
    page.meta_author = next(
        (_author(meta[k]) for k in _AUTHOR_KEYS if k in meta and _author(meta[k])), None
    )
    _read_json_ld(tree, page)
    if not (page.ld_author or page.meta_author):  # the markup is searched only when needed
        page.byline = _byline(tree)
    page.h1s = [t for t in (_tidy(h.text_content()) for h in _headings(tree)) if t][:5]
    page.meta_published = _iso_date(next((meta[k] for k in _PUBLISHED_KEYS if k in meta), None))
    page.other_dates += [_iso_date(meta.get(k)) for k in _MODIFIED_KEYS]
    for n, el in enumerate(tree.iter("time")):
        if n >= 20:
            break
        page.other_dates.append(_iso_date(el.get("datetime")))
    saved = _SAVED_FROM.search(text[:4096])
    page.saved_from = _absolute(saved_from or (saved and saved.group(1)), None)
    page.og_url = _article_url(meta.get("og:url"), url or page.saved_from)
    base = url or page.saved_from or page.og_url
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            page.canonical = _article_url(link.get("href"), base)
            break
    page.has_password = any((i.get("type") or "").lower() == "password" for i in tree.iter("input"))
    _read_links(tree, page)
    page.is_video = page.is_video or (meta.get("og:type") or "").lower().startswith("video")
    page.is_diff = any("diff" in (t.get("class") or "").split() for t in tree.iter("table"))
    page.copyright = _copyright(text)
    return page


_MAX_LINKS = 600  # a masthead and the site's own links come early; menus of thousands do not


def _read_links(tree, page: Page) -> None:
    """The names on home-page links (logo alt text, link text) and the most linked host."""
    hosts: dict[str, int] = {}
    for n, a in enumerate(tree.iter("a")):
        if n >= _MAX_LINKS:
            break
        href = (a.get("href") or "").strip()
        try:
            parts = urlsplit(href)
            host = (parts.hostname or "").casefold().removeprefix("www.") or None
        except ValueError:
            continue
        if host and parts.scheme in ("http", "https"):
            hosts[host] = hosts.get(host, 0) + 1
        if not _is_home_link(href) or len(page.home_links) >= 8:
            continue
        alts = [i.get("alt") or i.get("title") for i in a.iter("img")]
        for name in (*alts, a.get("title"), a.text_content()):
            name = _tidy(name)
            if name and len(name) <= 60 and len(name.split()) <= 6:
                page.home_links.append((host, name))
                break
    if hosts:
        host, count = max(hosts.items(), key=lambda item: item[1])
        page.link_host = host if count >= 3 else None


# "© 2020 Name", "Copyright (c) 2019-2020 Name Inc. All rights reserved"
_COPYRIGHT = re.compile(
    r"(?:©|ⓒ|\(c\)|copyright)\s*(?:©|ⓒ|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?"
    r"([^\W\d][^.,;|©\n]{1,40}?)\s*(?:[.,;|©\n]|all rights|$)",
    re.I,
)


def _copyright(html: str) -> str | None:
    """The holder named by the last copyright line of the page, if any (read off the end of
    the markup, where footers are: far cheaper than the tree's whole text)."""
    tail = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", html[-30000:], flags=re.I | re.S)
    text = html_lib.unescape(LEFTOVER_TAG.sub("\n", tail))
    found = None
    for match in _COPYRIGHT.finditer(text):
        found = match.group(1)
    return _tidy(found)


def _author(value: str | None) -> str | None:
    """A person's or desk's name as a byline gives it, or None for a URL or a paragraph."""
    value = _BY.sub("", _tidy(value) or "")
    if not value or len(value) > 100 or re.search(r"https?:|www\.|@|\d{3}", value):
        return None
    return value


_BYLINE_XPATH = (
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline') "
    "or contains(@class, 'author-name')]"
)


def _byline(tree) -> str | None:
    """The first short byline in the page's markup ("By Jane Doe")."""
    for el in tree.xpath(_BYLINE_XPATH)[:5]:
        name = el.xpath("string(.//*[@itemprop='name'])") or el.text_content()
        if (name := _author(name)) and len(name.split()) <= 8:
            return name
    return None


def _headings(tree) -> list:
    """The page's <h1>s, less a site logo (an <h1> that links to the home page)."""
    found = []
    for h1 in tree.iter("h1"):
        links = [*h1.iter("a"), *h1.iterancestors("a")]
        if not any(_is_home_link(a.get("href")) for a in links):
            found.append(h1)
    return found


def _is_home_link(href: str | None) -> bool:
    if not href or href.startswith("#"):
        return False
    parts = urlsplit(href.strip())
    return parts.path.strip("/") in ("", "index.html", "index.php") and not parts.query


def _read_json_ld(tree, page: Page) -> None:
    """Headline, publisher, author and publication date of the page's Article object."""
    objects, by_id = [], {}
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(objects) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@id"), str):
                    by_id.setdefault(item["@id"], item)
                stack.extend(reversed(list(item.get("@graph") or [])))
    video = article = False
    for obj in objects:
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        video = video or "VideoObject" in types
        if not any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
            continue
        article = True
        page.ld_headline = page.ld_headline or _tidy(_name(obj.get("headline")))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and set(publisher) <= {"@id", "@type"}:
            publisher = by_id.get(publisher.get("@id"), publisher)
        page.ld_publisher = page.ld_publisher or _tidy(_name(publisher))
        page.ld_author = page.ld_author or _tidy(_name(obj.get("author"), by_id))
        page.ld_published = page.ld_published or _iso_date(_name(obj.get("datePublished")))
        page.other_dates.append(_iso_date(_name(obj.get("dateModified"))))
    page.is_video = video and not article


def _name(value, by_id=None) -> str | None:
    """The text of a JSON-LD value: a string, a {name} object, or a list of them."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if by_id is not None and set(value) <= {"@id", "@type"}:
            value = by_id.get(value.get("@id"), value)
        return value.get("name") if isinstance(value.get("name"), str) else None
    if isinstance(value, list):  # one level only: nested lists are not names
        items = [v for v in value[:10] if isinstance(v, str | dict)]
        names = [n for n in (_name(v, by_id) for v in items) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _tidy(value: str | None) -> str | None:
    """A metadata value as plain text: entities undone, any markup in it dropped, NFC."""
    if not value:
        return None
    value = LEFTOVER_TAG.sub(" ", html_lib.unescape(value))
    return unicodedata.normalize("NFC", " ".join(value.split())) or None


_TRADITIONAL = re.compile(r"[-_](?:hant|tw|hk|mo)\b", re.I)
_SIMPLIFIED = re.compile(r"[-_](?:hans|cn|sg)\b", re.I)


def _language(value: str | None) -> str | None:
    """The declared language's code; Chinese as zh-tw (traditional) or zh-cn (simplified)."""
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", value or "")
    if not match:
        return None
    code = match.group(1).lower()
    if code == "zh" and _TRADITIONAL.search(value):
        return "zh-tw"
    if code == "zh" and _SIMPLIFIED.search(value):
        return "zh-cn"
    return code


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}  # fmt: skip
_ISO_DATE = re.compile(r"\s*(\d{4})-?(\d{2})-?(\d{2})")
_MONTH_DAY_YEAR = re.compile(r"\b([a-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})\b", re.I)
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2}) ([a-z]{3})[a-z]*\.?,? (\d{4})\b", re.I)


def _iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD from an ISO 8601 or an English written date ("Tue, Sep 15 2020 10:01 EDT")."""
    value = value or ""
    if match := _ISO_DATE.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _MONTH_DAY_YEAR.search(value):
        month, day, year = _MONTHS.get(match[1].lower()), int(match[2]), int(match[3])
    elif match := _DAY_MONTH_YEAR.search(value):
        day, month, year = int(match[1]), _MONTHS.get(match[2].lower()), int(match[3])
    else:
        return None
    try:
        date = dt.date(year, month or 0, day)
    except ValueError:
        return None
    # placeholders such as 0001-01-01 and dates in the future are not publication dates
    return date.isoformat() if dt.date(1990, 1, 1) <= date <= dt.date.today() else None


def _absolute(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL from a link, or None for anything else (or a malformed one)."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(absolute)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    return absolute if ok else None


def _article_url(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, unless it is a bare home page (a careless canonical)."""
    absolute = _absolute(href, base)
    if absolute and urlsplit(absolute).path.strip("/"):
        return absolute
    return None
