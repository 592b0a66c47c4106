"""Extraction: spaCy plus our components turn article text into source-linked facts.

``load_pipeline`` and ``extract_facts`` import spaCy on first use, so reading the taxonomy (as
briefings do) stays cheap.
"""

from __future__ import annotations

from typing import Any

from watchfloor.extract.taxonomy import TaxonomyEntry, load_taxonomy

__all__ = ["TaxonomyEntry", "extract_facts", "load_pipeline", "load_taxonomy"]


def __getattr__(name: str) -> Any:
    if name in ("extract_facts", "load_pipeline"):
        from watchfloor.extract import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
