"""Serving the archive for browser tests: `archive serve` (waitress) on a free port, requests
to it, and the Chromium that Debian ships (never `playwright install`)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import TOKEN

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: bytes | None = None, headers=None):
    """(status, body) of one request to the server; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def post_article(base: str, record: dict) -> dict:
    status, body = http(
        "POST",
        base + "/api/articles",
        json.dumps(record).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
    )
    assert status in (200, 201), body
    return json.loads(body)


def _up(base: str) -> bool:
    try:
        return http("GET", base + "/healthz")[0] == 200
    except OSError:
        return False


@contextmanager
def serve(data_dir: Path):
    """`archive serve` over `data_dir` with the editor token; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "ARCHIVE_EDITOR_TOKEN": TOKEN, "ARCHIVE_SECRET_KEY": "browser-tests"}
    log_path = data_dir.parent / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", "--data-dir", str(data_dir), "serve",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _up(base):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"archive serve did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
