"""Geoparsing quality and speed on GeoWebNews (see ../shared/eval/geo/README.md), and the
place facet over real saved pages.

Runs `archive places --jsonl` over the evaluation articles, scores the output with the
evaluation's own scorer, and prints the scorer's table (precision and recall next to each
F1) and the throughput. With --pages, it also ingests the real pages of
../shared/eval/html/ with the CLI into a scratch data directory and prints the 30 most
frequent place-facet values with the hand labels of geo_facet_labels.tsv (beside this
file), and the share of them that are not places:

    .venv/bin/python benchmarks/geo.py [--in-process] [--per-doc OUT.tsv] [--pages]

The evaluation data is read where it lies and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("ARCHIVE_GEO_EVAL", ROOT.parent / "shared" / "eval" / "geo"))
GOLD = EVAL / "geowebnews.jsonl"
SCORER = EVAL / "score.py"
PAGES = EVAL.parent / "html"
LABELS = Path(__file__).with_name("geo_facet_labels.tsv")
TOP = 30


def articles_jsonl(gold: Path) -> bytes:
    """The {"id", "text"} lines the CLI reads, without any of the gold annotations."""
    lines = []
    with open(gold, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                doc = json.loads(line)
                lines.append(json.dumps({"id": doc["id"], "text": doc["text"]}))
    return ("\n".join(lines) + "\n").encode("utf-8")


def cli_available() -> bool:
    """Whether the `archive places` command exists in this checkout."""
    probe = subprocess.run(
        [sys.executable, "-m", "archive.cli", "places", "--help"],
        cwd=ROOT,
        capture_output=True,
    )
    return probe.returncode == 0


def run_cli(payload: bytes) -> bytes:
    """Geoparse through the real command line, as a user would: one process, all articles."""
    proc = subprocess.run(
        [sys.executable, "-m", "archive.cli", "places", "-", "--jsonl"],
        cwd=ROOT,
        input=payload,
        capture_output=True,
        check=True,
    )
    return proc.stdout


def run_in_process(payload: bytes) -> bytes:
    """Geoparse by calling extract_places directly (until the CLI command exists)."""
    sys.path.insert(0, str(ROOT))
    from archive.places import extract_places

    out = []
    for line in payload.decode("utf-8").splitlines():
        doc = json.loads(line)
        places = [p.to_json() for p in extract_places(doc["text"])]
        out.append(json.dumps({"id": doc["id"], "places": places}, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def _cpu_seconds() -> float:
    """CPU time of this process and of the finished child processes (the CLI)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def summary(table: str) -> str:
    """The headline figures of the scorer's table on one line each: P, R and F1."""
    out = []
    for line in table.splitlines():
        if line.startswith(("doc places strict", "doc countries", "geocoding")):
            out.append(line.split("(")[0].rstrip() if "macro" in line else line)
    return "\n".join(out)


def facet_report(pages: Path, labels_path: Path = LABELS, top: int = TOP) -> int:
    """Ingest the real pages as a user would and judge the most frequent place-facet values
    by the hand labels. Returns the number of false places among them."""
    labels = {}
    with open(labels_path, encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            labels[row["geonameid"]] = row
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "html"
        html.mkdir()
        sources = sorted(pages.glob("*/html/*"))
        if not sources:
            raise SystemExit(f"no saved pages under {pages}/*/html/ (set ARCHIVE_GEO_EVAL)")
        for src in sources:
            name = src.name.removesuffix(".gz")
            if not name.endswith((".html", ".htm")):
                name += ".html"
            data = src.read_bytes()
            (html / name).write_bytes(gzip.decompress(data) if src.suffix == ".gz" else data)
        data_dir = Path(tmp) / "data"
        cli = [sys.executable, "-m", "archive.cli", "--data-dir", str(data_dir)]
        subprocess.run([*cli, "ingest", str(html)], cwd=ROOT, capture_output=True)
        found = subprocess.run(
            [*cli, "search", "--json", "--limit", "1"], cwd=ROOT, capture_output=True, check=True
        )
        n_pages = len(list(html.iterdir()))
    facet = json.loads(found.stdout)["facets"]["place"][:top]
    false = unlabelled = 0
    print(f"place facet, {top} most frequent values over {n_pages} real pages:")
    for i, value in enumerate(facet, 1):
        label = labels.get(value["value"])
        verdict = label["verdict"] if label else "UNLABELLED"
        false += verdict == "not a place"
        unlabelled += label is None
        reason = f"  ({label['reason']})" if label and verdict != "place" else ""
        print(f"  {i:2} {value['label']:<40} {value['count']:4}  {verdict}{reason}")
    print(f"false places: {false}/{len(facet)} = {false / max(1, len(facet)):.0%}", end="")
    print(f"; unlabelled: {unlabelled}" if unlabelled else "")
    return false


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in-process", action="store_true", help="call the library, not the CLI")
    ap.add_argument("--per-doc", help="also write the scorer's per-article TSV here")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs (the median is shown)")
    ap.add_argument(
        "--pages", action="store_true", help="also judge the place facet over the real pages"
    )
    args = ap.parse_args()

    payload = articles_jsonl(args.gold)
    n = payload.count(b"\n")
    use_cli = not args.in_process and cli_available()
    times, cpu = [], []
    for _ in range(max(1, args.repeat)):
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        output = run_cli(payload) if use_cli else run_in_process(payload)
        times.append(time.perf_counter() - started)
        cpu.append(_cpu_seconds() - cpu_started)
    elapsed = statistics.median(times)

    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_bytes(output)
        cmd = [sys.executable, str(SCORER), str(args.gold), str(pred)]
        if args.per_doc:
            cmd += ["--per-doc", args.per_doc]
        table = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    how = "archive places --jsonl" if use_cli else "extract_places in-process"
    print(table.rstrip())
    print(summary(table))
    print(
        f"speed: {n} articles in {elapsed:.2f} s = {n / elapsed:.0f} articles/s "
        f"({how}, including start-up and gazetteer load; median of {len(times)} runs, "
        f"best {n / min(times):.0f}/s)"
    )
    # CPU seconds do not grow when other programs share the cores, unlike wall time.
    print(f"cpu: {statistics.median(cpu):.2f} s = {n / statistics.median(cpu):.0f} articles/cpu-s")
    if args.pages:
        facet_report(PAGES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
