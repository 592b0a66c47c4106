"""The briefing archive: what `watchfloor brief` (and the web API) keep of each briefing."""

from __future__ import annotations

from watchfloor.brief.records import Briefing
from watchfloor.brief.render.json import briefing_dict
from watchfloor.store.base import ArchivedBriefing, Store


def archived(briefing: Briefing) -> ArchivedBriefing:
    return ArchivedBriefing(
        generated_at=briefing.generated_at,
        period_start=briefing.period_start,
        period_end=briefing.period_end,
        topic=briefing.topic,
        title=briefing.title,
        headline=briefing.headline,
        document=briefing_dict(briefing),
    )


def archive_briefing(store: Store, briefing: Briefing) -> int:
    """Save the briefing in the store's archive; returns its id."""
    return store.save_briefing(archived(briefing))
