"""The FastAPI application: JSON API under /api, dashboard pages at /."""

from __future__ import annotations

from importlib import metadata

from fastapi import FastAPI

from watchfloor.config import Settings


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="Watchfloor", version=metadata.version("watchfloor"))
    app.state.settings = settings
    return app
