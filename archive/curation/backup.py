"""Curation in backups: an export's rules and history lines, and putting them back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from archive.model import Rejected

from .checks import CurationError, clean_rule, same_rule


@dataclass
class CurationRecord:
    """An export line that is a rule or a history row, for a restore to put back."""

    name: str
    rule: dict | None = None
    change: dict | None = None
    tombstone: dict | None = None  # a deleted article an export left out


def curation_record(record: dict, name: str) -> CurationRecord:
    """An export's rule or history line, checked (`Rejected` says what is wrong)."""
    if "rule" in record:
        rule = record["rule"]
        if not isinstance(rule, dict):
            raise Rejected("rule: expected an object")
        try:
            clean = clean_rule(
                rule.get("kind"),
                rule.get("name"),
                rule.get("target"),
                rule.get("source"),
                rule.get("language"),
            )
        except CurationError as err:
            raise Rejected(f"rule: {err}") from err
        extra = {k: rule.get(k) for k in ("id", "at", "editor")}
        if not isinstance(extra["id"], int) or not isinstance(extra["editor"], str):
            raise Rejected("rule: needs its id and editor")
        return CurationRecord(name, rule={**clean, **extra})
    if "tombstone" in record:
        tomb = record["tombstone"]
        if not isinstance(tomb, dict) or not all(
            isinstance(tomb.get(k), str) for k in ("id", "fingerprint")
        ):
            raise Rejected("tombstone: needs the article's id and fingerprint")
        if not isinstance(tomb.get("deleted"), dict):
            raise Rejected("tombstone: needs who deleted it and when")
        return CurationRecord(name, tombstone=tomb)
    change = record["change"]
    if not isinstance(change, dict) or not all(
        isinstance(change.get(k), str) for k in ("kind", "at", "editor")
    ):
        raise Rejected("change: needs its kind, time and editor")
    if not isinstance(change.get("id"), int):
        raise Rejected("change: needs its id")
    keys = ("id", "article_id", "kind", "field", "old", "new", "at", "editor", "reverted_by")
    return CurationRecord(name, change={k: change.get(k) for k in keys})


def export_records(store) -> tuple[Iterator[dict], Iterator[dict]]:
    """An export's rules (before the articles, which a restore corrects by them) and its
    history (after them)."""
    rules = ({"rule": r} for r in store.rules())
    history = ({"change": c} for c in store.changes())
    return rules, history


def restore_record(curator, record: CurationRecord) -> str:
    """Put an export's rule or history row back (once: a second restore skips it)."""
    with curator.archive.lock.held(), curator.store.transaction() as conn:
        if record.tombstone is not None:
            # The article was left out of the export; where this archive holds it, it is
            # deleted here too, else there is nothing to hide.
            tomb = record.tombstone
            held = curator.store.id_for_fingerprint(tomb["fingerprint"])
            article = curator.store.get(held) if held else None
            if article is None or article.deleted:
                return "duplicate"
            curator.store.update(conn, article.id, deleted=tomb["deleted"])
            return "restored"
        if record.rule is not None:
            rule = record.rule
            if any(same_rule(rule, r) for r in curator.store.rules()):
                return "duplicate"
            taken = any(r["id"] == rule["id"] for r in curator.store.rules())
            curator.store.add_rule(conn, {**rule, "id": None if taken else rule["id"]})
            curator._apply_rule(conn, rule, adding=True)
            return "restored"
        change = record.change
        found = curator.store.changes(change_id=change["id"])
        if found and {k: found[0][k] for k in change} == change:
            return "duplicate"
        curator.store.record_change(conn, {**change, "id": None if found else change["id"]})
        return "restored"
