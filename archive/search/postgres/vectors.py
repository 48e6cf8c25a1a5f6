"""Documents and queries as PostgreSQL text search values, from the archive's own analysis.

PostgreSQL's text search configurations would analyse differently from the embedded engine
(other word boundaries, other stop words, no accent folding without an extension), and the
two backends must find the same articles. So the lexemes are the archive's: folded words
with their positions (title words weighted A, body words D, a gap between them so that no
phrase runs from one into the other), their stems scoped by the article's language
(`en~withdraw`: an English stem never meets a Portuguese one) and a lexeme per place the
story mentions (`#p170654`), which lets one `tsquery` say "Damascus, or an article that
mentions it under any spelling".
"""

from __future__ import annotations

from archive.search._analysis import STEM_LANGUAGES, fold_token, folded_words, stem

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this
MAX_POSITIONS = 256  # and at most this many per lexeme
STEM_MARK = "~"
PLACE_MARK = "#p"


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def stem_lexeme(word: str, lang: str) -> str:
    return f"{lang}{STEM_MARK}{stem(word, lang)}"


def place_lexeme(geonameid: str) -> str:
    return f"{PLACE_MARK}{geonameid}"


def document_vector(title: str | None, text: str, language: str, places: list[str]) -> str:
    """A `tsvector` literal for one story."""
    entries: dict[str, list[str]] = {}

    def add(words: list[str], offset: int, weight: str) -> int:
        for i, word in enumerate(words):
            pos = min(offset + i, MAX_POSITION)
            for lexeme in (word, stem_lexeme(word, language)):
                at = entries.setdefault(lexeme, [])
                if len(at) < MAX_POSITIONS:
                    at.append(f"{pos}{weight}")
        return offset + len(words)

    end = add(folded_words(title or ""), 1, "A")
    add(folded_words(text), end + 1, "")
    parts = [f"{_quote(lexeme)}:{','.join(at)}" for lexeme, at in entries.items()]
    parts.extend(_quote(place_lexeme(p)) for p in dict.fromkeys(places))
    return " ".join(parts)


def word_lexemes(word: str) -> list[str]:
    """The folded words a query word is made of (`ez-Zor` is two)."""
    return folded_words(word) or [fold_token(word)] if word.strip() else []


def stem_lexemes(folded: str) -> list[str]:
    """A folded query word's stem in every language the archive stems."""
    return list(dict.fromkeys(stem_lexeme(folded, lang) for lang in STEM_LANGUAGES))


def quote(lexeme: str) -> str:
    return _quote(lexeme)
