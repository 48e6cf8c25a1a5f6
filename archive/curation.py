"""Editors' corrections: metadata edits, place edits, archive-wide rules, delete, restore,
purge and split. Every change is one history row (what, old and new, when, who) and can be
reverted; the index follows through the store's change numbers, as adds reach it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from archive.extract.outlets import squeezed
from archive.ingest import clean_stated
from archive.language import language_name
from archive.model import Article, Rejected
from archive.places import extract_places, get_place, resolve_place
from archive.places.normalize import fold_name
from archive.places.rules import ALIAS, NOT_A_PLACE, apply_place_rules, name_spans
from archive.store import now

EDITABLE = ("title", "source", "date", "language", "url", "author")
EDITED = "edited"  # the basis of a value an editor set: above every other
OUTLET = "outlet"
RULE_KINDS = (NOT_A_PLACE, ALIAS, OUTLET)


class CurationError(ValueError):
    """A correction that cannot be made as asked; nothing was changed."""


class NotFound(LookupError):
    """No such article, change or rule."""


@dataclass
class CurationRecord:
    """An export line that is a rule or a history row, for a restore to put back."""

    name: str
    rule: dict | None = None
    change: dict | None = None


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


# --- checking what an editor asks for --------------------------------------------------------


def clean_edit(values: dict) -> dict[str, str | None]:
    """The fields to change, checked as ingest checks stated values; "" clears a value
    (not the title, which an article always has once an editor sets it)."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise CurationError(f"cannot edit {', '.join(sorted(unknown))}: fields are {EDITABLE}")
    out: dict[str, str | None] = {}
    for name, value in values.items():
        if value is not None and not isinstance(value, str):
            raise CurationError(f"{name}: expected text")
        if value is None or not value.strip():
            if name == "title":
                raise CurationError("title: an article's title cannot be empty")
            out[name] = "und" if name == "language" else None
            continue
        try:
            clean = clean_stated(name, value)
        except Rejected as err:
            raise CurationError(str(err)) from err
        if clean is None:
            raise CurationError(f"{name}: {value!r} is not a usable value")
        if name == "language" and clean != "und" and language_name(clean) == clean:
            raise CurationError(f"language: {value!r} is not a known language code")
        out[name] = clean
    return out


def find_place_id(name_or_id: str) -> str:
    """The GeoNames id of the place an editor names, in any spelling; error if unknown."""
    place = resolve_place(str(name_or_id))
    if place is None:
        raise CurationError(f"no place is known as {name_or_id!r}")
    return place.geonameid


def clean_rule(kind: str, name: str, target: str | None, source=None, language=None) -> dict:
    """A rule as stored: "not-a-place" NAME [for an outlet or language], "alias" NAME ->
    a place, "outlet" NAME -> the outlet name to keep."""
    if kind not in RULE_KINDS:
        raise CurationError(f"a rule is one of {', '.join(RULE_KINDS)}, not {kind!r}")
    name = " ".join((name or "").split())
    if not name:
        raise CurationError("a rule needs a name")
    rule = {"kind": kind, "name": name, "target": None, "source": None, "language": None}
    if kind == ALIAS:
        rule["target"] = find_place_id(target or "")
    elif kind == OUTLET:
        kept = clean_stated("source", target or "")
        if not kept:
            raise CurationError("an outlet merge needs the name to keep")
        if squeezed(kept) == squeezed(name) and kept == name:
            raise CurationError("an outlet cannot be merged into itself")
        rule["target"] = kept
    elif kind == NOT_A_PLACE:
        rule["source"] = clean_stated("source", source) if source else None
        rule["language"] = clean_edit({"language": language})["language"] if language else None
    return rule


def describe_rule(rule: dict) -> str:
    """A rule in words."""
    if rule["kind"] == "alias":
        place = get_place(rule["target"])
        return f"“{rule['name']}” means {place.name if place else rule['target']}"
    if rule["kind"] == "outlet":
        return f"outlet “{rule['name']}” is “{rule['target']}”"
    scope = [f"in {rule['source']}"] if rule.get("source") else []
    scope += [f"in language {rule['language']}"] if rule.get("language") else []
    return f"“{rule['name']}” is not a place" + (f" ({', '.join(scope)})" if scope else "")


def outlet_for(name: str | None, rules: Iterable[dict]) -> str | None:
    """The outlet name to store: merged names land on the name kept."""
    if not name:
        return name
    key = squeezed(name)
    for rule in rules:
        if rule["kind"] == OUTLET and squeezed(rule["name"]) == key:
            return rule["target"]
    return name


def corrected_places(article: Article, rules: Iterable[dict], places=None) -> list:
    """The article's places as extraction finds them, with every rule and its own edits."""
    found = extract_places(article.text) if places is None else places
    return apply_place_rules(
        article.text,
        found,
        rules,
        source=article.source,
        language=article.language,
        edits=article.place_edits,
    )


