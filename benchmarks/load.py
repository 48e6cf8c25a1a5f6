"""Load on loopback: concurrent clients searching (with facets) and reading articles against
a real `archive serve` (waitress) for a fixed time; zero errors expected, latency reported.

    nice .venv/bin/python benchmarks/load.py --articles 10000 --clients 16 --duration 60

The data directory (the seeds plus `--articles` generated ones from benchmarks/corpus.py)
is built once under benchmarks/out/load-n<N>/ and reused. Each client keeps one HTTP
connection and loops over a fixed, seeded mix: search pages with filters (place, source,
language, date range), the JSON search API, article pages and the article API, a few listing
pages and a few hostile queries. Any answer other than 200, a timeout or a dropped
connection counts as an error. Results: benchmarks/out/load-n<N>/results.json and .md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

from archive.cli import serving_threads  # noqa: E402
from benchmarks.corpus import write_jsonl  # noqa: E402
from benchmarks.queries import query_mix  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
# share of requests per kind (sums to 100)
MIX = {
    "search-page": 40,
    "search-api": 25,
    "article-page": 20,
    "article-api": 7,
    "listing": 5,
    "hostile": 3,
}
HOSTILE = ["*oms", "Homs~ Damascus~ rebels~", "((((Homs))))", "a OR b OR c OR d OR e", "*"]
SOURCES = ["Reuters", "AP", "Le Monde", "BBC News", "Al Jazeera"]
LANGS = ["en", "fr", "de", "es", "ar"]


def archive_cmd(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "archive.cli", "--data-dir", str(data_dir), *args]


def stored_articles(data_dir: Path) -> int:
    db = data_dir / "articles.sqlite3"
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def build(work: Path, articles: int) -> Path:
    """The seeds plus `articles` generated ones, ingested with the real CLI (once)."""
    data_dir = work / "data"
    if stored_articles(data_dir) >= articles:
        print(f"reusing {data_dir} ({stored_articles(data_dir)} articles)", file=sys.stderr)
        return data_dir
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    with open(corpus, "w", encoding="utf-8") as out:
        write_jsonl(articles, out)
    started = time.perf_counter()
    for source in (ROOT / "seeds", corpus):
        subprocess.run(
            archive_cmd(data_dir, "ingest", str(source)),
            check=False,  # a generated line may be refused; the count below is what matters
            stdout=subprocess.DEVNULL,
        )
    print(
        f"built {data_dir}: {stored_articles(data_dir)} articles in "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return data_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int, threads: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "ARCHIVE_EDITOR_TOKEN": "load-test-" + os.urandom(8).hex()}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            archive_cmd(data_dir, "serve", "--port", str(port), "--threads", str(threads)),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}")


def sample_ids(data_dir: Path, count: int = 2000) -> list[str]:
    conn = sqlite3.connect(f"file:{data_dir / 'articles.sqlite3'}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id FROM articles ORDER BY id LIMIT ?", (count,)).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


def plan(seed: int, ids: list[str], articles: int) -> list[tuple[str, str]]:
    """A fixed list of (kind, path) requests; each client walks it from its own offset."""
    rng = random.Random(seed)
    queries = query_mix(count=330, corpus_size=max(articles, 1000), seed=0)
    kinds = [k for k, share in MIX.items() for _ in range(share)]
    requests = []
    for _ in range(5000):
        kind = rng.choice(kinds)
        if kind in ("search-page", "search-api"):
            q = rng.choice(queries)
            params: list[tuple[str, str]] = [("q", q.text())]
            if q.place:
                params.append(("place", q.place))
            if q.date_from:
                params += [("from", q.date_from), ("to", q.date_to or "")]
            if rng.random() < 0.2:
                params.append(("source", rng.choice(SOURCES)))
            if rng.random() < 0.1:
                params.append(("lang", rng.choice(LANGS)))
            base = "/" if kind == "search-page" else "/api/search"
            path = f"{base}?{urllib.parse.urlencode(params)}"
        elif kind == "listing":
            page = rng.randint(1, 20)
            path = f"/?sort=newest&page={page}"
        elif kind == "hostile":
            path = "/api/search?" + urllib.parse.urlencode({"q": rng.choice(HOSTILE)})
        else:
            prefix = "/articles/" if kind == "article-page" else "/api/articles/"
            path = prefix + rng.choice(ids)
        requests.append((kind, path))
    return requests


class Client(threading.Thread):
    def __init__(self, port: int, requests, offset: int, stop_at: float, timeout: float):
        super().__init__(daemon=True)
        self.port, self.requests, self.offset = port, requests, offset
        self.stop_at, self.timeout = stop_at, timeout
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def run(self) -> None:
        conn = self._connect()
        i = self.offset
        while time.monotonic() < self.stop_at:
            kind, path = self.requests[i % len(self.requests)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as err:
                self.errors.append(f"{kind} {path[:120]}: {type(err).__name__}: {err}")
                conn.close()
                conn = self._connect()
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                self.errors.append(f"{kind} {path[:120]}: HTTP {status}")
            else:
                self.latencies[kind].append(elapsed)
                self.latencies["all"].append(elapsed)
        conn.close()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)

    return {
        "count": len(ordered),
        "p50": at(50),
        "p95": at(95),
        "p99": at(99),
        "max": round(ordered[-1], 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="generated articles")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="waitress worker threads (0: archive serve's default)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.threads = args.threads or serving_threads()

    work = OUT / f"load-n{args.articles}"
    data_dir = build(work, args.articles)
    port = free_port()
    server = start_server(data_dir, port, args.threads, work / "server.log")
    try:
        ids = sample_ids(data_dir)
        requests = plan(args.seed, ids, args.articles)
        # Warm up: the first searches load the facet caches.
        Client(port, requests, 0, time.monotonic() + 5, args.timeout).run()
        stop_at = time.monotonic() + args.duration
        started = time.perf_counter()
        step = len(requests) // args.clients
        clients = [
            Client(port, requests, n * step, stop_at, args.timeout) for n in range(args.clients)
        ]
        for c in clients:
            c.start()
        for c in clients:
            c.join(args.duration + args.timeout + 30)
        wall = time.perf_counter() - started
        alive = server.poll() is None
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    merged: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    for c in clients:
        errors += c.errors
        for kind, values in c.latencies.items():
            merged[kind] += values
    stories = stored_articles(data_dir)
    results = {
        "articles": stories,
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "waitress_threads": args.threads,
        "requests": len(merged["all"]) + len(errors),
        "throughput_rps": round(len(merged["all"]) / wall, 1),
        "errors": len(errors),
        "error_samples": errors[:10],
        "server_alive": alive,
        "latency_ms": {kind: percentiles(v) for kind, v in sorted(merged.items())},
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
    }
    (work / "results.json").write_text(json.dumps(results, indent=2))
    lines = [
        f"# Load: {args.clients} clients, {wall:.0f} s, {stories} articles, "
        f"{args.threads} waitress threads, {os.cpu_count()} CPUs",
        "",
        f"{results['requests']} requests, {results['throughput_rps']} per second, "
        f"{results['errors']} errors",
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, p in results["latency_ms"].items():
        lines.append(
            f"| {kind} | {p['count']} | {p['p50']} | {p['p95']} | {p['p99']} | {p['max']} |"
        )
    report = "\n".join(lines)
    (work / "results.md").write_text(report + "\n")
    print(report)
    for sample in errors[:10]:
        print("error:", sample, file=sys.stderr)
    return 0 if not errors and alive else 1


if __name__ == "__main__":
    raise SystemExit(main())
