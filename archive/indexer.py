"""Bulk ingest's index writer, in a process of its own.

It indexes what was stored while the ingest stores the next articles. Indexing was over
half of the single writer's time, which left a core idle while the preparing workers
waited for it. One commit runs at a time; each takes what the workers prepared for the
backend (`Backend.prepare`, opaque bytes) of the articles stored so far and indexes the
store up to the last of them.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from archive.ingest import exit_with_parent


class BackgroundIndexer:
    """`open_archive` (picklable: it runs in the new process) opens the archive to index,
    without catching its index up on opening."""

    def __init__(self, open_archive: Callable):
        self.pool = ProcessPoolExecutor(
            1,
            # fork is unsafe here: the preparing workers' pool runs threads in this process.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open,
            initargs=(os.getpid(), open_archive),
        )
        self.running: Future | None = None

    def ready(self, wait: bool) -> bool:
        """Whether no commit is running, waiting for the running one when `wait`; a
        failed commit's error is raised here."""
        if self.running is not None:
            if not wait and not self.running.done():
                return False
            self.running.result()
            self.running = None
        return True

    def start(self, prepared: dict, upto: int) -> None:
        """Index the store up to change `upto`, with these preparations (id -> entry, as
        the archive keeps them); call only when `ready`."""
        blob = pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
        self.running = self.pool.submit(_index, blob, upto)

    def finish(self) -> None:
        """Wait for the running commit and stop the process; what was stored after that
        commit is the caller's to index."""
        try:
            self.ready(wait=True)
        finally:
            self.pool.shutdown()


_archive = None  # the indexing process's own archive


def _open(parent: int, open_archive: Callable) -> None:
    global _archive
    exit_with_parent(parent)
    _archive = open_archive()


def _index(prepared: bytes, upto: int) -> int:
    return _archive.index_prepared(pickle.loads(prepared), upto)
