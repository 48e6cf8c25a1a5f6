"""Checks at the boundary: every value a JSONL line, an API body, a sidecar or front matter
states is checked for type, length and valid Unicode before anything else reads it.

Characters no XML document (the Atom feed) and no UTF-8 encoder (SQLite) can carry are
removed, and the item says so; a value of the wrong type or size rejects its item with the
field named.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import math
import re

from archive.model import METADATA_FIELDS, Rejected

MAX_VALUE_CHARS = 2000  # a title, outlet, author, URL or file name
MAX_BASIS_CHARS = 200
MAX_SIGHTINGS = 10_000
# Lone surrogates (unencodable), C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF:
# the characters XML 1.0 forbids.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SIGHTING_FIELDS = ("source", "url", "original_name", "added_at")


def clean_unicode(value: str) -> tuple[str, int]:
    """The string without the characters XML and UTF-8 cannot carry, and how many went."""
    cleaned, removed = _INVALID.subn("", value)
    return cleaned, removed


def removed_note(name: str, count: int) -> str:
    """The note an item carries when characters were removed from one of its values."""
    plural = "s" if count != 1 else ""
    return (
        f"{name}: {count} character{plural} that cannot be stored or shown (lone surrogates, "
        "control characters, U+FFFE/U+FFFF) removed"
    )


def kind_of(value: object) -> str:
    """What a JSON value is, in words, for a rejection."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def text_value(
    name: str, value: object, notes: list[str], *, limit: int = MAX_VALUE_CHARS
) -> str | None:
    """A stated text value, checked: None/"" stay None, anything but a string or one longer
    than `limit` raises `Rejected` naming the field; bad characters are removed, noted."""
    if value is None:
        return None
    if isinstance(value, datetime.date) and name == "date":  # a TOML date
        return value.isoformat()[:10]
    if not isinstance(value, str):
        raise Rejected(f"{name}: expected text, got {kind_of(value)}")
    if len(value) > limit:
        raise Rejected(f"{name}: too long ({len(value):,} characters; the limit is {limit:,})")
    cleaned, removed = clean_unicode(value)
    if removed:
        notes.append(removed_note(name, removed))
    return cleaned or None


def stated_fields(values: dict, notes: list[str]) -> dict[str, str]:
    """The metadata fields of a record, sidecar entry or form, each checked."""
    out = {}
    for name in METADATA_FIELDS:
        value = text_value(name, values.get(name), notes)
        if value is not None and value.strip():
            out[name] = value
    return out


def probability(value: object) -> float | None:
    """A language probability: a finite number from 0 to 1 (huge integers included)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(f"language_prob: expected a number from 0 to 1, got {kind_of(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise Rejected("language_prob: expected a number from 0 to 1")
    return number


def sightings(value: object, notes: list[str]) -> list[dict[str, str | None]]:
    """An export line's other copies: a list of objects with text fields."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Rejected(f"sightings: expected a list, got {kind_of(value)}")
    if len(value) > MAX_SIGHTINGS:
        raise Rejected(f"sightings: more than {MAX_SIGHTINGS:,}")
    out = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise Rejected(f"sightings[{number}]: expected an object, got {kind_of(entry)}")
        out.append(
            {
                key: text_value(f"sightings[{number}].{key}", entry.get(key), notes)
                for key in _SIGHTING_FIELDS
            }
        )
    return out


def basis(value: object, notes: list[str]) -> dict[str, str]:
    """An export line's record of how each value was found: field name -> text."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Rejected(f"basis: expected an object, got {kind_of(value)}")
    out = {}
    for key, how in value.items():
        if key in METADATA_FIELDS:
            how = text_value(f"basis.{key}", how, notes, limit=MAX_BASIS_CHARS)
            if how:
                out[key] = how
    return out


def original_bytes(value: object) -> bytes | None:
    """An export line's original document, base64-encoded."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Rejected(f"original: expected base64 text, got {kind_of(value)}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as err:
        raise Rejected(f'"original" is not base64 ({err})') from err


def failure_reason(err: BaseException) -> str:
    """Why an item could not be prepared, for an error no check foresaw."""
    if isinstance(err, RecursionError):
        return "the document is nested too deeply to read"
    if isinstance(err, MemoryError):
        return "the document is too large to read"
    detail = str(err)[:200]
    return f"could not be read ({type(err).__name__}{': ' + detail if detail else ''})"
