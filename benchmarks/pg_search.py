"""The PostgreSQL search backend on the perf benchmark's archive: every story of it written
into a throwaway cluster (or the server `ARCHIVE_TEST_DATABASE_URL` names), then the same
330-query mix as `perf.py` (top 20 and four facets), in process.

    nice .venv/bin/python benchmarks/pg_search.py --data-dir benchmarks/out/n100000/data

With `--url`, an existing database is loaded once and kept, for measuring changes to the
queries without loading it again. With `--http` as well, that database must hold the whole
archive (`archive --data-dir DIR migrate --to URL` first, or an `archive ingest` into it,
DIR then being that ingest's data directory): `archive serve` then runs on it
(`ARCHIVE_DATABASE_URL`) and the mix goes over HTTP, with snippets and four facets, as
`perf.py` measures the embedded engine.

    nice .venv/bin/python benchmarks/pg_search.py --data-dir benchmarks/out/n100000/data \
        --url postgresql://user@host/db --http

Without `--http` the stories come from DIR's SQLite store. Results:
benchmarks/out/pg-<name>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.archive import Archive  # noqa: E402
from archive.dates import parse_bound  # noqa: E402
from archive.places import resolve_place  # noqa: E402
from archive.search.backend import Document, Filters  # noqa: E402
from archive.search.postgres import PostgresBackend  # noqa: E402
from archive.search.query import parse  # noqa: E402
from benchmarks.perf import percentiles, serve_over_http  # noqa: E402
from benchmarks.queries import query_mix  # noqa: E402
from tests.pgserver import create_database, drop_database, server_url  # noqa: E402

BATCH = 500


def load(backend: PostgresBackend, data_dir: Path) -> dict:
    started, cpu0, count, seq = time.perf_counter(), time.process_time(), 0, 0
    with Archive(data_dir, catch_up=False) as archive:
        batch: list[Document] = []
        for seq, article in archive.store.changed_since(0):
            if article.deleted:
                continue
            batch.append(Document.of(article, seq, archive.store.outlets(article.id)))
            if len(batch) == BATCH:
                count += backend.write(batch, seq=seq)
                batch = []
        count += backend.write(batch, seq=seq)
    with backend.pool.connection() as conn:
        conn.execute("VACUUM ANALYZE search_docs")
        conn.execute("VACUUM ANALYZE search_words")
        size = conn.execute("SELECT pg_total_relation_size('search_docs')").fetchone()[0]
    secs = time.perf_counter() - started
    return {
        "stories": count,
        "secs": round(secs, 1),
        "stories_per_s": round(count / secs, 1),
        "client_cpu_ms_per_story": round((time.process_time() - cpu0) * 1000 / count, 2),
        "table_mb": round(size / 2**20, 1),
    }


def run_mix(backend: PostgresBackend, n: int) -> dict:
    mix = query_mix(330, n, 0)
    for q in mix[:30]:  # warm the caches as perf.py warms the other engines
        backend.query(parse(q.text(), resolve_place).tree, _filters(q))
    latencies, by_kind = [], {}
    for q in mix:
        started = time.perf_counter()
        backend.query(parse(q.text(), resolve_place).tree, _filters(q), sort="relevance")
        ms = (time.perf_counter() - started) * 1000
        latencies.append(ms)
        by_kind.setdefault(q.kind, []).append(ms)
    return {
        "latency_ms": percentiles(latencies),
        "by_kind": {k: percentiles(v) for k, v in by_kind.items()},
    }


def run_http(data_dir: Path, url: str, n: int) -> dict:
    """The mix against `archive serve` on the archive in `url`."""
    os.environ["ARCHIVE_DATABASE_URL"] = url
    try:
        served = serve_over_http(data_dir, query_mix(330, n, 0))
    finally:
        del os.environ["ARCHIVE_DATABASE_URL"]
    if served is None:
        raise SystemExit("archive serve did not answer /api/search")
    return {
        "latency_ms": percentiles(served["latencies_ms"]),
        "first_result_s": round(served["first_result_s"], 2),
        "peak_rss_mb": round(served["peak_rss_kb"] / 1024, 1),
    }


def _filters(q) -> Filters:
    filters = Filters()
    if q.place:
        place = resolve_place(q.place)
        filters.places = [place.geonameid] if place else []
    if q.date_from:
        filters.date_from = parse_bound(q.date_from, end=False)
        filters.date_to = parse_bound(q.date_to, end=True)
    return filters


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an archive perf.py built")
    parser.add_argument(
        "--url",
        help="an existing database to use and keep (loaded unless it already holds the "
        "archive); by default a throwaway one",
    )
    parser.add_argument(
        "--http", action="store_true", help="also over HTTP (needs --url of a migrated archive)"
    )
    args = parser.parse_args(argv)
    if args.http and not args.url:
        parser.error("--http needs --url: a database the archive was migrated into")
    server = cluster = None
    url = args.url
    if url is None:
        server, cluster = server_url()
        url = create_database(server, prefix="archive_bench")
    backend = PostgresBackend(url)
    try:
        store_url = url if args.http else None  # with --http the archive is in the database
        with Archive(args.data_dir, database_url=store_url, catch_up=False) as archive:
            n = archive.store.count()["articles"]
            last = archive.store.last_seq()
        results = {"load_before": os.getloadavg()[0]}
        if backend.indexed_seq() < last:
            results["load"] = load(backend, args.data_dir)
            print(json.dumps(results["load"]), flush=True)
        results["queries"] = run_mix(backend, n)
        if args.http:
            results["http"] = run_http(args.data_dir, url, n)
        results["load_after"] = os.getloadavg()[0]
    finally:
        backend.close()
        if server:
            drop_database(server, url)
        if cluster:
            cluster.stop()
    out = ROOT / "benchmarks" / "out" / f"pg-{args.data_dir.parent.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
