"""A small index written by the archive's own Whoosh code, kept under tests/data/ as the
upgrade gate (tests/test_golden_index.py): today's code must read it and find what it
holds, and writing the same stories again must give the same bytes. When the index format
changes on purpose (a new SCHEMA_VERSION), write it anew and commit it with the change:

    .venv/bin/python -m tests.golden_index
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from archive.search.backend import Document
from archive.search.whoosh import WhooshBackend

GOLDEN = Path(__file__).parent / "data" / "golden-index"
STORE_ID = "golden"
HOMS, DAMASCUS, PARIS = "169577", "170654", "2988507"

DOCUMENTS = [
    Document(
        id="g1",
        seq=1,
        title="Rebels take Hama",
        text="Rebels captured Hama on Thursday after the army withdrew south towards Homs.",
        language="en",
        date="2024-12-05",
        added_at="2024-12-05T10:00:00+00:00",
        sources=["Reuters"],
        places=[HOMS],
    ),
    Document(
        id="g2",
        seq=2,
        title=None,
        text="Fighting reached the northern outskirts of Homs as rebels advanced overnight.",
        language="en",
        date="2024-12-07",
        added_at="2024-12-07T10:00:00+00:00",
        sources=["Associated Press", "Agence France-Presse"],
        places=[HOMS],
    ),
    Document(
        id="g3",
        seq=3,
        title="Le président a quitté Damas",
        text="Les rebelles sont entrés dans la capitale; la foule a célébré à Damas.",
        language="fr",
        date="2024-12-08",
        added_at="2024-12-08T10:00:00+00:00",
        sources=["Le Monde"],
        places=[DAMASCUS],
    ),
    Document(
        id="g4",
        seq=4,
        title="新型コロナウイルスの感染拡大",
        text="東京で新型コロナウイルスの感染者が増えた。",
        language="ja",
        date="2020-04-01",
        added_at="2024-12-09T10:00:00+00:00",
        sources=["NHK"],
        places=[],
    ),
    Document(
        id="g5",
        seq=5,
        title="Parisians follow the news",
        text="In Paris, people followed the withdrawal of troops on home screens.",
        language="en",
        date=None,
        added_at="2024-12-10T10:00:00+00:00",
        sources=["Agence France-Presse"],
        places=[PARIS],
    ),
]


def write(path: Path) -> Path:
    """The golden stories indexed into `path` (a new index); returns its build folder."""
    index = WhooshBackend(path)
    try:
        index.rebuild(DOCUMENTS, seq=len(DOCUMENTS), store=STORE_ID)
        build = path / index.state()["build"]
    finally:
        index.close()
    (build / "MAIN_WRITELOCK").unlink(missing_ok=True)
    return build


def data_files(build: Path) -> dict[str, bytes]:
    """A build's files that hold terms, postings, columns and facets, by the part of their
    name that stays the same from one writing to the next (`.trm`, `._body_len.col`, ...);
    the table of contents, which names random segment ids, and the lock are left out."""
    return {
        file.name.split(".", 1)[1]: file.read_bytes()
        for file in sorted(build.iterdir())
        if file.name.startswith("MAIN_") and "." in file.name
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else GOLDEN
    shutil.rmtree(target, ignore_errors=True)
    print(write(target))
