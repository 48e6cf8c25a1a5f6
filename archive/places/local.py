"""How local news names places: datelines and US state abbreviations.

"WASHINGTON (AP) —" and "NEW YORK (Reuters) -" open a story with the city it was filed
from; "Springfield, Ill. —" and "Gilford, N.H." qualify a town by its state in AP style or
by postal code. Both say which town a name means, and that it is the town, not its state.
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
# After a town and a comma: "Ill.", "N.Y.", "W.Va.", "CA", "CA 90069".
_STATE_AFTER = re.compile(
    r",[ \t]*((?:[A-Z][a-z]{0,4}\.?){1,2}|[A-Z]\.[A-Z]\.|[A-Z]{2})(?![A-Za-z])"
)

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
    """The postal code of a US state abbreviation right after a town: ", Ill." -> "IL"."""
    found = state_span_after(text, end)
    return found[0] if found else None


def state_span_after(text: str, end: int) -> tuple[str, int] | None:
    """The postal code of the state abbreviation after a town, and where it ends."""
    m = _STATE_AFTER.match(text, end, end + 12)
    if m is None:
        return None
    abbr = m.group(1)
    if abbr in POSTAL:
        return abbr, m.end()
    if "." not in abbr and abbr not in ("Tex", "Penn", "Cal"):
        return None  # "Washington, Miss" reads as a word; AP abbreviations end with a dot
    code = AP_STATES.get(abbr.replace(".", "").lower())
    return (code, m.end()) if code else None
