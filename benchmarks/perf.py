"""Speed at scale: ingest, index, open, query latency and memory, against SQLite FTS5.

    nice .venv/bin/python benchmarks/perf.py --n 100000      # or --n 10000; --n 1000 smoke

Generates the synthetic corpus (benchmarks/corpus.py), ingests it with the real CLI
(`archive ingest`, the full pipeline), rebuilds the index (`archive reindex`, index only),
measures sizes, a fresh process's time to open and to first result, and the latency of a
fixed query mix (top-20 hits with snippets and counts for place, source, language and
month) in a fresh serving process, through `archive serve` over HTTP when the JSON API is
there, else in-process. The same mix runs on SQLite FTS5 with GROUP BY facets over the same
articles. Results: benchmarks/out/n<N>/results.json and results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_parts  # noqa: E402
from benchmarks.queries import BenchQuery, query_mix  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
PER_PAGE = 20
FACET_LIMIT = 50


# --- helpers ---------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 (nearest rank) and the mean of a list of milliseconds."""
    if not values:
        return {}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]

    return {
        "p50": round(rank(50), 1),
        "p95": round(rank(95), 1),
        "p99": round(rank(99), 1),
        "mean": round(sum(ordered) / len(ordered), 1),
        "max": round(ordered[-1], 1),
    }


