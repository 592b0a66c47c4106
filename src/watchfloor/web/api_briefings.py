"""Briefings over the API: the archive (list, one briefing in any format, an Atom feed) and
generating one, which is a write and needs the token."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response

from watchfloor.brief import archive_briefing, briefing_from_dict, compose_briefing, render
from watchfloor.brief.render import render_atom
from watchfloor.config import Settings
from watchfloor.store.base import Store
from watchfloor.web import deps
from watchfloor.web.api_models import (
    BriefingList,
    BriefingOut,
    BriefingRequest,
    BriefingSummary,
    ErrorOut,
)
from watchfloor.web.api_writes import WRITE_ERRORS
from watchfloor.web.security import require_write_token

router = APIRouter()  # reads
write_router = APIRouter(dependencies=[Depends(require_write_token)])

StoreDep = Annotated[Store, Depends(deps.store)]
SettingsDep = Annotated[Settings, Depends(deps.settings)]
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@router.get("/briefings", response_model=BriefingList)
def list_briefings(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 20
) -> BriefingList:
    """Archived briefings, newest first."""
    return BriefingList(
        briefings=[BriefingSummary.model_validate(b) for b in store.briefings(limit)]
    )


@router.get(
    "/briefings.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "Atom 1.0."}},
)
def briefings_atom(
    request: Request, store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 20
) -> Response:
    """The archived briefings as an Atom feed; entries link to the briefing pages."""
    feed = render_atom(store.briefings(limit), str(request.base_url))
    return Response(feed, media_type="application/atom+xml; charset=utf-8")


@router.get(
    "/briefings/{briefing_id}",
    response_model=BriefingOut,
    responses={
        200: {"content": {"text/markdown": {}, "text/html": {}}},
        404: {"model": ErrorOut, "description": "No such briefing."},
    },
)
def get_briefing(
    briefing_id: int,
    store: StoreDep,
    fmt: Annotated[Literal["json", "md", "html"], Query(alias="format")] = "json",
) -> BriefingOut | Response:
    """One archived briefing: JSON with its document, or rendered as Markdown or HTML."""
    found = store.briefing(briefing_id)
    if found is None:
        raise HTTPException(404, f"no briefing {briefing_id}")
    if fmt == "json":
        return BriefingOut.model_validate(found)
    text = render(briefing_from_dict(found.document), fmt)
    return Response(text, media_type=MEDIA_TYPES[fmt])


@write_router.post(
    "/briefings",
    response_model=BriefingOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def generate_briefing(body: BriefingRequest, store: StoreDep, settings: SettingsDep) -> BriefingOut:
    """Compose a briefing on the articles published from `since` through `until` (matching
    `topic` when given) and archive it. 400 when no article matches."""
    briefing = compose_briefing(
        store,
        since=body.since,
        until=body.until,
        topic=body.topic or None,
        preparedness_path=settings.preparedness or None,
        taxonomy_path=settings.taxonomy or None,
    )
    found = store.briefing(archive_briefing(store, briefing))
    return BriefingOut.model_validate(found)
