"""Sentences that place the period in time: earlier background and what lies ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.sentences import has_quote, reads_alone
from watchfloor.analyze.similarity import MIN_TOKENS, content_tokens
from watchfloor.model import Article, TimeExpr

# A sentence in another article this close says the same thing (in its own words).
SAME_POINT = 0.5


@dataclass(slots=True)
class DatedSentence:
    article: Article
    index: int
    text: str  # as a briefing shows it
    refers_to: date  # the date the sentence talks about
    has_event: bool  # extraction read a threat event from it
    support: int  # other articles making the same point


def sentences_referring(
    corpus: Corpus,
    start: date | None,
    end: date | None,
    support_index: SupportIndex,
    ahead: bool = False,
) -> list[DatedSentence]:
    """Self-contained, quote-free sentences naming a date before ``start`` (or, ``ahead``, after
    ``end``), each with the earliest (latest) such date it names and how many other articles
    make the same point: context that many reports repeat is the context that matters. A
    sentence reporting an event of the period itself is news, not context, and is left out.
    ``support_index`` is the corpus's index."""
    bound = end if ahead else start
    if bound is None:
        return []
    found: list[DatedSentence] = []
    for article in corpus.articles:
        facts = corpus.facts[article.id]
        news = {
            e.sentence_index
            for e in facts.events
            if e.date and (start is None or e.date >= start) and (end is None or e.date <= end)
        }
        events = {e.sentence_index for e in facts.events}
        dates: dict[int, date] = {}
        for t in facts.times:
            if t.sentence_index in news or t.date is None:  # durations and sets are not dates
                continue
            if ahead and t.date > bound:
                dates[t.sentence_index] = max(t.date, dates.get(t.sentence_index, date.min))
            elif not ahead and _ends_before(t, bound):
                dates[t.sentence_index] = min(t.date, dates.get(t.sentence_index, date.max))
        for i, day in sorted(dates.items()):
            text = corpus.display_text(article.id, i)
            if reads_alone(text) and not has_quote(text):
                support = support_index.support(text, article.id)
                found.append(DatedSentence(article, i, text, day, i in events, support))
    return found


class SupportIndex:
    """The content words of every sentence of a corpus, each word with the sentences holding
    it: built once per corpus, it tells cheaply how many articles make a sentence's point."""

    def __init__(self, corpus: Corpus) -> None:
        articles: list[int] = []
        sizes: list[int] = []
        holding: dict[str, list[int]] = {}
        self.article_number = {a.id: n for n, a in enumerate(corpus.articles)}
        for number, article in enumerate(corpus.articles):
            for s in corpus.facts[article.id].sentences:
                tokens = content_tokens(s.text)
                for token in tokens:
                    holding.setdefault(token, []).append(len(sizes))
                articles.append(number)
                sizes.append(len(tokens))
        self.article = np.array(articles, dtype=np.int64)
        self.size = np.array(sizes, dtype=np.int64)
        self.holding = {t: np.array(p, dtype=np.int64) for t, p in holding.items()}

    def support(self, text: str, article_id: str) -> int:
        """How many other articles than ``article_id`` hold a sentence making the point of
        ``text``: one it ``overlap``s by ``SAME_POINT`` at least."""
        tokens = content_tokens(text)
        postings = [self.holding[t] for t in tokens if t in self.holding]
        if not postings:
            return 0
        # Sentences making the same point share a word at least: only those are counted.
        shared = np.bincount(np.concatenate(postings), minlength=len(self.size))
        positions = np.flatnonzero(shared)
        shared = shared[positions]
        size = self.size[positions]
        smaller = np.minimum(size, len(tokens))
        # ``overlap`` over all of them at once: a few shared words prove nothing about short
        # sentences, which must have the same words.
        same = np.where(
            smaller < MIN_TOKENS,
            (shared == size) & (size == len(tokens)),
            shared / smaller >= SAME_POINT,
        )
        supporting = np.unique(self.article[positions[same]])
        own = self.article_number.get(article_id, -1)
        return int(len(supporting) - np.count_nonzero(supporting == own))


def _ends_before(t: TimeExpr, day: date) -> bool:
    """True when the time expression lies before ``day``: a week or month must be over ('this
    month' is not background); a year only has to begin before ('earlier this year' is)."""
    if t.precision == "week":
        return t.date + timedelta(days=6) < day
    if t.precision == "month":
        following = date(t.date.year + t.date.month // 12, t.date.month % 12 + 1, 1)
        return following <= day
    return t.date < day
