from __future__ import annotations

import pytest

from tests.brief.corpus import sample_corpus


@pytest.fixture
def sample_store(store):
    """The store fixture holding the hand-built sample corpus."""
    store.add(builder.build() for builder in sample_corpus())
    return store
