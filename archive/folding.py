"""Accent folding shared by text cleaning, fingerprints and place names."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable


class CharTable(dict):
    """A `str.translate` table computed by `convert` (a character to its replacement, or
    None to drop it) and filled as characters are met: the walk over every character of a
    text happens in C instead of a Python loop."""

    def __init__(self, convert: Callable[[str], str | None]):
        super().__init__()
        self._convert = convert

    def __missing__(self, code: int) -> str | None:
        value = self[code] = self._convert(chr(code))
        return value


_WITHOUT_MARKS = CharTable(lambda char: None if unicodedata.combining(char) else char)


def strip_marks(text: str) -> str:
    """`text` decomposed (NFKD) and without its combining marks: "Ḥimṣ" -> "Hims"."""
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS)
