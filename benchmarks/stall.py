"""Queries built to stall a server: 29 short wildcards and 30 far-fetched fuzzy words, alone
and four at once against a real `archive serve`, while /healthz is timed.

    nice .venv/bin/python benchmarks/stall.py --articles 2000
    nice .venv/bin/python benchmarks/stall.py --data-dir benchmarks/out/n100000/data

The data directory (the seeds plus `--articles` generated ones) is built once under
benchmarks/out/load-n<N>/ (shared with load.py). Reported: each query's time in the core
(`Archive.search`, best and worst of three), the four concurrent web answers, and the
slowest /healthz answer while they ran. Targets (docs/operations.md): each query within
1 s at 2,000 articles, /healthz within 100 ms while four run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.archive import Archive  # noqa: E402
from archive.cli import serving_threads  # noqa: E402
from archive.search import SearchRequest  # noqa: E402
from benchmarks.load import OUT, build, free_port, start_server  # noqa: E402

WILDCARDS = "army " + " OR ".join("?" * (1 + n % 3) for n in range(28))
WILDCARDS_LONG = " OR ".join(f"{w}*" for w in ("ar", "se", "ho", "da", "mi", "re", "pr"))
FUZZY = " OR ".join(f"word{chr(97 + n % 26)}{n}~5" for n in range(30))
QUERIES = {"29 wildcards": WILDCARDS, "30 fuzzy": FUZZY, "7 prefixes": WILDCARDS_LONG}


def time_core(data_dir: Path) -> dict:
    out = {}
    with Archive(data_dir) as archive:
        archive.search(SearchRequest(q="warm up"))
        for name, q in QUERIES.items():
            times = []
            for _ in range(3):
                started = time.perf_counter()
                result = archive.search(SearchRequest(q=q))
                times.append(time.perf_counter() - started)
            out[name] = {
                "chars": len(q),
                "best_ms": round(min(times) * 1000, 1),
                "worst_ms": round(max(times) * 1000, 1),
                "total": result.total,
                "notes": result.notes,
            }
    return out


def get(port: int, path: str, timeout: float = 120) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def concurrent(port: int) -> dict:
    queries = [WILDCARDS, FUZZY, WILDCARDS, FUZZY]
    answers: list[tuple[int, float]] = [(0, 0.0)] * len(queries)

    def run(n: int) -> None:
        answers[n] = get(port, "/?" + urllib.parse.urlencode({"q": queries[n]}))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(queries))]
    health: list[float] = []
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        status, seconds = get(port, "/healthz")
        assert status == 200
        health.append(seconds)
        time.sleep(0.02)
    for t in threads:
        t.join()
    return {
        "answers": [{"status": s, "ms": round(t * 1000, 1)} for s, t in answers],
        "healthz_checks": len(health),
        "healthz_max_ms": round(max(health) * 1000, 1) if health else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated articles")
    parser.add_argument(
        "--data-dir", type=Path, help="an archive built already (perf.py's at 100,000), used as is"
    )
    args = parser.parse_args(argv)
    if args.data_dir:
        data_dir = args.data_dir.resolve()
        work = data_dir.parent
    else:
        work = OUT / f"load-n{args.articles}"
        data_dir = build(work, args.articles)
    results = {"core": time_core(data_dir)}
    port = free_port()
    server = start_server(data_dir, port, serving_threads(), work / "stall-server.log")
    try:
        get(port, "/?q=warm")
        results["four_at_once"] = concurrent(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    (work / "stall.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
