"""HTML rendering: one self-contained page from a Jinja2 template with autoescaping on, with
inline SVG charts (render/charts.py) and no scripts or external assets."""

from __future__ import annotations

from functools import cache

import jinja2

from watchfloor.brief.records import Briefing
from watchfloor.brief.render.charts import day_anchor, sparkline, timeline_chart
from watchfloor.brief.render.layout import NOTE_LABELS, story_span, timeline
from watchfloor.brief.text import (
    capitalised,
    counted,
    format_day,
    format_period,
    is_web_url,
    split_end,
)

TEMPLATE = "briefing.html.j2"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("watchfloor.brief", "templates"),
        autoescape=True,  # every string is escaped unless marked safe; only our SVG is
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(
        capitalised=capitalised,
        counted=counted,
        day_anchor=day_anchor,
        format_day=format_day,
        is_web_url=is_web_url,
        note_labels=NOTE_LABELS,
        sparkline=sparkline,
        split_end=split_end,
        story_span=story_span,
        timeline=timeline,
        timeline_chart=timeline_chart,
    )
    return env


def render_html(briefing: Briefing) -> str:
    template = _environment().get_template(TEMPLATE)
    return template.render(
        briefing=briefing, period=format_period(briefing.period_start, briefing.period_end)
    )
