"""One writer at a time, across threads and processes (the server, the CLI, a second tab)."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(TimeoutError):
    """Another writer held the archive for too long."""


class WriteLock:
    """An exclusive lock: a thread lock inside the process, `flock` on a file across them.

    The kernel releases `flock` when a process dies, so a crashed writer never leaves the
    archive locked.
    """

    def __init__(self, path: Path, timeout: float = 120.0):
        self.path = Path(path)
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def held(self, timeout: float | None = None):
        """Hold the lock, waiting at most `timeout` seconds (default: the lock's own)."""
        wait = self.timeout if timeout is None else timeout
        if not self._thread_lock.acquire(timeout=wait):
            raise LockTimeout(f"another writer in this process held {self.path}")
        try:
            if self._depth == 0:
                self._acquire_file(wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release_file()
        finally:
            self._thread_lock.release()

    def shared(self, timeout: float | None = None):
        """What adding articles holds: the same exclusive lock here (a store that takes many
        writers at once gives a lock whose shared mode lets them)."""
        return self.held(timeout)

    def _acquire_file(self, wait: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeout(
                        f"another process has been writing to the archive for over "
                        f"{wait:.0f} s ({self.path})"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    def _release_file(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
