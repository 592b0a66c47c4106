"""The spaCy pipeline loads once per test session; ``extract`` runs it over one text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from watchfloor.config import Settings
from watchfloor.model import Article, ArticleFacts

# Wednesday morning in Kyiv: "on Tuesday" is 2025-06-17, "last week" is 2025-W24.
PUBLISHED = datetime(2025, 6, 18, 9, 0, tzinfo=timezone(timedelta(hours=3)))


def article(text: str, url: str = "https://wire.example/a", published=PUBLISHED) -> Article:
    return Article(
        url=url, title="", text=text, source="Wire", published=published, fetched_at=PUBLISHED
    )


@pytest.fixture(scope="session")
def nlp():
    from watchfloor.extract import load_pipeline

    return load_pipeline(Settings())


@pytest.fixture(scope="session")
def extract(nlp) -> Callable[..., ArticleFacts]:
    from watchfloor.extract import extract_facts

    def run(text: str, published: datetime | None = PUBLISHED) -> ArticleFacts:
        return next(extract_facts(nlp, [article(text, published=published)]))

    return run