def folded(text: str) -> str:
    """Lower case without accents: a cheap test of whether a text may name a rule's name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Curator:
    """Corrections of one archive, under its write lock, each recorded as history."""

    def __init__(self, archive):
        self.archive = archive
        self.store = archive.store

    def _article(self, article_id: str) -> Article:
        article = self.store.get(article_id)
        if article is None:
            raise NotFound(f"no article {article_id}")
        return article

    def _done(self) -> None:
        self.archive.curated()

    def _record(
        self, conn, kind: str, editor: str, article_id=None, field=None, old=None, new=None
    ) -> int:
        return self.store.record_change(
            conn,
            {
                "article_id": article_id,
                "kind": kind,
                "field": field,
                "old": old,
                "new": new,
                "at": now(),
                "editor": editor,
            },
        )

    # --- one article ------------------------------------------------------------------

    def edit(self, article_id: str, values: dict, editor: str) -> list[int]:
        """Set metadata values; each becomes `edited` and wins over extraction."""
        values = clean_edit(values)
        changes = []
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            if "source" in values:
                values["source"] = outlet_for(values["source"], self.store.rules())
            for name, value in values.items():
                old = {"value": getattr(article, name), "basis": article.basis.get(name)}
                if old == {"value": value, "basis": EDITED}:
                    continue
                self._set(conn, article, name, value, EDITED)
                new = {"value": value, "basis": EDITED}
                changes.append(self._record(conn, "edit", editor, article.id, name, old, new))
        self._done()
        return changes

    def _set(self, conn, article: Article, name: str, value, basis: str | None) -> None:
        article.basis = dict(article.basis)
        if basis:
            article.basis[name] = basis
        else:
            article.basis.pop(name, None)
        extra: dict = {}
        if name == "language":
            value = value or "und"
            extra["language_prob"] = None
        if name == "date":
            extra.update(date_confidence=None, date_uncertain=False)
        setattr(article, name, value)
        self.store.update(conn, article.id, **{name: value}, basis=article.basis, **extra)

    def edit_places(self, article_id: str, remove=(), add=(), editor: str = "cli") -> int:
        """Remove places wrongly found and add missing ones (by any name or a GeoNames id)."""
        article = self._article(article_id)
        removing = [self._own_place(article, p) for p in remove]
        adding = [find_place_id(p) for p in add]
        if not removing and not adding:
            raise CurationError("say which places to --remove or --add")
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            old = {k: list(v) for k, v in article.place_edits.items()}
            edits = {"remove": list(old.get("remove", [])), "add": list(old.get("add", []))}
            for pid in removing:
                edits["add"] = [p for p in edits["add"] if p != pid]
                edits["remove"] = [*dict.fromkeys([*edits["remove"], pid])]
            for pid in adding:
                edits["remove"] = [p for p in edits["remove"] if p != pid]
                edits["add"] = [*dict.fromkeys([*edits["add"], pid])]
            edits = {k: v for k, v in edits.items() if v}
            change = self._record(conn, "places", editor, article.id, "places", old, edits)
            self._set_place_edits(conn, article, edits)
        self._done()
        return change

    def correct(self, article_id: str, values: dict, remove=(), add=(), editor="cli") -> list:
        """Metadata and place corrections together, every value checked before any is
        changed (the API's PATCH)."""
        article = self._article(article_id)
        clean_edit(values)
        for name in remove:
            self._own_place(article, name)
        for name in add:
            find_place_id(name)
        changes = self.edit(article_id, values, editor) if values else []
        if remove or add:
            changes.append(self.edit_places(article_id, remove, add, editor))
        return changes

    def _own_place(self, article: Article, name_or_id: str) -> str:
        """Which of the article's places an editor means: by id, name or the words used."""
        key = fold_name(str(name_or_id))
        for p in article.places:
            if p.geonameid == str(name_or_id).strip() or fold_name(p.name) == key:
                return p.geonameid
            if any(fold_name(m.surface) == key for m in p.mentions):
                return p.geonameid
        pid = find_place_id(name_or_id)
        if pid not in article.place_ids:
            raise CurationError(f"{name_or_id!r} is not among this article's places")
        return pid

    def _set_place_edits(self, conn, article: Article, edits: dict) -> None:
        article.place_edits = edits
        article.places = corrected_places(article, self.store.rules())
        self.store.update(conn, article.id, place_edits=edits, places=article.places)

    def delete(self, article_id: str, editor: str, why: str | None = None) -> int:
        """Hide an article from search, facets, feeds, similar articles and readers."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            if article.deleted:
                raise CurationError(f"{article_id} is already deleted")
            tombstone = {"at": now(), "editor": editor, "why": (why or "").strip() or None}
            self.store.update(conn, article.id, deleted=tombstone)
            change = self._record(conn, "delete", editor, article.id, "deleted", None, tombstone)
        self._done()
        return change

    def restore(self, article_id: str, editor: str) -> int:
        """Bring a deleted article back everywhere."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            if not article.deleted:
                raise CurationError(f"{article_id} is not deleted")
            self.store.update(conn, article.id, deleted=None)
            change = self._record(
                conn, "restore", editor, article.id, "deleted", article.deleted, None
            )
        self._done()
        return change

    def purge(self, article_id: str, editor: str) -> int:
        """Remove a deleted article for good, original bytes included (no undo)."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            if not article.deleted:
                raise CurationError(f"delete {article_id} before purging it")
            self.store.purge(conn, article.id)
            old = {"title": article.title, "source": article.source, "deleted": article.deleted}
            change = self._record(conn, "purge", editor, article.id, None, old, None)
        self._done()
        return change

    def split(self, article_id: str, editor: str) -> int:
        """Make a version wrongly folded into a story a story of its own, for good."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            if not article.version_of:
                raise CurationError(f"{article_id} is a story of its own already")
            change = self._record(
                conn, "split", editor, article.id, "version_of", article.version_of, None
            )
            self._set_story(conn, article, None)
        self._done()
        return change

    def _set_story(self, conn, article: Article, story: str | None) -> None:
        old = article.version_of
        self.store.update(conn, article.id, version_of=story, split=story is None)
        for other in (old, story):
            if other and self.store.get(other):
                self.store.touch(conn, other)

    # --- rules ----------------------------------------------------------------------------

    def add_rule(self, kind, name, target=None, *, source=None, language=None, editor="cli"):
        """Store an archive-wide correction and apply it to the articles it affects now."""
        rule = clean_rule(kind, name, target, source, language)
        with self.archive.lock.held(), self.store.transaction() as conn:
            if any(_same_rule(rule, r) for r in self.store.rules()):
                raise CurationError("that rule exists already")
            rule["id"] = self.store.add_rule(conn, {**rule, "editor": editor})
            affected = self._apply_rule(conn, rule, adding=True)
            change = self._record(
                conn,
                "rule-add",
                editor,
                None,
                rule["kind"],
                None,
                {"rule": rule, "affected": affected},
            )
        self._done()
        return change

    def remove_rule(self, rule_id: int, editor: str = "cli") -> int:
        """Take a rule back: the articles it changed are recomputed without it."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            rule = next((r for r in self.store.rules() if r["id"] == int(rule_id)), None)
            if rule is None:
                raise NotFound(f"no rule {rule_id}")
            rule = {k: rule[k] for k in ("id", "kind", "name", "target", "source", "language")}
            self.store.remove_rule(conn, rule["id"])
            added = self._rule_change(rule["id"])
            affected = self._apply_rule(conn, rule, adding=False, previously=added)
            change = self._record(
                conn,
                "rule-remove",
                editor,
                None,
                rule["kind"],
                {"rule": rule, "affected": affected},
                None,
            )
        self._done()
        return change

    def _rule_change(self, rule_id: int) -> dict:
        for change in reversed(self.store.changes()):
            if (
                change["kind"] == "rule-add"
                and (change["new"] or {}).get("rule", {}).get("id") == rule_id
            ):
                return change["new"].get("affected") or {}
        return {}

    def _apply_rule(self, conn, rule: dict, *, adding: bool, previously=None) -> dict:
        """Recompute what the rule touches; what changed, for an undo to find again."""
        if rule["kind"] == OUTLET:
            return self._apply_merge(conn, rule, adding, previously or {})
        rules = self.store.rules()
        changed = []
        for article in self._naming(rule["name"]):
            places = corrected_places(article, rules)
            if [p.to_json() for p in places] != [p.to_json() for p in article.places]:
                self.store.update(conn, article.id, places=places)
                changed.append(article.id)
        return {"articles": changed}

    def _naming(self, name: str) -> Iterable[Article]:
        """Live and deleted articles whose text names `name`."""
        probe = folded(name).split()[:1]
        if not probe:
            return []
        ids = self.store.ids_with_text(lambda text: probe[0] in folded(text))
        found = self.store.get_many(ids)
        return [a for a in found.values() if name_spans(a.text, name)]

    def _apply_merge(self, conn, rule: dict, adding: bool, previously: dict) -> dict:
        if adding:
            key = squeezed(rule["name"])
            names = [n for n, _ in self.store.histogram("source") if n and squeezed(n) == key]
            names = [n for n in names if n != rule["target"]] or [rule["name"]]
            ids: list[str] = []
            for old in names:
                ids += self.store.ids_where("source = ?", (old,))
                for article_id in self.store.ids_where("source = ?", (old,)):
                    self.store.update(conn, article_id, source=rule["target"])
                self.store.rename_outlet(conn, old, rule["target"])
            return {"articles": ids, "names": names}
        back = (previously.get("names") or [rule["name"]])[0]
        for article_id in previously.get("articles", []):
            article = self.store.get(article_id)
            if article and article.source == rule["target"]:
                self.store.update(conn, article_id, source=back)
        return {"articles": previously.get("articles", []), "names": [back]}

    def restore_record(self, record: CurationRecord) -> str:
        """Put an export's rule or history row back (once: a second restore skips it)."""
        with self.archive.lock.held(), self.store.transaction() as conn:
            if record.rule is not None:
                rule = record.rule
                if any(_same_rule(rule, r) for r in self.store.rules()):
                    return "duplicate"
                taken = any(r["id"] == rule["id"] for r in self.store.rules())
                self.store.add_rule(conn, {**rule, "id": None if taken else rule["id"]})
                self._apply_rule(conn, rule, adding=True)
                return "restored"
            change = record.change
            found = self.store.changes(change_id=change["id"])
            if found and {k: found[0][k] for k in change} == change:
                return "duplicate"
            self.store.record_change(conn, {**change, "id": None if found else change["id"]})
            return "restored"

    # --- history ----------------------------------------------------------------------------

    def history(self, article_id: str) -> list[dict]:
        """Every change of one article, oldest first."""
        return self.store.changes(article_id=article_id)

    def revert(self, change_id: int, editor: str) -> int:
        """Undo one change; the undo is a change of its own, revertible in turn."""
        found = self.store.changes(change_id=int(change_id))
        if not found:
            raise NotFound(f"no change {change_id}")
        change = found[0]
        if change["reverted_by"]:
            raise CurationError(f"change {change_id} was reverted by {change['reverted_by']}")
        undo = self._undo(change, editor)
        with self.archive.lock.held(), self.store.transaction() as conn:
            self.store.mark_reverted(conn, change["id"], undo)
        return undo

    def _undo(self, change: dict, editor: str) -> int:
        kind, article_id = change["kind"], change["article_id"]
        actions: dict[str, Callable[[], int]] = {
            "delete": lambda: self.restore(article_id, editor),
            "restore": lambda: self.delete(article_id, editor, (change["old"] or {}).get("why")),
            "rule-add": lambda: self.remove_rule(change["new"]["rule"]["id"], editor),
            "rule-remove": lambda: self._readd(change["old"]["rule"], editor),
            "split": lambda: self._unsplit(article_id, change["old"], editor),
            "unsplit": lambda: self.split(article_id, editor),
            "reprocess": lambda: self.split(article_id, editor),  # undo a fold it found
            "places": lambda: self._reset_places(article_id, change, editor),
            "edit": lambda: self._reset_field(article_id, change, editor),
        }
        if kind not in actions:
            raise CurationError(f"a {kind} cannot be undone")
        return actions[kind]()

    def _readd(self, rule: dict, editor: str) -> int:
        return self.add_rule(
            rule["kind"],
            rule["name"],
            get_place(rule["target"]).geonameid if rule["kind"] == ALIAS else rule["target"],
            source=rule.get("source"),
            language=rule.get("language"),
            editor=editor,
        )

    def _unsplit(self, article_id: str, story: str, editor: str) -> int:
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            target = self.store.get(story)
            if target is None or target.version_of:
                raise CurationError(f"the story {story} is no longer there to rejoin")
            change = self._record(conn, "unsplit", editor, article.id, "version_of", None, story)
            self._set_story(conn, article, story)
            self.store.update(conn, article.id, split=False)
        self._done()
        return change

    def _reset_places(self, article_id: str, change: dict, editor: str) -> int:
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            edits = change["old"] or {}
            new = self._record(conn, "places", editor, article.id, "places", change["new"], edits)
            self._set_place_edits(conn, article, edits)
        self._done()
        return new

    def _reset_field(self, article_id: str, change: dict, editor: str) -> int:
        name, old = change["field"], change["old"]
        with self.archive.lock.held(), self.store.transaction() as conn:
            article = self._article(article_id)
            now_value = {"value": getattr(article, name), "basis": article.basis.get(name)}
            self._set(conn, article, name, old["value"], old["basis"])
            new = self._record(conn, "edit", editor, article.id, name, now_value, old)
        self._done()
        return new


def _same_rule(a: dict, b: dict) -> bool:
    keys = ("kind", "target", "source", "language")
    return fold_name(a["name"]) == fold_name(b["name"]) and all(a[k] == b[k] for k in keys)
