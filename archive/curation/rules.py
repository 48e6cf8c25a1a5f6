"""Archive-wide rules: stored, applied at once to the articles they affect (their places or
outlet worked out again through the same code path as a new article's), and taken back."""

from __future__ import annotations

from collections.abc import Iterator

from archive.extract.outlets import squeezed
from archive.model import Article
from archive.places.rules import name_spans

from .checks import (
    OUTLET,
    CurationError,
    NotFound,
    clean_rule,
    corrected_places,
    folded,
    same_rule,
)

BATCH = 500  # articles read at once when a rule is applied


class RuleCorrections:
    """The rule half of `Curator` (which gives it `archive`, `store`, `_record`, `_done`)."""

    def add_rule(self, kind, name, target=None, *, source=None, language=None, editor="cli"):
        """Store an archive-wide correction and apply it to the articles it affects now."""
        rule = clean_rule(kind, name, target, source, language)
        with self.archive.lock.held(), self.store.transaction() as conn:
            if any(same_rule(rule, r) for r in self.store.rules()):
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

    def _naming(self, name: str) -> Iterator[Article]:
        """Live and deleted articles whose text names `name`, read a batch at a time."""
        probe = folded(name).split()[:1]
        if not probe:
            return
        ids = self.store.ids_with_text(lambda text: probe[0] in folded(text))
        for start in range(0, len(ids), BATCH):
            found = self.store.get_many(ids[start : start + BATCH])
            yield from (a for a in found.values() if name_spans(a.text, name))

    def _apply_merge(self, conn, rule: dict, adding: bool, previously: dict) -> dict:
        """Rename the merged outlet's articles and copies (every spelling of it the archive
        holds), or, taking the merge back, give those it renamed their old name again."""
        if adding:
            key = squeezed(rule["name"])
            names = [n for n, _ in self.store.histogram("source") if n and squeezed(n) == key]
            names = [n for n in names if n != rule["target"]] or [rule["name"]]
            articles: dict[str, str] = {}
            copies: dict[int, str] = {}
            for old in names:
                for article_id in self.store.ids(source=old):
                    self.store.update(conn, article_id, source=rule["target"])
                    articles[article_id] = old
                for copy in self.store.rename_copies(conn, rule["target"], old=old):
                    copies[copy] = old
            return {"articles": list(articles), "names": names, "was": articles, "copies": copies}
        was = previously.get("was") or {}
        fallback = (previously.get("names") or [rule["name"]])[0]
        for article_id in previously.get("articles", []):
            article = self.store.get(article_id)
            if article and article.source == rule["target"]:
                self.store.update(conn, article_id, source=was.get(article_id, fallback))
        for copy, old in (previously.get("copies") or {}).items():
            self.store.rename_copies(conn, old, ids=[int(copy)])
        return {"articles": previously.get("articles", []), "names": [fallback]}

    def _readd(self, rule: dict, editor: str) -> int:
        return self.add_rule(
            rule["kind"],
            rule["name"],
            rule["target"],
            source=rule.get("source"),
            language=rule.get("language"),
            editor=editor,
        )
