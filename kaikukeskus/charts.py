"""Charts as server-rendered SVG (the public statistics; the outreach coverage in localities): no JavaScript,
nothing from a CDN, nothing inline that the CSP would block (colours come from classes in the apps' CSS).

Here is only the geometry; the templates (`stats/includes/chart_*.html`) draw it, with the numbers in the
reader's format. Each chart is an image (`role="img"`) with a title and a description, and each page shows the
same figures in a table beside it: the table is the alternative for anyone who cannot see the chart.
"""

import math
from dataclasses import dataclass, field

# The drawing area of a chart, in SVG user units (the SVG scales to its container).
WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 80  # the axis labels
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 40  # the year labels


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Column:
    label: str  # the year
    value: int | None  # None: not known (no column, a dash below)
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns on a value axis: the trend of a figure over the years."""

    columns: list[Column]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    right: int = WIDTH - MARGIN_RIGHT
    baseline: int = HEIGHT - MARGIN_BOTTOM
    label_y: int = HEIGHT - MARGIN_BOTTOM + 24
    axis_x: int = MARGIN_LEFT - 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the chart's total, 0–100
    y: float
    width: float
    text_y: float
    value_x: float  # the value's text, after the bar


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, each a part of a whole (sectors, adults and children), with its share."""

    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    label_width: int = 160
    bar_height: int = 28

    @property
    def bar_right(self) -> int:
        return self.width - 200  # room for the value and the share after the longest bar

    @property
    def label_x(self) -> int:
        return self.label_width - 8


def nice_ceiling(value: int) -> int:
    """The axis' top: 1, 2, 2.5 or 5 times a power of ten, at least `value` (and at least 1)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return math.ceil(step * power)
    return 10 * power  # unreachable: 10 × the power always suffices


def column_chart(points: list[tuple[str, int | None]], *, ticks: int = 4) -> ColumnChart:
    """Columns for (label, value) pairs in their order; a value of None leaves its place empty."""
    known = [value for _label, value in points if value is not None]
    top = nice_ceiling(max(known, default=0))
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_width / max(len(points), 1)
    columns = []
    for index, (label, value) in enumerate(points):
        height = 0.0 if value is None else plot_height * value / top
        x = MARGIN_LEFT + index * slot + slot * 0.15
        columns.append(
            Column(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(MARGIN_LEFT + index * slot + slot / 2, 1),
            )
        )
    axis = [
        Tick(value=round(top * step / ticks), y=round(HEIGHT - MARGIN_BOTTOM - plot_height * step / ticks, 1))
        for step in range(ticks + 1)
    ]
    return ColumnChart(columns=columns, ticks=axis)


def bar_chart(parts: list[tuple[str, int | None]]) -> BarChart | None:
    """Bars for the parts of a whole; None when nothing is known (no chart, the table says "–")."""
    known = [(label, value) for label, value in parts if value is not None]
    total = sum(value for _label, value in known)
    if not known or total == 0:
        return None
    chart = BarChart()
    largest = max(value for _label, value in known)
    span = chart.bar_right - chart.label_width
    bars = []
    for index, (label, value) in enumerate(known):
        y = 8 + index * (chart.bar_height + 12)
        width = round(span * value / largest, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                share=round(100 * value / total, 1),
                y=y,
                width=width,
                text_y=y + chart.bar_height / 2 + 5,
                value_x=round(chart.label_width + width + 8, 1),
            )
        )
    height = 8 + len(bars) * (chart.bar_height + 12)
    return BarChart(bars=bars, height=height)
