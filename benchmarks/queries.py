"""The benchmark's fixed query mix, and how each query reads in Whoosh and in SQLite FTS5.

Every query is built from the corpus's own vocabulary, so its terms are known to be common,
middling or rare; each base query is asked alone, with a place filter and with a date range.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from functools import cache

from benchmarks.corpus import LANGUAGES, PLACES, article, vocabulary

FUNCTION_WORDS = len(set(LANGUAGES["en"][1].split()))


@dataclass
class BenchQuery:
    """One query of the mix: terms ANDed (a term with a space is a phrase), or two ORed."""

    kind: str
    terms: list[str]
    op: str = "and"  # "and", or "or" for ``title:a OR b``
    place: str | None = None  # a spelling as users type it
    date_from: str | None = None
    date_to: str | None = None
    variant: str = "alone"
    place_id: str | None = field(default=None, repr=False)  # filled in by the harness

    def text(self) -> str:
        """The query as a user types it in the archive."""
        quoted = [f'"{t}"' if " " in t else t for t in self.terms]
        if self.op == "or":
            return f"title:{quoted[0]} OR {quoted[1]}"
        return " ".join(quoted)

    def fts(self) -> str:
        """The same query in FTS5 syntax."""
        quoted = [f'"{t}"' for t in self.terms]
        if self.op == "or":
            return f"title:{quoted[0]} OR {quoted[1]}"
        return " AND ".join(quoted)

    def to_json(self) -> dict:
        data = asdict(self)
        data["q"] = self.text()
        return data


@cache
def _rank() -> dict[str, int]:
    return {w: i for i, w in enumerate(vocabulary("en"))}


def _band(rng: random.Random, low: int, high: int) -> str:
    return vocabulary("en")[rng.randrange(FUNCTION_WORDS + low, FUNCTION_WORDS + high)]


def _phrase(rng: random.Random, corpus_size: int, seed: int) -> str:
    """Two or three consecutive words from an English article of the corpus."""
    while True:
        art = article(rng.randrange(corpus_size), seed)
        if art.language != "en":
            continue
        words = [w.strip(".,").lower() for w in art.text.split()]
        for _ in range(20):
            n = rng.choice((2, 2, 3))
            i = rng.randrange(len(words) - n)
            chunk = words[i : i + n]
            # A phrase of content words, not "of the": function words make phrases that
            # nobody types and that both engines answer by scanning everything.
            if all(_rank().get(w, 0) >= FUNCTION_WORDS for w in chunk):
                return " ".join(chunk)


def query_mix(count: int = 330, corpus_size: int = 10_000, seed: int = 0) -> list[BenchQuery]:
    """`count` queries (a multiple of 3 is best): base queries, then each with a place filter
    and with a date range. The same arguments give the same mix."""
    rng = random.Random(f"queries-{seed}")
    makers = {
        "common": lambda: [_band(rng, 0, 300)],
        "middling": lambda: [_band(rng, 300, 3000)],
        "rare": lambda: [_band(rng, 3000, 30000)],
        "and2": lambda: [_band(rng, 0, 600), _band(rng, 0, 3000)],
        "and2-rare": lambda: [_band(rng, 0, 300), _band(rng, 3000, 20000)],
        "and3": lambda: [_band(rng, 0, 400), _band(rng, 0, 1000), _band(rng, 0, 3000)],
        "phrase": lambda: [_phrase(rng, corpus_size, seed)],
        "title-or-body": lambda: [_band(rng, 0, 2000), _band(rng, 0, 2000)],
    }
    kinds = list(makers)
    base: list[BenchQuery] = []
    for i in range(max(1, count // 3)):
        kind = kinds[i % len(kinds)]
        base.append(BenchQuery(kind=kind, terms=makers[kind](), op="or" if "or" in kind else "and"))
    mix: list[BenchQuery] = []
    for q in base:
        mix.append(q)
        spelling = rng.choice(PLACES[min(len(PLACES) - 1, int(rng.paretovariate(1.2)) - 1)])
        mix.append(BenchQuery(q.kind, q.terms, q.op, place=spelling, variant="place"))
        year = rng.randint(2019, 2025)
        month = rng.randint(1, 12)
        span = rng.randint(3, 18)
        end_year, end_month = year + (month + span - 1) // 12, (month + span - 1) % 12 + 1
        if end_year > 2025:
            end_year, end_month = 2025, 12
        mix.append(
            BenchQuery(
                q.kind,
                q.terms,
                q.op,
                date_from=f"{year}-{month:02d}",
                date_to=f"{end_year}-{end_month:02d}",
                variant="dates",
            )
        )
    return mix[:count]
