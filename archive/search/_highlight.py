"""Snippets: the best passage of a text with the query's words marked, built from escaped text."""

from __future__ import annotations

from html import escape

from archive.search._analysis import stem, word_spans

SNIPPET_CHARS = 240
_TEXT_CAP = 60_000  # long texts: look for the passage in the opening part only


def snippet(text: str, language: str, plain: set[str], stems: set[str]) -> str:
    """Escaped HTML: the window of the text with the most matched words, in <mark>."""
    text = text[:_TEXT_CAP]
    spans = []
    if plain or stems:
        for start, end, word in word_spans(text):
            if word in plain or (stems and stem(word, language) in stems):
                spans.append((start, end))
    start = _best_window(spans, len(text))
    if start > 0:  # begin on a word boundary
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):  # end on a word boundary
        cut = text.rfind(" ", start, end)
        end = cut if cut > start + SNIPPET_CHARS // 2 else end
    pieces = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(escape(text[pos:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    pieces.append(escape(text[pos:end]))
    pieces.append("…" if end < len(text) else "")
    return " ".join("".join(pieces).split())


def _best_window(spans: list[tuple[int, int]], length: int) -> int:
    if not spans:
        return 0
    best, best_count, j = spans[0][0], 0, 0
    for i, (s, _) in enumerate(spans):
        while spans[j][0] < s - SNIPPET_CHARS // 2:
            j += 1
        count = i - j + 1
        if count > best_count:
            best_count, best = count, spans[j][0]
    # start a little before the first match, on a word boundary
    return max(0, best - 60) if best > 60 else 0
