"""How long archive-wide corrections take on an archive of generated articles: adding and
removing a not-a-place rule, an alias and an outlet merge (each recomputes the articles it
affects and updates the index), one article's edit, and reprocessing every article.

    .venv/bin/python benchmarks/curation.py --n 2000

The archive is built with `archive ingest` of N corpus articles (JSONL, clean text); every
step runs the real `archive` command and is timed from outside, with what it changed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import articles  # noqa: E402

BIN = Path(sys.executable).parent


def run(data: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "archive"), "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"archive {' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        lines = [a.record() for a in articles(args.n)]
        (tmp_path / "corpus.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines)
        )
        data = tmp_path / "data"
        took, _ = run(data, "ingest", str(tmp_path / "corpus.jsonl"))
        print(f"ingest of {args.n} articles: {took:.1f} s")
        _, out = run(data, "search", "--json", "--limit", "1")
        facets = json.loads(out)["facets"]
        # A city (a country's count rolls its cities up): the articles name it themselves.
        city = next(v for v in facets["place"] if v.get("parent"))
        place = city["label"].split(" · ")[0]
        print(f"{place} is named by {city['count']} of {json.loads(out)['total']} stories")
        outlets = Counter({v["value"]: v["count"] for v in facets["source"]})
        (small, n_small), (big, _) = outlets.most_common()[-1], outlets.most_common(1)[0]
        some = json.loads(out)["hits"][0]["id"]
        steps = [
            (f"rules add {place!r} --not-a-place", ["rules", "add", place, "--not-a-place"]),
            ("rules remove (it)", None),
            (f"rules add 'Qwzx' --means {place!r}", ["rules", "add", "Qwzx", "--means", place]),
            (f"merge outlet {small!r} ({n_small}) into {big!r}",
             ["rules", "add", small, "--is-outlet", big]),
            ("edit one article's outlet and date",
             ["edit", some, "--source", "Edited Wire", "--date", "2020-01-01"]),
            ("reprocess --all", ["reprocess", "--all", "--json"]),
        ]  # fmt: skip
        for label, command in steps:
            if command is None:
                _, listed = run(data, "rules", "list", "--json")
                command = ["rules", "remove", str(json.loads(listed)[0]["id"])]
            took, out = run(data, *command)
            extra = ""
            if command[:2] == ["rules", "add"] and command[3] == "--not-a-place":
                _, after = run(data, "search", "--json", "--limit", "1")
                left = {v["value"]: v["count"] for v in json.loads(after)["facets"]["place"]}
                extra = f" ({place} now in {left.get(city['value'], 0)} stories)"
            if command[0] == "reprocess":
                summary = json.loads(out.splitlines()[-1])["summary"]
                extra = f" ({summary}; {args.n / took:.0f} articles/s)"
            print(f"{label}: {took:.1f} s{extra}")


if __name__ == "__main__":
    main()
