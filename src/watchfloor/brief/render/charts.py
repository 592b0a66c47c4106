"""Inline SVG for the HTML page: the timeline chart and the indicator sparklines. Drawn here,
not by a charting library, so the page stays one file without scripts; every text is escaped."""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

from watchfloor.brief.records import Bullet, TrendItem
from watchfloor.brief.text import counted, format_day

CHART_WIDTH = 680
CHART_HEIGHT = 120
AXIS = 18  # pixels under the bars for the day labels
SPARK_WIDTH = 120
SPARK_HEIGHT = 28


def day_anchor(day: date) -> str:
    return f"day-{day.isoformat()}"


def timeline_chart(bullets: list[Bullet]) -> Markup:
    """One bar per day of the timeline, as high as the number of articles naming the day,
    each linking to the day's entries; the days between are drawn as empty slots."""
    counts: dict[date, int] = {}
    for b in bullets:
        if b.date is not None:
            counts[b.date] = max(counts.get(b.date, 0), b.articles or 0)
    if not counts:
        return Markup("")
    first, last = min(counts), max(counts)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    slot = CHART_WIDTH / len(days)
    top = max(counts.values()) or 1
    usable = CHART_HEIGHT - AXIS - 4
    parts = [
        f'<svg class="timeline-chart" role="img" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'width="100%" aria-label="Articles naming each day of the timeline">'
    ]
    for n, day in enumerate(days):
        if day not in counts:
            continue
        height = max(2.0, counts[day] / top * usable)
        x = n * slot + slot * 0.15
        label = f"{format_day(day)}: {counted(counts[day], 'article')} naming the day"
        parts.append(
            f'<a href="#{day_anchor(day)}"><title>{escape(label)}</title>'
            f'<rect x="{x:.1f}" y="{CHART_HEIGHT - AXIS - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" class="bar"/></a>'
        )
    ends = [(first, 0, "start")] + ([(last, CHART_WIDTH, "end")] if last != first else [])
    for day, x, anchor in ends:
        parts.append(
            f'<text x="{x}" y="{CHART_HEIGHT - 4}" text-anchor="{anchor}">'
            f"{escape(format_day(day))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(trend: TrendItem) -> Markup:
    """The measure over the period as a line, its peak marked, its baseline dashed."""
    values = trend.values
    top = max([*values, trend.baseline or 0.0]) or 1.0
    step = SPARK_WIDTH / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return SPARK_HEIGHT - 2 - value / top * (SPARK_HEIGHT - 4)

    points = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    peak = values.index(max(values))
    label = (
        f"{trend.measure} in {trend.theatre_name}, {format_day(trend.days[0])} to "
        f"{format_day(trend.days[-1])}: " + ", ".join(f"{v:g}" for v in values)
    )
    baseline = (
        f'<line x1="0" x2="{SPARK_WIDTH}" y1="{y(trend.baseline):.1f}" '
        f'y2="{y(trend.baseline):.1f}" class="baseline"/>'
        if trend.baseline is not None
        else ""
    )
    return Markup(
        f'<svg class="sparkline" role="img" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}"><title>{escape(label)}</title>'
        f'{baseline}<polyline points="{points}"/>'
        f'<circle cx="{peak * step:.1f}" cy="{y(values[peak]):.1f}" r="2.5"/></svg>'
    )
