"""The date histogram as SVG geometry the template draws: one bar per month of the matches,
or one per year when they span more than three years (a year's bar narrows to its months).

Empty months or years between the first and the last still get a (zero) slot, so the time
axis is honest; axis labels are thinned until none overlaps another."""

from __future__ import annotations

from dataclasses import dataclass

from web.facets import FacetBlock, in_range
from web.labels import month_label
from web.state import SearchState

WIDTH = 300
HEIGHT = 72
AXIS = 16
MAX_SLOT = 40  # a few months make a few modest bars, centred, not one wall of colour
MAX_MONTHS = 36  # beyond three years of months, bars are years
CHAR_WIDTH = 6.0  # the axis font (10 px) is about this wide a character, digits included
LABEL_GAP = 6.0


@dataclass
class Bar:
    month: str  # "YYYY-MM", or "YYYY" for a year's bar
    label: str
    count: int
    selected: bool
    url: str | None  # None for an empty slot
    x: float
    y: float
    width: float
    height: float
    slot_x: float  # the whole slot, so a thin bar is still easy to hit
    slot_width: float


@dataclass
class Tick:
    x: float
    text: str
    anchor: str = "middle"


@dataclass
class Histogram:
    bars: list[Bar]
    ticks: list[Tick]
    unit: str = "month"  # or "year"
    width: int = WIDTH
    height: int = HEIGHT
    axis: int = AXIS

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height + self.axis}"

    @property
    def first(self) -> str:
        return self.bars[0].month

    @property
    def last(self) -> str:
        return self.bars[-1].month


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def build_histogram(block: FacetBlock, state: SearchState | None = None) -> Histogram | None:
    """Bars for the date facet's months; years when they span more than MAX_MONTHS."""
    state = state or SearchState()
    low, high = state.get("from"), state.get("to")
    items = {i.value: i for i in block.items if _is_month(i.value)}
    if low or high:  # zoomed in: the range's own months (or years), not the whole span
        items = {m: i for m, i in items.items() if in_range(m, low, high)}
    if not items:
        return None
    first, last = min(items), max(items)
    years = int(last[:4]) - int(first[:4])
    if years * 12 + int(last[5:]) - int(first[5:]) + 1 <= MAX_MONTHS:
        slots = [
            (m, month_label(m), items[m].count if m in items else 0, items.get(m))
            for m in months_between(first, last)
        ]
        bars = _bars(
            [
                (m, label, n, i.selected if i else False, i.url if i else None)
                for m, label, n, i in slots
            ]
        )
        return Histogram(bars, _ticks(bars), "month")
    per_year: dict[str, int] = {}
    for month, item in items.items():
        per_year[month[:4]] = per_year.get(month[:4], 0) + item.count
    rows = []
    for year in range(int(first[:4]), int(last[:4]) + 1):
        text = f"{year:04d}"
        count = per_year.get(text, 0)
        only = low == text and high == text
        url = None
        if count:
            url = (
                state.without("from", "to") if only else state.set("from", text).set("to", text)
            ).url()
        selected = (
            bool(low or high)
            and in_range(f"{text}-01", low, high)
            and in_range(f"{text}-12", low, high)
        )
        rows.append((text, text, count, selected, url))
    bars = _bars(rows)
    return Histogram(bars, _ticks(bars), "year")


def _bars(rows: list[tuple[str, str, int, bool, str | None]]) -> list[Bar]:
    peak = max(r[2] for r in rows) or 1
    slot = min(WIDTH / len(rows), MAX_SLOT)
    offset = (WIDTH - slot * len(rows)) / 2
    gap = min(2.0, slot * 0.2) if slot < MAX_SLOT else slot * 0.25
    bars = []
    for n, (key, label, count, selected, url) in enumerate(rows):
        height = 0.0 if not count else max(2.0, HEIGHT * count / peak)
        bars.append(
            Bar(
                month=key,
                label=label,
                count=count,
                selected=selected,
                url=url,
                x=round(offset + n * slot + gap / 2, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(slot - gap, 0.5), 2),
                height=round(height, 2),
                slot_x=round(offset + n * slot, 2),
                slot_width=round(slot, 2),
            )
        )
    return bars


def _ticks(bars: list[Bar]) -> list[Tick]:
    """Labels under the bars, centred on them, every k-th bar for the smallest k at which no
    two labels overlap (and none leaves the chart: an edge label is aligned to the edge)."""
    if len(bars) == 1:
        return [Tick(WIDTH / 2, bars[0].label)]
    for step in range(1, len(bars) + 1):
        ticks = []
        boxes = []
        for bar in bars[::step]:
            width = len(bar.label) * CHAR_WIDTH
            centre = bar.slot_x + bar.slot_width / 2
            left, anchor, x = centre - width / 2, "middle", centre
            if left < 0:
                left, anchor, x = 0.0, "start", 0.0
            elif left + width > WIDTH:
                left, anchor, x = WIDTH - width, "end", float(WIDTH)
            boxes.append((left, left + width))
            ticks.append(Tick(round(x, 2), bar.label, anchor))
        if all(b[0] >= a[1] + LABEL_GAP for a, b in zip(boxes, boxes[1:], strict=False)):
            return ticks
    return [Tick(WIDTH / 2, bars[0].label)]


def _is_month(value: str) -> bool:
    return len(value) == 7 and value[:4].isdigit() and value[4] == "-" and value[5:].isdigit()
