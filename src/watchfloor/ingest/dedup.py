"""Near-duplicate detection: wire copies republished with light edits.

Each article's word 3-shingles get a MinHash signature; its LSH band keys are stored with the
article, so a lookup costs one indexed query however large the store grows. Candidates that
share a band are confirmed on the exact containment of their shingles: the share of the shorter
text's shingles found in the other. Containment, not Jaccard, because a republished wire copy is
often trimmed (a paragraph dropped, a line added), which lowers Jaccard but not containment.

A copy is republished within days, so a candidate counts only when the two articles appeared
within ``window_days`` of each other: releases of one office share boilerplate (who attended a
meeting, a law's standard articles), and months apart such texts report different events.
An article without a publication date is placed at the time it was fetched.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from datasketch import MinHash, MinHashLSH

from watchfloor.analyze.story_features import article_time
from watchfloor.model import Article
from watchfloor.store.base import Store

NUM_PERM = 128
SHINGLE_WORDS = 3
# LSH retrieves candidates down to about this Jaccard similarity; a trimmed copy with
# containment 0.8 often has Jaccard near 0.6.
CANDIDATE_JACCARD = 0.5
SECONDS_PER_DAY = 86400
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def containment(a: set[bytes], b: set[bytes]) -> float:
    """Share of the smaller set found in the other."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


@dataclass(slots=True)
class Fingerprint:
    shingles: set[bytes]
    band_keys: list[int]


@dataclass
class NearDuplicateFinder:
    """Finds the first stored copy of a near-duplicate; remembers this run's articles too.

    ``threshold`` is the containment above which an article is a copy; ``window_days`` the
    most days between an article and its copy."""

    store: Store
    threshold: float = 0.7
    window_days: float = 7.0
    _bands: list[tuple[int, int]] = field(init=False)
    _seen_keys: dict[int, list[str]] = field(default_factory=dict, init=False)
    # id -> (shingles, first copy's id, when it appeared) of this run's unstored articles
    _seen: dict[str, tuple[set[bytes], str, datetime]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        # datasketch picks the band layout that best separates pairs around the threshold.
        self._bands = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM).hashranges

    def fingerprint(self, text: str) -> Fingerprint:
        grams = shingles(text)
        signature = MinHash(num_perm=NUM_PERM)
        signature.update_batch(list(grams))
        values = signature.hashvalues.astype(np.uint64)
        keys = []
        for band, (start, end) in enumerate(self._bands):
            digest = hashlib.blake2b(
                band.to_bytes(2, "big") + values[start:end].tobytes(), digest_size=8
            ).digest()
            keys.append(int.from_bytes(digest, "big", signed=True))
        return Fingerprint(grams, keys)

    def first_copy(self, article: Article, fp: Fingerprint) -> str | None:
        """Id of the earliest copy this article nearly duplicates, or None."""
        candidates = dict.fromkeys(self.store.near_duplicate_candidates(fp.band_keys))
        for key in fp.band_keys:
            candidates.update(dict.fromkeys(self._seen_keys.get(key, [])))
        moment = article_time(article)
        copies: list[tuple[datetime, str, str]] = []  # (appeared, id, its first copy's id)
        for candidate in candidates:
            if candidate == article.id:
                continue
            if candidate in self._seen:
                grams, root, appeared = self._seen[candidate]
            else:
                stored = self.store.article(candidate)
                if stored is None:
                    continue
                grams, root = shingles(stored.text), stored.duplicate_of or stored.id
                appeared = article_time(stored)
            if abs((moment - appeared).total_seconds()) > self.window_days * SECONDS_PER_DAY:
                continue
            if containment(fp.shingles, grams) >= self.threshold:
                copies.append((appeared, candidate, root))
        # The earliest, so the answer does not hang on the order the store lists candidates in.
        return min(copies)[2] if copies else None

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop these articles of this run once they are stored: the store's band keys find
        them. Articles still on their way to the store (extracting elsewhere) stay."""
        gone = set(article_ids)
        for article_id in gone:
            self._seen.pop(article_id, None)
        for key in list(self._seen_keys):
            kept = [i for i in self._seen_keys[key] if i not in gone]
            if kept:
                self._seen_keys[key] = kept
            else:
                del self._seen_keys[key]

    def remember(self, article: Article, fp: Fingerprint) -> None:
        """Make an article of this run findable before it is stored."""
        self._seen[article.id] = (
            fp.shingles,
            article.duplicate_of or article.id,
            article_time(article),
        )
        for key in fp.band_keys:
            self._seen_keys.setdefault(key, []).append(article.id)
