"""Where bulk ingest's CPU time goes, per article: each preparation step, and the writer.

Preparation (what the ingest workers do): language detection, places, fingerprints, the
index's text analysis, and `ingest.prepare` as a whole. The writer (the ingest's single
main process): index commits of `--batch` generated articles into a fresh index, then one
merge of all those segments, as bulk ingest merges them on the way to 100,000 articles.
CPU time in this process, so the neighbours on a shared machine matter less.

    .venv/bin/python benchmarks/ingest_parts.py [--n 8000] [--batch 2000] [--sample 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402


def cpu_ms_each(step, items) -> float:
    started = time.process_time()
    for item in items:
        step(item)
    return (time.process_time() - started) / len(items) * 1000


def preparation(sample: list) -> dict[str, float]:
    from archive import dedupe, ingest
    from archive.language import detect_language
    from archive.places import extract_places
    from archive.search.whoosh.index import analyse
    from archive.submissions import from_record

    texts = [a.text for a in sample]
    detect_language(texts[0])  # load the profiles and the gazetteer before timing
    extract_places(texts[0])
    records = [a.record() for a in sample]
    return {
        "language": cpu_ms_each(detect_language, texts),
        "places": cpu_ms_each(extract_places, texts),
        "fingerprints": cpu_ms_each(
            lambda t: (dedupe.band_keys(dedupe.minhash(dedupe.shingles(t))), dedupe.fingerprint(t)),
            texts,
        ),
        "analysis": cpu_ms_each(lambda a: analyse(a.title, a.text, a.language), sample),
        "prepare (all of it)": cpu_ms_each(
            lambda r: ingest.prepare(from_record(r, "bench")), records
        ),
    }


def writer(articles: list, batch: int) -> dict[str, float]:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    from archive.places import extract_places
    from archive.search import Document
    from archive.search.whoosh import WhooshBackend
    from archive.search.whoosh._schema import build_schema
    from archive.search.whoosh._writer import Writer, commit
    from archive.search.whoosh.index import _fields

    docs = [
        Document(
            f"d{i}",
            i,
            a.title,
            a.text,
            a.language,
            a.date,
            sources=[a.source],
            places=[p.geonameid for p in extract_places(a.text)],
        )
        for i, a in enumerate(articles)
    ]
    for doc in docs:  # made in the ingest workers: not part of the writer's time
        doc.prepared = WhooshBackend.prepare(doc)
    with tempfile.TemporaryDirectory() as folder:
        ix = FileStorage(folder).create_index(build_schema())
        started = time.process_time()
        for at in range(0, len(docs), batch):
            commit(ix, map(_fields, docs[at : at + batch]))
        committed = time.process_time() - started

        def merge_all(w, segments):
            for seg in segments:
                w.add_reader(SegmentReader(w.storage, w.schema, seg))
            return []

        segments = len(ix._segments())
        started = time.process_time()
        Writer(ix).commit(mergetype=merge_all)
        merged = time.process_time() - started
        ix.close()
    return {
        f"index commits of {batch:,}": committed / len(docs) * 1000,
        f"merge of {segments} segments": merged / len(docs) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8000, help="articles the writer indexes")
    parser.add_argument("--batch", type=int, default=2000, help="articles per index commit")
    parser.add_argument("--sample", type=int, default=1000, help="articles prepared")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    articles = list(corpus.articles(max(args.n, args.sample), seed=args.seed))
    rows = preparation(articles[: args.sample]) | writer(articles[: args.n], args.batch)
    print("| step | CPU-ms per article |\n|---|---|")
    for name, ms in rows.items():
        print(f"| {name} | {ms:.2f} |")


if __name__ == "__main__":
    main()
