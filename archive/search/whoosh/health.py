"""Whether an index build on disk can be trusted: its state file's shape, and every file its
last commit left, by size.

Whoosh's table of contents lists a build's segments but not their files' lengths, so a
truncated postings file was only found by the searches that failed on it. Each commit
records the length and modification time of each file it left (`record_files`); opening a
build compares them (`check_files`): segment files never change after their commit, so any
difference is damage (or a copy that did not keep times, which costs only a rebuild).
Damage that keeps both is found when a search fails to read it, and the search layer marks
the build damaged (`IndexDamaged`).
"""

from __future__ import annotations

from pathlib import Path

# Files a build holds that are not the commit's: Whoosh's lock, and the facet caches any
# reader may (re)write beside a segment.
_UNRECORDED = ("WRITELOCK", ".facets", ".tmp")


def valid_state(state: object, schema: int) -> dict | None:
    """The state file's content if its fields have the types they must, else None (an
    unreadable state means no usable index: it is rebuilt)."""
    if not isinstance(state, dict) or state.get("damaged"):
        return None
    build, seq, store = state.get("build"), state.get("seq"), state.get("store")
    if state.get("schema") != schema or not isinstance(build, str) or not build.startswith("b"):
        return None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return None
    if store is not None and not isinstance(store, str):
        return None
    files = state.get("files")
    if files is not None and not (
        isinstance(files, dict) and all(_is_stamp(v) for v in files.values())
    ):
        return None
    return state


def _is_stamp(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )


def record_files(directory: Path, generation: int) -> dict:
    """What a commit left in `directory`: its TOC generation and each file's length and
    modification time."""
    files = {}
    for entry in directory.iterdir():
        if entry.name.startswith(".") or entry.name.endswith(_UNRECORDED):
            continue
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue
        files[entry.name] = [stat.st_size, stat.st_mtime_ns]
    return {"generation": generation, "files": files}


def check_files(directory: Path, state: dict, generation: int) -> str | None:
    """Why the build's files differ from what its last commit recorded, or None. A build
    whose TOC is newer than the record is being written to by another process: its files
    are not judged until that writer records them."""
    files = state.get("files")
    if not files or state.get("generation") != generation:
        return None
    for name, (size, mtime) in files.items():
        try:
            stat = (directory / name).stat()
        except FileNotFoundError:
            return f"{name} is missing"
        except OSError as err:
            return f"{name} cannot be read ({err.strerror or err})"
        if stat.st_size != size:
            return f"{name} is {stat.st_size:,} bytes long; its commit wrote {size:,}"
        if stat.st_mtime_ns != mtime:
            return f"{name} was changed after its commit"
    return None
