"""Files, folders and JSONL lines to submissions: what `ingest` and uploads hand the archive."""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from archive import validate
from archive.curation import CurationRecord, curation_record
from archive.extract import SUFFIXES, kind_for
from archive.extract.sidecar import SIDECAR_NAME, read_sidecar
from archive.ingest import MAX_DOCUMENT_BYTES, MAX_LINE_BYTES, Submission
from archive.model import AddResult, Rejected

_READ_CHUNK = 2**20


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
    """The files the paths name, folders walked in sorted order; missing paths, unsupported
    files, and what is not a regular file (named pipes, devices, dangling links, links out
    of the folder) as rejections. Nothing is read."""
    for raw in paths:
        path = Path(raw)
        if path.is_symlink() and not path.exists():
            yield AddResult(str(raw), "rejected", reason="a symbolic link to nothing")
        elif not path.exists():
            yield AddResult(str(raw), "rejected", reason="no such file or folder")
        elif path.is_dir():
            yield from _walk(path)
        elif not path.is_file():
            yield AddResult(str(raw), "rejected", reason=not_regular(path))
        else:
            yield path


def not_regular(path: Path) -> str:
    """Why a path that exists is not a file to read (reading a pipe would wait forever)."""
    mode = path.stat().st_mode
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return f"{kind}, not a file to read"


def _walk(folder: Path) -> Iterator[Path | AddResult]:
    root = folder.resolve()
    found: list[tuple[Path, Path | AddResult]] = []
    for dirpath, dirnames, filenames in os.walk(folder):  # never into linked folders
        base = Path(dirpath)
        for name in dirnames:
            if (base / name).is_symlink():
                reason = "a symbolic link to a folder; links are not followed"
                found.append((base / name, AddResult(str(base / name), "rejected", reason=reason)))
        for name in filenames:
            if name == SIDECAR_NAME or name.startswith("."):
                continue
            file = base / name
            found.append((file, _entry(file, root)))
    found.sort(key=lambda pair: pair[0])
    for _, item in found:
        yield item


def _entry(file: Path, root: Path) -> Path | AddResult:
    def rejected(reason: str) -> AddResult:
        return AddResult(str(file), "rejected", reason=reason)

    if file.is_symlink():
        if not file.exists():
            return rejected("a symbolic link to nothing")
        if not file.resolve().is_relative_to(root):
            # A link to /etc/passwd in a shared folder must not publish it.
            return rejected("a symbolic link to outside the folder; not followed")
    if not file.is_file():
        return rejected(not_regular(file))
    if file.suffix.casefold() not in SUFFIXES:
        return rejected(f"unsupported file type {file.suffix!r}")
    return file


