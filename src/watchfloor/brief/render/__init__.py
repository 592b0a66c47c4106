"""Render a briefing as Markdown, HTML or JSON; archived briefings as an Atom feed."""

from __future__ import annotations

from collections.abc import Callable

from watchfloor.brief.records import Briefing
from watchfloor.brief.render.atom import render_atom
from watchfloor.brief.render.html import render_html
from watchfloor.brief.render.json import briefing_dict, briefing_from_dict, render_json
from watchfloor.brief.render.markdown import render_markdown
from watchfloor.errors import WatchfloorError

RENDERERS: dict[str, Callable[[Briefing], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
}
FORMATS = tuple(RENDERERS)

__all__ = [
    "FORMATS",
    "briefing_dict",
    "briefing_from_dict",
    "render",
    "render_atom",
]


def render(briefing: Briefing, fmt: str) -> str:
    """The briefing as text in ``fmt``: one of md, html, json."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise WatchfloorError(
            f"unknown briefing format {fmt!r}; choose one of {', '.join(FORMATS)}"
        ) from None
    return renderer(briefing)
