"""Build the shipped outlet registry (archive/extract/data/outlets.json): registered
domain -> the outlet's own name.

Sources: the hand-kept table of well-known outlets in archive/extract/outlets.py (OUTLETS:
names and domains), and, with --pages, a folder of saved pages (.html, .htm, .mhtml) from
a collection of your own: for each registered domain, the name its pages give themselves
(og:site_name, JSON-LD publisher, masthead, as the extractor reads them). A page-declared
name enters the registry only when at least --min-pages pages of the domain give it and no
other name is given as often: a name that changes from page to page of one site is a title
or a section, not the outlet. No open domain-to-outlet data set is on PyPI (checked:
mediacloud-metadata ships none; bilbyai-source-label-map maps feed keys, not domains), so
the table and your pages are all there is. Run:

    .venv/bin/python scripts/build_outlets.py [--pages DIR] [--min-pages 2]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.extract import extract_document, kind_for  # noqa: E402
from archive.extract.outlets import (  # noqa: E402
    OUTLETS,
    looks_like_domain,
    site_domain,
    squeezed,
)
from archive.model import Rejected  # noqa: E402

OUT = ROOT / "archive" / "extract" / "data" / "outlets.json"


def from_table() -> dict[str, str]:
    """Every domain of the hand-kept table, with its outlet's name."""
    registry = {}
    for name, aliases in OUTLETS.items():
        for alias in aliases:
            if looks_like_domain(alias):
                registry[alias.casefold()] = name
    return registry


def from_pages(folder: Path, min_pages: int) -> dict[str, str]:
    """Names saved pages give their sites, kept where the pages of a site agree."""
    votes: dict[str, Counter] = defaultdict(Counter)
    spelled: dict[tuple[str, str], str] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.casefold() not in (".html", ".htm", ".mhtml", ".mht"):
            continue
        try:
            found = extract_document(path.read_bytes(), kind=kind_for(path.name))
        except Rejected:
            continue
        domain = found.source_domain
        if not (domain and found.source) or found.basis.get("source") == "url":
            continue
        key = squeezed(found.source)
        votes[domain][key] += 1
        spelled.setdefault((domain, key), found.source)
    registry = {}
    for domain, counts in votes.items():
        (key, n), *rest = counts.most_common(2) + [("", 0)]
        if n >= min_pages and n > rest[0][1]:
            registry[domain] = spelled[(domain, key)]
    return registry


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, help="a folder of saved pages of your own")
    parser.add_argument("--min-pages", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    registry = from_pages(args.pages, args.min_pages) if args.pages else {}
    registry.update(from_table())  # the hand-kept table is trusted over what pages say
    registry = {d: n for d, n in sorted(registry.items()) if site_domain(d) or "." in d}
    args.out.write_text(json.dumps(registry, ensure_ascii=False, indent=0) + "\n", "utf8")
    print(f"{len(registry)} domains -> {args.out}")


if __name__ == "__main__":
    main()
