"""Pages that hold no article, and navigation around the article's text.

Each refusal is a mechanism with a reason a person can act on: an error page, a login wall,
a video player, a list of links or headlines, placeholder text, a wiki's diff of revisions,
or too little text. Menus of short lines before or after the article (a region picker of
sixty cities, "NEWS FROM THE SECTION / most read") are cut from the body.
"""

from __future__ import annotations

import re

from archive.extract.page import Page
from archive.model import Rejected

MIN_WORDS = 20  # below this the page has no article worth keeping
NAV_RUN = 5  # this many short lines in a row at either end of a body are a menu
_NAV_WORDS = 5  # a menu item: at most this many words...
_NAV_CHARS = 40  # ...and characters, and no sentence's end
_SENTENCE_END = re.compile(r"[.!?。！？」』”\"')]$")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")

# an error page's title or heading (a headline that merely says "not found" is not one)
_ERROR_PAGE = re.compile(
    r"^\W*(?:error\W*)?(?:404|410)\b|\berror\W*(?:404|410)\b|"
    r"\bpage (?:was |could )?not (?:be )?found|couldn'?t find (?:that|the|this) page|"
    r"\b(?:page|article|story|content) (?:does not|doesn't|no longer) exists?|"
    r"\b(?:page|article|story|content) (?:is )?no longer available|"
    r"seite nicht gefunden|página no encontrada|page introuvable|pagina non trovata|"
    r"pagina niet gevonden|página não encontrada|страница не найдена|"
    r"ページが見つかりません|找不到(?:该|此)?页面|页面不存在",
    re.I,
)
_LOGIN_WALL = re.compile(
    r"\b(?:sign in|log ?in|subscribe|subscribers? only|create (?:an|your) account|"
    r"register to (?:continue|read)|already a (?:subscriber|member)|password)\b",
    re.I,
)
# The Latin vocabulary of lorem-ipsum generators (the classic passage and Faker's word
# list, both from Cicero's De finibus): placeholder text is made of nothing else.
_LOREM = frozenset(
    """lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
    ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco
    laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate
    velit esse cillum eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident
    sunt culpa qui officia deserunt mollit anim id est laborum a ab accusamus accusantium
    adipisci alias aliquam aliquid animi aperiam architecto asperiores aspernatur assumenda at
    atque aut autem beatae blanditiis commodi consequatur consequuntur corporis corrupti cum
    cumque cupiditate debitis delectus deleniti dicta dignissimos distinctio dolorem
    doloremque dolores doloribus dolorum ducimus eaque earum eius eligendi eos error eum
    eveniet excepturi exercitationem expedita explicabo facere facilis fuga fugit harum hic
    illo illum impedit incidunt inventore ipsa ipsam iste itaque iure iusto laboriosam
    laudantium libero magnam magni maiores maxime minima minus modi molestiae molestias
    mollitia nam natus necessitatibus nemo neque nesciunt nihil nobis nostrum numquam
    obcaecati odio odit officiis omnis optio perferendis perspiciatis placeat porro possimus
    praesentium provident quae quaerat quam quas quasi quia quibusdam quidem quisquam quo
    quod quos ratione recusandae reiciendis rem repellat repellendus repudiandae rerum saepe
    sapiente sequi similique soluta suscipit tempora tempore temporibus tenetur totam ullam
    unde vel vero vitae voluptas voluptatem voluptates voluptatibus voluptatum""".split()
)


def word_count(text: str) -> int:
    """Words in a text; CJK is written without spaces, so two characters count as one."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text)) // 2


def _is_nav(line: str) -> bool:
    """A menu item: a few words ("Москва", "i più letti"), not a sentence."""
    return (
        len(line) <= _NAV_CHARS
        and len(line.split()) <= _NAV_WORDS
        and not _SENTENCE_END.search(line)
        and word_count(line) <= _NAV_WORDS
    )


def trim_navigation(body: str) -> str:
    """The body without a run of `NAV_RUN` or more menu items at its start or end."""
    paragraphs = body.split("\n\n")
    start = 0
    while start < len(paragraphs) and _is_nav(paragraphs[start]):
        start += 1
    end = len(paragraphs)
    while end > start and _is_nav(paragraphs[end - 1]):
        end -= 1
    keep_from = start if _is_menu(paragraphs[:start]) else 0
    keep_to = end if _is_menu(paragraphs[end:]) else len(paragraphs)
    if keep_from >= keep_to:
        return ""
    return "\n\n".join(paragraphs[keep_from:keep_to])


def _is_menu(items: list[str]) -> bool:
    """Whether short lines in a row are a menu: enough of them, and mostly words, not the
    numbers of a table's cells."""
    numeric = sum(_digit_share(item) >= 0.3 for item in items)
    return len(items) >= NAV_RUN and numeric < 0.3 * len(items)


def _digit_share(item: str) -> float:
    chars = item.replace(" ", "")
    return len(_DIGIT.findall(chars)) / len(chars) if chars else 0.0


def _is_link_list(body: str) -> bool:
    """A list of links or headlines: short lines, not one paragraph of prose, no line that
    runs on into the next (prose broken into lines), most not ending as sentences do, not a
    table of numbers."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if len(paragraphs) < NAV_RUN:
        return False
    counts = [word_count(p) for p in paragraphs]
    if max(counts) >= 20 or sum(n < 12 for n in counts) < 0.8 * len(paragraphs):
        return False
    runs_on = sum(nxt[:1].islower() for nxt in paragraphs[1:])
    sentences = sum(bool(_SENTENCE_END.search(p)) for p in paragraphs)  # headlines end bare
    return (
        runs_on < 0.2 * len(paragraphs)
        and sentences < 0.5 * len(paragraphs)
        and _is_menu(paragraphs)
    )


def _is_placeholder(body: str) -> bool:
    """Lorem ipsum: text made of the placeholder generators' Latin words."""
    words = re.findall(r"[a-z]+", body[:3000].casefold())
    return len(words) >= MIN_WORDS and sum(w in _LOREM for w in words) >= 0.6 * len(words)


def check_article(body: str, page: Page) -> None:
    """Raise Rejected, with the reason, if the page holds no article."""
    words = word_count(body)
    headings = [t for t in (page.title_tag, page.og_title, *page.h1s) if t]
    if words < 150 and any(_ERROR_PAGE.search(t) for t in headings):
        raise Rejected("the page is an error page ('not found'), not an article")
    if words < 40 and (page.has_password or _LOGIN_WALL.search(body)):
        raise Rejected("the page is a login or subscription wall: the article is not in it")
    if page.is_diff:
        raise Rejected("the page is a wiki's comparison of two revisions, not an article")
    if words < 150 and page.is_video:
        raise Rejected("the page is a video player: it holds no article text")
    if _is_placeholder(body):
        raise Rejected("the page holds placeholder text (lorem ipsum), not an article")
    if words < MIN_WORDS:
        found = f"only {words} word{'s' * (words != 1)} of main text" if words else "no main text"
        raise Rejected(f"no article found in the page ({found})")
    if _is_link_list(body):
        raise Rejected("the page is a list of links or headlines, not an article")
