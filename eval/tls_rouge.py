"""Timeline scores of the news-tls protocol, computed in-process.

This follows the definitions of tilse (Martschat & Markert 2017, "Improving ROUGE for Timeline
Summarization", EACL) as news-tls uses them, with one gold timeline per task:

- alignment: each predicted date is aligned to the gold date of least cost (for precision),
  each gold date to the predicted date of least cost (for recall), many-to-one; the cost of a
  pair is ``(1 - 1/(days apart + 1)) * (1 - approximate ROUGE-1 F1 of the two summaries)``,
  the approximation counting whitespace tokens as written, less punctuation;
- ROUGE-n of an aligned pair counts matching n-grams of lowercased whitespace tokens less
  stopwords and punctuation, and the matches are discounted by ``1/(days apart + 1)``;
  precision and recall are summed over the timeline's dates before dividing;
- date F1: predicted dates that are gold dates, exactly;
- over tasks, precision and recall are averaged and F1 is taken of the two means.

tilse drops ROUGE-1.5.5's SMART stopwords and Porter-stems (its "reimpl" computation); both
come with tilse's own packages, so this module takes them as :class:`Tokenizer` settings.
Given tilse's, it reproduces tilse's scores (``eval/tls_tilse.py`` checks that in tilse's
venv); its default, for the floor test in our venv, drops spaCy's stopwords and does not stem.
The module needs nothing beyond the standard library, so tilse's venv can import it too.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean

TimelineText = dict[date, list[str]]  # day -> summary sentences

# What tilse drops before counting n-grams (besides the stopwords).
_PUNCTUATION_TOKENS = frozenset({".", ",", ";", ":", "``", "''", "-", '"'})


def _unchanged(token: str) -> str:
    return token


@dataclass(frozen=True, slots=True)
class Tokenizer:
    """How a summary becomes ROUGE tokens."""

    stopwords: frozenset[str]
    stem: Callable[[str], str] = _unchanged
    _cache: dict[str, str] = field(default_factory=dict, compare=False)

    def tokens(self, sentences: Iterable[str]) -> list[str]:
        ignored = self.stopwords | _PUNCTUATION_TOKENS
        found = []
        for sentence in sentences:
            for token in sentence.split():
                lower = token.lower()
                if lower in ignored:
                    continue
                if lower not in self._cache:
                    self._cache[lower] = self.stem(lower)
                found.append(self._cache[lower])
        return found


def default_tokenizer() -> Tokenizer:
    """spaCy's English stopwords, no stemming: what our venv has."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return Tokenizer(frozenset(STOP_WORDS))


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    # Over the summary as one sequence: bigrams run across sentence boundaries, as in tilse.
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _approximate_rouge1(predicted: list[str], gold: list[str]) -> float:
    """tilse's cheap ROUGE-1 F1 for alignment costs: raw whitespace tokens, no stemming."""

    def counts(sentences: list[str]) -> Counter[str]:
        # ``not in string.punctuation`` is a substring test in tilse: "()" is punctuation too.
        return Counter(t for s in sentences for t in s.split() if t not in string.punctuation)

    p, g = counts(predicted), counts(gold)
    match = sum((p & g).values())
    precision = match / sum(p.values()) if p else 0.0
    recall = match / sum(g.values()) if g else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _date_weight(a: date, b: date) -> float:
    return 1 / (abs(a.toordinal() - b.toordinal()) + 1)


def _closest(source: date, targets: list[date], cost) -> date:
    """The target of least cost; the earliest on ties (numpy's argmin over sorted dates)."""
    return min(targets, key=lambda target: cost(source, target))


def alignment_rouge(
    predicted: TimelineText, gold: TimelineText, n: int, tokenizer: Tokenizer
) -> PRF:
    """Many-to-one alignment ROUGE-n of one predicted timeline against one gold timeline."""
    if not predicted or not gold:
        return PRF(0.0, 0.0)
    pred_dates, gold_dates = sorted(predicted), sorted(gold)
    approx: dict[tuple[date, date], float] = {}

    def cost(p: date, g: date) -> float:
        if (p, g) not in approx:
            approx[p, g] = _approximate_rouge1(predicted[p], gold[g])
        return (1 - _date_weight(p, g)) * (1 - approx[p, g])

    grams = {("p", d): _ngrams(tokenizer.tokens(predicted[d]), n) for d in pred_dates}
    grams |= {("g", d): _ngrams(tokenizer.tokens(gold[d]), n) for d in gold_dates}

    def hits(p: date, g: date) -> int:
        return sum((grams["p", p] & grams["g", g]).values())

    matched = 0.0
    for p in pred_dates:
        g = _closest(p, gold_dates, cost)
        matched += _date_weight(p, g) * hits(p, g)
    predicted_total = sum(sum(grams["p", d].values()) for d in pred_dates)
    recalled = 0.0
    for g in gold_dates:
        p = _closest(g, pred_dates, lambda gold_day, pred_day: cost(pred_day, gold_day))
        recalled += _date_weight(p, g) * hits(p, g)
    gold_total = sum(sum(grams["g", d].values()) for d in gold_dates)
    return PRF(
        matched / predicted_total if predicted_total else 0.0,
        recalled / gold_total if gold_total else 0.0,
    )


def date_prf(predicted: TimelineText, gold: TimelineText) -> PRF:
    shared = len(set(predicted) & set(gold))
    return PRF(shared / len(predicted) if predicted else 0.0, shared / len(gold) if gold else 0.0)


@dataclass(frozen=True, slots=True)
class TaskScores:
    rouge1: PRF
    rouge2: PRF
    dates: PRF


def score_task(
    predicted: TimelineText, gold: TimelineText, tokenizer: Tokenizer | None = None
) -> TaskScores:
    tokenizer = tokenizer or default_tokenizer()
    return TaskScores(
        alignment_rouge(predicted, gold, 1, tokenizer),
        alignment_rouge(predicted, gold, 2, tokenizer),
        date_prf(predicted, gold),
    )


def macro(scores: Iterable[PRF]) -> PRF:
    """news-tls's average over tasks: mean precision, mean recall (F1 is of the two means)."""
    scores = list(scores)
    if not scores:
        return PRF(0.0, 0.0)
    return PRF(fmean(s.precision for s in scores), fmean(s.recall for s in scores))
