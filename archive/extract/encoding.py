"""The text of a saved web page's bytes: BOM, declared charset or detection, never mojibake."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from archive.extract.decode import BOMS
from archive.model import Rejected

# <meta charset=x>, <meta http-equiv=Content-Type content="...; charset=x">, <?xml encoding=x?>
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
# Browsers read these labels as the wider Windows/vendor code page (WHATWG Encoding
# Standard): a page labelled iso-8859-1 is decoded as windows-1252, and so on.
_WIDER = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    # a page that reached us as bytes in an ASCII-compatible form cannot be UTF-16
    "utf_16": "utf-8",
    "utf_16_le": "utf-8",
    "utf_16_be": "utf-8",
}
# labels browsers know that Python's codec registry does not
_LABELS = {"x-sjis": "cp932", "windows-31j": "cp932", "x-gbk": "gb18030", "unicode": "utf-8"}
_MULTIBYTE = {
    "utf_8", "cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp", "gb18030", "hz",
    "big5hkscs", "cp950", "cp949", "johab", "iso2022_kr", "utf_16", "utf_32",
}  # fmt: skip


def decode_html(data: bytes, declared: str | None = None) -> str:
    """The text of a page's bytes; `declared` is a charset stated outside the page (MHTML part).

    Order: BOM, then valid UTF-8, then the declared charset, then detection. Raises Rejected
    for bytes that are not text.
    """
    for bom, name in BOMS:
        if data.startswith(bom):
            return _checked(data.decode(name, errors="replace"))
    head = data[:8192]
    if b"\x00" in head:
        # no BOM but NUL bytes: UTF-16/32 without a BOM, or not text at all
        return _checked(_detected(data) or _not_text())
    try:
        # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page claims: legacy text that
        # happens to be valid UTF-8 is vanishingly rare, and pages re-saved as UTF-8 by a
        # browser often keep their old charset label.
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    label = declared or _declared_charset(head)
    encoding = _codec(label) if label else None
    if encoding and encoding not in ("utf_8", "utf-8"):
        try:
            return _checked(data.decode(encoding))
        except UnicodeDecodeError:
            pass
    text = _detected(data)
    if text is None:
        text = data.decode(encoding or "utf-8", errors="replace")
    return _checked(text)


def _declared_charset(head: bytes) -> str | None:
    match = _DECLARED.search(head)
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii", errors="replace")


def _codec(label: str) -> str | None:
    """The Python codec for a charset label as a browser reads it, or None if unknown."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_LABELS.get(label, label)).name.replace("-", "_")
    except LookupError:
        return None
    return _WIDER.get(name, name)


def _detected(data: bytes) -> str | None:
    """Decode undeclared bytes by detection, preferring windows-1252 among Latin code pages."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    text = str(best)
    name = best.encoding.replace("-", "_")
    if name in _MULTIBYTE or name == "cp1252" or not _is_latin(text):
        return text
    # Short Latin-script texts fit several single-byte code pages about equally well
    # (French in cp1257 reads "déją"). windows-1252 is the web's default: keep it unless
    # the detected page decodes to clearly more letters.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return text
    return western if _letter_share(western) >= _letter_share(text) else text


def _non_ascii(text: str) -> list[str]:
    return [c for c in text if ord(c) > 127]


def _letter_share(text: str) -> float:
    chars = _non_ascii(text)
    if not chars:
        return 1.0
    return sum(unicodedata.category(c).startswith("L") for c in chars) / len(chars)


def _is_latin(text: str) -> bool:
    letters = [c for c in _non_ascii(text) if unicodedata.category(c).startswith("L")]
    if not letters:
        return True
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return latin >= 0.9 * len(letters)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _checked(text: str) -> str:
    """The text, unless it is mostly control characters or replacement marks (binary data)."""
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > 0.02 * len(sample):
        _not_text()
    return text


def _not_text() -> str:
    raise Rejected("the file is not a readable web page: its bytes do not decode as text")