def disk_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_child(args: list[str], *, stdout=subprocess.DEVNULL) -> tuple[float, float, int]:
    """Run a command; returns (wall seconds, CPU seconds of it and its reaped workers, its
    peak resident memory in KB). CPU time says what the work costs when other jobs share
    the machine.

    The peak is the child's VmHWM, sampled by a thread while it runs (waiting here must not
    delay noticing the exit: the first-answer time is a wall time): wait4's ru_maxrss would
    report at least this benchmark's own size, which Linux carries over from fork through
    exec."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty child never blocks
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=stdout, stderr=err)
        peak = 0
        exited = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not exited.wait(0.2):
                peak = max(peak, _proc_kb(proc.pid, "VmHWM"))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        exited.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {tail}")
    return elapsed, usage.ru_utime + usage.ru_stime, peak


def archive_cmd(data_dir: Path, *args: str) -> list[str]:
    return [str(BIN / "archive"), "--data-dir", str(data_dir), *args]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} × {cpu}{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


# --- the archive side ----------------------------------------------------------------------


def resolve_place_ids(mix: list[BenchQuery]) -> None:
    """The GeoNames id each place spelling is tagged with in articles (both engines filter
    on it)."""
    from archive.places import extract_places

    for q in mix:
        if q.place:
            found = extract_places(f"Fighting was reported near {q.place} on Tuesday.")
            q.place_id = found[0].geonameid if found else None


def search_request(q: BenchQuery):
    from archive.search import SearchRequest

    return SearchRequest(
        q=q.text(),
        places=[q.place_id] if q.place_id else [],
        date_from=q.date_from,
        date_to=q.date_to,
        per_page=PER_PAGE,
    )


def serve_child(data_dir: Path, mix_file: Path) -> None:
    """Inside a fresh process: open the archive, answer the mix, report timings and RSS."""
    started = time.perf_counter()
    from archive.archive import Archive
    from archive.settings import Settings

    mix = [
        BenchQuery(**{k: v for k, v in q.items() if k != "q"})
        for q in json.loads(mix_file.read_text())
    ]
    imported = time.perf_counter()
    # ARCHIVE_SEARCH_CACHE_MB=0 measures every query with nothing decoded beforehand.
    archive = Archive.from_settings(Settings.from_env(data_dir=str(data_dir)))
    opened = time.perf_counter()
    first = archive.search(search_request(mix[0])).to_json()
    first_at = time.perf_counter()
    latencies, cpu, totals = [], [], []
    for q in mix:
        t0, c0 = time.perf_counter(), time.process_time()
        result = archive.search(search_request(q))
        json.dumps(result.to_json())  # what the API would send
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)  # what neighbours on the CPU don't change
        totals.append(result.total)
    rss = _proc_kb("self", "VmRSS")
    print(
        json.dumps(
            {
                "import_s": imported - started,
                "open_s": opened - imported,
                "first_result_s": first_at - opened,
                "first_total": first["total"],
                "latencies_ms": latencies,
                "cpu_ms": cpu,
                "totals": totals,
                "rss_kb": rss,
                "peak_rss_kb": _proc_kb("self", "VmHWM"),
            }
        )
    )
    archive.close()


def first_result_fresh(data_dir: Path, q: BenchQuery) -> float:
    """Seconds from starting `archive search` to its answer (a cold process, warm disk)."""
    args = archive_cmd(data_dir, "search", q.text(), "--limit", str(PER_PAGE), "--json")
    elapsed, _, _ = run_child(args)
    return elapsed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api_url(port: int, q: BenchQuery) -> str:
    params = [("q", q.text())]
    if q.place_id:
        params.append(("place", q.place_id))
    if q.date_from:
        params.append(("from", q.date_from))
    if q.date_to:
        params.append(("to", q.date_to))
    return f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode(params)


def serve_over_http(data_dir: Path, mix: list[BenchQuery]) -> dict | None:
    """Start `archive serve` (waitress), time its first answer, run the mix over loopback
    HTTP; None when the server has no JSON search API."""
    port = _free_port()
    env = dict(os.environ, ARCHIVE_EDITOR_TOKEN="bench-token")
    started = time.perf_counter()
    proc = subprocess.Popen(
        archive_cmd(data_dir, "serve", "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        first_s = None
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(_api_url(port, mix[0]), timeout=30) as resp:
                    json.load(resp)
                first_s = time.perf_counter() - started
                break
            except urllib.error.HTTPError:
                return None  # serving, but no /api/search yet
            except (urllib.error.URLError, ConnectionError, ValueError):
                time.sleep(0.05)
        if first_s is None:
            return None
        latencies, totals = [], []
        for q in mix:
            t0 = time.perf_counter()
            with urllib.request.urlopen(_api_url(port, q), timeout=60) as resp:
                data = json.load(resp)
            latencies.append((time.perf_counter() - t0) * 1000)
            totals.append(data.get("total"))
        rss_now = _proc_kb(proc.pid, "VmRSS")
        peak = _proc_kb(proc.pid, "VmHWM")  # not ru_maxrss: see run_child
    finally:
        proc.terminate()
        proc.wait()
    return {
        "first_result_s": first_s,
        "latencies_ms": latencies,
        "totals": totals,
        "rss_kb": rss_now,
        "peak_rss_kb": peak,
    }


def _proc_kb(pid: int | str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- the SQLite FTS5 side ------------------------------------------------------------------


def build_fts(data_dir: Path, fts_path: Path) -> dict:
    """An FTS5 table of the same stories with facet tables, as a Datasette user would have,
    titles weighted 4 to 1 in its rank, as the archive weighs them."""
    from archive.archive import Archive
    from archive.search.whoosh.index import _fields

    if fts_path.exists():
        fts_path.unlink()
    started = time.perf_counter()
    db = sqlite3.connect(fts_path)
    db.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE VIRTUAL TABLE fts USING fts5(
            title, body, tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, lang TEXT, month TEXT,
                           date TEXT);
        CREATE TABLE doc_place (rowid INTEGER, place TEXT);
        CREATE TABLE doc_source (rowid INTEGER, source TEXT);
        """
    )
    count = 0
    with Archive(data_dir) as archive:
        for rowid, (seq, art) in enumerate(archive.store.changed_since(0), start=1):
            fields = _fields(archive._index_document(art, seq))
            db.execute(
                "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                (rowid, art.title or "", art.text),
            )
            db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                (rowid, art.id, fields["lang"], fields["month"], fields["date"]),
            )
            db.executemany(
                "INSERT INTO doc_place VALUES (?, ?)",
                [(rowid, p) for p in fields["place"].split(",") if p],
            )
            db.executemany(
                "INSERT INTO doc_source VALUES (?, ?)",
                [(rowid, s) for s in fields["source"].split(",") if s],
            )
            count += 1
    db.executescript(
        """
        CREATE INDEX doc_place_place ON doc_place(place, rowid);
        CREATE INDEX doc_place_rowid ON doc_place(rowid);
        CREATE INDEX doc_source_rowid ON doc_source(rowid);
        CREATE INDEX docs_date ON docs(date);
        INSERT INTO fts(fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
        INSERT INTO fts(fts) VALUES ('optimize');
        """
    )
    db.commit()
    db.close()
    elapsed = time.perf_counter() - started
    return {"docs": count, "build_s": elapsed, "docs_per_s": count / elapsed}


