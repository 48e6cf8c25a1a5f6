"""Which language an article is written in: its script first, then langdetect, made
deterministic and faster.

A script that one language writes and langdetect has no profile for (Armenian, Georgian,
Ethiopic, Khmer, ...) decides the language; a language whose script the text does not use
is never the answer (Korean for a Chinese text). The probability shown is capped by how
much text there was to judge, and never reaches 100 %.

langdetect's answer depends on a random sample of the text's n-grams; a fixed seed makes it
the same on every run. Its detector multiplies 55 probabilities per sampled n-gram in a
Python loop, two fifths of an article's preparation in bulk ingest. `_Detector` runs the
same method on the same profiles with the same random sequence, the 55 products as one
numpy operation in the same order, so its probabilities are langdetect's to the last bit
(a test compares them on news-like and hostile texts); ~4x less time.
"""

from __future__ import annotations

import functools
import random
import threading
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import regex

from archive.folding import CharTable

UNDETERMINED = "und"
MIN_LETTERS = 40  # below this langdetect guesses wildly
_SAMPLE = 800  # characters (~130 words): on 392 real pages as good as 1,200 or 5,000
SEED = 0
WORD_CACHE = 100_000  # words whose n-grams are remembered

_lock = threading.Lock()
_detector: _Detector | None = None


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 ("en", "zh-cn", ...) or "und"
    probability: float | None
    basis: str = "langdetect"  # "script" when the writing system alone decided


# Scripts that one language writes (Unicode script names), for which langdetect has no
# profile: the script is the answer. Ethiopic and Tibetan are shared (Tigrinya, Dzongkha):
# the most written language is the answer, unless the page declares one of the others.
SCRIPT_LANGUAGES = {
    "Armenian": "hy", "Georgian": "ka", "Ethiopic": "am", "Khmer": "km", "Sinhala": "si",
    "Tibetan": "bo", "Myanmar": "my", "Lao": "lo", "Thaana": "dv", "Oriya": "or",
    "Syriac": "syr", "Cherokee": "chr", "Ol_Chiki": "sat", "Tifinagh": "zgh",
}  # fmt: skip
# The script each of langdetect's non-Latin languages needs: an answer whose script the
# text hardly uses is dropped (langdetect answers Korean for some Chinese texts).
_NEEDS_SCRIPT = {
    "ar": "Arabic", "fa": "Arabic", "ur": "Arabic", "bg": "Cyrillic", "mk": "Cyrillic",
    "ru": "Cyrillic", "uk": "Cyrillic", "el": "Greek", "he": "Hebrew", "hi": "Devanagari",
    "mr": "Devanagari", "ne": "Devanagari", "bn": "Bengali", "gu": "Gujarati",
    "pa": "Gurmukhi", "ta": "Tamil", "te": "Telugu", "kn": "Kannada", "ml": "Malayalam",
    "th": "Thai", "ko": "Hangul", "ja": "Kana", "zh-cn": "Han", "zh-tw": "Han",
}  # fmt: skip
_SCRIPTS = sorted({*SCRIPT_LANGUAGES, *_NEEDS_SCRIPT.values(), "Latin"} - {"Kana"})
_SCRIPT_RUNS = regex.compile(
    "|".join(f"(?P<{name}>\\p{{Script={name}}}+)" for name in _SCRIPTS)
    + "|(?P<Kana>[\\p{Script=Hiragana}\\p{Script=Katakana}]+)"
)
_ASCII = regex.compile(r"[\x00-\x7f]+")
_ASCII_LETTERS = regex.compile(r"[A-Za-z]")
MAX_PROBABILITY = 0.99  # a statistical guess is never certain
_MIN_SHARE = 0.05  # of the letters, for a language's script to count as used
_LETTERS_FOR_CONFIDENCE = 20  # the cap is n / (n + this): 40 letters 0.67, 650 0.97


