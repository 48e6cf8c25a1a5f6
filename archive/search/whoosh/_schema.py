"""The index schema. Bump SCHEMA_VERSION on any change: the index then rebuilds itself."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.system import pack_uint

from archive.search import registry
from archive.search.whoosh._analysis import StemmingAnalyzer, WordAnalyzer, postings

# 2: the index lives in a build directory; 3: FoldedText fields; 4: CJK and Thai as pairs
# of characters, stems scoped by language, PyStemmer, when each story was added
SCHEMA_VERSION = 4

# The fields a free-text query searches, with their weight: titles weigh more than bodies,
# exact word forms more than stemmed ones.
TEXT_FIELDS = {"title": 4.0, "title_stem": 3.0, "body": 1.0, "body_stem": 0.7}
STEM_FIELDS = ("title_stem", "body_stem")  # no positions: phrases search the others


class Analysed(tuple):
    """A text field's postings computed beforehand (in an ingest worker, which has cores to
    spare while the single index writer has none): what `FoldedText.index` would yield."""

    __slots__ = ()


class FoldedText(TEXT):
    """A text field of folded words, or of their stems. Queries go through its analyzer;
    indexing takes a fast path with the same output (`_analysis.postings`).

    Folded words keep their positions, for phrases; stems are for matching other forms of
    a word ("withdrawal" finds "withdraw") and keep only their frequency: a quoted phrase
    means those words, and positions for stems cost a third of indexing time."""

    def __init__(self, stemmed: bool):
        if stemmed:
            super().__init__(analyzer=StemmingAnalyzer(), phrase=False, multitoken_query="or")
        else:
            # A word that makes several terms (al-Assad, a CJK word's pairs) is their phrase.
            super().__init__(analyzer=WordAnalyzer(), phrase=True, multitoken_query="phrase")
        self.stemmed = stemmed

    def index(self, value, **kwargs):
        if isinstance(value, Analysed):
            return value
        if not isinstance(value, str) or kwargs:
            return super().index(value, **kwargs)
        return postings(value, self.stemmed, self.encode)

    def encode(self, positions: list[int]) -> bytes:
        """A posting's value: the word's positions, or for stems only how many there are."""
        if self.stemmed:
            return pack_uint(len(positions))  # what the Frequency format stores
        return self.format.encode(positions)


def build_schema() -> Schema:
    """The index's fields, with one per facet in the registry."""
    from archive.search.whoosh._facets import FACET_FIELD

    facets = {FACET_FIELD[f.name]: KEYWORD(commas=True, scorable=False) for f in registry.FACETS}
    facets.update(lang=ID(), month=ID())  # one value each, as these fields always were
    return Schema(
        id=ID(stored=True, unique=True),
        title=FoldedText(stemmed=False),
        title_stem=FoldedText(stemmed=True),
        body=FoldedText(stemmed=False),
        body_stem=FoldedText(stemmed=True),
        **facets,  # one term per value; `place` holds the places and their countries
        place_exact=KEYWORD(commas=True, scorable=False),  # mentioned places only
        date=ID(sortable=True),  # YYYY-MM-DD; empty when unknown
        date_asc=ID(sortable=True),  # as `date`, but unknown sorts last
        seq=NUMERIC(sortable=True, bits=64),
        added=NUMERIC(sortable=True, bits=64),  # when the story was added, epoch seconds
    )
