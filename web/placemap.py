"""The map of the places in the current results: dots sized by article count, each a link to
its place filter, over a vendored Natural Earth basemap (no tiles, no CDN).

Coordinates are those of the basemap (`web/tools/build_basemap.py`): an equirectangular
projection in tenths of a degree, x = 10 * longitude, y = -10 * latitude. The view is fitted
to the places that carry most of the results, so a story about Syria shows Syria, not the
whole world because one article also names New York.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from archive.places import get_place
from web.facets import FacetBlock, FacetItem

BASEMAP = "world-110m-2.0.2.svg"
WORLD = (-1800.0, -900.0, 3600.0, 1800.0)
MIN_WIDTH = 240.0  # never zoom in beyond 24 degrees of longitude (the basemap is 1:110m)
ASPECT = 2.0  # width : height
CORE_SHARE = 0.6  # places with at least this share of the top count decide the view...
CLUSTER_RADIUS = 150.0  # ...those within 15 degrees of the densest of them
LABELS = 4
LABELLED_KINDS = {"city", "region", "country"}


@dataclass
class Dot:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    x: float
    y: float
    r: float
    kind: str = "city"
    show_label: bool = False
    label_x: float = 0.0
    anchor: str = "start"  # or "end": the label sits left of a dot near the right edge

    @property
    def name(self) -> str:
        """The label without its country: "Homs · Syria" -> "Homs"."""
        return self.label.split(" · ")[0]


@dataclass
class PlaceMap:
    dots: list[Dot]  # those in view, biggest first (so smaller ones lie on top)
    x: float
    y: float
    width: float
    height: float
    hidden: int  # dots outside the view

    basemap: str = BASEMAP

    @property
    def view_box(self) -> str:
        return f"{self.x:.0f} {self.y:.0f} {self.width:.0f} {self.height:.0f}"

    @property
    def font_size(self) -> float:
        return round(self.width / 26, 1)

    @property
    def stroke(self) -> float:
        return round(self.width / 400, 2)

    @property
    def label_dx(self) -> float:
        return round(self.width / 80, 1)


def _mappable(block: FacetBlock):
    """Every place of the facet with coordinates; a country only when none of its cities is
    listed (its count already includes theirs), and never a continent."""
    for top in block.items + block.more:
        kids = top.children + top.more_children
        place = get_place(top.value)
        if not kids and place and place.kind != "continent":
            yield top, place
        for kid in kids:
            kid_place = get_place(kid.value)
            if kid_place:
                yield kid, kid_place


def build_map(block: FacetBlock, fit_all: bool = False) -> PlaceMap | None:
    """The map of a place facet: fitted to the places that carry most of the results, or
    with `fit_all` to every place (the full-page map)."""
    found: list[tuple[FacetItem, float, float, str]] = []
    for item, place in _mappable(block):
        if place.lat is None or place.lon is None:
            continue
        found.append((item, place.lon * 10, -place.lat * 10, place.kind))
    if not found:
        return None
    peak = max(f[0].count for f in found)
    heavy = [(x, y) for item, x, y, _ in found if item.count >= peak * CORE_SHARE or item.selected]
    everywhere = [(x, y) for _, x, y, _ in found]
    x, y, width, height = _fit(everywhere if fit_all else _cluster(heavy))
    dots = []
    for item, dx, dy, kind in sorted(found, key=lambda f: -f[0].count):
        r = round(width * (0.007 + 0.018 * math.sqrt(item.count / peak)), 1)
        dots.append(
            Dot(item.value, item.label, item.count, item.selected, item.url, dx, dy, r, kind)
        )
    inside = [d for d in dots if x <= d.x <= x + width and y <= d.y <= y + height]
    result = PlaceMap(inside, x, y, width, height, hidden=len(dots) - len(inside))
    _place_labels(result, inside)
    return result


def _place_labels(view: PlaceMap, inside: list[Dot]) -> None:
    """Label the selected and the biggest places (not seas or vague areas), skipping any
    label that would overlap one already placed (a rough box: 0.6 em a character); a label
    that would leave the view on the right goes left of its dot."""
    placed: list[tuple[float, float, float, float]] = []
    height = view.font_size * 1.1
    named = [d for d in inside if d.kind in LABELLED_KINDS]
    candidates = [d for d in named if d.selected] + [d for d in named if not d.selected]
    for dot in candidates:
        if len(placed) >= LABELS and not dot.selected:
            break
        length = len(dot.name) * view.font_size * 0.6
        gap = dot.r + view.label_dx / 2
        left, dot.anchor, dot.label_x = dot.x + gap, "start", round(dot.x + gap, 1)
        if left + length > view.x + view.width:
            left, dot.anchor, dot.label_x = dot.x - gap - length, "end", round(dot.x - gap, 1)
        box = (left, dot.y - height / 2, left + length, dot.y + height / 2)
        if any(_overlaps(box, other) for other in placed):
            continue
        placed.append(box)
        dot.show_label = True


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _cluster(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points near the densest one: a story about Syria that also names Washington and
    Moscow a few times is shown over Syria (the others are counted as outside the view)."""

    def near(a, b) -> bool:
        return abs(a[0] - b[0]) <= CLUSTER_RADIUS and abs(a[1] - b[1]) <= CLUSTER_RADIUS

    centre = max(points, key=lambda p: sum(near(p, q) for q in points))
    return [p for p in points if near(p, centre)]


def _fit(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """A 2:1 view around the points with a margin, kept within the world."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    width = max((max(xs) - min(xs)) * 1.35, MIN_WIDTH)
    height = max((max(ys) - min(ys)) * 1.35, width / ASPECT)
    width = max(width, height * ASPECT)
    wx, wy, ww, wh = WORLD
    width, height = min(width, ww), min(height, wh)
    x = min(max(cx - width / 2, wx), wx + ww - width)
    y = min(max(cy - height / 2, wy), wy + wh - height)
    return round(x), round(y), round(width), round(height)
