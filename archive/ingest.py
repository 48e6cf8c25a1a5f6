"""From a submitted document to an article ready to store: extract, enrich, fingerprint.

Metadata precedence: what the user states > a sidecar or front matter > what the document
shows > unknown. Each value keeps the basis it came from.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import pickle
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from archive import dedupe, validate
from archive.dates import BadDate, parse_date
from archive.extract import extract_document
from archive.extract.decode import clean_text_chars, strip_controls
from archive.extract.document import Extracted
from archive.extract.notarticle import word_count
from archive.extract.outlets import normalise_outlet
from archive.language import detect_language
from archive.model import METADATA_FIELDS, Article, Rejected
from archive.places import extract_places
from archive.search.backend import Document

MIN_WORDS = 3
PrepareDoc = Callable[[Document], bytes]  # a search backend's `prepare`
MAX_FIELD_CHARS = 2000
# Far above any article (a long feature is ~100,000); bigger texts are dumps or attacks and
# would take minutes to geoparse and fingerprint.
MAX_TEXT_CHARS = 1_000_000
# One document, whichever door it comes through (a file, an upload, an export line's
# original): the web app's default upload limit.
MAX_DOCUMENT_BYTES = 20 * 2**20
# One JSONL line: room for the export line of any article the archive takes (base64 makes
# its original 4/3 as long, and its clean text comes with it). `prepare` refuses what would
# not fit, so every stored article can be restored from a backup.
MAX_LINE_BYTES = 28 * 2**20
_EXPORT_SLACK = 2**20  # an export line's metadata, places and JSON escapes, at the most
_LANG_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
# Bulk ingest prepares documents in worker processes; below this many a pool costs more
# (start-up, loading the gazetteer) than it saves.
PARALLEL_MIN = 64
_CHUNK = 16  # documents per task: fewer round trips between processes
# Tasks queued per worker: enough to keep the workers busy while the writer commits or
# merges (a 16,000-article merge takes ~40 s, in which two workers prepare ~3,500 articles).
AHEAD_CHUNKS = 128
# ... and at most this many bytes of documents, so that a restore of large saved pages
# holds about as much as one of short texts, whatever the file's size.
AHEAD_BYTES = 256 * 2**20


@dataclass
class Submission:
    """One document as received, with the metadata stated alongside it."""

    data: bytes
    name: str  # file name, "pasted text", "feed.jsonl:12", ...
    kind: str = "text"  # text, markdown, html, mhtml; "clean" for an export line's text
    stated: dict[str, object] = field(default_factory=dict)  # user: flags, form, JSONL
    sidecar: dict[str, object] = field(default_factory=dict)  # metadata.toml
    content_type: str | None = None
    original: bytes | None = None  # bytes as received, when `data` is a re-extraction
    stated_basis: dict[str, str] = field(default_factory=dict)  # export lines keep theirs
    # An export line's id, version_of and added_at: a restore keeps them (`from_record`).
    restored: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the boundary checks changed
    # An export line's corrections: tombstone, split, place edits (a restore keeps them).
    curated: dict[str, object] = field(default_factory=dict)


@dataclass
class Prepared:
    """An article ready for the store, with what duplicate detection needs."""

    article: Article
    original: bytes
    shingles: set[int]
    band_keys: list[int]
    # The search backend's `prepare` of the article (opaque bytes, made where cores are
    # free), and the `prepared_key` of what it was made from.
    prepared: bytes | None = None
    key: tuple = ()
    notes: list[str] = field(default_factory=list)  # what preparing changed, for the report


def _clean_value(name: str, value: object, *, strict: bool, notes: list[str]) -> str | None:
    if value is None:
        return None
    if strict:  # stated by a person: the wrong type or size is an error they can fix
        value = validate.text_value(name, value, notes)
        if value is None:
            return None
    elif not isinstance(value, str):
        return None
    else:
        value, removed = validate.clean_unicode(value)
        if removed:
            notes.append(validate.removed_note(name, removed))
    if name == "date":
        try:
            return parse_date(value)
        except BadDate as err:
            if strict:
                raise Rejected(f"date: {err}") from err
            return None
    text = " ".join(strip_controls(value).split())[:MAX_FIELD_CHARS]
    if not text:
        return None
    if name == "source":
        return normalise_outlet(text)
    if name == "language":
        code = text.casefold()
        if not _LANG_CODE.fullmatch(code):
            if strict:
                raise Rejected(f"language: {text!r} is not a language code such as 'en'")
            return None
        return code
    if name == "url" and not re.match(r"https?://", text, re.I):
        if strict:
            raise Rejected(f"url: {text!r} is not an http(s) address")
        return None  # javascript:, data:, file: ... found in a document: no link at all
    return text


def clean_stated(name: str, value: object) -> str | None:
    """A value a person states for a metadata field, checked and normalised as ingest does
    (`Rejected` names what is wrong)."""
    return _clean_value(name, value, strict=True, notes=[])


def _too_long(size: int, unit: str) -> str:
    return (
        f"too long for one article ({size:,} {unit}; the limit is {MAX_TEXT_CHARS:,} "
        "characters of text): split it into articles"
    )


def prepare(sub: Submission, prepare_doc: PrepareDoc | None = None) -> Prepared:
    """Extract, enrich and fingerprint one submission, and make what the search backend
    indexes of it with `prepare_doc` (its `prepare`) when given; raises `Rejected` with a
    reason."""
    try:
        return _prepare(sub, prepare_doc)
    except Rejected:
        raise
    except Exception as err:  # noqa: BLE001 - one document's failure is its rejection alone
        raise Rejected(validate.failure_reason(err)) from err


def _prepare(sub: Submission, prepare_doc: PrepareDoc | None) -> Prepared:
    chosen: dict[str, str] = {}
    basis: dict[str, str] = {}
    notes: list[str] = []
    for tier, values in (("user", sub.stated), ("sidecar", sub.sidecar)):
        for name, value in values.items():
            if name in chosen or name not in METADATA_FIELDS:
                continue
            clean = _clean_value(name, value, strict=True, notes=notes)
            if clean is not None:
                chosen[name] = clean
                basis[name] = sub.stated_basis.get(name, tier) if tier == "user" else tier

    if sub.kind in ("text", "markdown", "clean") and len(sub.data) > 4 * MAX_TEXT_CHARS:
        raise Rejected(_too_long(len(sub.data), "bytes"))
    if sub.kind == "clean":
        # Clean text from an export: cleaning it again could change it (a newer cleaner, a
        # first line that reads as a headline), and with it the fingerprint and the id.
        extracted = Extracted(text=clean_text_chars(sub.data.decode("utf-8")), kind="text")
    else:
        extracted = extract_document(
            sub.data,
            kind=sub.kind,
            url=chosen.get("url"),
            title=chosen.get("title"),
            author=chosen.get("author"),
        )
    text, removed = validate.clean_unicode(extracted.text.strip())
    if removed:
        notes.append(validate.removed_note("text", removed))
    if len(text) > MAX_TEXT_CHARS:
        raise Rejected(_too_long(len(text), "characters"))
    original = sub.original or sub.data
    if len(original) > MAX_DOCUMENT_BYTES:
        raise Rejected(
            f"too large ({len(original) / 2**20:.0f} MB; the limit for one document is "
            f"{MAX_DOCUMENT_BYTES // 2**20} MB)"
        )
    if _backup_size(original, text) > MAX_LINE_BYTES:
        raise Rejected("too large to back up: its original and text would not fit in one line")
    if word_count(text) < MIN_WORDS:  # CJK, written without spaces, counted as words
        raise Rejected("no article text found (fewer than three words after cleaning)")
    for name in ("title", "source", "author", "date", "url"):
        if name in chosen:
            continue
        clean = _clean_value(name, getattr(extracted, name), strict=False, notes=notes)
        if clean is not None:
            chosen[name] = clean
            basis[name] = extracted.basis.get(name, "document")

    if "language" in chosen:
        language = chosen.pop("language")
        probability = (
            validate.probability(sub.stated.get("language_prob"))
            if "language" in sub.stated
            else None
        )
    else:
        detected = detect_language(text, hint=extracted.language_hint)
        language, probability = detected.code, detected.probability
        hinted = "+html:lang" if extracted.language_hint else ""
        basis["language"] = detected.basis + hinted

    extra = _outlet_and_date_trust(sub, extracted, basis)
    tokens = dedupe.words(text)
    hashes = dedupe.shingles(text, tokens)
    fp = dedupe.fingerprint(text, tokens)
    article = Article(
        text=text,
        language=language,
        language_prob=probability,
        places=extract_places(text, language),
        basis=basis,
        id=fp[:12],
        fingerprint=fp,
        original_name=strip_controls(validate.clean_unicode(sub.name)[0]) or None,
        original_type=sub.content_type or extracted.kind,
        **extra,
        **chosen,
    )
    made = None
    if prepare_doc is not None:
        made = prepare_doc(Document.of(article))
    return Prepared(
        article,
        original,
        hashes,
        dedupe.band_keys(dedupe.minhash(hashes)),
        made,
        prepared_key(article),
        notes,
    )


def prepared_key(article: Article) -> tuple:
    """What a backend's `prepare` may read of an article: a preparation is used only for an
    article that still has these (a correction or an outlet rule may change them first)."""
    return (article.fingerprint, article.title, article.language, tuple(article.place_ids))


def _backup_size(original: bytes, text: str) -> int:
    """Bytes of the article's export line, at the most (text counted at 4 bytes a character
    unless that is too many to say)."""
    encoded = 4 * -(-len(original) // 3)
    if encoded + 4 * len(text) + _EXPORT_SLACK <= MAX_LINE_BYTES:
        return encoded + 4 * len(text) + _EXPORT_SLACK
    return encoded + len(json.dumps(text, ensure_ascii=False).encode()) + _EXPORT_SLACK


def _outlet_and_date_trust(sub: Submission, extracted: Extracted, basis: dict) -> dict:
    """The outlet's domain and how far the date can be trusted: as an export line states
    them, else as extraction found them when the outlet or the date came from the document
    (a date or an outlet a person stated is theirs to vouch for)."""
    extra: dict = {}
    from_document = {name for name, how in basis.items() if how == extracted.basis.get(name)}
    if "source_domain" in sub.stated:
        extra["source_domain"] = str(sub.stated["source_domain"]) or None
    elif "source" in from_document:
        extra["source_domain"] = extracted.source_domain
    if "date_confidence" in sub.stated or "date_uncertain" in sub.stated:
        extra["date_confidence"] = sub.stated.get("date_confidence")
        extra["date_uncertain"] = bool(sub.stated.get("date_uncertain", False))
    elif "date" in from_document:
        extra["date_confidence"] = extracted.date_confidence
        extra["date_uncertain"] = extracted.date_uncertain
    return extra


def exit_with_parent(parent: int) -> None:
    """Worker initializer: end the worker when the ingest that started it dies.

    A SIGKILLed parent cannot shut its pool down, and forked workers hold the task pipe open
    themselves, so without this they would wait for work forever (and keep the gazetteer's
    memory)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _prepare_chunk(subs: list[Submission], prepare_doc: PrepareDoc | None) -> bytes:
    """Prepared submissions, pickled: results wait in the parent as bytes (~27 KB an
    article instead of ~150 KB of objects) until the writer takes them."""
    out: list[Prepared | Rejected] = []
    for sub in subs:
        try:
            prepared = prepare(sub, prepare_doc)
        except Rejected as err:
            out.append(err)
            continue
        if prepared.original is sub.original or prepared.original is sub.data:
            prepared.original = b""  # the parent has these bytes: `_with_originals`
        out.append(prepared)
    return pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


