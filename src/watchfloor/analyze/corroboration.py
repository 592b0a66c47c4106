"""Corroboration: for each event, figure and statement, the independent sources that report it.

Three kinds of claim:
- event: a happening of one category, theatre and day (see developments.happenings: a strike
  and its casualties reported in the same sentences are one).
- figure: a distinctive figure (a number other than a year, or a date still ahead, such as a
  deadline) in sentences published within days of each other that share it and say much the
  same around it: "157 votes to 18", "by the end of 2027". Sentences sharing two figures need
  nothing more; two figures extraction read as counting different things ("1,000 deminers",
  "1,000 prisoners") are different claims.
- statement: what one named official said, as the articles quote or paraphrase it.

Copies of one wire story count once: a near-duplicate (``Article.duplicate_of``, the articles
story clustering links as "copy") supports its original's claims but adds no source. A claim
reported by one independent source is marked single-source.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from watchfloor.analyze.corpus import Corpus, day_after, day_start, published_day
from watchfloor.analyze.developments import clusters, happenings, ranked_sentences
from watchfloor.analyze.sentences import reads_alone
from watchfloor.analyze.similarity import content_tokens, jaccard, overlap
from watchfloor.analyze.statements import Statement, is_attributed
from watchfloor.analyze.theatres import article_theatre, event_theatres
from watchfloor.model import OTHER_CATEGORY, Article, ArticleFacts, Claim, Support
from watchfloor.store.base import Store

# Sentences sharing one figure report the same thing when they also share this many of their
# other words, and this share of the shorter sentence's.
SHARED_WORDS = 2
SHARED_SHARE = 0.3
# A count of "people" may be the voters, the dead or the workers another sentence names.
_ANY_ROLE = "people"
# Reports of one figure appear within days of each other; the same number months apart is
# another matter.
WINDOW_DAYS = 3
# Paraphrases of one statement share at least this share of their words.
SAME_STATEMENT = 0.2
# Numbers below this ("3 missiles", "5%") are too common to tell one claim from another.
MIN_FIGURE = 10
# A number standing alone: not part of "20th" or "F16".
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*(?!\w)")
_YEAR = re.compile(r"(19|20)\d\d")


def load_corpus(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    article_ids: list[str] | None = None,
    query: str | None = None,
) -> Corpus:
    """The articles of ``article_ids`` (oldest first), or those published from ``since``
    through ``until`` matching ``query``."""
    if article_ids is None:
        return Corpus.load(store, since, until, query)
    found = [a for a in (store.article(i) for i in dict.fromkeys(article_ids)) if a]
    start, end = day_start(since), day_after(until)
    found = [
        a
        for a in found
        if (start is None or (a.published and a.published >= start))
        and (end is None or (a.published and a.published < end))
    ]
    found.sort(key=lambda a: (a.published is None, a.published or a.fetched_at, a.id))
    return Corpus(found, {a.id: store.facts(a.id) for a in found}, {a.id: a for a in found})


def corroborate(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    article_ids: list[str] | None = None,
    query: str | None = None,
) -> list[Claim]:
    """Claims read from the articles published from ``since`` through ``until`` (a date
    includes its whole day; with ``query``, those matching it), or from ``article_ids`` only,
    each with every article that reports it (oldest first) and its count of independent
    sources; best corroborated first."""
    return claims_in(load_corpus(store, since, until, article_ids, query))


@dataclass(slots=True)
class _Read:
    """The corpus with what every claim looks up: publication order and article theatres."""

    corpus: Corpus
    order: dict[str, int]  # article id -> its place in publication order
    theatre: dict[str, str | None]  # article id -> the article's theatre

    @classmethod
    def of(cls, corpus: Corpus) -> _Read:
        return cls(
            corpus,
            {a.id: n for n, a in enumerate(corpus.articles)},
            {a.id: article_theatre(corpus.facts[a.id]) for a in corpus.articles},
        )


def claims_in(corpus: Corpus) -> list[Claim]:
    """The claims of a corpus (see ``corroborate``)."""
    read = _Read.of(corpus)
    found = _event_claims(read) + _figure_claims(read) + _statement_claims(read)
    copies: dict[str, list[Article]] = {}
    for article in corpus.articles:
        if article.duplicate_of:
            copies.setdefault(article.duplicate_of, []).append(article)
    keys: Counter[str] = Counter()
    for claim in found:
        _add_copies(claim, copies)
        keys[claim.key] += 1
        if keys[claim.key] > 1:  # two claims alike in what and where: tell them apart
            first = claim.supports[0]
            claim.key += f"|{first.article_id}.{first.sentence_index}"
    return sorted(
        found,
        key=lambda c: (-c.independent_sources, -len(c.supports), c.day or date.max, c.key),
    )


# -- supports and sources ------------------------------------------------------------------


def _support(article: Article, index: int, copy_of: str | None = None) -> Support:
    return Support(article.id, index, article.source, article.url, article.published, copy_of)


def _claim(
    read: _Read,
    key: str,
    kind: str,
    sentences: list[tuple[str, int]],
    text: str,
    category: str | None,
    day: date | None,
    theatre: str | None,
) -> Claim:
    """A claim from the sentences that report it: each article's first sentence supports it."""
    first: dict[str, int] = {}
    for article_id, index in sentences:
        first[article_id] = min(index, first.get(article_id, index))
    ordered = sorted(first.items(), key=lambda p: read.order[p[0]])
    supports = [_support(read.corpus.by_id[a], i) for a, i in ordered]
    claim = Claim(key, kind, text, category, day, theatre, supports)
    _count_sources(claim)
    return claim


