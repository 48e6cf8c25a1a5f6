"""The date histogram: one bar per month of the matches, as SVG geometry the template draws.

Months with no matches between the first and the last still get a (zero) slot, so the time
axis is honest."""

from __future__ import annotations

from dataclasses import dataclass

from web.facets import FacetBlock, FacetItem
from web.labels import month_label

WIDTH = 300
HEIGHT = 72
AXIS = 16
MAX_SLOT = 40  # a few months make a few modest bars, centred, not one wall of colour
MAX_MONTHS = 600  # fifty years of months; beyond that, only months with matches are drawn


@dataclass
class Bar:
    month: str
    label: str
    count: int
    selected: bool
    url: str | None  # None for an empty month
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
    while f"{year:04d}-{month:02d}" <= last and len(out) <= MAX_MONTHS:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def build_histogram(block: FacetBlock) -> Histogram | None:
    items = {i.value: i for i in block.items if _is_month(i.value)}
    if not items:
        return None
    months = months_between(min(items), max(items))
    if len(months) > MAX_MONTHS:
        months = sorted(items)
    peak = max(i.count for i in items.values())
    slot = min(WIDTH / len(months), MAX_SLOT)
    offset = (WIDTH - slot * len(months)) / 2
    gap = min(2.0, slot * 0.2) if slot < MAX_SLOT else slot * 0.25
    bars = []
    for n, month in enumerate(months):
        item: FacetItem | None = items.get(month)
        count = item.count if item else 0
        height = 0.0 if not count else max(2.0, HEIGHT * count / peak)
        bars.append(
            Bar(
                month=month,
                label=month_label(month),
                count=count,
                selected=bool(item and item.selected),
                url=item.url if item else None,
                x=round(offset + n * slot + gap / 2, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(slot - gap, 0.5), 2),
                height=round(height, 2),
                slot_x=round(offset + n * slot, 2),
                slot_width=round(slot, 2),
            )
        )
    return Histogram(bars, _ticks(months, slot, offset))


def _ticks(months: list[str], slot: float, offset: float) -> list[Tick]:
    if len(months) <= 12:
        if len(months) == 1:
            return [Tick(WIDTH / 2, month_label(months[0]))]
        return [
            Tick(round(offset, 2), month_label(months[0]), "start"),
            Tick(round(WIDTH - offset, 2), month_label(months[-1]), "end"),
        ]
    years = [(n, m[:4]) for n, m in enumerate(months) if m.endswith("-01") or n == 0]
    step = max(1, -(-len(years) // 6))  # at most about six labels
    ticks = []
    for n, year in years[::step]:
        x = n * slot
        if x > WIDTH - 24:
            continue
        ticks.append(Tick(round(x, 2), year, "start"))
    return ticks


def _is_month(value: str) -> bool:
    return len(value) == 7 and value[:4].isdigit() and value[4] == "-" and value[5:].isdigit()
