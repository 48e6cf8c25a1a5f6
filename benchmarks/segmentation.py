"""Words inside Chinese, Japanese, Korean and Thai running text: overlapping pairs of
characters (the archive's `archive.search.words.terms`, as Lucene's CJK analyzer) against
ICU's dictionary word breaks (PyICU), on sentences written for this measurement.

A query word is found in a text when its terms occur there one after another, as a phrase
query finds them. Each sentence lists words a reader would search it by (they must be
found) and words that are not in it though their characters are (they must not be).

    .venv/bin/pip install pyicu   # only for this measurement (needs libicu-dev)
    .venv/bin/python benchmarks/segmentation.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.search.words import terms  # noqa: E402

# (language, sentence, words in it, words not in it)
CASES = [
    (
        "zh",
        "台灣的報紙自由時報今天報導，統一發票的中獎號碼已經公布。",
        ["自由時報", "發票", "中獎號碼", "報紙", "報導"],
        [],
    ),
    (
        "zh",
        "东京都政府宣布，新冠病毒疫苗将在下个月开始接种。",
        ["东京", "疫苗", "接种", "新冠病毒"],
        ["京都"],
    ),
    ("zh", "总统蔡英文在台北会见了美国议员代表团。", ["蔡英文", "台北", "代表团", "议员"], []),
    ("zh", "中华人民共和国外交部发言人表示坚决反对。", ["外交部", "发言人", "反对"], ["华人"]),
    (
        "ja",
        "不動産会社ハウスコムは、新型コロナウイルスの影響で来店客が減ったと発表した。",
        ["ハウスコム", "コロナ", "ウイルス", "不動産", "発表"],
        ["動産"],
    ),
    (
        "ja",
        "東京都の小池百合子知事は記者会見で外出の自粛を求めた。",
        ["小池百合子", "記者会見", "自粛", "東京", "知事"],
        ["京都", "百合"],
    ),
    (
        "ko",
        "정부는 코로나19 확산을 막으려고 사회적 거리두기를 연장했다.",
        ["코로나", "확산", "거리두기", "정부", "연장"],
        [],
    ),
    ("ko", "서울시는 코로나가 다시 퍼지고 있다고 밝혔다.", ["서울시", "코로나", "다시"], []),
    (
        "th",
        "รัฐบาลประกาศมาตรการใหม่เพื่อควบคุมโรคในกรุงเทพมหานคร",
        ["รัฐบาล", "มาตรการ", "กรุงเทพมหานคร", "ควบคุม"],
        [],
    ),
    (
        "th",
        "นายกรัฐมนตรีเดินทางไปเชียงใหม่เมื่อวานนี้",
        ["นายกรัฐมนตรี", "เชียงใหม่", "เดินทาง"],
        ["ใหม่"],
    ),
]


def pairs(text: str) -> list[str]:
    return terms(text)


def icu_segmenter():
    """ICU's word break iterator as a function from text to words (None without PyICU)."""
    try:
        import icu
    except ImportError:
        return None
    breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())

    def words(text: str) -> list[str]:
        breaker.setText(text)
        out, start = [], breaker.first()
        for end in breaker:
            if breaker.getRuleStatus() != 0:  # 0: spaces and punctuation
                out.append(text[start:end].lower())
            start = end
        return out

    return words


def contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def measure(segment) -> dict:
    found = missed = false_hits = clean = 0
    misses, wrong = [], []
    for _, sentence, present, absent in CASES:
        words = segment(sentence)
        for word in present:
            if contains(words, segment(word)):
                found += 1
            else:
                missed += 1
                misses.append(word)
        for word in absent:
            if contains(words, segment(word)):
                false_hits += 1
                wrong.append(word)
            else:
                clean += 1
    text = "".join(sentence for _, sentence, _, _ in CASES) * 200
    started = time.perf_counter()
    segment(text)
    ms = (time.perf_counter() - started) * 1000 / (len(text) / 100_000)
    return {
        "recall": found / (found + missed),
        "missed": misses,
        "false hits": wrong,
        "clean": clean,
        "ms per 100k chars": ms,
    }


def main() -> None:
    methods = {"overlapping pairs (archive)": pairs}
    icu = icu_segmenter()
    if icu is None:
        print("PyICU is not installed: only the archive's pairs are measured.\n")
    else:
        methods["ICU dictionary words"] = icu
    print("| method | words found | missed | false hits | ms per 100k chars |")
    print("|---|---|---|---|---|")
    for name, segment in methods.items():
        r = measure(segment)
        missed = ", ".join(r["missed"]) or "none"
        wrong = ", ".join(r["false hits"]) or "none"
        print(f"| {name} | {r['recall']:.0%} | {missed} | {wrong} | {r['ms per 100k chars']:.1f} |")


if __name__ == "__main__":
    main()
