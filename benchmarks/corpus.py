"""A deterministic, news-like synthetic corpus for the performance benchmark.

Article `i` depends only on (seed, i): the same command always writes the same bytes, and
the benchmark can regenerate any article to pick phrases from it. Words follow a Zipf law
over a per-language vocabulary (real function words first, then pseudo-words), lengths are
log-normal around 460 words, 1-8 real places per article are written in variant spellings
(Deraa/Daraa, Kiev/Kyiv, ...), outlets are Zipfian, dates spread over 2019-2025, and ~2% of
articles are syndicated copies of an earlier one (another outlet, a wire header, trimmed).
Lines state title, source and date; the language is left for the ingest to detect.

    .venv/bin/python benchmarks/corpus.py --n 10000 > corpus.jsonl
"""

from __future__ import annotations

import argparse
import base64
import bisect
import itertools
import json
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from xml.sax.saxutils import escape

VOCAB_SIZE = 40_000
ZIPF_S = 1.07
MEAN_WORDS = 460
FIRST_DAY = date(2019, 1, 1)
DAYS = (date(2025, 12, 31) - FIRST_DAY).days + 1
UNDATED_RATE = 0.02
COPY_RATE = 0.02

# (share of articles, function words that head the Zipf ranks, syllables for pseudo-words)
LANGUAGES = {
    "en": (
        0.72,
        "the of to and a in that said is for on was with he it as at by from his have be "
        "are has but not they were an had this who their after which been will would also "
        "its more than its one two officials government people over against there when "
        "last year new since before forces president minister security city told week",
        "ba be bi bo ca co da de di do fa fe ga go ha ka la le li lo ma me mi mo na ne no "
        "pa pe ra re ri ro sa se si so ta te ti to va ve wa ze",
    ),
    "fr": (
        0.10,
        "le la les de des du et un une en dans que qui est pour sur au aux par pas plus a "
        "il elle ont été avec son sa ses ce cette selon mais ministre gouvernement ville",
        "bau cha cou dé ei fau gne jou lai mau neu oi pou quai rei sou tai vau",
    ),
    "de": (
        0.08,
        "der die das und in den von zu mit sich des auf für ist im dem nicht ein eine als "
        "auch es an er hat aus bei nach sagte regierung stadt minister wurde werden",
        "bach berg dorf ei feld gen hau kel lich mann mei nach rau sch stein tung wal zei",
    ),
    "es": (
        0.06,
        "el la de que y en los del se las por un para con no una su al lo como más pero "
        "sus le ya o fue este ha gobierno ciudad ministro dijo según",
        "ba ca cha da ga gue ja lla lo ma ña pa que ra rro sa ta va za",
    ),
    "it": (
        0.04,
        "il di che e la per un in non una sono del della le si con da al ha dei gli come "
        "anche nel governo città ministro secondo",
        "bi ca chi ci do ga gli lo ma ne po ri sa sci ta to va zi zo",
    ),
}

# Real places, each with the spellings the press uses for it.
PLACES = [
    ("Damascus",),
    ("Aleppo", "Halab"),
    ("Daraa", "Deraa", "Dar'a"),
    ("Suwayda", "Sweida", "Suweida"),
    ("Deir ez-Zor", "Deir Ezzor", "Deir al-Zor"),
    ("Homs",),
    ("Idlib",),
    ("Raqqa",),
    ("Hama",),
    ("Latakia",),
    ("Kyiv", "Kiev"),
    ("Kharkiv", "Kharkov"),
    ("Odesa", "Odessa"),
    ("Lviv", "Lvov"),
    ("Zaporizhzhia", "Zaporozhye"),
    ("Dnipro",),
    ("Kherson",),
    ("Mariupol",),
    ("Donetsk",),
    ("Luhansk", "Lugansk"),
    ("Bakhmut", "Artemivsk"),
    ("Moscow",),
    ("Baghdad",),
    ("Mosul",),
    ("Beirut",),
    ("Amman",),
    ("Cairo",),
    ("Istanbul",),
    ("Ankara",),
    ("Tehran", "Teheran"),
    ("Kabul",),
    ("Kandahar",),
    ("Tripoli",),
    ("Benghazi",),
    ("Khartoum",),
    ("Sanaa",),
    ("Mogadishu",),
    ("Nairobi",),
    ("Mumbai", "Bombay"),
    ("Beijing", "Peking"),
    ("Paris",),
    ("Berlin",),
    ("London",),
    ("Jerusalem",),
    ("Tel Aviv",),
]

