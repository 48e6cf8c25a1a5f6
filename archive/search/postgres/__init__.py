"""Search in PostgreSQL: one row per story with a `tsvector` of the archive's own analysis,
GIN indexes, facets counted in SQL, and a word list (with Levenshtein distances from
fuzzystrmatch) for wildcards, fuzzy words and "did you mean". The only package besides the
PostgreSQL store that imports psycopg."""

from archive.search.postgres.backend import PostgresBackend

__all__ = ["PostgresBackend"]