class _Detector:
    """langdetect's `Detector` (alpha 0.5, 7 trials, seeded) over its profiles held as one
    matrix: a row of 55 language probabilities per n-gram."""

    def __init__(self):
        from langdetect.detector import Detector
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
        from langdetect.utils.ngram import NGram

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        self.langs = list(factory.langlist)
        words = factory.word_lang_prob_map
        self.row = {word: i for i, word in enumerate(words)}
        self.matrix = np.array(list(words.values()), dtype=np.float64)
        self._text_only = SimpleNamespace(word_lang_prob_map={}, langlist=self.langs, seed=SEED)
        self._new_detector = Detector
        self._normal = CharTable(NGram.normalize)  # langdetect's per-character clean-up
        self._word_rows: dict[tuple[str, bool], tuple[int, ...]] = {}
        self.alpha = Detector.ALPHA_DEFAULT
        self.alpha_width = Detector.ALPHA_WIDTH
        self.base_freq = Detector.BASE_FREQ
        self.iteration_limit = Detector.ITERATION_LIMIT
        self.converged = Detector.CONV_THRESHOLD
        self.threshold = Detector.PROB_THRESHOLD
        self.trials = 7

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """(language, probability) above langdetect's threshold, most likely first; [] when
        the text has no n-gram langdetect knows."""
        detector = self._new_detector(self._text_only)
        detector.append(text)  # langdetect's own clean-up: URLs, addresses, spacing
        detector.cleaning_text()
        grams = self._gram_rows(detector.text)
        if not grams:
            return []
        # Draws pick positions in the list of n-grams, so only its order and length matter.
        distinct, picks = np.unique(grams, return_inverse=True)
        picks = picks.tolist()
        rows = self.matrix[distinct]
        size = len(self.langs)
        rnd = random.Random()
        rnd.seed(SEED)
        total = np.zeros(size)
        for _ in range(self.trials):
            prob = np.full(size, 1.0 / size)
            alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.alpha_width
            factors = alpha / self.base_freq + rows
            i = 0
            while True:
                prob *= factors[rnd.choice(picks)]
                if i % 5 == 0:
                    prob /= np.cumsum(prob)[-1]  # summed in order, as Python's sum() does
                    if prob.max() > self.converged or i >= self.iteration_limit:
                        break
                i += 1
            total += prob / self.trials
        found = [
            (lang, float(p))
            for lang, p in zip(self.langs, total, strict=True)
            if p > self.threshold
        ]
        found.sort(key=lambda item: item[1], reverse=True)
        return found

    def among(self, text: str, langs: list[str]) -> list[tuple[str, float]]:
        """The likelier of a few languages by the text's n-grams (naive Bayes over the
        same profiles, no sampling), with probabilities from the mean log-likelihood."""
        detector = self._new_detector(self._text_only)
        detector.append(text)
        detector.cleaning_text()
        grams = self._gram_rows(detector.text)
        cols = [self.langs.index(lang) for lang in langs if lang in self.langs]
        if not grams or not cols:
            return []
        logs = np.log(self.matrix[np.ix_(grams, cols)] + 1e-6).mean(axis=0)
        weights = np.exp(logs - logs.max())
        probs = weights / weights.sum()
        found = [(self.langs[c], float(p)) for c, p in zip(cols, probs, strict=True)]
        return sorted(found, key=lambda item: item[1], reverse=True)

    def _gram_rows(self, text: str) -> list[int]:
        """The profile rows of the 1- to 3-grams langdetect's `_extract_ngrams` finds, in
        its order. It starts afresh after each space, so a word's n-grams depend only on the
        word and whether a space follows it: they are remembered by word."""
        words = text.translate(self._normal).split(" ")
        last = len(words) - 1
        known = self._word_rows
        if len(known) > WORD_CACHE:
            known.clear()
        out: list[int] = []
        for i, word in enumerate(words):
            if not word:
                continue
            key = (word, i < last)
            rows = known.get(key)
            if rows is None:
                rows = known[key] = self._word_grams(*key)
            out.extend(rows)
        return out

    def _word_grams(self, word: str, spaced: bool) -> tuple[int, ...]:
        """As langdetect's `NGram` steps through " word" (and the space after it): at each
        character the 1-, 2- and 3-grams ending there, except inside a run of capitals."""
        row = self.row
        padded = f" {word} " if spaced else f" {word}"
        out = []
        for k in range(1, len(padded)):
            ch = padded[k]
            if ch.isupper() and padded[k - 1].isupper():
                continue
            if ch != " " and ch in row:
                out.append(row[ch])
            if padded[k - 1 : k + 1] in row:
                out.append(row[padded[k - 1 : k + 1]])
            if k >= 2 and padded[k - 2 : k + 1] in row:
                out.append(row[padded[k - 2 : k + 1]])
        return tuple(out)


def _get_detector() -> _Detector:
    global _detector
    with _lock:
        if _detector is None:
            _detector = _Detector()
        return _detector


