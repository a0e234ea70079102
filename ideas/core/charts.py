"""Server-side SVG charts (pygal), inlined in pages: no script, so they work under the
site's Content-Security-Policy and without JavaScript. Every chart is shown next to a
table of its numbers (the templates do that), for screen readers and for exact values.

Counts over time (an idea's votes, a challenge's participation): `periods()` and
`bucket()` are pure and turn rows of (day, count) into one value per day, week or month
between two dates, so a chart and its table show the same numbers, and nothing depends
on how many rows there were; `line_chart` and `bar_chart` draw them, memoized by their
values as the list rows are (the same numbers, the same SVG, without pygal's 15 ms again).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import pygal
from babel.dates import format_skeleton
from flask_babel import gettext
from markupsafe import Markup
from pygal.style import Style

from ideas.core.i18n import locale_code

_STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#212529",
    foreground_strong="#212529", foreground_subtle="#565e64", opacity=".85", opacity_hover=".95",
    # the brand's indigo first, then rose, teal and amber (static/css/app.css); every
    # colour at least 4.5:1 on white, so bars and lines stand out as well as text would
    colors=("#4338ca", "#e11d48", "#0f766e", "#b45309", "#6f42c1", "#0369a1", "#4d7c0f", "#334155"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13, major_label_font_size=13, value_font_size=12, legend_font_size=13,
    title_font_size=15,
)


def _config(**kw) -> dict:
    return {"style": _STYLE, "js": [], "disable_xml_declaration": True, "explicit_size": False,
            "height": 300, "width": 640, "print_values": False, "show_y_guides": True, "margin": 12,
            **kw}


# pygal always writes a <script> with its tooltip configuration (blocked by the CSP,
# and pointless without its JavaScript) and generator comments: both are dropped.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<!--.*?-->", re.S)


def _render(chart, label: str) -> Markup:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # A label for assistive technology; the numbers are in the table beside the chart.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" ', 1)
    return Markup(svg)


def distribution(label: str, values: Sequence[int], counts: Sequence[int]) -> Markup:
    """A bar per rating value, its height the number of answers with that value."""
    chart = pygal.Bar(**_config(show_legend=False, print_values=True, height=240, y_title="",
                                min_scale=1, max_scale=6))
    chart.x_labels = [str(v) for v in values]
    chart.add(label, list(counts))
    return _render(chart, label)


def progress(label: str, x_labels: Sequence[str], series: dict[str, Sequence[float | None]],
             low: float, high: float) -> Markup:
    """One line per series (a criterion) across the x labels (the iterations), on a
    fixed range so that progress reads the same from one chart to the next."""
    chart = pygal.Line(**_config(range=(low, high), dots_size=5, legend_at_bottom=True,
                                 legend_at_bottom_columns=1, truncate_legend=-1, height=360,
                                 allow_interruptions=True))
    chart.x_labels = list(x_labels)
    for name, points in series.items():
        chart.add(name, list(points))
    return _render(chart, label)


# -- counts over time ------------------------------------------------------------

MAX_PERIODS = 40  # a chart never has more points than this, however long the span


@dataclass(frozen=True)
class Period:
    start: date  # first day of the period
    unit: str  # "day", "week" (starting on Monday) or "month"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next(period_start: date, unit: str) -> date:
    if unit == "day":
        return period_start + timedelta(days=1)
    if unit == "week":
        return period_start + timedelta(days=7)
    year, month = divmod(period_start.month, 12)
    return date(period_start.year + year, month + 1, 1)


def _start_of(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return _month_start(day)


def periods(first: date, last: date, unit: str | None = None) -> list[Period]:
    """The periods from the one holding `first` to the one holding `last`: days when
    they fit in MAX_PERIODS, else weeks, else months (or the `unit` asked for, as long
    as it fits; a longer span falls back to the next larger unit)."""
    if last < first:
        last = first
    units = ("day", "week", "month")
    for candidate in units[units.index(unit):] if unit else units:
        start, end = _start_of(first, candidate), _start_of(last, candidate)
        out = []
        while start <= end and len(out) <= MAX_PERIODS:
            out.append(Period(start, candidate))
            start = _next(start, candidate)
        if len(out) <= MAX_PERIODS or candidate == "month":
            return out[-MAX_PERIODS:]
    raise AssertionError("unreachable")


def as_date(value) -> date:
    """A day from the database: a date (PostgreSQL) or an ISO string (SQLite)."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def bucket(rows, spans: list[Period]) -> list[int]:
    """Sum (day, count) rows into `spans`; days before the first period count in it,
    days after the last in the last (so every row is counted once)."""
    totals = [0] * len(spans)
    if not spans:
        return totals
    starts = [p.start for p in spans]
    for day, count in rows:
        day = as_date(day)
        index = 0
        for k, start in enumerate(starts):
            if day >= start:
                index = k
            else:
                break
        totals[index] += int(count)
    return totals


def running(values: list[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


def label(period: Period) -> str:
    """A period's name in the reader's language: "Nov 23", or "Nov 2026" for months."""
    return _label(period.start, period.unit, locale_code())


@lru_cache(maxsize=4096)
def _label(start: date, unit: str, locale: str) -> str:
    # Babel's skeleton matching costs 0.3 ms a call; a pure function of its arguments.
    return format_skeleton("yMMM" if unit == "month" else "MMMd", start, locale=locale)


def _over_time(kind, labels: tuple[str, ...], height: int):
    chart = kind(**_config(height=height, legend_at_bottom=True, legend_box_size=10, margin=8,
                           x_label_rotation=0 if len(labels) <= 8 else 35, show_minor_x_labels=False,
                           min_scale=2, max_scale=6))
    chart.x_labels = labels
    # a label on every few points only, so long spans stay readable
    chart.x_labels_major = list(labels[::max(1, len(labels) // 8)])
    return chart


@lru_cache(maxsize=256)
def line_chart(label: str, labels: tuple[str, ...], series: tuple[tuple[str, tuple[int, ...]], ...],
               height: int = 280) -> Markup:
    """Lines of `series` ((name, values), ...) over `labels` (periods), as SVG."""
    chart = _over_time(pygal.Line, labels, height)
    chart.fill = False
    chart.dots_size = 2.5
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, label)


@lru_cache(maxsize=256)
def bar_chart(label: str, labels: tuple[str, ...], series: tuple[tuple[str, tuple[int, ...]], ...],
              height: int = 280) -> Markup:
    """Grouped bars of `series` ((name, values), ...) over `labels` (periods), as SVG."""
    chart = _over_time(pygal.Bar, labels, height)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, label)


def unit_name(unit: str) -> str:
    """"day", "week" or "month" in the reader's language (for sentences)."""
    return {"day": gettext("day"), "week": gettext("week"), "month": gettext("month")}.get(unit, unit)


def unit_heading(unit: str) -> str:
    """The heading of a table's period column."""
    return {"day": gettext("Day"), "week": gettext("Week of"), "month": gettext("Month")}.get(unit, unit)
