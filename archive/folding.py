"""Accent folding shared by text cleaning, fingerprints and place names."""

from __future__ import annotations

import unicodedata


class _WithoutMarks(dict):
    """A `str.translate` table that drops combining marks, filled as characters are met:
    the walk over every character happens in C instead of a Python loop."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value = self[code] = None if unicodedata.combining(char) else char
        return value


_WITHOUT_MARKS = _WithoutMarks()


def strip_marks(text: str) -> str:
    """`text` decomposed (NFKD) and without its combining marks: "Ḥimṣ" -> "Hims"."""
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS)
