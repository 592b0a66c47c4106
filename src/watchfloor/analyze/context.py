"""Sentences that place the period in time: earlier background and what lies ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.sentences import has_quote, reads_alone
from watchfloor.analyze.similarity import content_tokens, overlap
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
    support: int = 0  # other articles making the same point


def sentences_referring(
    corpus: Corpus, start: date | None, end: date | None, ahead: bool = False
) -> list[DatedSentence]:
    """Self-contained, quote-free sentences naming a date before ``start`` (or, ``ahead``, after
    ``end``), each with the earliest (latest) such date it names and how many other articles
    make the same point: context that many reports repeat is the context that matters. A
    sentence reporting an event of the period itself is news, not context, and is left out."""
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
        for index, day in sorted(dates.items()):
            text = corpus.display_text(article.id, index)
            if reads_alone(text) and not has_quote(text):
                found.append(DatedSentence(article, index, text, day, index in events))
    _count_support(corpus, found)
    return found


def _count_support(corpus: Corpus, found: list[DatedSentence]) -> None:
    others = [
        (article.id, content_tokens(s.text))
        for article in corpus.articles
        for s in corpus.facts[article.id].sentences
    ]
    # Sentences making the same point share a word at least: only those are compared.
    holding: dict[str, list[int]] = {}
    for position, (_, tokens) in enumerate(others):
        for token in tokens:
            holding.setdefault(token, []).append(position)
    for sentence in found:
        tokens = content_tokens(sentence.text)
        supporting: set[str] = set()
        for position in set().union(*(holding.get(t, ()) for t in tokens)):
            article_id, other = others[position]
            if article_id in supporting or article_id == sentence.article.id:
                continue
            if overlap(tokens, other) >= SAME_POINT:
                supporting.add(article_id)
        sentence.support = len(supporting)


def _ends_before(t: TimeExpr, day: date) -> bool:
    """True when the time expression lies before ``day``: a week or month must be over ('this
    month' is not background); a year only has to begin before ('earlier this year' is)."""
    if t.precision == "week":
        return t.date + timedelta(days=6) < day
    if t.precision == "month":
        following = date(t.date.year + t.date.month // 12, t.date.month % 12 + 1, 1)
        return following <= day
    return t.date < day
