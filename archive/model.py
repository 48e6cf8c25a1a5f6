"""The records that flow through the archive: one article in, one search result out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNKNOWN = None  # an unknown metadata value is stored as None and shown as "unknown"

# The metadata fields a user, a sidecar, front matter or the document can state.
METADATA_FIELDS = ("title", "source", "author", "date", "url", "language")


@dataclass
class Mention:
    """Where a place is named in a text: character offsets and the words used."""

    start: int
    end: int
    surface: str
    form: str = "name"  # "name" or "demonym" ("Syrian" for Syria)

    def to_json(self) -> list:
        return [self.start, self.end, self.surface, self.form]


@dataclass
class PlaceRef:
    """A place an article mentions, as stored with the article."""

    geonameid: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict, which deep-copies every value: ~4 % of bulk ingest's
        # single writer (storing places, and `archive ingest --json`) went to it.
        return {
            "geonameid": self.geonameid,
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "kind": self.kind,
            "mentions": [m.to_json() for m in self.mentions],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlaceRef:
        mentions = [Mention(*m) for m in data.get("mentions", [])]
        return cls(**{**data, "mentions": mentions})


@dataclass
class Article:
    """One article: clean text, metadata with how each value was found, and its places."""

    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    url: str | None = None
    language: str = "und"
    language_prob: float | None = None
    source_domain: str | None = None  # the registered domain of the outlet's site
    date_confidence: float | None = None  # 0..1, how far a found date can be trusted
    date_uncertain: bool = False  # the date is far from the page's other dates, or a guess
    places: list[PlaceRef] = field(default_factory=list)
    # field name -> how its value was found ("user", "sidecar", "front-matter",
    # "text:outlet-line", "html:json-ld", "langdetect", ...)
    basis: dict[str, str] = field(default_factory=dict)
    id: str | None = None
    fingerprint: str | None = None
    version_of: str | None = None  # the story this article is a near-duplicate version of
    original_name: str | None = None
    original_type: str | None = None
    added_at: str | None = None
    deleted: dict | None = None  # the tombstone {at, editor, why}: hidden from readers
    split: bool = False  # an editor made this version a story of its own
    # An editor's corrections of its places: GeoNames ids removed and added.
    place_edits: dict[str, list[str]] = field(default_factory=dict)

    @property
    def display_title(self) -> str:
        """The title, or the opening words of the text when the title is unknown."""
        if self.title:
            return self.title
        words = self.text.split()
        head = " ".join(words[:12])
        return head + ("…" if len(words) > 12 else "")

    @property
    def place_ids(self) -> list[str]:
        return [p.geonameid for p in self.places]

    def to_json(self, *, with_text: bool = True) -> dict[str, Any]:
        data = {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "language": self.language,
            "language_prob": self.language_prob,
            "source_domain": self.source_domain,
            "date_confidence": self.date_confidence,
            "date_uncertain": self.date_uncertain,
            "basis": dict(self.basis),
            "places": [p.to_json() for p in self.places],
            "fingerprint": self.fingerprint,
            "version_of": self.version_of,
            "original_name": self.original_name,
            "added_at": self.added_at,
        }
        for name in ("deleted", "split", "place_edits"):  # curation, shown when there is some
            if getattr(self, name):
                data[name] = getattr(self, name)
        if with_text:
            data["text"] = self.text
        return data


@dataclass
class AddResult:
    """What happened to one submitted document."""

    name: str  # the file name, JSONL line, or form field it came from
    status: str  # "added", "duplicate", "near-duplicate" or "rejected"
    id: str | None = None  # the stored article (for duplicates: the one it duplicates)
    reason: str | None = None  # why it was rejected
    article: Article | None = None
    notes: list[str] = field(default_factory=list)  # what was changed to store it

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def describe(self) -> str:
        """One line for a report: what happened, and any note on what was changed."""
        if self.status == "added":
            line = f"added {self.id}"
        elif self.status == "rejected":
            line = f"rejected: {self.reason}"
        elif self.id is None:  # a restored rule or history row
            line = self.status
        else:
            line = f"{self.status} of {self.id}"
        return line + "".join(f" (note: {note})" for note in self.notes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "status": self.status, "id": self.id}
        if self.reason:
            data["reason"] = self.reason
        if self.notes:
            data["notes"] = list(self.notes)
        if self.article is not None:
            data["article"] = self.article.to_json(with_text=False)
        return data


class Rejected(ValueError):
    """An input the archive will not store, with a reason a person can act on."""
