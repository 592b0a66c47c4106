"""Indicators as a text table, JSON, CSV, and a plot (HTML with plotly, PNG with matplotlib)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from watchfloor.analyze.indicators import Evidence, Indicator, Measure
from watchfloor.analyze.theatres import theatre_name
from watchfloor.errors import WatchfloorError

TABLE_MEASURES = ("events", "strikes", "killed", "injured", "nuclear", "tone")
PLOT_PANELS = ("escalation", "strikes", "casualties", "events")
PLOT_THEATRES = 8  # the theatres with the highest escalation index are drawn
MARKED_DAYS = 62  # longer plots draw lines without a marker per day


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def render_table(series: list[Indicator]) -> str:
    """One line per theatre-day: the measures, the escalation index and what drove it."""
    header = ["theatre", "day", *TABLE_MEASURES, "escalation", "drivers"]
    rows = [header]
    for ind in series:
        drivers = ", ".join(f"{d.measure} +{d.contribution:.1f}" for d in ind.drivers)
        values = [_fmt(ind.measures[name].value) for name in TABLE_MEASURES]
        rows.append([ind.theatre, ind.day.isoformat(), *values, f"{ind.escalation:.1f}", drivers])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def evidence_dict(e: Evidence) -> dict[str, Any]:
    return {
        "article_id": e.article_id,
        "title": e.title,
        "outlet": e.outlet,
        "url": e.url,
        "published": e.published.isoformat() if e.published else None,
        "sentence_index": e.sentence_index,
        "sentence": e.sentence,
    }


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "value": m.value,
        "baseline": m.baseline,
        "spread": m.spread,
        "anomaly": None if m.anomaly is None else round(m.anomaly, 3),
        "outlets": m.outlets,
        "articles": m.articles,
        "evidence": [evidence_dict(e) for e in m.evidence],
    }


def indicator_dict(ind: Indicator) -> dict[str, Any]:
    return {
        "theatre": ind.theatre,
        "theatre_name": theatre_name(ind.theatre),
        "day": ind.day.isoformat(),
        "escalation": ind.escalation,
        "drivers": [{"measure": d.measure, "contribution": d.contribution} for d in ind.drivers],
        "explanation": ind.explain(),
        "measures": {name: _measure(m) for name, m in ind.measures.items()},
        "categories": {name: _measure(m) for name, m in ind.categories.items()},
    }


def render_json(series: list[Indicator]) -> str:
    return json.dumps([indicator_dict(i) for i in series], ensure_ascii=False, indent=2) + "\n"


CSV_FIELDS = (
    "theatre", "day", "measure", "category", "value", "baseline", "spread", "anomaly",
    "outlets", "articles",
)  # fmt: skip


def render_csv(series: list[Indicator]) -> str:
    """Long format: one row per theatre, day and measure (category rows count reports of one
    taxonomy category; the escalation row's value is the index)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)

    def row(ind: Indicator, measure: str, category: str, m: Measure) -> list[Any]:
        anomaly = None if m.anomaly is None else round(m.anomaly, 3)
        cells = [m.value, m.baseline, m.spread, anomaly, len(m.outlets), m.articles]
        return [ind.theatre, ind.day.isoformat(), measure, category] + [
            "" if c is None else c for c in cells
        ]

    for ind in series:
        for name, m in ind.measures.items():
            writer.writerow(row(ind, name, "any", m))
        for category, m in ind.categories.items():
            writer.writerow(row(ind, "events", category, m))
        writer.writerow([ind.theatre, ind.day.isoformat(), "escalation", "any", ind.escalation])
    return out.getvalue()


# -- plots ---------------------------------------------------------------------------------


def _panel_value(ind: Indicator, panel: str) -> float:
    if panel == "escalation":
        return ind.escalation
    return ind.measures[panel].value or 0.0


def plot_data(series: list[Indicator]) -> tuple[list[date], dict[str, dict[str, list[float]]]]:
    """Days from the first to the last, and per theatre (highest escalation first) per panel
    the daily values; days without reports are zero."""
    if not series:
        raise WatchfloorError("no indicators to plot: the store has no dated events in range")
    first, last = min(i.day for i in series), max(i.day for i in series)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    peak: dict[str, float] = {}
    for ind in series:
        peak[ind.theatre] = max(peak.get(ind.theatre, 0.0), ind.escalation)
    theatres = sorted(peak, key=lambda t: (-peak[t], t))[:PLOT_THEATRES]
    lines = {t: {p: [0.0] * len(days) for p in PLOT_PANELS} for t in theatres}
    for ind in series:
        if ind.theatre in lines:
            for panel in PLOT_PANELS:
                lines[ind.theatre][panel][(ind.day - first).days] = _panel_value(ind, panel)
    return days, lines


def plot_indicators(series: list[Indicator], path: str | Path) -> Path:
    """Write the escalation index, strikes, casualties and reports per theatre to ``path``:
    ``.html`` (interactive, plotly's script inlined so it opens offline) or ``.png``."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".html", ".png"):
        raise WatchfloorError(f"{target}: a plot is written as .html or .png")
    days, lines = plot_data(series)
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        _plot_html(days, lines, target)
    else:
        _plot_png(days, lines, target)
    return target


def _plot_html(days: list[date], lines: dict[str, dict[str, list[float]]], target: Path) -> None:
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=len(PLOT_PANELS), cols=1, shared_xaxes=True, subplot_titles=PLOT_PANELS
    )
    for n, theatre in enumerate(lines):
        for row, panel in enumerate(PLOT_PANELS, start=1):
            fig.add_scatter(
                x=days,
                y=lines[theatre][panel],
                name=theatre,
                legendgroup=theatre,
                showlegend=row == 1,
                mode="lines+markers" if len(days) <= MARKED_DAYS else "lines",
                line={"color": _COLOURS[n % len(_COLOURS)]},
                row=row,
                col=1,
            )
    fig.update_layout(title="Watchfloor indicators", height=250 * len(PLOT_PANELS))
    fig.write_html(target, include_plotlyjs=True, full_html=True)


def _plot_png(days: list[date], lines: dict[str, dict[str, list[float]]], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: render to a file only
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(PLOT_PANELS), 1, sharex=True, figsize=(10, 2.5 * len(PLOT_PANELS)))
    for n, theatre in enumerate(lines):
        for ax, panel in zip(axes, PLOT_PANELS, strict=True):
            ax.plot(
                days,
                lines[theatre][panel],
                marker="o" if len(days) <= MARKED_DAYS else None,
                markersize=3,
                label=theatre,
                color=_COLOURS[n % len(_COLOURS)],
            )
    for ax, panel in zip(axes, PLOT_PANELS, strict=True):
        ax.set_title(panel, loc="left", fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper left", ncol=4, fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(target, dpi=100)
    plt.close(fig)


# Colour-blind-safe palette (Okabe-Ito), one colour per theatre.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
