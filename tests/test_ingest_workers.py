"""Bulk ingest's worker processes never outlive the ingest that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from archive.ingest import PARALLEL_MIN


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_exit_when_a_killed_ingest_cannot_stop_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(PARALLEL_MIN * 4):
        (folder / f"{i:04}.txt").write_text(
            f"Article {i}: rebels advanced on Homs and Hama as the army withdrew. " * 30
        )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archive.cli",
            "--data-dir",
            str(tmp_path / "data"),
            "ingest",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children_of(proc.pid)
        time.sleep(0.05)
    assert workers, "the ingest never started worker processes"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"worker processes {left} outlived their ingest"
