"""Language of an article's text, by py3langid (its model ships with the package)."""

from __future__ import annotations

import py3langid

# The first few thousand characters decide; the rest only costs time.
SAMPLE_CHARS = 3000


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (e.g. "en", "de")."""
    language, _score = py3langid.classify(text[:SAMPLE_CHARS])
    return language
