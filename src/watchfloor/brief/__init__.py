"""Briefings: compose a cited situation report from the store, render it, archive it.

briefing = compose_briefing(store, since=date(2025, 6, 1), until=date(2025, 6, 20))
text = render(briefing, "md")  # or "html", "json"
briefing_id = archive_briefing(store, briefing)
feed = render_atom(store.briefings(20), "https://watchfloor.example")
"""

from watchfloor.brief.archive import archive_briefing
from watchfloor.brief.compose import compose_briefing
from watchfloor.brief.records import Briefing
from watchfloor.brief.render import FORMATS, briefing_from_dict, render, render_atom

__all__ = [
    "FORMATS",
    "Briefing",
    "archive_briefing",
    "briefing_from_dict",
    "compose_briefing",
    "render",
    "render_atom",
]
