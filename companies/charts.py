"""Charts drawn by the server as inline SVG: no script, no CDN. Each chart has a title
for screen readers, and the page shows the same figures in a table."""

import math
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

PLANNED = "#8fb8c9"
VALIDATED = "#1b5e7a"


def _nice_max(value: float, steps: int = 4) -> float:
    """The smallest round top (``steps`` ticks of 1, 2, 2.5 or 5 × 10ⁿ) above ``value``,
    so that every tick reads as a round number."""
    if value <= 0:
        return float(steps)
    magnitude = 10 ** math.floor(math.log10(value / steps))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * steps >= value:
            return max(float(step * steps), float(steps))
    return float(10 * magnitude * steps)


def monthly_bars(rows: list[dict], *, title: str, planned_label: str, validated_label: str):
    """Grouped bars per month: hours planned and hours validated."""
    width, height, left, bottom, top = 640, 260, 44, 36, 28
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = _nice_max(
        max([float(r["planned"]) for r in rows] + [float(r["validated"]) for r in rows] + [0])
    )
    slot = plot_w / max(len(rows), 1)
    bar = max(min(slot / 2.6, 22), 2)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="chart__grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart__tick">'
            f"{number_format(value, 0)}</text>"
        )
    for i, row in enumerate(rows):
        x = left + slot * i + (slot - 2 * bar) / 2
        for j, (key, colour) in enumerate((("planned", PLANNED), ("validated", VALIDATED))):
            h = plot_h * float(row[key]) / peak
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        label = date_format(row["month"], "M")
        parts.append(
            f'<text x="{left + slot * i + slot / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" class="chart__tick">{escape(label)}</text>'
        )
    legend_y = 14
    for j, (label, colour) in enumerate(((planned_label, PLANNED), (validated_label, VALIDATED))):
        x = left + j * 180
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{legend_y}" class="chart__legend">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def horizontal_bars(items: list[tuple[str, Decimal]], *, title: str, limit: int = 8):
    """One bar per label (the largest first), its label above it on the chart's whole
    width (long names are not cut short), its value at the end of the bar."""
    items = items[:limit]
    row_h, width, value_w = 46, 440, 56
    height = row_h * max(len(items), 1) + 4
    peak = max([float(v) for _k, v in items] + [1.0])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = 2 + i * row_h
        w = max((width - value_w) * float(value) / peak, 1.0)
        short = label if len(label) <= 58 else label[:57] + "…"
        parts.append(
            f'<text x="0" y="{y + 14}" class="chart__label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="0" y="{y + 20}" width="{w:.1f}" height="{row_h - 28}" '
            f'fill="{VALIDATED}"/>'
            f'<text x="{w + 6:.1f}" y="{y + 33}" class="chart__tick">'
            f"{number_format(value, 1)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