def _fts_bounds(q: BenchQuery) -> tuple[str | None, str | None]:
    from archive.dates import parse_bound

    low = parse_bound(q.date_from, end=False) if q.date_from else None
    high = parse_bound(q.date_to, end=True) if q.date_to else None
    return low, high


def fts_search(db: sqlite3.Connection, q: BenchQuery) -> dict:
    """Top 20 with snippets, the total and four facets, each facet under the other filters,
    as a competent SQLite user writes it: two MATCHes per query. One gives the top 20 by
    the table's configured rank, which FTS5 sorts itself, so snippets are made for those 20
    only; the other puts every match into a temporary table once, and the total and the
    four facets are counted from it (the month histogram without the date range, as the
    archive counts it)."""
    low, high = _fts_bounds(q)
    # EXISTS, not `rowid IN (...)`: SQLite hands an IN list to FTS5 as rowid constraints,
    # and runs the MATCH once per listed row (minutes for a place named in 30,000 articles).
    place = "EXISTS (SELECT 1 FROM doc_place p WHERE p.place = ? AND p.rowid = fts.rowid)"
    where, params = ["fts MATCH ?"], [q.fts()]
    if q.place_id:
        where.append(place)
        params.append(q.place_id)
    dated, dated_params = [], []
    if low:
        dated.append("docs.date >= ?")
        dated_params.append(low)
    if high:
        dated.append("docs.date <= ? AND docs.date != ''")
        dated_params.append(high)
    top_where = " AND ".join(where + dated)
    hits = db.execute(
        "SELECT docs.id, fts.title, snippet(fts, 1, '<mark>', '</mark>', '…', 32) "
        f"FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE {top_where} "
        "ORDER BY rank LIMIT ?",
        [*params, *dated_params, PER_PAGE],
    ).fetchall()
    db.execute("DELETE FROM matched")
    db.execute(
        "INSERT INTO matched SELECT fts.rowid, docs.month, docs.lang, "
        f"{' AND '.join(dated) if dated else '1'} "
        f"FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE {' AND '.join(where)}",
        [*dated_params, *params],
    )
    total = db.execute("SELECT count(*) FROM matched WHERE in_range").fetchone()[0]
    facets = {}
    for name, table, col in (("place", "doc_place", "place"), ("source", "doc_source", "source")):
        facets[name] = db.execute(
            f"SELECT t.{col}, count(*) AS n FROM matched m JOIN {table} t ON t.rowid = m.rowid "
            f"WHERE m.in_range GROUP BY t.{col} ORDER BY n DESC LIMIT {FACET_LIMIT}"
        ).fetchall()
    facets["language"] = db.execute(
        "SELECT lang, count(*) FROM matched WHERE in_range GROUP BY lang"
    ).fetchall()
    facets["date"] = db.execute("SELECT month, count(*) FROM matched GROUP BY month").fetchall()
    return {"total": total, "hits": hits, "facets": facets}