def from_file(path: Path, stated: dict) -> Iterator[Submission | AddResult]:
    """The submission a file makes (one per line for .jsonl), or why it cannot be read."""
    name = str(path)
    if path.suffix.casefold() == ".jsonl":
        yield from _from_jsonl_file(path)
        return
    try:
        with _open_regular(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_DOCUMENT_BYTES:
                raise Rejected(
                    f"file too large ({size / 2**20:.0f} MB; the limit for one document is "
                    f"{MAX_DOCUMENT_BYTES // 2**20} MB)"
                )
            data = stream.read(MAX_DOCUMENT_BYTES + 1)
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
        stream = _open_regular(path)
    except OSError as err:
        yield AddResult(name, "rejected", reason=f"cannot read: {err.strerror or err}")
        return
    except Rejected as err:
        yield AddResult(name, "rejected", reason=str(err))
        return
    with stream:
        yield from from_jsonl(stream, name)


def _open_regular(path: Path) -> BinaryIO:
    """The file opened for reading, if it is a regular file. Opened without blocking and
    checked on the open file, so a named pipe put in a file's place after the folder was
    listed is refused instead of hanging the ingest."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Rejected("not a regular file (a named pipe, a device or a folder)")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


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
            yield from_line(line, label, number)
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


def from_line(
    line: bytes | str, label: str, number: int
) -> Submission | AddResult | CurationRecord:
    """One JSONL line's submission (or an export's rule or history row), or its rejection
    naming the line and why."""
    try:
        record = json.loads(line)
    except RecursionError:
        return AddResult(label, "rejected", reason=f"line {number}: JSON nested too deeply")
    except (ValueError, UnicodeDecodeError) as err:
        return AddResult(label, "rejected", reason=f"line {number}: not valid JSON ({err})")
    try:
        if (
            isinstance(record, dict)
            and set(record) & {"rule", "change", "tombstone"}
            and not (set(record) & {"text", "html"})
        ):
            return curation_record(record, f"{label}:{number}")
        return from_record(record, label)
    except Rejected as err:
        return AddResult(label, "rejected", reason=f"line {number}: {err}")


def from_record(record: object, label: str) -> Submission:
    """A submission from one JSON object (a JSONL line or an API request body); every
    field is checked (`archive.validate`): `Rejected` names the first bad one."""
    if not isinstance(record, dict):
        raise Rejected(f"not a JSON object (got {validate.kind_of(record)})")
    notes: list[str] = []
    kind = "text" if record.get("text") is not None else "html"
    body = validate.text_value(kind, record.get(kind), notes, limit=MAX_DOCUMENT_BYTES)
    if body is None or not body.strip():
        raise Rejected('needs a non-empty "text" or "html" field')
    stated: dict[str, object] = dict(validate.stated_fields(record, notes))
    extra = validate.sightings(record.get("sightings"), notes)
    if extra:
        stated["sightings"] = extra
    if "language" in stated:  # an export line: the detection it was stored with
        prob = validate.probability(record.get("language_prob"))
        if prob is not None:
            stated["language_prob"] = prob
    # an export line: the outlet's domain and how far its date was trusted
    domain = validate.text_value("source_domain", record.get("source_domain"), notes, limit=253)
    if domain and "source" in stated:
        stated["source_domain"] = domain
    if "date" in stated:
        confidence = validate.probability(record.get("date_confidence"))
        if confidence is not None:
            stated["date_confidence"] = confidence
        if isinstance(record.get("date_uncertain"), bool):
            stated["date_uncertain"] = record["date_uncertain"]
    original = validate.original_bytes(record.get("original"))
    if original is not None and kind == "text":
        kind = "clean"  # an export line's text is the clean text: a restore takes it as it is
    original_name = validate.text_value("original_name", record.get("original_name"), notes)
    original_type = validate.text_value(
        "original_type", record.get("original_type"), notes, limit=100
    )
    return Submission(
        data=body.encode("utf-8"),
        name=original_name or label,
        kind=kind,
        stated=stated,
        original=original,
        content_type=original_type if original else None,
        stated_basis=validate.basis(record.get("basis"), notes),
        restored=_restored(record) if original is not None else {},
        notes=notes,
        curated=curated_fields(record),
    )


def curated_fields(record: dict) -> dict:
    """An export line's curation: its tombstone, whether an editor split it, and its place
    corrections (GeoNames ids removed and added)."""
    out: dict = {}
    deleted = record.get("deleted")
    if deleted is not None:
        if not isinstance(deleted, dict):
            raise Rejected(f"deleted: expected an object, got {validate.kind_of(deleted)}")
        out["deleted"] = {
            k: validate.text_value(f"deleted.{k}", deleted.get(k), [])
            for k in ("at", "editor", "why")
        }
    if record.get("split") is True:
        out["split"] = True
    edits = record.get("place_edits")
    if edits is not None:
        if not isinstance(edits, dict) or not all(
            isinstance(v, list) and all(isinstance(i, str) for i in v) for v in edits.values()
        ):
            raise Rejected('place_edits: expected {"remove": [ids], "add": [ids]}')
        out["place_edits"] = {k: list(edits[k]) for k in ("remove", "add") if edits.get(k)}
    return out


def _restored(record: dict) -> dict[str, str]:
    """What an export line records of the article's place in its archive (its id, the
    story it is a version of, when it was added), for a restore to keep."""
    keys = ("id", "version_of", "added_at")
    kept = {
        k: record[k]
        for k in keys
        if isinstance(record.get(k), str)
        and len(record[k]) <= 100
        and not validate.clean_unicode(record[k])[1]
    }
    if "added_at" in kept:
        try:
            datetime.fromisoformat(kept["added_at"])
        except ValueError:
            del kept["added_at"]
    return kept
