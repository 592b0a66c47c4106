"""Briefings: compose a cited situation report from the store and render it.

briefing = compose_briefing(store, since=date(2025, 6, 1), until=date(2025, 6, 20))
text = render(briefing, "md")  # or "html", "json"
"""

from watchfloor.brief.compose import compose_briefing
from watchfloor.brief.records import Briefing
from watchfloor.brief.render import FORMATS, render

__all__ = ["FORMATS", "Briefing", "compose_briefing", "render"]
