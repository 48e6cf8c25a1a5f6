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
MIN_WIDTH = 360.0  # never zoom in beyond 36 degrees of longitude (the basemap is 1:110m)
ASPECT = 2.0  # width : height
CORE_SHARE = 0.6  # places with at least this share of the top count decide the view
LABELS = 4


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
    show_label: bool = False

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


def build_map(block: FacetBlock) -> PlaceMap | None:
    found: list[tuple[FacetItem, float, float]] = []
    for item, place in _mappable(block):
        if place.lat is None or place.lon is None:
            continue
        found.append((item, place.lon * 10, -place.lat * 10))
    if not found:
        return None
    peak = max(item.count for item, _, _ in found)
    core = [(x, y) for item, x, y in found if item.count >= peak * CORE_SHARE or item.selected]
    x, y, width, height = _fit(core)
    dots = []
    for item, dx, dy in sorted(found, key=lambda f: -f[0].count):
        r = width * (0.007 + 0.018 * math.sqrt(item.count / peak))
        dots.append(
            Dot(item.value, item.label, item.count, item.selected, item.url, dx, dy, round(r, 1))
        )
    inside = [d for d in dots if x <= d.x <= x + width and y <= d.y <= y + height]
    result = PlaceMap(inside, x, y, width, height, hidden=len(dots) - len(inside))
    _place_labels(result, inside)
    return result


def _place_labels(view: PlaceMap, inside: list[Dot]) -> None:
    """Label the selected and the biggest dots, skipping any label that would overlap one
    already placed (a rough box: 0.6 em a character)."""
    placed: list[tuple[float, float, float, float]] = []
    height = view.font_size * 1.1
    candidates = [d for d in inside if d.selected] + [d for d in inside if not d.selected]
    for dot in candidates:
        if len(placed) >= LABELS and not dot.selected:
            break
        left = dot.x + dot.r + view.label_dx / 2
        box = (
            left,
            dot.y - height / 2,
            left + len(dot.name) * view.font_size * 0.6,
            dot.y + height / 2,
        )
        if any(_overlaps(box, other) for other in placed):
            continue
        placed.append(box)
        dot.show_label = True


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


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
