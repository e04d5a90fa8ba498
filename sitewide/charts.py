"""Server-side SVG charts for the admin reports: bars (grouped or stacked) and lines of points.

A report describes its figures with :class:`Series` and :func:`chart` lays them out once, in
Python, for ``templates/sitewide/charts/chart.html``. The chart a person gets:

* labelled axes (a title for each, with the unit), "nice" value ticks (1, 2, 5 × 10ⁿ) with
  gridlines and tick labels written the way the reader's language writes numbers (Django's
  number formatting, and Persian digits in Persian), period labels along the x axis, thinned
  when there are too many to fit;
* a legend when there is more than one series, colours from the Okabe–Ito palette (told apart
  with every common colour-vision deficiency) and a second cue that needs no colour at all: each
  series of bars has its own fill pattern, each line its own dash and marker shape;
* every mark (a bar, a point, a "too few answers" sign) is focusable and carries an SVG
  ``<title>``: its value shows on hover, and on keyboard focus (a visible outline and label);
* the same figures in a table (caption, ``th scope``) in a scrolling wrapper, so a screen reader
  or a keyboard reaches every number and a wide table never widens the page.

In a right-to-left admin time runs from right to left and the value axis stands on the right: the
coordinates are mirrored here, never the drawing (a ``scaleX(-1)`` would mirror the text too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext

from sitewide.numerals import local_digits

#: Okabe & Ito (2008), "Color Universal Design": distinct for protanopia, deuteranopia and
#: tritanopia. Yellow comes late: it is the least visible on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
#: The second cue of a series of bars: its fill pattern (drawn in the template).
PATTERNS = ("solid", "diagonal", "dots", "horizontal", "crosshatch", "vertical", "antidiagonal", "grid")
#: The second cue of a line: its dash and the shape of its points.
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 5", "12 5", "6 2 2 2")
#: What each pattern draws in white over the series' colour, in an 8 × 8 tile.
PATTERN_PATHS = {
    "solid": "",
    "diagonal": "M-2,2l4,-4M0,8l8,-8M6,10l4,-4",
    "dots": "M2.4,4a1.6,1.6 0 1,0 3.2,0a1.6,1.6 0 1,0 -3.2,0Z",
    "horizontal": "M0,4h8",
    "crosshatch": "M-2,2l4,-4M0,8l8,-8M6,10l4,-4M-2,6l4,4M0,0l8,8M6,-2l4,4",
    "vertical": "M4,0v8",
    "antidiagonal": "M-2,6l4,4M0,0l8,8M6,-2l4,4",
    "grid": "M0,4h8M4,0v8",
}
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "circle", "square", "triangle")
KINDS = ("bar", "stacked", "line")
#: The widest a bar (or a group of bars side by side) is drawn, in the chart's units (WIDTH).
MAX_BAR_WIDTH = 72

#: The drawing box and the room around the plot for tick labels, period labels and axis titles.
WIDTH, HEIGHT = 640, 300
AXIS_SIDE, FAR_SIDE, TOP, BOTTOM = 64, 16, 16, 60
#: About how many value ticks the axis gets, and how wide a character of a period label is.
TICK_COUNT, CHARACTER_WIDTH, MARKER_RADIUS = 5, 6.6, 5


@dataclass(frozen=True)
class Series:
    """One row of figures across the periods: ``values[i]`` belongs to the chart's ``periods[i]``.

    A value of None draws nothing (or "–" in a line chart): "no data" or "too few answers".
    ``margins`` (a line chart's error bars) are ± half-widths in the values' unit. ``texts``
    replace the formatted value in the hover text and the table (e.g. "30 ± 15.3",
    "Too few answers (n=12)"); ``titles`` replace a mark's whole hover text.
    """

    label: str
    values: Sequence[float | None]
    margins: Sequence[float | None] | None = None
    texts: Sequence[str | None] | None = None
    #: Whole hover texts, replacing "period: value" (e.g. "3 May: 40% of 12 visits").
    titles: Sequence[str | None] | None = None
    #: A colour outside the palette, e.g. grey for "not answered".
    colour: str | None = None


@dataclass
class Tick:
    value: float
    y: str
    label: str
    zero: bool


@dataclass
class PeriodLabel:
    x: str
    text: str
    full: str
    shown: bool


@dataclass
class Mark:
    """One value drawn: a bar (x, y, width, height) or a point (cx, cy, shape path, error bar)."""

    period: str
    text: str
    value: float | None
    x: str = "0"
    y: str = "0"
    width: str = "0"
    height: str = "0"
    cx: str = "0"
    cy: str = "0"
    path: str = ""
    error: dict | None = None
    missing: bool = False
    label_y: str = "0"
    #: The value alone, shown beside the mark on hover and keyboard focus.
    value_label: str = ""


@dataclass
class SeriesLayout:
    index: int
    label: str
    colour: str
    pattern: str
    dash: str
    marker: str
    marks: list[Mark]
    line: str = ""
    swatch_path: str = ""

    @property
    def pattern_path(self) -> str:
        return PATTERN_PATHS[self.pattern]


@dataclass
class ChartLayout:
    """Everything the template draws, in SVG user units (strings, never localized)."""

    id: str
    kind: str
    title: str
    description: str
    x_title: str
    y_title: str
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    y_axis_x: str
    tick_label_x: str
    tick_anchor: str
    y_title_x: str
    y_title_y: str
    x_title_x: str
    x_title_y: str
    period_label_y: str
    rtl: bool
    ticks: list[Tick]
    periods: list[PeriodLabel]
    series: list[SeriesLayout]
    #: The data table: (period, [cell per series], [extra cells]).
    rows: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    extra_headings: list[str] = field(default_factory=list)

    @property
    def legend(self) -> bool:
        return len(self.series) > 1


def number(value: float, decimals: int = 0) -> str:
    """A number as the active language writes it: its separators, and its digits; at most
    ``decimals`` decimals, none for a whole number."""
    if float(round(value, decimals)).is_integer():
        decimals = 0
    text = formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return local_digits(text)


def nice_step(span: float, count: int = TICK_COUNT) -> float:
    """The step of 1, 2, 2.5 or 5 × 10ⁿ that cuts ``span`` into about ``count`` pieces."""
    if span <= 0:
        return 1
    rough = span / count
    power = 10 ** math.floor(math.log10(rough))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= rough)


def nice_ticks(low: float, high: float, count: int = TICK_COUNT, *, whole: bool = False) -> list[float]:
    """Round tick values from a multiple of the step at or below ``low`` to one at or above ``high``.

    ``whole``: the values are counts, so no tick falls between two whole numbers (a chart of one
    view reads 0, 1, not 0, 0.2, 0.4 ...)."""
    if high < low:
        low, high = high, low
    if high == low:
        low, high = (low - 1, high + 1) if low else (0, 1)
    step = nice_step(high - low, count)
    if whole:
        step = max(1, math.ceil(step)) if step <= 2 else step
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(index * step, 10) for index in range(first, last + 1)]


def decimals_of(step: float) -> int:
    """How many decimals a tick label needs to tell ticks ``step`` apart (2.5 → 1, 0.25 → 2)."""
    for places in range(7):
        if abs(step * 10**places - round(step * 10**places)) < 1e-6:
            return places
    return 6


def _u(value: float) -> str:
    """An SVG coordinate: plain digits and a full stop whatever the language."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _shape(kind: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """The path of a point's marker: each series has its own shape, so colour is not needed."""
    if kind == "square":
        return f"M{_u(x - r)},{_u(y - r)}h{_u(2 * r)}v{_u(2 * r)}h{_u(-2 * r)}Z"
    if kind == "triangle":
        return f"M{_u(x)},{_u(y - r * 1.2)}L{_u(x + r * 1.1)},{_u(y + r * 0.8)}L{_u(x - r * 1.1)},{_u(y + r * 0.8)}Z"
    if kind == "triangle-down":
        return f"M{_u(x)},{_u(y + r * 1.2)}L{_u(x + r * 1.1)},{_u(y - r * 0.8)}L{_u(x - r * 1.1)},{_u(y - r * 0.8)}Z"
    if kind == "diamond":
        r *= 1.25
        return f"M{_u(x)},{_u(y - r)}L{_u(x + r)},{_u(y)}L{_u(x)},{_u(y + r)}L{_u(x - r)},{_u(y)}Z"
    return f"M{_u(x - r)},{_u(y)}a{_u(r)},{_u(r)} 0 1,0 {_u(2 * r)},0a{_u(r)},{_u(r)} 0 1,0 {_u(-2 * r)},0Z"


def _shorten(text: str, room: float) -> str:
    most = max(3, int(room / CHARACTER_WIDTH))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def chart(
    *,
    id: str,
    title: str,
    periods: Sequence[str],
    series: Sequence[Series],
    x_title: str,
    y_title: str,
    kind: str = "bar",
    unit: str = "",
    decimals: int = 0,
    y_range: tuple[float, float] | None = None,
    y_limits: tuple[float | None, float | None] = (None, None),
    rtl: bool = False,
    short_periods: Sequence[str] | None = None,
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
) -> ChartLayout | None:
    """Lay out a chart of ``series`` over ``periods`` (their labels, oldest first); None without periods.

    ``kind``: "bar" (one bar per series side by side), "stacked" (the series stacked in one bar)
    or "line" (points joined by a line, with error bars when the series has margins). The value
    axis always includes ``y_range`` when given and zero for bars; ``y_limits`` clips it (an NPS
    never leaves −100..100). ``unit`` follows every value ("%"); ``decimals`` is how values are
    rounded in labels. ``short_periods`` label the x axis when the full labels (hover texts, the
    table) are long. ``extra_columns`` add (heading, cell per period) to the data table only.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if not periods:
        return None
    if any(len(entry.values) != len(periods) for entry in series):
        raise ValueError("every series needs one value per period")
    count = len(periods)

    def value_text(value: float | None) -> str:
        return "–" if value is None else number(value, decimals) + unit

    # The value axis: every value (with its margin, stacked totals for stacked bars) fits.
    extremes: list[float] = [*(y_range or ())]
    if kind in ("bar", "stacked"):
        extremes.append(0)
    if kind == "stacked":
        extremes += [sum(entry.values[index] or 0 for entry in series) for index in range(count)]
    else:
        for entry in series:
            for index, value in enumerate(entry.values):
                if value is None:
                    continue
                margin = (entry.margins[index] or 0) if entry.margins else 0
                extremes += [value - margin, value + margin]
    low, high = min(extremes, default=0), max(extremes, default=0)
    floor, ceiling = y_limits
    ticks = nice_ticks(low, high, whole=decimals == 0)
    ticks = [tick for tick in ticks if (floor is None or tick >= floor) and (ceiling is None or tick <= ceiling)]
    if len(ticks) < 2:
        ticks = [floor if floor is not None else low, ceiling if ceiling is not None else high]
    bottom_value, top_value = ticks[0], ticks[-1]
    tick_decimals = decimals_of(ticks[1] - ticks[0])

    plot_left = FAR_SIDE if rtl else AXIS_SIDE
    plot_right = WIDTH - (AXIS_SIDE if rtl else FAR_SIDE)
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    plot_height = plot_bottom - plot_top
    slot = (plot_right - plot_left) / count

    def y(value: float) -> float:
        value = min(max(value, bottom_value), top_value)
        return plot_bottom - plot_height * (value - bottom_value) / (top_value - bottom_value)

    def slot_start(index: int) -> float:
        # Time runs from the start side: from the right in a right-to-left admin.
        position = count - 1 - index if rtl else index
        return plot_left + position * slot

    # Period labels: as many as fit side by side; the rest are thinned (but all are in the table).
    axis_labels = list(short_periods or periods)
    longest = max(len(label) for label in axis_labels) * CHARACTER_WIDTH + 8
    every = max(1, math.ceil(longest / slot)) if longest > slot else 1
    if every > 1 and longest > (plot_right - plot_left) / 3:
        every = 1  # long category names: shorten each instead of dropping most of them
    period_labels = [
        PeriodLabel(
            x=_u(slot_start(index) + slot / 2),
            text=_shorten(label, slot * every - 4) if every == 1 else label,
            full=periods[index],
            shown=index % every == 0,
        )
        for index, label in enumerate(axis_labels)
    ]

    one_series = len(series) == 1
    layouts = []
    # Bars keep a readable width, but one or two periods do not stretch into slabs.
    group_width = min(slot * 0.7, MAX_BAR_WIDTH * (len(series) if kind == "bar" else 1))
    bar_width = group_width / (len(series) if kind == "bar" else 1)
    group_start = (slot - group_width) / 2
    stacked = [0.0] * count
    for number_in_chart, entry in enumerate(series):
        colour = entry.colour or OKABE_ITO[number_in_chart % len(OKABE_ITO)]
        layout = SeriesLayout(
            index=number_in_chart,
            label=entry.label,
            colour=colour,
            pattern=PATTERNS[number_in_chart % len(PATTERNS)],
            dash=DASHES[number_in_chart % len(DASHES)],
            marker=MARKERS[number_in_chart % len(MARKERS)],
            marks=[],
            swatch_path=_shape(MARKERS[number_in_chart % len(MARKERS)], 12, 7, 4),
        )
        points = []
        for index, value in enumerate(entry.values):
            shown = (entry.texts[index] if entry.texts else None) or value_text(value)
            if entry.titles and entry.titles[index]:
                text = entry.titles[index]
            elif one_series:
                text = gettext("%(period)s: %(value)s") % {"period": periods[index], "value": shown}
            else:
                text = gettext("%(period)s, %(series)s: %(value)s") % {
                    "period": periods[index],
                    "series": entry.label,
                    "value": shown,
                }
            mark = Mark(period=periods[index], text=text, value=value, missing=value is None, value_label=shown)
            centre = slot_start(index) + slot / 2
            if kind == "line":
                mark.cx = _u(centre)
                if value is None:
                    mark.cy = _u(plot_bottom - 6)
                else:
                    mark.cy = _u(y(value))
                    mark.path = _shape(layout.marker, centre, y(value))
                    points.append(f"{_u(centre)},{_u(y(value))}")
                    margin = entry.margins[index] if entry.margins else None
                    if margin:
                        mark.error = {
                            "upper": _u(y(value + margin)),
                            "lower": _u(y(value - margin)),
                            "cap_start": _u(centre - 5),
                            "cap_end": _u(centre + 5),
                        }
                mark.label_y = _u(min(float(mark.cy), float(mark.error["upper"]) if mark.error else 1e9) - 9)
            else:
                if kind == "bar":
                    start = slot_start(index) + group_start
                    offset = (len(series) - 1 - number_in_chart) if rtl else number_in_chart
                    left = start + offset * bar_width
                    base = 0.0
                else:
                    left = slot_start(index) + group_start
                    base = stacked[index]
                    stacked[index] += value or 0
                top_y = y(base + (value or 0)) if (value or 0) >= 0 else y(base)
                bottom_y = y(base) if (value or 0) >= 0 else y(base + value)
                mark.x, mark.width = _u(left), _u(bar_width)
                mark.y, mark.height = _u(top_y), _u(max(bottom_y - top_y, 0))
                mark.cx = _u(left + bar_width / 2)
                mark.label_y = _u(top_y - 4)
                if kind == "stacked" and not value:
                    mark.missing = True  # nothing to draw; the value is still in the table
            layout.marks.append(mark)
        layout.line = " ".join(points)
        layouts.append(layout)

    y_axis_x = plot_right if rtl else plot_left
    rows = []
    for index, label in enumerate(periods):
        cells = [(entry.texts[index] if entry.texts else None) or value_text(entry.values[index]) for entry in series]
        rows.append((label, cells, [str(column[index]) for _heading, column in extra_columns]))
    description = "; ".join(mark.text for layout in layouts for mark in layout.marks if kind != "stacked" or mark.value)
    return ChartLayout(
        id=id,
        kind=kind,
        title=title,
        description=description,
        x_title=x_title,
        y_title=y_title,
        width=WIDTH,
        height=HEIGHT,
        plot_left=_u(plot_left),
        plot_right=_u(plot_right),
        plot_top=_u(plot_top),
        plot_bottom=_u(plot_bottom),
        y_axis_x=_u(y_axis_x),
        tick_label_x=_u(y_axis_x + 6 if rtl else y_axis_x - 6),
        tick_anchor="start" if rtl else "end",
        y_title_x=_u(WIDTH - 14 if rtl else 14),
        y_title_y=_u((plot_top + plot_bottom) / 2),
        x_title_x=_u((plot_left + plot_right) / 2),
        x_title_y=_u(HEIGHT - 10),
        period_label_y=_u(plot_bottom + 18),
        rtl=rtl,
        ticks=[
            Tick(value=value, y=_u(y(value)), label=number(value, tick_decimals) + unit, zero=value == 0)
            for value in ticks
        ],
        periods=period_labels,
        series=layouts,
        rows=rows,
        extra_headings=[heading for heading, _column in extra_columns],
    )
