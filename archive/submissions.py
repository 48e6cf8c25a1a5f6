"""Files, folders and JSONL lines to submissions: what `ingest` and uploads hand the archive."""

from __future__ import annotations

import base64
import binascii
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from archive.extract import SUFFIXES, kind_for
from archive.extract.sidecar import SIDECAR_NAME, read_sidecar
from archive.ingest import MAX_DOCUMENT_BYTES, MAX_LINE_BYTES, Submission
from archive.model import METADATA_FIELDS, AddResult, Rejected

_READ_CHUNK = 2**20
_JSONL_FIELDS = set(METADATA_FIELDS)


def from_paths(paths: list[str], stated: dict | None = None) -> Iterator[Submission | AddResult]:
    """Every ingestable file under the paths (folders recursively, sorted), or a rejection.
    Files are read one at a time, as the submissions are consumed."""
    return from_listed(list_files(paths), stated)


def from_listed(
    files: Iterable[Path | AddResult], stated: dict | None = None
) -> Iterator[Submission | AddResult]:
    """The submissions of files `list_files` gave, rejections passed through."""
    for item in files:
        if isinstance(item, AddResult):
            yield item
        else:
            yield from from_file(item, stated or {})


def list_files(paths: list[str]) -> Iterator[Path | AddResult]:
    """The files the paths name, folders walked in sorted order; missing paths and
    unsupported files as rejections. Nothing is read."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield AddResult(str(raw), "rejected", reason="no such file or folder")
        elif path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name == SIDECAR_NAME or file.name.startswith("."):
                    continue
                if file.suffix.casefold() not in SUFFIXES:
                    yield AddResult(
                        str(file), "rejected", reason=f"unsupported file type {file.suffix!r}"
                    )
                    continue
                yield file
        else:
            yield path


def from_file(path: Path, stated: dict) -> Iterator[Submission | AddResult]:
    """The submission a file makes (one per line for .jsonl), or why it cannot be read."""
    name = str(path)
    if path.suffix.casefold() == ".jsonl":
        yield from _from_jsonl_file(path)
        return
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise Rejected(
                f"file too large ({size / 2**20:.0f} MB; the limit for one document is "
                f"{MAX_DOCUMENT_BYTES // 2**20} MB)"
            )
        data = path.read_bytes()
        sidecar = read_sidecar(path.parent).get(path.name, {})
    except OSError as err:
        yield AddResult(name, "rejected", reason=f"cannot read: {err.strerror or err}")
        return
    except Rejected as err:
        yield AddResult(name, "rejected", reason=str(err))
        return
    yield Submission(data=data, name=name, kind=kind_for(path.name), stated=stated, sidecar=sidecar)


def _from_jsonl_file(path: Path) -> Iterator[Submission | AddResult]:
    """A JSONL file's submissions, read a line at a time whatever the file's size."""
    name = str(path)
    try:
        stream = path.open("rb")
    except OSError as err:
        yield AddResult(name, "rejected", reason=f"cannot read: {err.strerror or err}")
        return
    with stream:
        yield from from_jsonl(stream, name)


def from_jsonl(data: bytes | BinaryIO, name: str) -> Iterator[Submission | AddResult]:
    """One submission per line of ``{"text" or "html", "title", "source", ...}`` (bytes or
    a binary stream, read a line at a time); a bad or oversized line is reported by its
    number and the others go on."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    number = 0
    try:
        for number, line, size in _lines(stream, MAX_LINE_BYTES):
            label = f"{name}:{number}"
            if line is None:
                limit = MAX_LINE_BYTES // 2**20
                mb = size / 2**20
                reason = f"line {number}: too large ({mb:.0f} MB; the limit is {limit} MB)"
                yield AddResult(label, "rejected", reason=reason)
                continue
            if not line.strip():
                continue
            try:
                yield from_record(json.loads(line), label)
            except (ValueError, UnicodeDecodeError) as err:
                yield AddResult(label, "rejected", reason=f"line {number}: not valid JSON ({err})")
            except Rejected as err:
                yield AddResult(label, "rejected", reason=f"line {number}: {err}")
    except OSError as err:
        reason = f"cannot read past line {number}: {err.strerror or err}"
        yield AddResult(f"{name}:{number + 1}", "rejected", reason=reason)


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, size) for each line of the stream; a line longer than `limit` bytes
    comes as None with its size, read past in chunks, so memory stays within the limit."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield number, line, len(line)
            continue
        size = len(line)
        while chunk := stream.readline(_READ_CHUNK):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield number, None, size


def from_record(record: object, label: str) -> Submission:
    """A submission from one JSON object (a JSONL line or an API request body)."""
    if not isinstance(record, dict):
        raise Rejected("expected a JSON object")
    body = record.get("text") if record.get("text") is not None else record.get("html")
    if not isinstance(body, str) or not body.strip():
        raise Rejected('needs a non-empty "text" or "html" field')
    kind = "text" if record.get("text") is not None else "html"
    stated = {k: v for k, v in record.items() if k in _JSONL_FIELDS and v not in (None, "")}
    if isinstance(record.get("sightings"), list):
        stated["sightings"] = record["sightings"]
    if isinstance(record.get("language_prob"), int | float) and "language" in stated:
        stated["language_prob"] = float(record["language_prob"])  # an export line
    original = None
    if isinstance(record.get("original"), str):  # an export line: keep the bytes as received
        try:
            original = base64.b64decode(record["original"], validate=True)
        except (binascii.Error, ValueError) as err:
            raise Rejected(f'"original" is not base64 ({err})') from err
        if kind == "text":  # its text is the clean text: a restore takes it as it is
            kind = "clean"
    basis = record.get("basis") if isinstance(record.get("basis"), dict) else {}
    return Submission(
        data=body.encode("utf-8"),
        name=str(record.get("original_name") or label),
        kind=kind,
        stated=stated,
        original=original,
        content_type=record.get("original_type") if original else None,
        stated_basis={k: str(v) for k, v in basis.items()},
        restored=_restored(record) if original is not None else {},
    )


def _restored(record: dict) -> dict[str, str]:
    """What an export line records of the article's place in its archive (its id, the
    story it is a version of, when it was added), for a restore to keep."""
    keys = ("id", "version_of", "added_at")
    kept = {k: record[k] for k in keys if isinstance(record.get(k), str)}
    if "added_at" in kept:
        try:
            datetime.fromisoformat(kept["added_at"])
        except ValueError:
            del kept["added_at"]
    return kept
