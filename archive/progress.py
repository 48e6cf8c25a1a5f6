"""An ingest's progress on a terminal: a bar (articles and files done out of the total, the
rate, the time left) kept below the results as they are printed."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from archive.model import AddResult

_COUNT_CHUNK = 2**20


def wanted(as_json: bool) -> bool:
    """A bar only for a person watching: both streams on a terminal, no machine output."""
    return not as_json and sys.stdout.isatty() and sys.stderr.isatty()


class IngestProgress:
    """Counts each result against the inputs of the files named. Use as a context manager;
    `files` and `submissions` wrap what the ingest reads, so each result is known to come
    from its file."""

    def __init__(self, files: list[Path | AddResult]):
        self._files = files
        self._reading = 0  # the file being read, counted from 1
        self._origins: deque[int] = deque()  # the file of each submission given out
        self._stack = ExitStack()
        self._bar: tqdm | None = None

    def __enter__(self) -> IngestProgress:
        self._bar = self._stack.enter_context(
            tqdm(
                total=len(self._files),
                unit=" articles",
                desc="starting",
                file=sys.stderr,
                dynamic_ncols=True,
                bar_format="{desc} {n_fmt}/{total_fmt}{unit} [{elapsed}<{remaining},"
                "{rate_noinv_fmt}] {bar}",
            )
        )
        self._stack.enter_context(logging_redirect_tqdm())
        # Shown at once; a JSONL file's lines are counted after (a fast scan of the file).
        total = sum(_inputs_in(f) for f in self._files)
        self._bar.total = total
        self._describe(0)
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def files(self, files: Iterable[Path | AddResult]) -> Iterator[Path | AddResult]:
        for number, item in enumerate(files, start=1):
            self._reading = number
            yield item

    def submissions(self, items: Iterable) -> Iterator:
        for item in items:
            self._origins.append(self._reading)
            yield item

    def echo(self, line: str, result: AddResult) -> None:
        """Print a result's line above the bar and count it."""
        assert self._bar is not None
        tqdm.write(line, file=sys.stdout)
        file_number = self._origins.popleft() if self._origins else self._reading
        # A file is done once a result of a later one arrives, or when the ingest ends.
        self._describe(file_number - 1)
        if self._bar.n >= self._bar.total:  # an estimate ran short (a line held two)
            self._bar.total = self._bar.n + 1
        self._bar.update(1)

    def finish(self) -> None:
        assert self._bar is not None
        self._bar.total = self._bar.n
        self._describe(len(self._files))
        self._bar.refresh()

    def _describe(self, files_done: int) -> None:
        assert self._bar is not None
        self._bar.set_description_str(f"{files_done}/{len(self._files)} files,", refresh=False)


def copy_bar(total: int, *, shown: bool) -> tqdm:
    """A bar for copying `total` rows (`archive migrate`); silent when not `shown`."""
    return tqdm(
        total=total,
        unit=" rows",
        desc="copying",
        file=sys.stderr,
        dynamic_ncols=True,
        disable=not shown,
    )


def _inputs_in(item: Path | AddResult) -> int:
    """How many articles a file holds: one, or a JSONL file's lines (blank ones included:
    the count only has to be close)."""
    if isinstance(item, AddResult) or item.suffix.casefold() != ".jsonl" or not item.is_file():
        return 1
    lines, last = 0, b"\n"
    try:
        with item.open("rb") as stream:
            while chunk := stream.read(_COUNT_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 1
    return lines + (last != b"\n")
