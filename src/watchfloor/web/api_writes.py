"""API writes: ingest a URL or a document, declare a source. Each needs the bearer token.

A URL is fetched by the same client as `watchfloor fetch`, with its guard against private
addresses (SSRF), its size and time caps and robots.txt; the article then takes the path of
every other input (deduplication, extraction, stories, alert rules).
"""

from __future__ import annotations

import threading
from typing import Annotated

import feedparser
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import JSONResponse

from watchfloor.analyze.alerts import evaluate_alerts
from watchfloor.analyze.stories import update_stories
from watchfloor.config import Settings
from watchfloor.ingest.fetch import Fetcher, FetchOptions
from watchfloor.ingest.poll import NO_PATH, entry_article
from watchfloor.ingest.readers.fields import FieldError, build_article
from watchfloor.ingest.sources import add_sources
from watchfloor.ingest.urls import canonical_url
from watchfloor.model import Article, Reject
from watchfloor.pipeline import ingest_articles
from watchfloor.store.base import Store
from watchfloor.web import deps
from watchfloor.web.api_models import (
    ErrorOut,
    IngestRequest,
    IngestResult,
    RejectedInput,
    SourceAdded,
    SourceOut,
    SourceRequest,
)
from watchfloor.web.security import require_write_token

router = APIRouter(dependencies=[Depends(require_write_token)])

StoreDep = Annotated[Store, Depends(deps.store)]
SettingsDep = Annotated[Settings, Depends(deps.settings)]
WRITE_ERRORS = {
    400: {"model": ErrorOut, "description": "The request makes no sense (says why)."},
    401: {"model": ErrorOut, "description": "The bearer token is missing or wrong."},
    403: {"model": ErrorOut, "description": "No API token is configured: writes are disabled."},
    413: {"model": ErrorOut, "description": "The body is larger than max_request_bytes."},
}
NO_ENTRY = feedparser.FeedParserDict()
# One intake at a time: a spaCy pipeline is not safe to share between threads, and the
# store's writers would only queue for its lock anyway.
_intake = threading.Lock()


def _document(body: IngestRequest) -> Article:
    if not body.url:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "a document needs its url: the address it is known by (never stored twice)",
        )
    fields = body.model_dump()
    try:
        return build_article(fields, NO_PATH)
    except FieldError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


def _fetched(url: str, settings: Settings) -> Article | Reject:
    with Fetcher(FetchOptions.from_settings(settings)) as fetcher:
        # The page is read as a feed entry's page is, with no feed fields to fill gaps.
        item, _transient = entry_article(fetcher, canonical_url(url), NO_ENTRY, "")
    return item


def _rejected(rejects: list[Reject]) -> list[RejectedInput]:
    return [RejectedInput(source=r.source, reason=r.reason, detail=r.detail) for r in rejects]


@router.post(
    "/ingest",
    response_model=IngestResult,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Already stored: nothing added.", "model": IngestResult},
        422: {"description": "The input could not be ingested (see rejects)."},
        **WRITE_ERRORS,
    },
)
def ingest(body: IngestRequest, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Ingest one article: `{"url": ...}` fetches the page; `{"url", "title", "text", ...}`
    stores that document under its URL. New articles are extracted, join stories and are
    checked against the alert rules, as after `watchfloor ingest`."""
    if body.text is not None or body.title is not None:
        item: Article | Reject = _document(body)
    elif body.url:
        item = _fetched(body.url, settings)
    else:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "give a url to fetch, or a title and text"
        )
    if isinstance(item, Reject):
        store.add_rejects([item])
        result = IngestResult(
            added=[],
            duplicate_of=[],
            near_duplicates=0,
            rejects=_rejected([item]),
            stories_placed=0,
            alerts_fired=0,
        )
        return JSONResponse(result.model_dump(mode="json"), status.HTTP_422_UNPROCESSABLE_CONTENT)
    with _intake:
        report = ingest_articles([item], store, settings)
        placed = update_stories(store, settings).placed if report.added else 0
        fired = evaluate_alerts(store, settings) if report.added else []
    duplicate = store.find_duplicate(item) if report.duplicates else None
    result = IngestResult(
        added=[item.id] if report.added else [],
        duplicate_of=[duplicate] if duplicate else [],
        near_duplicates=report.near_duplicates,
        rejects=_rejected(report.rejects),
        stories_placed=placed,
        alerts_fired=len(fired),
    )
    if report.added:
        code = status.HTTP_201_CREATED
    elif report.rejects:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
    else:
        code = status.HTTP_200_OK
    return JSONResponse(result.model_dump(mode="json"), code)


@router.post(
    "/sources",
    response_model=SourceAdded,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Declared before: nothing added.", "model": SourceAdded},
        422: {"description": "Not a feed or a page, or it could not be fetched."},
        **WRITE_ERRORS,
    },
)
def add_source(body: SourceRequest, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Declare a feed or page for `watchfloor fetch` and `watch` to poll. Without `kind` the
    URL is fetched once to learn whether it is a feed or a page."""
    outcome = add_sources(store, body.url, settings, kind=body.kind)
    result = SourceAdded(
        added=[SourceOut.model_validate(s) for s in outcome.added], already=outcome.already
    )
    code = status.HTTP_201_CREATED if outcome.added else status.HTTP_200_OK
    return JSONResponse(result.model_dump(mode="json"), code)
