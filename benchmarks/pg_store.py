"""The PostgreSQL store against SQLite: `archive ingest` of a generated corpus into each,
one ingest alone and several at once, into a throwaway cluster (or the server
`ARCHIVE_TEST_DATABASE_URL` names).

    nice .venv/bin/python benchmarks/pg_store.py --articles 3000 --writers 4

Each run writes the index too (Whoosh in the data directory, as the archive does with
either store); the writers of a run share one data directory, so the runs differ in the
store alone. A cluster started here is durable (fsync and synchronous commit on, as
SQLite's synchronous=FULL is). Results: benchmarks/out/pg-store-<articles>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.store import open_store  # noqa: E402
from benchmarks.corpus import write_parts  # noqa: E402
from benchmarks.perf import archive_cmd, machine  # noqa: E402
from tests.pgserver import as_url, create_database, drop_database, server_url  # noqa: E402


def ingest(data_dirs: list[Path], parts: list[list[Path]], url: str | None) -> dict:
    """Run one `archive ingest` per data directory at once; wall time and results."""
    env = {**os.environ, "ARCHIVE_DATABASE_URL": url or ""}
    started, cpu = time.perf_counter(), _children_cpu()
    runs = [
        subprocess.Popen(
            archive_cmd(d, "ingest", "--json", *map(str, files)),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for d, files in zip(data_dirs, parts, strict=True)
    ]
    statuses: dict[str, int] = {}
    for run in runs:
        out, _ = run.communicate()
        summary = json.loads(out.strip().splitlines()[-1])["summary"]
        for status, n in summary.items():
            statuses[status] = statuses.get(status, 0) + n
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    store = open_store(data_dirs[0], url)
    stored = store.count()["articles"]
    store.close()
    inputs = sum(statuses.values())
    return {
        "writers": len(data_dirs),
        "seconds": round(seconds, 1),
        "inputs": inputs,
        "inputs_per_s": round(inputs / seconds, 1),
        "client_cpu_ms_per_input": round(1000 * cpu / inputs, 1),
        "statuses": statuses,
        "stored": stored,
        "load": round(os.getloadavg()[0], 1),
    }


def _children_cpu() -> float:
    """CPU seconds of the finished ingests and their workers (the server's not included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best kept")
    args = parser.parse_args(argv)
    server, cluster = server_url(durable=True)
    work = Path(tempfile.mkdtemp(prefix="pg-store-"))
    results: dict = {"machine": machine(), "articles": args.articles, "durable": bool(cluster)}
    try:
        files = write_parts(args.articles, work / "corpus", seed=7, per_file=500)
        runs: dict[str, list[dict]] = {}
        for repeat in range(args.repeat):
            # Alternating which store goes first, so a change in the machine's load
            # falls on both.
            for name in ("sqlite", "postgresql")[:: 1 if repeat % 2 == 0 else -1]:
                for writers in (1, args.writers):
                    url = None
                    if name == "postgresql":
                        url = as_url(create_database(server, "archive_bench"))
                    data_dir = work / f"{name}-{writers}-{repeat}"
                    parts = [files[w::writers] for w in range(writers)]
                    run = ingest([data_dir] * writers, parts, url)
                    runs.setdefault(f"{name}_{writers}", []).append(run)
                    print(name, writers, run, flush=True)
                    if url:
                        drop_database(server, url)
        for key, tries in runs.items():
            results[key] = max(tries, key=lambda r: r["inputs_per_s"])
            results[key]["all_inputs_per_s"] = [r["inputs_per_s"] for r in tries]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if cluster:
            cluster.stop()
    out = ROOT / "benchmarks" / "out" / f"pg-store-{args.articles}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
