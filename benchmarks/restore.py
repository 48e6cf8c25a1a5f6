"""Backup and restore of an archive of saved web pages: the export's size, how long the
restore takes, and its peak memory (the ingest process and its workers), at two sizes, to
show that memory does not grow with the file.

    .venv/bin/python benchmarks/restore.py --n 2000 --n 8000

Each size builds an archive of N generated saved pages (HTML originals around the corpus's
articles, with copies and syndicated versions) with `archive ingest`, exports it with
`archive export`, and restores the export into an empty data directory, checking that the
restored archive holds the same articles.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import saved_page_lines  # noqa: E402

BIN = Path(sys.executable).parent


def _tree(pid: int) -> list[int]:
    """The process and its descendants."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return out


def _kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(args: list[str]) -> dict:
    """Run a command; its wall time, the peak of its own resident memory, the highest peak
    of any process it started (ingest workers, the background indexer), and the peak of
    all of them together (sampled every 0.1 s)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = {"main": 0, "worker": 0, "together": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            pids = _tree(proc.pid)
            peaks["main"] = max(peaks["main"], _kb(proc.pid, "VmHWM"))
            for pid in pids[1:]:
                peaks["worker"] = max(peaks["worker"], _kb(pid, "VmHWM"))
            peaks["together"] = max(peaks["together"], sum(_kb(p, "VmRSS") for p in pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {err.decode()[-2000:]}")
    return {"seconds": time.perf_counter() - started, **{k: v // 1024 for k, v in peaks.items()}}


def _archive(data: Path, *args: str) -> list[str]:
    return [str(BIN / "archive"), "--data-dir", str(data), *args]


def _articles(data: Path) -> int:
    out = subprocess.run(_archive(data, "stats", "--json"), capture_output=True, check=True)
    return json.loads(out.stdout)["articles"]


def measure(n: int, work: Path) -> dict:
    source = work / f"pages-{n}.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for line in saved_page_lines(n, seed=3):
            out.write(line + "\n")
    first, restored = work / f"archive-{n}", work / f"restored-{n}"
    subprocess.run(_archive(first, "ingest", str(source)), stdout=subprocess.DEVNULL, check=True)
    backup = work / f"backup-{n}.jsonl"
    subprocess.run(_archive(first, "export", "-o", str(backup)), check=True, capture_output=True)
    restore = run_measured(_archive(restored, "ingest", str(backup)))
    stored, again = _articles(first), _articles(restored)
    if stored != again:
        raise RuntimeError(f"restored {again} of {stored} articles")
    return {
        "articles": stored,
        "backup_mb": round(backup.stat().st_size / 2**20),
        "restore_s": round(restore["seconds"], 1),
        "per_second": round(stored / restore["seconds"], 1),
        "peak_main_mb": restore["main"],
        "peak_worker_mb": restore["worker"],
        "peak_together_mb": restore["together"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="articles (repeatable)")
    parser.add_argument("--work", help="folder for the archives (default: a temporary one)")
    args = parser.parse_args(argv)
    sizes = args.n or [2000, 8000]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = [measure(n, work) for n in sizes]
    print("| articles | backup | restore | articles/s | peak: ingest | largest other | together |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['articles']:,} | {r['backup_mb']} MB | {r['restore_s']} s | {r['per_second']}"
            f" | {r['peak_main_mb']} MB | {r['peak_worker_mb']} MB | {r['peak_together_mb']} MB |"
        )


if __name__ == "__main__":
    main()
