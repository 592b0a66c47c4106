"""Whether a sentence can be quoted on its own, out of its article."""

from __future__ import annotations

import re

# Sentences opening with these lean on the sentence before, so they read badly on their own.
_DANGLING = re.compile(
    r"(he|she|it|they|this|that|these|those|his|her|its|their|him|them|there|but|and|also|"
    r"however|meanwhile|yet|so|then|such|both|today|yesterday)",
    re.IGNORECASE,
)
# "The two discussed ...", "Seen from Helsinki, it is ...": the subject is in another sentence.
_ANAPHORIC = re.compile(
    r"(the|a) (two|pair|leaders|latter|former|same|move|decision|announcement|step)\b"
    r"|the (first|second|third|last|other) (is|was|are|were)\b"
    r"|the \w+ (came|follows|followed)\b"
    r"|(most|many|some|all|none) of (those|them|these)\b"
    r"|[^,]{0,40}, (it|he|she|they|this) ",
    re.IGNORECASE,
)
_FIRST_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d]")
MIN_WORDS = 6  # shorter ones rarely say anything on their own
MAX_WORDS = 60


def reads_alone(text: str) -> bool:
    """True when the sentence makes sense lifted out of its article."""
    first = _FIRST_WORD.search(text)
    words = len(text.split())
    return (
        bool(first)
        and not _DANGLING.fullmatch(first.group())
        and not _ANAPHORIC.match(text)
        and MIN_WORDS <= words <= MAX_WORDS
    )


def has_quote(text: str) -> bool:
    return bool(_QUOTE_MARKS.search(text))
