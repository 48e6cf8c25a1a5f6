"""What an editor asks for, checked before anything changes: metadata values, places and
rules; and the corrections every article gets (merged outlets, place rules, its own edits)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from archive.extract.outlets import squeezed
from archive.ingest import clean_stated
from archive.language import language_name
from archive.model import Article, Rejected
from archive.places import extract_places, get_place, resolve_place
from archive.places.normalize import fold_name
from archive.places.rules import ALIAS, NOT_A_PLACE, apply_place_rules

EDITABLE = ("title", "source", "date", "language", "url", "author")
EDITED = "edited"  # the basis of a value an editor set: above every other
OUTLET = "outlet"
RULE_KINDS = (NOT_A_PLACE, ALIAS, OUTLET)


class CurationError(ValueError):
    """A correction that cannot be made as asked; nothing was changed."""


class NotFound(LookupError):
    """No such article, change or rule."""


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
    found = extract_places(article.text, article.language) if places is None else places
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


def same_rule(a: dict, b: dict) -> bool:
    keys = ("kind", "target", "source", "language")
    return fold_name(a["name"]) == fold_name(b["name"]) and all(a[k] == b[k] for k in keys)
