"""How local news names places: datelines and US state and Canadian province abbreviations.

"WASHINGTON (AP) —" and "NEW YORK (Reuters) -" open a story with the city it was filed
from; "Springfield, Ill. —", "Gilford, N.H." and "Nelson, B.C." qualify a town (or a county)
by its state or province in AP or Canadian Press style or by postal code. Both say which
town a name means, and that it is the town, not its state.
"""

from __future__ import annotations

import re

# AP style abbreviations of the US states; the postal codes are GeoNames' admin1 codes.
AP_STATES = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
    "conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN",
    "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA",
    "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
    "nebr": "NE", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC",
    "nd": "ND", "okla": "OK", "ore": "OR", "pa": "PA", "penn": "PA", "ri": "RI", "sc": "SC",
    "sd": "SD", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "wva": "WV",
    "wis": "WI", "wisc": "WI", "wyo": "WY", "dc": "DC",
}  # fmt: skip
POSTAL = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split()
)
# Canadian provinces and territories: Canadian Press style and postal codes, to GeoNames'
# admin1 codes.
CA_STYLE = {
    "alta": "01", "bc": "02", "man": "03", "nb": "04", "nfld": "05", "nl": "05", "ns": "07",
    "ont": "08", "pei": "09", "que": "10", "sask": "11", "yuk": "12", "nwt": "13",
}  # fmt: skip
CA_POSTAL = {
    "AB": "01", "BC": "02", "MB": "03", "NB": "04", "NL": "05", "NS": "07", "ON": "08",
    "PE": "09", "QC": "10", "SK": "11", "YT": "12", "NT": "13", "NU": "14",
}  # fmt: skip
# After a town and a comma: "Ill.", "N.Y.", "W.Va.", "CA", "CA 90069", "B.C.", "Ont.".
_ABBR = r"((?:[A-Z][a-z]{0,4}\.?){1,2}|(?:[A-Z]\.){2,3}|[A-Z]{2})"
_STATE_AFTER = re.compile(rf",[ \t]*{_ABBR}(?![A-Za-z])")
# Or in brackets, as papers name a county's state: "the Walker County (Ga.) Sheriff's Office".
_STATE_BRACKETED = re.compile(rf"[ \t]*\({_ABBR}\)")

# A dateline: a city in capitals (or a town and its state), an optional agency in
# brackets, a dash. At the start of the text or of a line.
_DATELINE = re.compile(
    r"^[ \t\u00a0]*(?P<city>[A-Z][A-Za-z.'’\-]*(?:[ \t][A-Z][A-Za-z.'’\-]*){0,3})"
    r"(?:,[ \t]*(?P<state>[A-Z][A-Za-z.]*(?:[ \t][A-Z][A-Za-z.]*)?))?"
    r"[ \t]*(?:\((?P<agency>[^()\n]{2,40})\))?[ \t]*(?:—|–|--|-|\")[ \t]",
    re.M,
)


def datelines(text: str) -> list[tuple[int, int]]:
    """Spans of the cities in the text's datelines: the capitals of "WASHINGTON (AP) —",
    or a town followed by its state ("Springfield, Ill. —")."""
    spans = []
    for m in _DATELINE.finditer(text, 0, 20_000):
        city = m.group("city")
        if city.upper() == city and any(ch.isalpha() for ch in city) or m.group("state"):
            spans.append(m.span("city"))
    return spans


def state_after(text: str, end: int) -> str | None:
    """The code of a state or province abbreviation right after a town: ", Ill." -> "IL"."""
    found = state_span_after(text, end)
    return found[1] if found else None


def state_span_after(text: str, end: int) -> tuple[str, str, int, int] | None:
    """The country and admin1 code of the state or province abbreviation after a town, and
    where the abbreviation starts and ends: ", Ill." -> ("US", "IL", start, end)."""
    m = _STATE_AFTER.match(text, end, end + 12) or _STATE_BRACKETED.match(text, end, end + 12)
    if m is None:
        return None
    abbr = m.group(1)
    span = m.start(1), m.end(1)
    if abbr in POSTAL:
        return "US", abbr, *span
    if abbr in CA_POSTAL:
        return "CA", CA_POSTAL[abbr], *span
    if "." not in abbr and abbr not in ("Tex", "Penn", "Cal"):
        return None  # "Washington, Miss" reads as a word; AP abbreviations end with a dot
    folded = abbr.replace(".", "").lower()
    if folded in AP_STATES:
        return "US", AP_STATES[folded], *span
    if folded in CA_STYLE:
        return "CA", CA_STYLE[folded], *span
    return None
