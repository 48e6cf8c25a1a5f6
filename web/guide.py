"""The help page: the search syntax with live examples over this archive (each with how many
articles it finds now), what each facet means, and how places and duplicates work."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template

from archive.search import SearchRequest
from web.db import get_archive
from web.state import SearchState

bp = Blueprint("help", __name__)
_WORD = re.compile(r"[^\W\d_]{5,}")


def _words(titles: list[str]) -> list[str]:
    seen: list[str] = []
    for title in titles:
        for word in _WORD.findall(title):
            if word.casefold() not in (w.casefold() for w in seen):
                seen.append(word)
    return seen


def _typo(word: str) -> str:
    """The word with two inner letters swapped: what `word~` forgives."""
    if len(word) < 5:
        return word
    return word[:2] + word[3] + word[2] + word[4:]


def examples() -> list[dict]:
    """Queries built from what this archive holds, each with its count of matches."""
    archive = get_archive()
    summary = archive.overview()
    titles = [a["title"] for a in summary["recently_added"] if a.get("title")]
    places = [p["label"].split(" · ")[0] for p in summary["busiest_places"]]
    # One-word names of the busiest places make examples that find something; title words
    # of the latest additions stand in when the archive names no place.
    words = [p for p in places if _WORD.fullmatch(p)] + _words(titles)
    outlets = [o["label"] for o in summary["busiest_outlets"]]
    langs = [v["value"] for v in summary["by_language"]]
    wanted: list[tuple[str, str]] = []
    if words:
        w = words[0]
        wanted.append((w, "Every article with this word (or another form of it)"))
        wanted.append((f"{w[:4]}*", "Words that begin so"))
        wanted.append((f"{_typo(w)}~", "A misspelt word, forgiven"))
    if len(words) > 1:
        wanted.append((f"{words[0]} OR {words[1]}", "Either word"))
        wanted.append((f"{words[0]} -{words[1]}", "The first word, not the second"))
    for title in titles:
        pair = title.split()[:2]
        if len(pair) == 2 and all(_WORD.fullmatch(p) for p in pair):
            wanted.append((f'"{pair[0]} {pair[1]}"', "An exact phrase"))
            break
    if places:
        place = f"place:{_quoted(places[0])}"
        wanted.append((place, "Articles that name a place, in any spelling"))
    if outlets:
        wanted.append((f"source:{_quoted(outlets[0])}", "Articles from one outlet"))
    if langs:
        wanted.append((f"lang:{langs[0]}", "Articles in one language (a code such as en, ar, fr)"))
    if words:
        wanted.append((f"title:{words[0]}", "The word in the title"))
    out = []
    for query, meaning in wanted:
        found = archive.search(SearchRequest(q=query, per_page=0))
        if not found.total:
            continue  # an example that finds nothing teaches nothing
        out.append(
            {
                "query": query,
                "meaning": meaning,
                "count": found.total,
                "url": SearchState([("q", query)]).url(),
            }
        )
    return out


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


@bp.get("/help")
def show():
    # The examples change only when the archive does; a typo-tolerant search (`word~`) can
    # take seconds on a busy machine, so they are worked out once per change of the store.
    seq = get_archive().store.last_seq()
    cached = current_app.extensions.get("help_examples")
    if cached is None or cached[0] != seq:
        cached = current_app.extensions["help_examples"] = (seq, examples())
    return render_template("help/show.html", examples=cached[1])