def _with_originals(subs: list, prepared: list) -> list:
    """A worker's results given back the original bytes it left out."""
    for sub, item in zip(subs, prepared, strict=True):
        if isinstance(item, Prepared) and not item.original:
            item.original = sub.original or sub.data
    return prepared


def _size(items: list) -> int:
    return sum(len(i.data) + len(i.original or b"") for i in items if isinstance(i, Submission))


def prepare_all(
    items: Iterable[object],
    workers: int | None = None,
    prepare_doc: PrepareDoc | None = None,
) -> Iterator[tuple[object, Prepared | Rejected | None]]:
    """Each item with its preparation, in order: `prepare` runs in worker processes when
    there are many submissions (extraction, places, fingerprints and the backend's
    `prepare_doc` are pure and CPU-bound, so they scale with cores while the caller stores
    and indexes). Items that are not
    submissions pass through with None, as do all items when they are few: the caller
    prepares those itself."""
    workers = workers or os.cpu_count() or 1
    it = iter(items)
    head = list(itertools.islice(it, PARALLEL_MIN))
    if workers < 2 or len(head) < PARALLEL_MIN:
        for item in head:
            yield item, None
        return
    # fork shares what the parent has loaded, but is unsafe with other threads running.
    method = "fork" if threading.active_count() == 1 else "spawn"
    ctx = multiprocessing.get_context(method)
    window: deque = deque()  # (items, future or None), in submission order
    waiting = 0  # items in the window
    held = 0  # bytes of their documents
    ahead = workers * _CHUNK * AHEAD_CHUNKS
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:

        def send(chunk: list, future) -> None:
            nonlocal waiting, held
            window.append((chunk, future))
            waiting += len(chunk)
            held += _size(chunk)

        def drain(keep: int) -> Iterator[tuple[object, Prepared | Rejected | None]]:
            nonlocal waiting, held
            while waiting > keep or (window and held > AHEAD_BYTES):
                chunk, future = window.popleft()
                waiting -= len(chunk)
                held -= _size(chunk)
                if future:
                    prepared = _with_originals(chunk, pickle.loads(future.result()))
                else:
                    prepared = [None] * len(chunk)
                yield from zip(chunk, prepared, strict=True)

        chunk: list = []
        for item in itertools.chain(head, it):
            if not isinstance(item, Submission):
                if chunk:
                    send(chunk, pool.submit(_prepare_chunk, chunk, prepare_doc))
                    chunk = []
                send([item], None)
                continue
            chunk.append(item)
            if len(chunk) >= _CHUNK:
                send(chunk, pool.submit(_prepare_chunk, chunk, prepare_doc))
                chunk = []
                yield from drain(ahead)
        if chunk:
            send(chunk, pool.submit(_prepare_chunk, chunk, prepare_doc))
        yield from drain(0)
