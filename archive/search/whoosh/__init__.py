"""The embedded search engine: a Whoosh index in the data directory. The only package that
imports `whoosh`."""

import importlib
import sys

# Whoosh pickles the schema's classes (fields, analysers, the codec) into every index's
# table of contents by module path, and these modules lived in `archive.search` before they
# moved here: an index written then is still opened, not rebuilt.
for _name in ("_analysis", "_schema", "_writer"):
    sys.modules.setdefault(
        f"archive.search.{_name}", importlib.import_module(f"archive.search.whoosh.{_name}")
    )

from archive.search.whoosh.index import WhooshBackend  # noqa: E402

__all__ = ["WhooshBackend"]
