"""What extraction makes of one document: clean text plus the metadata it shows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    """Clean text and the metadata found in the document itself, each with its basis.

    `basis` maps a field name to how its value was found, e.g. {"title": "text:first-line",
    "source": "html:json-ld", "date": "html:meta"}. A field absent from `basis` was not found.
    `language_hint` is what the document declares (``<html lang>``), not what it is.
    """

    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    url: str | None = None
    language_hint: str | None = None
    source_domain: str | None = None  # the registered domain of the outlet's site
    date_confidence: float | None = None  # 0..1, how far the date can be trusted
    date_uncertain: bool = False  # far from the page's other dates, or unconfirmed
    basis: dict[str, str] = field(default_factory=dict)
    kind: str = "text"  # "text", "markdown", "html" or "mhtml"
