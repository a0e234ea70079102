"""Server-side SVG charts (pygal), inlined in pages: no script, so they work under the
site's Content-Security-Policy and without JavaScript. Every chart is shown next to a
table of its numbers (the templates do that), for screen readers and for exact values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

_STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#212529",
    foreground_strong="#212529", foreground_subtle="#6c757d", opacity=".85", opacity_hover=".95",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#dc3545", "#0dcaf0"),
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
