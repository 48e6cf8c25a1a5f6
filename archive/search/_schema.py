"""The index schema. Bump SCHEMA_VERSION on any change: the index then rebuilds itself."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from archive.search._analysis import StemmingAnalyzer, folding_analyzer

SCHEMA_VERSION = 2  # 2: the index lives in a build directory

# The fields a free-text query searches, with their weight: titles weigh more than bodies,
# exact word forms more than stemmed ones.
TEXT_FIELDS = {"title": 4.0, "title_stem": 3.0, "body": 1.0, "body_stem": 0.7}


def build_schema() -> Schema:
    fold = folding_analyzer()
    stemmed = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=fold, phrase=True),
        title_stem=TEXT(analyzer=stemmed, phrase=True, multitoken_query="or"),
        body=TEXT(analyzer=fold, phrase=True),
        body_stem=TEXT(analyzer=stemmed, phrase=True, multitoken_query="or"),
        # facet fields: one term per value
        place=KEYWORD(commas=True, scorable=False),  # mentioned places and their countries
        place_exact=KEYWORD(commas=True, scorable=False),  # mentioned places only
        source=KEYWORD(commas=True, scorable=False),
        lang=ID(),
        month=ID(),
        date=ID(sortable=True),  # YYYY-MM-DD; empty when unknown
        date_asc=ID(sortable=True),  # as `date`, but unknown sorts last
        seq=NUMERIC(sortable=True, bits=64),
    )


def keyword(value: str) -> str:
    """A facet value as an index term (commas separate terms in KEYWORD fields)."""
    return " ".join(value.replace(",", " ").split())
