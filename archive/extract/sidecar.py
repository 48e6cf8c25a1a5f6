"""`metadata.toml` beside the files: what an archivist knows about each of them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from archive.model import METADATA_FIELDS, Rejected

SIDECAR_NAME = "metadata.toml"


def read_sidecar(folder: Path) -> dict[str, dict[str, object]]:
    """File name -> stated metadata, from ``[[article]]`` tables with a ``file`` key.

    Keys other than the metadata fields (such as ``basis``, the archivist's reasoning) are
    documentation and are left out.
    """
    path = Path(folder) / SIDECAR_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise Rejected(f"{path}: not valid TOML ({err})") from err
    except RecursionError as err:
        raise Rejected(f"{path}: nested too deeply to read") from err
    entries = data.get("article", [])
    if not isinstance(entries, list):
        raise Rejected(f"{path}: `article` must be [[article]] tables, not a single value")
    found: dict[str, dict[str, object]] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise Rejected(f"{path}: article {number} is not a table")
        name = entry.get("file")
        if isinstance(name, str):
            # The values are checked (type, size, characters) when the file is prepared.
            found[name] = {k: v for k, v in entry.items() if k in METADATA_FIELDS}
    return found
