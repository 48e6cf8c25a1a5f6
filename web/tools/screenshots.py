"""Take the screenshots in docs/screenshots: the home page, the results, the full-page map,
an article and its printed form, each at 1280 and 390 px, from `archive serve` over the seed
articles in a temporary data directory.

    .venv/bin/python web/tools/screenshots.py

Needs Debian's chromium and the Python playwright package (never `playwright install`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
ARTICLE = "/articles/aecfc07bbbc9?q=Homs"  # the FT seed, opened from the Homs results
SHOTS = [
    # (file, path, viewport width, full page, media)
    ("home-desktop.png", "/", 1280, True, "screen"),
    ("home-phone.png", "/", 390, False, "screen"),
    ("search-desktop.png", "/?q=Homs", 1280, False, "screen"),
    ("search-phone.png", "/?q=Homs", 390, False, "screen"),
    ("search-filtered-desktop.png", "/?q=Homs&place=170794", 1280, False, "screen"),
    ("map-desktop.png", "/map?q=Homs", 1280, False, "screen"),
    ("map-phone.png", "/map?q=Homs", 390, False, "screen"),
    ("article.png", ARTICLE, 1280, False, "screen"),
    ("article-phone.png", ARTICLE, 390, False, "screen"),
    ("print-desktop.png", ARTICLE, 1280, True, "print"),
    ("print-phone.png", ARTICLE, 390, False, "print"),
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("archive serve did not start")


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "archive.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([*cli, "--data-dir", str(data), "ingest", "seeds"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        port = _port()
        proc = subprocess.Popen(
            [*cli, "--data-dir", str(data), "serve", "--port", str(port)],
            cwd=ROOT, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base + "/healthz", proc)
            _wait(base + "/?q=warm", proc)  # the first search loads the gazetteer
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
                for name, path, width, full, media in SHOTS:
                    page = browser.new_page(
                        viewport={"width": width, "height": 1000 if width > 500 else 844}
                    )
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if path.startswith("/map"):
                        page.wait_for_selector("#fullmap.is-live .mapmark")
                        page.wait_for_timeout(600)  # the clusters' opening animation
                    page.emulate_media(media=media)
                    page.screenshot(path=str(OUT / name), full_page=full)
                    print(f"wrote {OUT / name}")
                    page.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
