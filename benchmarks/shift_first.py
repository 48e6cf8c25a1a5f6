"""Is `_merge._shift_first`'s pickle patching worth keeping? Every posting block of an
index's segments moved as a merge moves it (first docnum shifted), patched in place as the
merge does, and decoded, shifted and encoded again as it would be without the patch; CPU
time of each, per block and per article of the index.

    nice .venv/bin/python benchmarks/shift_first.py benchmarks/out/load-n10000/data
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.search.whoosh import _blocks as blocks  # noqa: E402
from archive.search.whoosh._merge import _EXTENT, _INFO, _shift_first, _terms  # noqa: E402
from archive.search.whoosh.index import _Storage  # noqa: E402

SHIFT = 5_000  # a docnum that moves a block past one byte's and two bytes' numbers


def stored_blocks(index_dir: Path) -> tuple[list[tuple[bytes, int]], int]:
    """Every stored posting block of every segment, and how many documents they hold."""
    state = json.loads((index_dir / "archive-index.json").read_text())
    ix = _Storage(str(index_dir / state["build"])).open_index()
    found, docs = [], 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            docs += leaf.doc_count_all()
            postfile = leaf._terms._postfile
            for *_, info in _terms(0, leaf, leaf.schema):
                offset, length = info[len(_INFO.format) - 1 :][-2:]
                data = postfile.get(offset, length)
                for (_, _, _, comp, _, _), raw in blocks.iter_blocks(data):
                    found.append((raw, comp))
    ix.close()
    return found, docs


def timed(blocks_: list, move) -> float:
    started = time.process_time()
    for raw, comp in blocks_:
        move(raw, comp)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="an archive's data directory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    found, docs = stored_blocks(args.data_dir / "whoosh")

    def patched(raw, comp):
        return _shift_first(raw, comp, SHIFT)

    def recoded(raw, comp):
        return blocks.encode(blocks.shifted(blocks.decode(raw, comp), SHIFT))

    for raw, comp in found[:2000]:  # both give the same block
        assert blocks.decode(*patched(raw, comp)) == blocks.decode(*recoded(raw, comp))
    best = {
        name: min(timed(found, move) for _ in range(args.repeat))
        for name, move in (("patched", patched), ("recoded", recoded))
    }
    print(
        json.dumps(
            {
                "blocks": len(found),
                "uncompressed": sum(1 for _, comp in found if not comp),
                "articles": docs,
                "cpu_s": {k: round(v, 3) for k, v in best.items()},
                "cpu_ms_per_article": {k: round(v * 1000 / docs, 3) for k, v in best.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
