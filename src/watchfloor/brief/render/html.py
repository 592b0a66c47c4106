"""HTML rendering: one self-contained page from a Jinja2 template with autoescaping on."""

from __future__ import annotations

from functools import cache

import jinja2

from watchfloor.brief.records import Briefing
from watchfloor.brief.render.layout import timeline
from watchfloor.brief.text import capitalised, format_day, format_period, is_web_url, split_end

TEMPLATE = "briefing.html.j2"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("watchfloor.brief", "templates"),
        autoescape=True,  # every string is escaped unless marked safe; we mark none
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(
        capitalised=capitalised,
        format_day=format_day,
        is_web_url=is_web_url,
        split_end=split_end,
        timeline=timeline,
    )
    return env


def render_html(briefing: Briefing) -> str:
    template = _environment().get_template(TEMPLATE)
    return template.render(
        briefing=briefing, period=format_period(briefing.period_start, briefing.period_end)
    )
