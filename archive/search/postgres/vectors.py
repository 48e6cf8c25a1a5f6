"""Documents and queries as PostgreSQL text search values, from the archive's own analysis
(`archive.search.words`), never PostgreSQL's text search configurations.

Those would analyse differently from the embedded engine (other word boundaries, other stop
words, no pairs for scripts written without spaces, no accent folding without an
extension), and the two backends must find the same articles. So the lexemes are the
archive's terms: folded words and CJK pairs with their positions (title terms weighted A,
body terms D, a gap between them so that no phrase runs from one into the other), their
stems scoped by the article's language (`en:withdraw`: an English stem never meets a
Portuguese one), and a lexeme per place the story mentions (`#p170654`), which lets one
`tsquery` say "Damascus, or an article that mentions it under any spelling".
"""

from __future__ import annotations

from archive.search.words import is_paired, scoped_stem, stems_language, terms

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this
MAX_POSITIONS = 256  # and at most this many per lexeme
PLACE_MARK = "#p"  # no term holds "#"


def quote(lexeme: str) -> str:
    """A lexeme as a `tsvector` or `tsquery` literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def place_lexeme(geonameid: str) -> str:
    return f"{PLACE_MARK}{geonameid}"


def document_vector(title: str | None, text: str, language: str, places: list[str]) -> str:
    """A `tsvector` literal for one story."""
    entries: dict[str, list[str]] = {}

    stemmed = stems_language(language)

    def add(found: list[str], offset: int, weight: str) -> int:
        for i, term in enumerate(found):
            pos = f"{min(offset + i, MAX_POSITION)}{weight}"
            lexemes = (
                (term, scoped_stem(term, language)) if stemmed and not is_paired(term) else (term,)
            )
            for lexeme in lexemes:
                at = entries.setdefault(lexeme, [])
                if len(at) < MAX_POSITIONS:
                    at.append(pos)
        return offset + len(found)

    end = add(terms(title or ""), 1, "A")
    add(terms(text), end + 1, "")
    parts = [f"{quote(lexeme)}:{','.join(at)}" for lexeme, at in entries.items()]
    parts.extend(quote(place_lexeme(p)) for p in dict.fromkeys(places))
    return " ".join(parts)