def script_shares(text: str) -> dict[str, float]:
    """The share of each script among the letters of `text` that are in a known script."""
    # ASCII letters are Latin: counted in C, so that only the rest goes through the regex
    rest = _ASCII.sub("", text)
    ascii_letters = len(text) - len(_ASCII_LETTERS.sub("", text))
    counts: dict[str, int] = {"Latin": ascii_letters} if ascii_letters else {}
    for match in _SCRIPT_RUNS.finditer(rest):
        name = match.lastgroup
        counts[name] = counts.get(name, 0) + match.end() - match.start()
    total = sum(counts.values())
    return {name: n / total for name, n in counts.items()} if total else {}


def _letters(sample: str) -> tuple[dict[str, float], int]:
    """The script shares of a sample and how many letters it has to judge by: vowel signs
    count (Burmese, Khmer write them as marks), and a CJK character counts as two, being
    a syllable or a word."""
    shares = script_shares(sample)
    letters = sum(ch.isalpha() for ch in sample)
    if shares and max(shares, key=shares.get) in SCRIPT_LANGUAGES:
        runs = _SCRIPT_RUNS.finditer(_ASCII.sub("", sample))
        letters = max(letters, sum(m.end() - m.start() for m in runs))
    cjk = shares.get("Han", 0.0) + shares.get("Kana", 0.0) + shares.get("Hangul", 0.0)
    return shares, letters + round(cjk * letters)


def _cap(probability: float, letters: int) -> float:
    """A probability no surer than the amount of text allows (calibrated on tests/)."""
    ceiling = min(MAX_PROBABILITY, letters / (letters + _LETTERS_FOR_CONFIDENCE))
    return round(min(probability, ceiling), 3)


def detect_language(text: str, hint: str | None = None) -> Language:
    """The language of `text` with its probability; "und" when there is too little to judge.

    A script only one language writes decides (basis "script"). Else langdetect's answers,
    less those whose script the text does not use. `hint` is the language a page declares
    ("zh-tw" for zh-Hant); it wins when the detector is unsure, or names which language of
    a shared script the text is.
    """
    sample = text[:_SAMPLE]
    shares, letters = _letters(sample)
    if letters < MIN_LETTERS:
        return Language(UNDETERMINED, None)
    hint = (hint or "").casefold() or None
    if shares:
        script, share = max(shares.items(), key=lambda item: item[1])
        if script in SCRIPT_LANGUAGES and share >= 0.5:
            code = SCRIPT_LANGUAGES[script]
            if hint and hint != code and hint not in _known_codes() and hint != "en":
                code = hint  # Tigrinya in Ethiopic, Dzongkha in Tibetan: as declared
            return Language(code, _cap(share, letters), "script")
    best = _get_detector().probabilities(sample)
    kept = [
        (lang, p) for lang, p in best
        if lang not in _NEEDS_SCRIPT or shares.get(_NEEDS_SCRIPT[lang], 0.0) >= _MIN_SHARE
    ]  # fmt: skip
    if kept and len(kept) < len(best):
        total = sum(p for _, p in kept)
        kept = [(lang, p / total) for lang, p in kept]
    if not kept and shares:
        # every answer was in a script the text does not use: choose among the languages
        # of the script it does use (Chinese simplified or traditional for Han)
        script = max(shares, key=shares.get)
        kept = _get_detector().among(sample, [k for k, v in _NEEDS_SCRIPT.items() if v == script])
    if not kept:
        return Language(UNDETERMINED, None)
    top_lang, top_prob = kept[0]
    if hint and top_prob < 0.9:
        for lang, p in kept:
            if lang == hint or lang.split("-")[0] == hint.split("-")[0]:
                return Language(lang, _cap(p, letters))
    return Language(top_lang, _cap(top_prob, letters))


def likeliest_of(text: str, languages: list[str]) -> str | None:
    """Which of a few languages a text is likeliest to be in, however short it is: for a
    choice detect_language would not make ("und"), as between the languages of a script."""
    found = _get_detector().among(text[:_SAMPLE], languages)
    return found[0][0] if found else None


def _known_codes() -> frozenset[str]:
    return frozenset(_get_detector().langs)


def language_name(code: str | None) -> str:
    """The English name of a language code: "hy" -> "Armenian", "zh-tw" -> "Chinese
    (Traditional)", "und" or None -> "Unknown language"; an unknown code as itself."""
    return _language_name(code.casefold() if code else "und")


@functools.lru_cache(maxsize=1024)
def _language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    if code in ("und", ""):
        return "Unknown language"
    variant = {"zh-cn": "zh_Hans", "zh-tw": "zh_Hant"}.get(code)
    try:
        if variant:
            return Locale.parse(variant).get_display_name("en")
        return Locale("en").languages.get(code.split("-")[0]) or code
    except (UnknownLocaleError, ValueError):
        return code
