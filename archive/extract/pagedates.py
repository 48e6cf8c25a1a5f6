"""How far a page's publication date can be trusted.

The chosen date is checked against every other date the page shows (its JSON-LD and meta
modified dates, ``<time>`` elements, a date in its address) and against when it was saved
(an MHTML file's Date header). A date far from all of them, or found by the date finder's
text heuristics alone with nothing to confirm it, is marked uncertain: it stays stored and
shown, and a reader (or the histogram) can leave it out.
"""

from __future__ import annotations

import datetime as dt
import re

AGREE_DAYS = 2  # within this, two witnesses agree (time zones, late edits)
FAR_DAYS = 60  # further than this from every other date the page shows: uncertain
SAVED_FAR_DAYS = 366 * 3  # published this long before the page was saved: uncertain
UNCERTAIN_BELOW = 0.5

# how sure each way of finding a date is, before other dates confirm or contradict it
_BASE = {"html:json-ld": 0.8, "html:meta": 0.75, "html:htmldate": 0.5, "html:url": 0.7}
_URL_DATE = re.compile(
    r"[/_-]((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\D|$)"
)


def url_date(url: str | None) -> str | None:
    """The date an address carries ("/2020/03/14/", "-20200314-"), if a real one."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def _days(a: str, b: str) -> int:
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


def judge_date(
    date: str | None, how: str, witnesses: list[str], saved_on: str | None = None
) -> tuple[float | None, bool]:
    """(confidence 0..1, uncertain) of the publication date `date` found by `how`.

    `witnesses` are the page's other dates (not counting the one chosen); `saved_on` the
    day the page was saved, if known.
    """
    if not date:
        return None, False
    others = [w for w in witnesses if w]
    confidence = _BASE.get(how, 0.6)
    if others:
        nearest = min(_days(date, w) for w in others)
        if nearest <= AGREE_DAYS:
            confidence = min(
                0.95, confidence + 0.15 * sum(_days(date, w) <= AGREE_DAYS for w in others)
            )
        elif nearest > FAR_DAYS:
            confidence = min(confidence, 0.3)
    elif how == "html:htmldate":
        confidence = 0.4  # read from the text, nothing on the page confirms it
    if date.endswith("-01-01") and how == "html:htmldate":
        confidence = min(confidence, 0.4)  # a year alone, made a day
    if saved_on:
        ahead = (dt.date.fromisoformat(date) - dt.date.fromisoformat(saved_on)).days
        if ahead > 1 or -ahead > SAVED_FAR_DAYS:
            confidence = min(confidence, 0.3)
    confidence = round(confidence, 2)
    return confidence, confidence < UNCERTAIN_BELOW
