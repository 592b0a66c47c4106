"""Scores shared by `make eval` and the accuracy floors in the tests.

Main-text overlap follows the definition of the Zyte (scrapinghub) article-extraction
benchmark, so our figures sit beside its published ones: texts are split into word tokens
(``\\w+``, case kept), a page's tokens become overlapping n-grams ("shingles", n = 4), and
matches are counted on the two multisets. Precision is averaged over the pages where
something was extracted, recall over the pages that have gold text, and F1 is the harmonic
mean of those two averages. With n = 1 the same count is a plain bag-of-words overlap.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

BENCHMARK_SHINGLE = 4
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    """Overlapping n-grams of the text's words; a text shorter than n is one shingle."""
    tokens = words(text)
    if len(tokens) <= n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class Overlap:
    """Shingles found in both texts (tp), only in the prediction (fp), only in the gold (fn)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap(gold: str, predicted: str, n: int = BENCHMARK_SHINGLE) -> Overlap:
    expected, found = shingles(gold, n), shingles(predicted, n)
    tp = sum((expected & found).values())
    return Overlap(tp=tp, fp=sum(found.values()) - tp, fn=sum(expected.values()) - tp)


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def macro_prf(overlaps: Iterable[Overlap]) -> PRF:
    """The benchmark's corpus score: mean precision, mean recall, F1 of the two means."""
    overlaps = list(overlaps)
    precisions = [o.precision for o in overlaps if o.precision is not None]
    recalls = [o.recall for o in overlaps if o.recall is not None]
    p = fmean(precisions) if precisions else 0.0
    r = fmean(recalls) if recalls else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def token_f1(gold: str, predicted: str) -> float:
    """Bag-of-words F1 of one text against its gold."""
    return overlap(gold, predicted, n=1).f1


def visible(text: str | None) -> str:
    """Whitespace collapsed, invisible format characters (soft hyphen, zero-width space) gone."""
    shown = "".join(c for c in text or "" if unicodedata.category(c) != "Cf")
    return " ".join(shown.split())


def same_text(a: str | None, b: str | None) -> bool:
    """Equal as displayed: titles compared after :func:`visible`."""
    return visible(a) == visible(b)


def share(hits: Iterable[bool]) -> tuple[float, int]:
    """Share of True and the number of cases."""
    hits = list(hits)
    return (sum(hits) / len(hits) if hits else 0.0), len(hits)
