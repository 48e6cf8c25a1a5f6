"""Dates as people write them, to ISO dates; anything else is refused, never guessed."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTHS = {
    name.casefold(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_abbr[i] + ".")
}
_MONTHS["sept"] = 9

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.+\-Z]*)?")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z.]+),?\s+(\d{4})")
_MDY = re.compile(r"([A-Za-z.]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


class BadDate(ValueError):
    """A value that is not a calendar date."""


def parse_date(value: str | dt.date) -> str:
    """An ISO ``YYYY-MM-DD`` date from a date or common written forms; `BadDate` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split()).removeprefix("Published").strip(" :,")
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy")):
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["m"]
        month_num = int(month) if month.isdigit() else _MONTHS.get(month.casefold())
        if month_num is None:
            break
        try:
            return dt.date(int(parts["y"]), month_num, int(parts["d"])).isoformat()
        except ValueError as err:
            raise BadDate(f"{value!r} is not a calendar date ({err})") from err
    raise BadDate(f"{value!r} is not a date (use YYYY-MM-DD, e.g. 2024-12-07)")


def parse_bound(value: str, *, end: bool) -> str:
    """A filter bound (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as the inclusive ISO day."""
    match = _PARTIAL.fullmatch(value.strip())
    if not match:
        raise BadDate(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        y = int(year)
        m = int(month) if month else (12 if end else 1)
        if day:
            d = int(day)
        else:
            d = calendar.monthrange(y, m)[1] if end else 1
        return dt.date(y, m, d).isoformat()
    except (ValueError, calendar.IllegalMonthError) as err:
        raise BadDate(f"{value!r} is not a date ({err})") from err
