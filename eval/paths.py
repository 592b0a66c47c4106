"""Where the shared reference data lives: ``../shared`` beside the repository, or
$WATCHFLOOR_SHARED. It is read-only and never copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    return Path(os.environ.get("WATCHFLOOR_SHARED") or REPO.parent / "shared")


def feed_fixtures_dir() -> Path:
    return shared_dir() / "corpus" / "fixtures_feeds"


def html_fixtures_dir() -> Path:
    return shared_dir() / "corpus" / "fixtures_html"


def allsides_dir() -> Path:
    return shared_dir() / "corpus" / "allsides_bias_37k_scale"
