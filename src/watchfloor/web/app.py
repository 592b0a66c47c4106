"""The FastAPI application: JSON API under /api, dashboard pages at /, assets at /static."""

from __future__ import annotations

from importlib import metadata

from fastapi import Depends, FastAPI, Request, status
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.web import api, api_briefings, api_writes
from watchfloor.web.api_models import ErrorOut
from watchfloor.web.pages import STATIC_DIR
from watchfloor.web.pages import router as pages_router
from watchfloor.web.security import SecurityHeaders, require_read_token

API_DESCRIPTION = """The store of a Watchfloor instance: articles and the facts read from them,
stories, events (also as GeoJSON and CSV), quotes, indicators, alerts, briefings (also as Atom),
full-text search, entities, sources and rejects.

Reads are open unless the `api_read_token_required` setting is on; writes always need
`Authorization: Bearer <token>` with the `api_token` setting, and are refused while no token
is configured. Periods are days: `since` and `until` (YYYY-MM-DD) are both included."""


READ_TOKEN_ERRORS: dict[int | str, dict] = {
    401: {"model": ErrorOut, "description": "The bearer token is missing or wrong."},
    403: {"model": ErrorOut, "description": "Reads need a token, but none is configured."},
}


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="Watchfloor",
        version=metadata.version("watchfloor"),
        description=API_DESCRIPTION,
        openapi_url="/api/openapi.json",
        # The interactive docs load their script from a CDN: nothing here may (offline, CSP).
        docs_url=None,
        redoc_url=None,
        max_body_size=settings.max_request_bytes,  # larger bodies get 413 unread
    )
    app.state.settings = settings
    # Reads take the token check (and say so in the schema) only when the settings want it.
    guarded = settings.api_read_token_required
    reads = {
        "prefix": "/api",
        "dependencies": [Depends(require_read_token)] if guarded else [],
        "responses": READ_TOKEN_ERRORS if guarded else {},
    }
    app.include_router(api.router, tags=["read"], **reads)
    app.include_router(api_briefings.router, tags=["briefings"], **reads)
    # The feed also at the address it names as its own (beside the /briefings pages).
    app.add_api_route(
        "/briefings.atom",
        api_briefings.briefings_atom,
        dependencies=reads["dependencies"],
        include_in_schema=False,
    )
    app.include_router(api_briefings.write_router, prefix="/api", tags=["briefings"])
    app.include_router(api_writes.router, prefix="/api", tags=["write"])
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(WatchfloorError, _refused_input)
    # Outermost: every response, errors included, carries the security headers.
    app.add_middleware(SecurityHeaders)
    return app


async def _refused_input(request: Request, exc: Exception) -> JSONResponse:
    """Our errors name what was wrong with the request (a theatre that is no country, a
    search with no words, a period without articles): the client's to fix."""
    return JSONResponse({"detail": str(exc)}, status.HTTP_400_BAD_REQUEST)
