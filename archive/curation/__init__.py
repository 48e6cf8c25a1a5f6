"""Editors' corrections: metadata edits, place edits, archive-wide rules, delete, restore,
purge and split. Every change is one history row (what, old and new, when, who) and can be
reverted; the index follows through the store's change numbers, as adds reach it."""

from .backup import CurationRecord, curation_record, export_records
from .checks import (
    EDITABLE,
    EDITED,
    CurationError,
    NotFound,
    clean_edit,
    clean_rule,
    corrected_places,
    describe_rule,
    outlet_for,
)
from .curator import Curator

__all__ = [
    "EDITABLE",
    "EDITED",
    "CurationError",
    "CurationRecord",
    "Curator",
    "NotFound",
    "clean_edit",
    "clean_rule",
    "corrected_places",
    "curation_record",
    "describe_rule",
    "export_records",
    "outlet_for",
]
