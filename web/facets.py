"""Facets for the sidebar: one small base class, one subclass per kind, all returning the same
shape (a `FacetBlock` of `FacetItem`s whose links toggle one filter), as Datasette does."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.places import get_place
from archive.search import FacetValue, SearchResult, registry
from web.labels import date_label, language_name, month_label
from web.state import SearchState


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # toggles this value as a filter
    children: list[FacetItem] = field(default_factory=list)
    more_children: list[FacetItem] = field(default_factory=list)
    selected_within: bool = False  # a place beneath this one is selected


@dataclass
class FacetBlock:
    name: str
    title: str
    param: str
    items: list[FacetItem]  # shown at once
    more: list[FacetItem]  # behind "show more"
    total: int = 0  # distinct values over all matches (more than the sidebar lists)

    @property
    def empty(self) -> bool:
        return not self.items

    @property
    def size(self) -> int:
        """How many values the block holds, children included (the filter box needs many)."""
        every = self.items + self.more
        return len(every) + sum(len(i.children) + len(i.more_children) for i in every)


class Facet:
    """A facet over one field of the result: its values, counts and toggle links."""

    name = ""
    title = ""
    param = ""

    def __init__(self, state: SearchState, result: SearchResult, size: int):
        self.state = state
        self.result = result
        self.size = size

    def values(self) -> list[FacetValue]:
        return self.result.facets.get(self.name, [])

    def label(self, value: FacetValue) -> str:
        return value.label

    def item(self, value: FacetValue) -> FacetItem:
        target = self.state.toggle(self.param, value.value, value.selected)
        return FacetItem(value.value, self.label(value), value.count, value.selected, target.url())

    def items(self) -> list[FacetItem]:
        return [self.item(v) for v in self.values()]

    def block(self) -> FacetBlock:
        items = _selected_first(self.items())
        total = self.result.facet_totals.get(self.name, 0)
        return FacetBlock(
            self.name, self.title, self.param, items[: self.size], items[self.size :], total
        )


class SourceFacet(Facet):
    name, title, param = "source", "Outlets", "source"


class LanguageFacet(Facet):
    name, title, param = "language", "Languages", "lang"

    def label(self, value: FacetValue) -> str:
        return language_name(value.value)


class PlaceFacet(Facet):
    """Countries with their cities beneath; a place filter may have been given by any name,
    so removing it removes every value that resolved to that place."""

    name, title, param = "place", "Places", "place"
    CHILDREN_SHOWN = 5

    def item(self, value: FacetValue) -> FacetItem:
        if value.selected:
            raw = [r["value"] for r in self.result.resolved_places if r["id"] == value.value]
            target = self.state.remove("place", value.value, *raw)
        else:
            target = self.state.add("place", value.value)
        return FacetItem(value.value, value.label, value.count, value.selected, target.url())

    def items(self) -> list[FacetItem]:
        values = self.values()
        present = {v.value for v in values}
        tops: list[FacetItem] = []
        children: dict[str, list[FacetItem]] = {}
        for value in values:
            item = self.item(value)
            if value.parent and value.parent in present:
                item.label = _short(value.label)
                children.setdefault(value.parent, []).append(item)
            else:
                tops.append(item)
        for top in tops:
            kids = _selected_first(children.get(top.value, []))
            top.children = kids[: self.CHILDREN_SHOWN]
            top.more_children = kids[self.CHILDREN_SHOWN :]
            top.selected_within = any(k.selected for k in kids)
        return tops


def _selected_first(items: list[FacetItem]) -> list[FacetItem]:
    """Filters in use lead their list (and so never fold away); the rest keep their order."""
    chosen = [i for i in items if i.selected or i.selected_within]
    return chosen + [i for i in items if not (i.selected or i.selected_within)]


def _short(label: str) -> str:
    """ "Homs · Syria" beneath Syria reads as "Homs"."""
    return label.split(" · ")[0]


class DateFacet(Facet):
    """Months of the matches; a month's link narrows the range to that month."""

    name, title, param = "date", "Dates", "from"

    def item(self, value: FacetValue) -> FacetItem:
        month = value.value
        selected = in_range(month, self.state.get("from"), self.state.get("to"))
        only_this = self.state.get("from") == month and self.state.get("to") == month
        target = (
            self.state.without("from", "to")
            if only_this
            else self.state.set("from", month).set("to", month)
        )
        return FacetItem(month, month_label(month), value.count, selected, target.url())

    def block(self) -> FacetBlock:
        return FacetBlock(self.name, self.title, self.param, self.items(), [])


def in_range(month: str, low: str, high: str) -> bool:
    """Whether a YYYY-MM month overlaps an inclusive range given as YYYY[-MM[-DD]] bounds."""
    if not (low or high):
        return False
    top = high[:7]
    return (not low or month >= low[:7]) and (not high or month[: len(top)] <= top)


@dataclass
class Chip:
    kind: str  # what the filter is: "Place", "Outlet", ...
    label: str
    url: str  # the same search without this filter


def chips(state: SearchState, result: SearchResult) -> list[Chip]:
    """The filters in force, each removable."""
    labels = {r["value"]: r["label"] for r in result.resolved_places}
    out = []
    for value in state.getlist("place"):
        place = get_place(value) if value.isdigit() else None
        label = labels.get(value) or (place.name if place else value)
        out.append(Chip("Place", label, state.remove("place", value).url()))
    for value in state.getlist("source"):
        out.append(Chip("Outlet", value, state.remove("source", value).url()))
    for value in state.getlist("lang"):
        out.append(Chip("Language", language_name(value), state.remove("lang", value).url()))
    for name, kind in (("from", "From"), ("to", "To")):
        value = state.get(name)
        if value:
            out.append(Chip(kind, _bound_label(value), state.without(name).url()))
    return out


def _bound_label(value: str) -> str:
    if len(value) == 7:
        return month_label(value)
    if len(value) == 10:
        return date_label(value)
    return value


# The facets that show in a way of their own; any other the registry declares is a plain list.
FACETS: dict[str, type[Facet]] = {
    cls.name: cls for cls in (PlaceFacet, SourceFacet, LanguageFacet, DateFacet)
}


def paged() -> list[str]:
    """The facets with a finder and a page of every value: all but ranges (dates)."""
    return [f.name for f in registry.FACETS if f.combine != "range"]


def facet_class(name: str) -> type[Facet]:
    """The block kind of a registry facet (KeyError for a name it does not declare)."""
    declared = registry.facet(name)
    if name in FACETS:
        return FACETS[name]
    title = declared.title or declared.name.replace("_", " ").capitalize()
    attrs = {"name": declared.name, "title": title, "param": declared.param}
    return type(f"{declared.name}Facet", (Facet,), attrs)


def facet_blocks(state: SearchState, result: SearchResult, size: int) -> dict[str, FacetBlock]:
    """A block for every facet in the registry, in its order."""
    return {f.name: facet_class(f.name)(state, result, size).block() for f in registry.FACETS}