OUTLETS = [
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "BBC News",
    "Al Jazeera",
    "The Guardian",
    "The New York Times",
    "The Washington Post",
    "Le Monde",
    "Der Spiegel",
    "El País",
    "Corriere della Sera",
    "Deutsche Welle",
    "France 24",
    "Kyiv Independent",
    "Syrian Observer",
    "Enab Baladi",
    "The National",
    "Middle East Eye",
    "Financial Times",
    "Bloomberg",
    "NPR",
    "CNN",
    "Sky News",
    "The Independent",
    "Le Figaro",
    "Die Zeit",
    "La Repubblica",
    "El Mundo",
    "Euronews",
    "Anadolu Agency",
    "Arab News",
    "Asharq Al-Awsat",
    "Ukrainska Pravda",
    "Meduza",
    "The Times",
    "The Telegraph",
    "Haaretz",
    "Times of Israel",
    "Daily Star Lebanon",
]

_PLACE_FRAMES = {
    "en": ("in {}", "near {}", "from {}", "around {}", "outside {}"),
    "fr": ("à {}", "près de {}", "depuis {}"),
    "de": ("in {}", "bei {}", "aus {}"),
    "es": ("en {}", "cerca de {}", "desde {}"),
    "it": ("a {}", "vicino a {}", "da {}"),
}


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _zipf_cum(n: int, s: float = ZIPF_S) -> list[float]:
    return _cumulative([1.0 / (rank**s) for rank in range(1, n + 1)])


@cache
def vocabulary(lang: str) -> tuple[str, ...]:
    """The language's words by frequency rank: function words, then pseudo-words."""
    _, function_words, syllables = LANGUAGES[lang]
    words = list(dict.fromkeys(function_words.split()))
    seen = set(words)
    sylls = syllables.split()
    rng = random.Random(f"vocab-{lang}")
    while len(words) < VOCAB_SIZE:
        # Longer words get rarer down the ranks, as in real text.
        parts = 2 + (len(words) > 2000) + (len(words) > 15000) + (rng.random() < 0.3)
        word = "".join(rng.choice(sylls) for _ in range(parts))
        if rng.random() < 0.15:
            word += rng.choice(("s", "ed", "ing", "er", "n", "t"))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return tuple(words)


@cache
def _word_cum() -> list[float]:
    return _zipf_cum(VOCAB_SIZE)


@cache
def _place_cum() -> list[float]:
    return _zipf_cum(len(PLACES), 0.9)


@cache
def _outlet_cum() -> list[float]:
    return _zipf_cum(len(OUTLETS), 0.8)


@cache
def _lang_table() -> tuple[list[str], list[float]]:
    names = list(LANGUAGES)
    return names, _cumulative([LANGUAGES[n][0] for n in names])


@dataclass
class Article:
    """One generated article: what a JSONL line carries, plus the truth behind it."""

    index: int
    title: str
    text: str
    source: str
    date: str | None
    language: str
    places: list[str]  # canonical names (first spelling) of the places written in
    copy_of: int | None = None

    def record(self) -> dict:
        rec = {"title": self.title, "text": self.text, "source": self.source}
        if self.date:
            rec["date"] = self.date
        # No "language": the ingest detects it, as it must for most real collections.
        return rec