def _add_copies(claim: Claim, copies: dict[str, list[Article]]) -> None:
    """Copies of a supporting article support the claim too (by the original's sentence)."""
    added = [
        _support(copy, s.sentence_index, s.article_id)
        for s in claim.supports
        for copy in copies.get(s.article_id, [])
    ]
    if added:
        claim.supports = sorted(
            claim.supports + added,
            key=lambda s: (s.published is None, s.published or datetime.min, s.article_id),
        )
        _count_sources(claim)


def _count_sources(claim: Claim) -> None:
    claim.independent_sources = len({s.outlet for s in claim.supports if s.copy_of is None})
    claim.single_source = claim.independent_sources == 1


def _theatre(code: str | None) -> str | None:
    return f"iso:{code}" if code else None


# -- events ----------------------------------------------------------------------------------


def _event_claims(read: _Read) -> list[Claim]:
    """One claim per happening and theatre, on the happening's day."""
    claims = []
    for happening in happenings(read.corpus):
        if happening.day is None:  # an undated category is many happenings, not one claim
            continue
        by_theatre: dict[str | None, list] = {}
        for ref in happening.refs:
            published = published_day(ref.article)
            if published and happening.day > published:  # a plan has not happened yet
                continue
            for code in event_theatres(ref.event, read.theatre[ref.article.id]) or [None]:
                by_theatre.setdefault(code, []).append(ref)
        for code, refs in by_theatre.items():
            category = Counter(r.event.category for r in refs).most_common(1)[0][0]
            theatre = _theatre(code)
            claims.append(
                _claim(
                    read,
                    f"event:{category}|{theatre or '-'}|{happening.day.isoformat()}",
                    "event",
                    [r.sentence_key for r in refs],
                    ranked_sentences(refs)[0].text,
                    category,
                    happening.day,
                    theatre,
                )
            )
    return claims


# -- figures ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _FigureSentence:
    article: Article
    index: int
    text: str  # as a briefing shows it (no dateline)
    figures: frozenset[str]  # numbers as digits ("1000") and dates ahead ("2027")
    words: frozenset[str]  # content words other than figures
    counted: bool  # extraction read a count or a date ahead in it
    roles: dict[str, str]  # what extraction read each figure to count ("deminers")

    @property
    def day(self) -> date | None:
        return published_day(self.article)


def _figure_sentences(article: Article, facts: ArticleFacts, corpus: Corpus) -> list:
    """The article's sentences that state figures, with their figures and words."""
    published = published_day(article)
    times: dict[int, list] = {}
    for t in facts.times:
        times.setdefault(t.sentence_index, []).append(t)
    roles: dict[int | None, dict[str, str]] = {}
    for c in facts.counts:
        roles.setdefault(c.sentence_index, {})[_digits(c.value)] = c.role
    found = []
    for sentence in facts.sentences:
        text = corpus.display_text(article.id, sentence.index)
        skipped = sentence.start + len(sentence.text) - len(text)  # the dateline
        spans = [(t.start - skipped, t.end - skipped) for t in times.get(sentence.index, [])]
        figures = set()
        for m in _NUMBER.finditer(text):
            digits = m.group().replace(",", "")
            inside_date = any(s <= m.start() < e for s, e in spans)
            if inside_date or _YEAR.fullmatch(digits):
                continue
            try:
                if float(digits) >= MIN_FIGURE:
                    figures.add(digits)
            except ValueError:  # "1.2.3"
                continue
        # A deadline written out ("by the end of 2027"), not one relative to the day ("next
        # week"), which says little about what is meant.
        ahead = {
            t.value
            for t in times.get(sentence.index, [])
            if t.date and t.timex_type == "DATE" and not t.relative
            and published and t.date > published
        }  # fmt: skip
        figures |= ahead
        if not figures:
            continue
        words = frozenset(w for w in content_tokens(text) if not w[0].isdigit())
        found.append(
            _FigureSentence(
                article, sentence.index, text, frozenset(figures), words,
                sentence.index in roles or bool(ahead), roles.get(sentence.index, {}),
            )
        )  # fmt: skip
    return found


def _digits(value: float) -> str:
    """A figure as its digits are written without separators: 1000.0 -> "1000"."""
    return str(int(value)) if value == int(value) else str(value)