def fts_run(fts_path: Path, mix: list[BenchQuery]) -> dict:
    db = sqlite3.connect(fts_path)
    db.execute(
        "CREATE TEMP TABLE matched (rowid INTEGER PRIMARY KEY, month TEXT, lang TEXT,"
        " in_range INTEGER)"
    )
    for q in mix[: min(30, len(mix))]:  # warm the page cache as the other side is warmed
        fts_search(db, q)
    latencies, totals = [], []
    for q in mix:
        t0 = time.perf_counter()
        result = fts_search(db, q)
        latencies.append((time.perf_counter() - t0) * 1000)
        totals.append(result["total"])
    db.close()
    return {"latencies_ms": latencies, "totals": totals}


# --- the run -------------------------------------------------------------------------------


def run(
    n: int,
    out: Path,
    *,
    queries: int = 330,
    seed: int = 0,
    reuse: bool = False,
    http: bool = True,
    fts: bool = True,
    reindex: bool = True,
) -> dict:
    """The whole benchmark for `n` articles; writes results.json and results.md in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "corpus"  # a folder of JSONL parts
    data_dir = out / "data"
    results: dict = {
        "n": n,
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "load_before": os.getloadavg()[0],
    }

    if not (reuse and corpus.exists()):
        t0 = time.perf_counter()
        write_parts(n, corpus, seed)
        results["corpus_s"] = round(time.perf_counter() - t0, 1)
    results["corpus_mb"] = round(disk_size(corpus) / 2**20, 1)

    earlier = out / "results.json"
    if reuse and earlier.exists():  # keep what this run does not measure again
        before = json.loads(earlier.read_text())
        results.update({k: before[k] for k in ("ingest", "reindex") if k in before})
    if not (reuse and (data_dir / "articles.sqlite3").exists()):
        if data_dir.exists():
            import shutil

            shutil.rmtree(data_dir)
        log = out / "ingest.jsonl"
        with open(log, "w") as fh:
            secs, cpu, rss = run_child(
                archive_cmd(data_dir, "ingest", "--json", str(corpus)), stdout=fh
            )
        summary = json.loads(log.read_text().splitlines()[-1])["summary"]
        results["ingest"] = {**_rate(n, secs, cpu, rss), "summary": summary}
        _log(f"ingest: {n} in {secs:.0f} s ({n / secs:.0f}/s) {summary}")

    mix = query_mix(queries, n, seed)
    resolve_place_ids(mix)
    mix_file = out / "queries.json"
    mix_file.write_text(json.dumps([q.to_json() for q in mix], ensure_ascii=False, indent=1))

    if reindex:
        # The index as bulk ingest leaves it (many segments), before the rebuild (one).
        results["after_ingest"] = _summary(_serve_child(data_dir, mix_file))
        results["segments_after_ingest"] = _segments(data_dir)
        _log(f"queries after ingest: {results['after_ingest']}")
        secs, cpu, rss = run_child(archive_cmd(data_dir, "reindex"))
        stories = _stories(data_dir)
        results["reindex"] = {**_rate(stories, secs, cpu, rss), "stories": stories}
        _log(f"reindex: {stories} in {secs:.0f} s")

    results["size_mb"] = {
        "index": round(disk_size(data_dir / "whoosh") / 2**20, 1),
        "store": round(sum(disk_size(p) for p in data_dir.glob("articles.sqlite3*")) / 2**20, 1),
    }

    results["segments"] = _segments(data_dir)
    results["first_result_cli_s"] = round(first_result_fresh(data_dir, mix[0]), 2)
    child = _serve_child(data_dir, mix_file)
    results["in_process"] = _summary(child)
    results["totals"] = child["totals"]
    results["by_kind"] = _by_kind(mix, child["latencies_ms"])
    _log(f"in-process: {results['in_process']}")

    if http:
        served = serve_over_http(data_dir, mix)
        if served:
            results["http"] = {
                "first_result_s": round(served["first_result_s"], 2),
                "latency_ms": percentiles(served["latencies_ms"]),
                "rss_mb": round(served["rss_kb"] / 1024),
                "peak_rss_mb": round(served["peak_rss_kb"] / 1024),
                "totals_agree": served["totals"] == child["totals"],
            }
            _log(f"http: {results['http']}")
        else:
            results["http"] = None
            _log("http: `archive serve` has no /api/search; measured in-process only")

    if fts:
        fts_path = out / "fts.sqlite3"
        if not (reuse and fts_path.exists()):
            results["fts_build"] = {
                k: round(v, 1) for k, v in build_fts(data_dir, fts_path).items()
            }
        fts_result = fts_run(fts_path, mix)
        results["fts"] = {
            "latency_ms": percentiles(fts_result["latencies_ms"]),
            "size_mb": round(disk_size(fts_path) / 2**20, 1),
        }
        results["fts_totals_agree"] = sum(
            a == b for a, b in zip(fts_result["totals"], child["totals"], strict=True)
        ) / len(mix)
        mine = results["in_process"]["latency_ms"]
        theirs = results["fts"]["latency_ms"]
        results["fts_ratio"] = {
            p: round(theirs[p] / max(mine[p], 0.01), 2) for p in ("p50", "p95", "p99")
        }
        _log(f"fts: {results['fts']} ratio {results['fts_ratio']}")

    results["queries"] = len(mix)
    results["load_after"] = os.getloadavg()[0]
    results.pop("totals", None)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (out / "results.md").write_text(markdown(results))
    return results


def _serve_child(data_dir: Path, mix_file: Path) -> dict:
    """The query mix in a fresh process (see `serve_child`)."""
    script = str(Path(__file__).resolve())
    proc = subprocess.run(
        [sys.executable, script, "--serve-child", str(data_dir), str(mix_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.splitlines()[-1])


def _summary(child: dict) -> dict:
    return {
        "import_s": round(child["import_s"], 2),
        "open_s": round(child["open_s"], 2),
        "first_result_s": round(child["first_result_s"], 2),
        "latency_ms": percentiles(child["latencies_ms"]),
        "cpu_ms": percentiles(child.get("cpu_ms", [])),
        "peak_rss_mb": round(child["peak_rss_kb"] / 1024),
    }


def _rate(docs: int, secs: float, cpu: float, rss_kb: int) -> dict:
    """A child process's throughput: wall time, documents per second, CPU per document."""
    return {
        "s": round(secs, 1),
        "docs_per_s": round(docs / secs, 1),
        "cpu_ms_per_doc": round(cpu / docs * 1000, 1),
        "peak_rss_mb": round(rss_kb / 1024),
    }