def _pick(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect_left(cum, rng.random() * cum[-1])


def _words(rng: random.Random, lang: str, k: int) -> list[str]:
    vocab = vocabulary(lang)
    return rng.choices(vocab, cum_weights=_word_cum(), k=k)


def _sentences(rng: random.Random, words: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(words):
        n = rng.randint(8, 26)
        chunk = words[i : i + n]
        out.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + ".")
        i += n
    return out


def article(i: int, seed: int = 0) -> Article:
    """Article number `i` of the corpus with `seed` (independent of every other one)."""
    rng = random.Random(seed * 1_000_003 + i)
    if i > 20 and rng.random() < COPY_RATE:
        return _copy(rng, i, seed)
    names, cum = _lang_table()
    lang = names[_pick(rng, cum)]
    length = max(60, int(rng.lognormvariate(math.log(MEAN_WORDS) - 0.08, 0.4)))
    sentences = _sentences(rng, _words(rng, lang, length))

    places = list(dict.fromkeys(PLACES[_pick(rng, _place_cum())] for _ in range(rng.randint(1, 8))))
    frames = _PLACE_FRAMES[lang]
    for place in places:
        # Each place is mentioned one to three times, each time in one of its spellings.
        for _ in range(rng.randint(1, 3)):
            spot = rng.randrange(len(sentences))
            phrase = rng.choice(frames).format(rng.choice(place))
            sentences[spot] = sentences[spot][:-1] + " " + phrase + "."
    paragraphs, j = [], 0
    while j < len(sentences):
        n = rng.randint(2, 5)
        paragraphs.append(" ".join(sentences[j : j + n]))
        j += n

    title_words = _words(rng, lang, rng.randint(5, 10))
    title = " ".join(title_words).capitalize()
    if rng.random() < 0.6:
        title += " " + rng.choice(frames).format(rng.choice(places[0]))
    day = None
    if rng.random() >= UNDATED_RATE:
        # Later years carry more news: dates lean towards the end of the range.
        day = (FIRST_DAY + timedelta(days=int(DAYS * rng.random() ** 0.8))).isoformat()
    return Article(
        index=i,
        title=title,
        text="\n\n".join(paragraphs),
        source=OUTLETS[_pick(rng, _outlet_cum())],
        date=day,
        language=lang,
        places=[p[0] for p in places],
    )


def _copy(rng: random.Random, i: int, seed: int) -> Article:
    """A syndicated copy of an earlier article: another outlet, a header, the end trimmed."""
    original = article(rng.randrange(max(1, i - 5000), i), seed)
    if original.copy_of is not None:
        return original  # an exact copy of a copy: recorded as another sighting
    paragraphs = original.text.split("\n\n")
    if len(paragraphs) > 3:
        paragraphs = paragraphs[:-1]
    header = f"{original.places[0].upper()} ({rng.choice(OUTLETS[:3])}) - "
    return Article(
        index=i,
        title=original.title,
        text=header + "\n\n".join(paragraphs),
        source=OUTLETS[_pick(rng, _outlet_cum())],
        date=original.date,
        language=original.language,
        places=original.places,
        copy_of=original.index,
    )


def articles(n: int, seed: int = 0) -> Iterator[Article]:
    for i in range(n):
        yield article(i, seed)


def saved_page(art: Article, rng: random.Random) -> bytes:
    """The article as a saved web page: a masthead, a long menu and an inline script around
    it, as real pages carry, so the page is many times the size of its text."""
    menu = "".join(
        f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(rng.randint(80, 160))
    )
    script = "var x = '" + rng.randbytes(rng.randint(8000, 16000)).hex()
    body = "".join(f"<p>{escape(p)}</p>" for p in art.text.split("\n\n"))
    title = escape(art.title)
    return (
        f"<!doctype html><html><head><title>{title}</title><script>{script}';</script>"
        f"</head><body><nav><ul>{menu}</ul></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>(c)</footer></body></html>"
    ).encode()


def saved_page_lines(n: int, seed: int = 0, paragraphs: int | None = None) -> Iterator[str]:
    """JSONL lines that build an archive of saved pages: each article's clean text with its
    page as the original, as an export line carries them, and every 97th article again from
    another outlet (a copy); the corpus's syndicated versions come as they are. With
    `paragraphs`, texts are cut to that many (cheaper to ingest, still placed and folded)."""
    rng = random.Random(seed + 17)
    for art in articles(n, seed):
        record = art.record()
        if paragraphs:
            record["text"] = "\n\n".join(art.text.split("\n\n")[:paragraphs])
        record["original"] = base64.b64encode(saved_page(art, rng)).decode()
        record["original_type"] = "text/html"
        record["url"] = f"https://news.example/{art.index}"
        yield json.dumps(record, ensure_ascii=False)
        if art.index % 97 == 0:
            other = {
                **record,
                "source": "Another Outlet",
                "url": f"https://other.example/{art.index}",
            }
            yield json.dumps(other, ensure_ascii=False)


def write_jsonl(n: int, out, seed: int = 0) -> int:
    """Write `n` articles as JSONL lines that `archive ingest` accepts; returns bytes written."""
    size = 0
    for art in articles(n, seed):
        line = json.dumps(art.record(), ensure_ascii=False) + "\n"
        out.write(line)
        size += len(line.encode())
    return size


def write_parts(n: int, folder, seed: int = 0, per_file: int = 5000) -> list:
    """The corpus as numbered JSONL files of `per_file` articles (`archive ingest` takes a
    folder, in name order; one file would pass its 50 MB limit beyond ~17,000 articles)."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.jsonl"):
        old.unlink()
    files = []
    arts = articles(n, seed)
    for number in range(0, n, per_file):
        file = folder / f"part-{number // per_file:04d}.jsonl"
        with open(file, "w", encoding="utf-8") as out:
            for art in itertools.islice(arts, per_file):
                out.write(json.dumps(art.record(), ensure_ascii=False) + "\n")
        files.append(file)
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            write_jsonl(args.n, out, args.seed)
    else:
        write_jsonl(args.n, sys.stdout, args.seed)


if __name__ == "__main__":
    main()