def _figure_claims(read: _Read) -> list[Claim]:
    """Per figure, the sentences that state it and say much the same around it; a figure in
    one article only is a claim when extraction read a count or a date ahead there. Figures
    always stated together ("157 votes to 18") make one claim."""
    corpus = read.corpus
    sentences = [
        s for a in corpus.articles for s in _figure_sentences(a, corpus.facts[a.id], corpus)
    ]
    by_figure: dict[str, list[_FigureSentence]] = {}
    for s in sentences:
        for figure in s.figures:
            by_figure.setdefault(figure, []).append(s)
    groups: dict[frozenset[tuple[str, int]], set[str]] = {}
    for figure, having in by_figure.items():

        def linked(i: int, j: int, having=having, figure=figure) -> bool:
            a, b = having[i], having[j]
            if a.day and b.day and abs((a.day - b.day).days) > WINDOW_DAYS:
                return False
            if len(a.figures & b.figures) >= 2:
                return True
            roles = {a.roles.get(figure, _ANY_ROLE), b.roles.get(figure, _ANY_ROLE)}
            if len(roles - {_ANY_ROLE}) > 1:  # 1,000 deminers are not 1,000 prisoners
                return False
            shared = len(a.words & b.words)
            return shared >= SHARED_WORDS and overlap(a.words, b.words) >= SHARED_SHARE

        for group in clusters(len(having), linked):
            members = [having[i] for i in group]
            single = len({m.article.id for m in members}) == 1
            if single and not any(m.counted for m in members):
                continue
            keys = frozenset((m.article.id, m.index) for m in members)
            groups.setdefault(keys, set()).add(figure)
    claims = []
    for keys, figures in groups.items():
        members = sorted(keys, key=lambda k: (read.order[k[0]], k[1]))
        texts = {k: corpus.display_text(*k) for k in members}
        text = next((texts[k] for k in members if reads_alone(texts[k])), texts[members[0]])
        category, day, theatre = _what_where_when(read, members)
        figure_key = "+".join(sorted(figures, key=_figure_order))
        claims.append(
            _claim(
                read,
                f"figure:{figure_key}|{theatre or '-'}",
                "figure",
                members,
                text,
                category,
                day,
                theatre,
            )
        )
    return claims


def _figure_order(figure: str) -> tuple[int, float | str]:
    try:
        return (0, float(figure))
    except ValueError:
        return (1, figure)


def _what_where_when(
    read: _Read, sentences: list[tuple[str, int]]
) -> tuple[str | None, date | None, str | None]:
    """The category, day and theatre the events of these sentences name most (a day only
    when dated to the day and not after publication); the theatre of their articles when the
    sentences name none."""
    categories: Counter[str] = Counter()
    days: Counter[date] = Counter()
    theatres: Counter[str] = Counter()
    for article_id, index in sentences:
        facts = read.corpus.facts[article_id]
        published = published_day(read.corpus.by_id[article_id])
        fallback = read.theatre[article_id]
        for event in facts.events:
            if event.sentence_index != index or event.category == OTHER_CATEGORY:
                continue
            categories[event.category] += 1
            theatres.update(event_theatres(event, fallback))
            dated = event.date and event.date_precision in ("day", "time")
            if dated and (published is None or event.date <= published):
                days[event.date] += 1
        if fallback and not any(e.sentence_index == index for e in facts.events):
            theatres[fallback] += 1

    def top(counter: Counter):
        return counter.most_common(1)[0][0] if counter else None

    return top(categories), top(days), _theatre(top(theatres))


# -- statements ------------------------------------------------------------------------------


def _statement_claims(read: _Read) -> list[Claim]:
    """Per named official, what they said as the articles quote or paraphrase it: quotes by
    one speaker whose words are alike are one statement."""
    corpus = read.corpus
    by_speaker: dict[str, list[Statement]] = {}
    for article in corpus.articles:
        for quote in corpus.facts[article.id].quotes:
            statement = Statement(article, quote)
            if is_attributed(quote) and statement.named_person and statement.tier == 0:
                surname = quote.speaker.split()[-1].casefold()
                by_speaker.setdefault(surname, []).append(statement)
    claims = []
    for found in by_speaker.values():
        words = [content_tokens(s.quote.text) for s in found]

        def alike(i: int, j: int, words=words) -> bool:
            return jaccard(words[i], words[j]) >= SAME_STATEMENT

        for group in clusters(len(found), alike):
            members = [found[i] for i in group]
            first = members[0]
            sentences = [(s.article.id, s.quote.sentence_index) for s in members]
            category, day, theatre = _what_where_when(read, sentences)
            day = day or published_day(first.article)
            claims.append(
                _claim(
                    read,
                    f"statement:{first.quote.speaker}|{day.isoformat() if day else '-'}",
                    "statement",
                    sentences,
                    corpus.display_text(first.article.id, first.quote.sentence_index),
                    category,
                    day,
                    theatre,
                )
            )
    return claims