def _segments(data_dir: Path) -> int:
    from whoosh import index as windex

    from archive.search.whoosh import WhooshBackend

    ix = windex.open_dir(str(WhooshBackend(data_dir / "whoosh").current_dir()))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def _stories(data_dir: Path) -> int:
    out = subprocess.run(
        archive_cmd(data_dir, "stats", "--json"), capture_output=True, text=True, check=True
    ).stdout
    return int(json.loads(out)["indexed"])


def _by_kind(mix: list[BenchQuery], latencies: list[float]) -> dict:
    groups: dict[str, list[float]] = {}
    for q, ms in zip(mix, latencies, strict=True):
        groups.setdefault(f"{q.kind}/{q.variant}", []).append(ms)
    return {k: percentiles(v) for k, v in sorted(groups.items())}


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def markdown(r: dict) -> str:
    """The results as a Markdown table with the targets beside them."""
    ip = r["in_process"]
    lat = ip["latency_ms"]
    rows = [("articles", f"{r['n']:,}", "")]
    if "ingest" in r:
        rows.append(
            (
                "full-pipeline ingest (`archive ingest`)",
                f"{r['ingest']['docs_per_s']:,.0f} articles/s ({r['ingest']['s']:,.0f} s; "
                f"{r['ingest'].get('cpu_ms_per_doc', '?')} CPU-ms/article)",
                "≥ 100/s",
            )
        )
    if "reindex" in r:
        rows.append(
            (
                "index only (`archive reindex`)",
                f"{r['reindex']['docs_per_s']:,.0f} stories/s ({r['reindex']['s']:,.0f} s; "
                f"{r['reindex'].get('cpu_ms_per_doc', '?')} CPU-ms/story)",
                "",
            )
        )
    rows.append(
        (
            "index / store on disk",
            f"{r['size_mb']['index']:,} MB / {r['size_mb']['store']:,} MB",
            "",
        )
    )
    after = r.get("after_ingest")
    if after:
        a = after["latency_ms"]
        rows.append(
            (
                f"query p50 / p95 / p99 after bulk ingest ({r['segments_after_ingest']} segments)",
                f"{a['p50']} / {a['p95']} / {a['p99']} ms",
                "",
            )
        )
    rows.append(("open the archive (in a fresh process)", f"{ip['open_s']} s", ""))
    rows.append(
        ("first result, fresh `archive search` process", f"{r['first_result_cli_s']} s", "≤ 1.5 s")
    )
    http = r.get("http")
    if http:
        rows.append(
            (
                "first result, `archive serve` start → first /api/search answer",
                f"{http['first_result_s']} s",
                "≤ 1.5 s",
            )
        )
    rows.append(
        (
            f"query p50 / p95 / p99, in-process ({r['queries']} queries, "
            f"{r.get('segments', '?')} segment(s))",
            f"{lat['p50']} / {lat['p95']} / {lat['p99']} ms",
            "p50 ≤ 30, p95 ≤ 100",
        )
    )
    if http:
        h = http["latency_ms"]
        rows.append(
            (
                "query p50 / p95 / p99 over HTTP (waitress, loopback)",
                f"{h['p50']} / {h['p95']} / {h['p99']} ms",
                "",
            )
        )
        rows.append(
            (
                "serving process RSS, peak (after the mix)",
                f"{http['peak_rss_mb']} MB ({http['rss_mb']} MB)",
                "≤ 300 MB",
            )
        )
    rows.append(
        ("in-process search RSS, peak", f"{ip['peak_rss_mb']} MB", "" if http else "≤ 300 MB")
    )
    if "fts" in r:
        f = r["fts"]["latency_ms"]
        rows.append(
            (
                "SQLite FTS5 + GROUP BY: p50 / p95 / p99",
                f"{f['p50']} / {f['p95']} / {f['p99']} ms",
                "",
            )
        )
        ratio = r["fts_ratio"]
        rows.append(
            (
                "speed-up over FTS5 at p50 / p95 / p99",
                f"{ratio['p50']}× / {ratio['p95']}× / {ratio['p99']}×",
                "≥ 2× at p95",
            )
        )
    lines = ["| measure | result | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append("")
    lines.append(
        f"Machine: {r['machine']}. Run started {r['started']}; load average "
        f"{r.get('load_before', 0):.1f} at the start, {r.get('load_after', 0):.1f} at the end."
    )
    lines.append("")
    lines.append("| query kind / variant | p50 | p95 | p99 ms |")
    lines.append("|---|---|---|---|")
    for kind, p in r.get("by_kind", {}).items():
        lines.append(f"| {kind} | {p['p50']} | {p['p95']} | {p['p99']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve-child"]:
        serve_child(Path(argv[1]), Path(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (10000, 100000; 1000)")
    parser.add_argument("--queries", type=int, default=330, help="size of the query mix")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="output folder (default benchmarks/out/n<N>)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the corpus, data and FTS table of an earlier run"
    )
    parser.add_argument("--no-reindex", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-fts", action="store_true")
    args = parser.parse_args(argv)
    out = args.out or OUT / f"n{args.n}"
    results = run(
        args.n,
        out,
        queries=args.queries,
        seed=args.seed,
        reuse=args.reuse,
        http=not args.no_http,
        fts=not args.no_fts,
        reindex=not args.no_reindex,
    )
    print(markdown(results))


if __name__ == "__main__":
    main()
