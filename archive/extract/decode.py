"""Bytes to text for plain-text files: find the encoding, refuse binaries and empty files."""

from __future__ import annotations

import codecs
import unicodedata

from archive.model import Rejected

# UTF-32 before UTF-16: the UTF-32 little-endian mark starts with the UTF-16 one.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Bidi overrides and isolates can make displayed text lie about its order (CVE-2021-42574);
# they have no place in article text. Other format characters (ZWJ, RLM) stay.
_STRIP = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))


def decode_bytes(data: bytes) -> str:
    """Decode a text file: BOM, then UTF-8, then detection; reject binary and empty input."""
    if not data.strip():
        raise Rejected("empty file" if not data else "the file holds only whitespace")
    text = None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as err:
                raise Rejected(f"not valid {encoding} text despite its byte-order mark") from err
            break
    if text is None:
        if b"\x00" in data[:8192]:
            raise Rejected("binary file (NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    return clean_text_chars(text)


def _decode_legacy(data: bytes) -> str:
    """Not UTF-8: Windows-1252 when the result reads as Western text, else detection."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = [ch for ch in text if ch.isalpha()]
        foreign = sum(1 for ch in letters if ord(ch) > 127)
        # Western text has a few accented letters; Cyrillic or Greek read as cp1252 is
        # nearly all of them.
        if foreign <= 0.3 * len(letters):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise Rejected("cannot tell the file's text encoding; save it as UTF-8")
    return data.decode(best.encoding, errors="replace")


def strip_controls(value: str) -> str:
    """A one-line value (title, outlet, file name) without control or bidi override
    characters, which could hide or disguise what it says."""
    value = value.translate(_STRIP)
    return "".join(ch if ch >= " " and not "\x7f" <= ch <= "\x9f" else " " for ch in value)


def clean_text_chars(text: str) -> str:
    """NFC, unified newlines, no bidi overrides or control characters; refuse binary junk."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_STRIP)
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise Rejected("binary or corrupt file (control characters), not text")
    if controls:
        text = "".join(ch for ch in text if ch >= " " or ch in "\n\t")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise Rejected("the file holds only whitespace")
    return text
