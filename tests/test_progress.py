"""`archive ingest` on a terminal: a progress bar below the results, each on its own line;
in a pipe or with --json, stdout holds the results and nothing else."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i:02}.txt").write_text(
            f"Report {i}: council members in Springfield met on Tuesday to discuss "
            f"the budget for road number {i} and voted on it."
        )
    return folder


def _run(args: list[str], *, stdout_tty: bool, stderr_tty: bool) -> tuple[int, str, str]:
    """Run `archive ARGS` with stdout and stderr each on a pipe or on a pseudo-terminal
    (one terminal for both, as a person's shell has); returns the exit status and what each
    stream received (a shared terminal's output under "stdout")."""
    terminal = None
    if stdout_tty or stderr_tty:
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        terminal = (leader, follower)
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=terminal[1] if stdout_tty else subprocess.PIPE,
        stderr=terminal[1] if stderr_tty else subprocess.PIPE,
    )
    streams = {}
    if terminal:
        os.close(terminal[1])
        streams[terminal[0]] = "stdout" if stdout_tty else "stderr"
    for name in ("stdout", "stderr"):
        if getattr(proc, name) is not None:
            streams[getattr(proc, name).fileno()] = name
    received = {"stdout": b"", "stderr": b""}
    deadline = time.monotonic() + 300
    while streams and time.monotonic() < deadline:
        ready, _, _ = select.select(list(streams), [], [], 5)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a pty's leader reads EIO once the process has closed it
                chunk = b""
            if chunk:
                received[streams[fd]] += chunk
            else:
                del streams[fd]
    status = proc.wait(timeout=60)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    if terminal:
        os.close(terminal[0])
    return status, received["stdout"].decode(), received["stderr"].decode()


def _screen_lines(raw: str) -> list[str]:
    """The lines a terminal shows at the end: what follows the last carriage return of
    each line, escape sequences removed."""
    lines = raw.replace("\r\n", "\n").split("\n")  # a terminal ends lines with both
    return [_ESCAPES.sub("", line.split("\r")[-1]).rstrip() for line in lines]


def test_on_a_terminal_the_progress_and_each_result_have_lines_of_their_own(tmp_path):
    folder = _articles(tmp_path / "notes", 12)
    data = tmp_path / "data"
    status, out, _ = _run(
        ["--data-dir", str(data), "ingest", str(folder)], stdout_tty=True, stderr_tty=True
    )
    assert status == 0, out
    lines = _screen_lines(out)
    results = [line for line in lines if ": added " in line]
    assert len(results) == 12
    for line in results:
        assert re.fullmatch(r".*/note-\d\d\.txt: added [0-9a-f]{12}", line), line
    assert "12 inputs: 12 added" in lines
    # The bar was drawn (articles and files out of the total) and ended complete.
    assert "12/12 files, 12/12 articles" in _ESCAPES.sub("", out)
    assert "it/s" not in out and "articles/s" in out


def test_in_a_pipe_stdout_is_only_the_results(tmp_path):
    folder = _articles(tmp_path / "notes", 5)
    status, out, err = _run(
        ["--data-dir", str(tmp_path / "data"), "ingest", str(folder)],
        stdout_tty=False,
        stderr_tty=True,
    )
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 6 and lines[-1] == "5 inputs: 5 added"
    assert all(": added " in line for line in lines[:-1])
    assert "\r" not in out and "\r" not in err and "files," not in err


def test_with_json_on_a_terminal_stdout_is_only_json(tmp_path):
    folder = _articles(tmp_path / "notes", 5)
    status, out, err = _run(
        ["--data-dir", str(tmp_path / "data"), "ingest", "--json", str(folder)],
        stdout_tty=True,
        stderr_tty=False,
    )
    assert status == 0
    records = [json.loads(line) for line in out.replace("\r\n", "\n").splitlines()]
    assert records[-1] == {"summary": {"added": 5}}
    assert "files," not in out


def test_a_new_archive_says_nothing_of_its_index(tmp_path):
    status, out, err = _run(
        ["--data-dir", str(tmp_path / "new"), "stats"], stdout_tty=False, stderr_tty=False
    )
    assert status == 0 and out.startswith("0 articles")
    assert err == ""


def test_a_deleted_index_beside_a_full_store_says_it_is_rebuilding(tmp_path):
    data = tmp_path / "data"
    status, _, _ = _run(
        ["--data-dir", str(data), "ingest", str(SEEDS)], stdout_tty=False, stderr_tty=False
    )
    assert status == 0
    for path in sorted((data / "whoosh").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    status, out, err = _run(["--data-dir", str(data), "stats"], stdout_tty=False, stderr_tty=False)
    assert status == 0 and out.startswith("5 articles")
    assert "rebuilding from the store" in err
