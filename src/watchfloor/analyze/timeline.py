"""Timelines: the days that matter in a set of articles, and the sentences that best say what
happened on each, every sentence with its source.

1. Date voting. Every article votes for the days its sentences name (day-precise time
   expressions, resolved at extraction against the article's publication date); an article
   votes once per day however often it names it, and less when only sentences off the query
   name it. Its publication day gets a weaker vote. Each further outlet voting for a day adds
   a bonus: independent coverage counts for more than repetition. Days are taken by score;
   in a long timeline a day right next to one already taken counts for less.
2. Candidates. For a day: the sentences naming it, plus the top sentences of articles
   published that day or the next (reporting "yesterday" without saying so) that name no day.
3. Salience. TF-IDF cosine of each candidate with the day's centroid (what the day's
   candidates say) times its cosine with the centroid of all candidates (what the articles
   are about), raised for sentences naming the day (the fewer other days they name, the more)
   and for sentences other outlets repeat, lowered for sentences further into their article
   (the opening one says what it reports) and slightly for long sentences (the cosines favour
   them). A preview naming the day ("will go on trial on Monday") counts as much as a report
   of it: it says what the day was for, in the words the reports use. A day's further
   sentences need 0.3 of the salience of its best candidate, or the day keeps fewer than
   asked.
4. Redundancy. Sentences are picked by maximal marginal relevance against everything picked
   so far in the timeline, and a sentence that repeats one already picked is never taken.

Nothing here knows about particular topics: the same constants serve every query.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from watchfloor.analyze.corpus import Corpus, day_after, day_start, published_day, strip_dateline
from watchfloor.analyze.similarity import content_tokens, repeats
from watchfloor.errors import WatchfloorError
from watchfloor.model import Article, ArticleFacts
from watchfloor.store.base import Store

DAY_PRECISIONS = frozenset({"day", "time"})
# An article's first sentences say what it reports; they stand for its publication day.
LEAD_SENTENCES = 10
# An article's vote for the day it was published, against 1 for a day one of its sentences
# names.
PUBLICATION_VOTE = 0.5
# The vote for a day named only in sentences that do not match the query.
OFF_QUERY_VOTE = 0.5
# Each outlet beyond the first voting for a day adds this to the day's score.
OUTLET_BONUS = 0.5
# Sentences this alike (TF-IDF cosine) say the same thing; so do sentences sharing this share
# of the shorter one's content words, unless a figure changed (a new death toll is news).
SAME_POINT = 0.5
# Far above the rounding error of a matrix product of unit vectors, far below any real margin.
ROUNDING = 1e-9
REPEATED_WORDS = 0.6
TIMELINE_FACTS = ("sentences", "times")  # all a timeline reads of an article's facts
# Salience against novelty when picking sentences (maximal marginal relevance).
MMR_LAMBDA = 0.7
# Neighbouring days of a long timeline: see ``_ranked_days``.
NEIGHBOUR_DAYS = 2
NEIGHBOUR_FACTOR = 0.5
# Weight of a candidate that names the day, against one only published near it.
NAMING_WEIGHT = 3.0
# An article says first what it reports: its opening sentence weighs this much more, and each
# later sentence a little less (1 / (1 + POSITION_DECAY * index)).
OPENING_WEIGHT = 1.5
POSITION_DECAY = 0.05
# A sentence's cosine with a centroid grows with its length (a long sentence shares more of
# the centroid's words whatever it says); weighing it by words ** -LENGTH_EXPONENT offsets
# part of that, so that of two sentences saying as much the shorter one is the entry.
LENGTH_EXPONENT = 0.25
# A day's further sentences need at least this share of the salience of its best one: a much
# weaker sentence pads the day instead of telling it, so the day keeps fewer. The share is
# low, so that a busy day's second and third stories (each central to less of the day's
# coverage) keep their sentences.
FURTHER_SALIENCE = 0.3
MIN_WORDS = 6
MAX_WORDS = 60
# Candidates of a day considered in full (the most central ones).
SHORTLIST = 200


@dataclass(slots=True)
class TimelineSentence:
    text: str  # verbatim, less a leading wire dateline
    article_id: str
    sentence_index: int
    source: str  # the outlet
    url: str
    title: str
    published: datetime | None
    salience: float
    outlets: int  # outlets reporting the same point (near-duplicate copies included)
    names_day: bool  # the sentence names the day (rather than being published near it)


@dataclass(slots=True)
class TimelineDate:
    day: date
    score: float  # the day's votes
    articles: int  # articles naming the day
    outlets: int  # distinct outlets of those articles
    sentences: list[TimelineSentence] = field(default_factory=list)


@dataclass(slots=True)
class Timeline:
    query: str | None
    since: date | None
    until: date | None
    articles: int  # articles considered
    dates: list[TimelineDate] = field(default_factory=list)  # oldest first


# -- query ----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def query_alternatives(query: str | None) -> list[list[str]]:
    """ "zuma OR jacob zuma" -> [["zuma"], ["jacob", "zuma"]]: a sentence matches when it has
    every word of one alternative."""
    if not query:
        return []
    alternatives = [_WORD.findall(part.casefold()) for part in re.split(r"\s+OR\s+", query)]
    return [words for words in alternatives if words]


def matches(text: str, alternatives: list[list[str]]) -> bool:
    """True when ``text`` has every word of one alternative (or there are none)."""
    if not alternatives:
        return True
    words = set(_WORD.findall(text.casefold()))
    return any(all(w in words for w in alternative) for alternative in alternatives)


def _load(
    store: Store, alternatives: list[list[str]], since: date | None, until: date | None
) -> Corpus:
    """Articles published in the period (matching the query when given), with their facts;
    near-duplicate copies come without facts (they have none)."""
    start, end = day_start(since), day_after(until)
    if alternatives:
        found: dict[str, Article] = {}
        for alternative in alternatives:
            for article in store.articles(start, end, " ".join(alternative)):
                found.setdefault(article.id, article)
        articles = sorted(found.values(), key=lambda a: (a.published or datetime.min, a.id))
    else:
        articles = store.articles(start, end)
    return Corpus(
        articles=articles,
        facts=store.facts_many((a.id for a in articles if not a.duplicate_of), TIMELINE_FACTS),
        by_id={a.id: a for a in articles},
    )


# -- candidates -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    article: Article
    index: int
    text: str
    named_days: frozenset[date]
    on_query: bool


def _named_days(facts: ArticleFacts) -> dict[int, set[date]]:
    """Per sentence, the days its time expressions name, a wire dateline's date excepted (it
    says when the story was filed, not when anything happened)."""
    named: dict[int, set[date]] = defaultdict(set)
    dateline_end = {
        s.index: s.start + len(s.text) - len(strip_dateline(s.text)) for s in facts.sentences
    }
    for t in facts.times:
        if t.date is None or t.precision not in DAY_PRECISIONS:
            continue
        if t.start < dateline_end.get(t.sentence_index, 0):
            continue
        named[t.sentence_index].add(t.date)
    return named


def _candidates(corpus: Corpus, alternatives: list[list[str]]) -> list[_Candidate]:
    found = []
    for article in corpus.articles:
        facts = corpus.facts.get(article.id)
        if facts is None:  # a near-duplicate copy: its original speaks for it
            continue
        named = _named_days(facts)
        for sentence in facts.sentences:
            text = " ".join(strip_dateline(sentence.text).split())
            found.append(
                _Candidate(
                    article,
                    sentence.index,
                    text,
                    frozenset(named.get(sentence.index, ())),
                    matches(text, alternatives),
                )
            )
    return found


def _carriers(corpus: Corpus) -> dict[str, set[str]]:
    """Per original article, the outlets that carried it: its own and its copies'."""
    outlets: dict[str, set[str]] = defaultdict(set)
    for article in corpus.articles:
        outlets[article.duplicate_of or article.id].add(article.source)
    return outlets


# -- date voting ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Votes:
    score: float = 0.0
    articles: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Period:
    first: date | None
    last: date | None

    def __contains__(self, day: date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


def _vote(
    candidates: list[_Candidate], carriers: dict[str, set[str]], period: _Period
) -> dict[date, _Votes]:
    """Each day's votes: see the module's description."""
    named: dict[str, dict[date, float]] = defaultdict(dict)
    articles: dict[str, Article] = {}
    for c in candidates:
        articles[c.article.id] = c.article
        weight = 1.0 if c.on_query else OFF_QUERY_VOTE
        for day in c.named_days:
            if day in period:
                named[c.article.id][day] = max(named[c.article.id].get(day, 0.0), weight)
    votes: dict[date, _Votes] = defaultdict(_Votes)
    for article_id, article in articles.items():
        published = published_day(article)
        if published and published in period:
            votes[published].score += PUBLICATION_VOTE
        outlets = carriers.get(article_id) or {article.source}
        for day, weight in named[article_id].items():
            vote = votes[day]
            fresh = outlets - vote.outlets
            # The first outlet is the day's base; every further one is independent support.
            vote.score += weight + OUTLET_BONUS * (len(fresh) - (0 if vote.outlets else 1))
            vote.articles.add(article_id)
            vote.outlets |= fresh
    return votes


# -- sentence selection ---------------------------------------------------------------------

# A sentence ends like one: a headline or a bare dateline ("MOSCOW, June 19 (Wire) -") does not.
_SENTENCE_END = re.compile(r"""[.!"'\u201d\u2019)]$""")


def _fits(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS and bool(_SENTENCE_END.search(text))


class _Pools:
    """Where a day's candidates are: the sentences naming it, and the top sentences naming no
    day of the articles published that day or the next."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        self.naming: dict[date, list[int]] = defaultdict(list)
        self.leading: dict[date, list[int]] = defaultdict(list)
        for i, c in enumerate(candidates):
            for day in c.named_days:
                self.naming[day].append(i)
            published = published_day(c.article)
            if published and not c.named_days and c.index < LEAD_SENTENCES:
                self.leading[published].append(i)
                self.leading[published - timedelta(days=1)].append(i)

    def of(self, day: date) -> list[int]:
        return self.naming.get(day, []) + self.leading.get(day, [])


Vector = dict[str, float]


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


class _Vectors:
    """Unit TF-IDF vectors of the candidates, fitted on all of them (binary term frequency: a
    sentence rarely says a word twice)."""

    def __init__(self, texts: list[str]) -> None:
        self.tokens = [content_tokens(text) for text in texts]
        frequency = Counter(token for sentence in self.tokens for token in sentence)
        n = len(texts)
        idf = {token: math.log((1 + n) / (1 + df)) + 1 for token, df in frequency.items()}
        # Tokens in sorted order, so that sums of floats (and ties) come out the same in
        # every run, whatever the string hash seed.
        self.rows = [
            _unit({token: idf[token] for token in sorted(sentence)}) for sentence in self.tokens
        ]


def _near(rows: list[Vector]) -> np.ndarray:
    """For each row, the rows that may make its point: their cosines, all in one matrix
    product, reach ``SAME_POINT`` less ``ROUNDING`` (``cosine`` decides the close calls)."""
    columns: dict[str, int] = {}
    matrix = np.zeros((len(rows), len({t for row in rows for t in row})))
    for r, row in enumerate(rows):
        for t, w in row.items():
            matrix[r, columns.setdefault(t, len(columns))] = w
    return matrix @ matrix.T >= SAME_POINT - ROUNDING


def _centroid(rows: list[Vector], weights: list[float]) -> Vector:
    total: dict[str, float] = defaultdict(float)
    for row, weight in zip(rows, weights, strict=True):
        for t, w in row.items():
            total[t] += weight * w
    return _unit(total)


@dataclass(slots=True)
class _Said:
    """What the timeline says so far, so that no day repeats another."""

    rows: list[Vector] = field(default_factory=list)
    tokens: list[frozenset[str]] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)

    def add(self, text: str, row: Vector, tokens: frozenset[str]) -> None:
        self.rows.append(row)
        self.tokens.append(tokens)
        self.texts.add(text)

    def closeness(self, row: Vector) -> float:
        return max((cosine(row, said) for said in self.rows), default=0.0)

    def repeated(self, text: str, row: Vector, tokens: frozenset[str]) -> bool:
        return (
            text in self.texts
            or self.closeness(row) >= SAME_POINT
            or any(repeats(tokens, said, REPEATED_WORDS) for said in self.tokens)
        )


@dataclass(slots=True)
class _Selector:
    candidates: list[_Candidate]
    vectors: _Vectors
    pools: _Pools
    carriers: dict[str, set[str]]
    on_query_only: bool
    said: _Said = field(default_factory=_Said)
    # What the articles as a whole are about: the centroid of every usable candidate.
    topic: Vector = field(default_factory=dict)

    def __post_init__(self) -> None:
        usable = [
            self.vectors.rows[i]
            for i, c in enumerate(self.candidates)
            if _fits(c.text) and (c.on_query or not self.on_query_only)
        ]
        self.topic = _centroid(usable, [1.0] * len(usable))

    def _usable(self, i: int) -> bool:
        c = self.candidates[i]
        return (
            _fits(c.text)
            and (c.on_query or not self.on_query_only)
            and not self.said.repeated(c.text, self.vectors.rows[i], self.vectors.tokens[i])
        )

    def summarise(self, day: date, count: int) -> list[TimelineSentence]:
        """Up to ``count`` sentences saying what happened on ``day``, best first."""
        pool = [i for i in self.pools.of(day) if self._usable(i)]
        if not pool:
            return []
        rows = [self.vectors.rows[i] for i in pool]
        weights = [self._weight(i, day) for i in pool]
        centroid = _centroid(rows, weights)
        # Central to the day, and to what the articles as a whole are about.
        central = [
            cosine(rows[k], centroid) * cosine(rows[k], self.topic) * weights[k]
            for k in range(len(pool))
        ]
        # Outlet counts compare candidates pairwise: on a busy day only the most central are
        # worth it.
        shortlist = sorted(range(len(pool)), key=lambda k: -central[k])[:SHORTLIST]
        pool = [pool[k] for k in shortlist]
        rows = [rows[k] for k in shortlist]
        central = [central[k] for k in shortlist]
        near = _near(rows)
        outlets = [self._outlets(k, pool, rows, near[k]) for k in range(len(pool))]
        salience = [central[k] * (1 + math.log(outlets[k])) for k in range(len(pool))]
        top = max(salience)
        chosen: list[int] = []
        while top > 0 and len(chosen) < count:
            best, gain = None, 0.0
            for k, i in enumerate(pool):
                if k in chosen or salience[k] <= (FURTHER_SALIENCE * top if chosen else 0):
                    continue
                c = self.candidates[i]
                if chosen and self.said.repeated(c.text, rows[k], self.vectors.tokens[i]):
                    continue
                score = MMR_LAMBDA * salience[k] / top - (1 - MMR_LAMBDA) * self.said.closeness(
                    rows[k]
                )
                if best is None or score > gain:
                    best, gain = k, score
            if best is None:
                break
            chosen.append(best)
            i = pool[best]
            self.said.add(self.candidates[i].text, rows[best], self.vectors.tokens[i])
        return [self._sentence(pool[k], day, salience[k], outlets[k]) for k in chosen]

    def _weight(self, i: int, day: date) -> float:
        c = self.candidates[i]
        weight = NAMING_WEIGHT / len(c.named_days) if day in c.named_days else 1.0
        if c.index == 0:
            weight *= OPENING_WEIGHT
        weight /= len(c.text.split()) ** LENGTH_EXPONENT
        return weight / (1 + POSITION_DECAY * c.index)

    def _outlets(self, k: int, pool: list[int], rows: list[Vector], near: np.ndarray) -> int:
        """Outlets reporting candidate ``k``'s point: its article's carriers, and the sources
        of the day's candidates that say much the same."""
        c = self.candidates[pool[k]]
        reporting = set(self.carriers.get(c.article.id) or {c.article.source})
        reporting |= {
            self.candidates[pool[j]].article.source
            for j in np.flatnonzero(near)
            if cosine(rows[k], rows[j]) >= SAME_POINT
        }
        return len(reporting)

    def _sentence(self, i: int, day: date, salience: float, outlets: int) -> TimelineSentence:
        c = self.candidates[i]
        return TimelineSentence(
            text=c.text,
            article_id=c.article.id,
            sentence_index=c.index,
            source=c.article.source,
            url=c.article.url,
            title=c.article.title,
            published=c.article.published,
            salience=round(salience, 4),
            outlets=outlets,
            names_day=day in c.named_days,
        )


# -- the timeline ---------------------------------------------------------------------------


def _as_day(value: date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def timeline(
    store: Store,
    query: str | None = None,
    since: date | None = None,
    until: date | None = None,
    max_dates: int = 10,
    sentences_per_date: int = 2,
    corpus: Corpus | None = None,
) -> Timeline:
    """The ``max_dates`` days that matter most among the articles published from ``since``
    through ``until`` (days, both included), with up to ``sentences_per_date`` sentences each.

    ``query`` keeps the articles and sentences that have all its words; alternatives are
    joined by " OR " ("zuma OR jacob zuma"). Only days within the period, and none after the
    last article's publication day, are listed: a timeline says what has happened.
    ``corpus``: the period's articles and facts when the caller has them loaded already (a
    briefing), instead of reading them again.
    """
    since, until = _as_day(since), _as_day(until)
    if since and until and since > until:
        raise WatchfloorError(f"--since {since} is after --until {until}: swap them")
    if max_dates < 1 or sentences_per_date < 1:
        raise WatchfloorError("--max-dates and --sentences-per-date must be at least 1")
    alternatives = query_alternatives(query)
    if corpus is None:
        corpus = _load(store, alternatives, since, until)
    result = Timeline(query, since, until, len(corpus.articles))
    candidates = _candidates(corpus, alternatives)
    published = [day for day in map(published_day, corpus.articles) if day]
    if not candidates or not published:
        return result
    period = _Period(since, min(until, max(published)) if until else max(published))
    carriers = _carriers(corpus)
    votes = _vote(candidates, carriers, period)
    selector = _Selector(
        candidates, _Vectors([c.text for c in candidates]), _Pools(candidates), carriers,
        on_query_only=bool(alternatives),
    )  # fmt: skip
    for day in _ranked_days(votes, max_dates):
        if len(result.dates) == max_dates:
            break
        sentences = selector.summarise(day, sentences_per_date)
        if sentences:
            v = votes[day]
            result.dates.append(
                TimelineDate(day, round(v.score, 3), len(v.articles), len(v.outlets), sentences)
            )
    result.dates.sort(key=lambda d: d.day)
    return result


def _ranked_days(votes: dict[date, _Votes], max_dates: int) -> Iterator[date]:
    """Days by score. When the timeline's span allows a week or more per date, a day's score
    is multiplied by NEIGHBOUR_FACTOR for each day ranked before it within NEIGHBOUR_DAYS (or
    within one day, when it allows less than two weeks): coverage over consecutive days is
    mostly one story told as it unfolds, and a long timeline should not spend its dates on
    it. A short one follows the story day by day."""
    remaining = dict.fromkeys(sorted(votes, key=lambda d: (-votes[d].score, d)))
    if not remaining:
        return
    spacing = (max(remaining) - min(remaining)).days / max_dates
    reach = min(NEIGHBOUR_DAYS, int(spacing // 7))
    factor: dict[date, float] = defaultdict(lambda: 1.0)
    while remaining:
        best = max(remaining, key=lambda d: (votes[d].score * factor[d], -d.toordinal()))
        del remaining[best]
        yield best
        for gap in range(1, reach + 1):
            for near in (best - timedelta(days=gap), best + timedelta(days=gap)):
                factor[near] *= NEIGHBOUR_FACTOR


# -- output ---------------------------------------------------------------------------------


def timeline_dict(made: Timeline) -> dict[str, Any]:
    """The timeline as plain JSON types."""

    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "query": made.query,
        "since": iso(made.since),
        "until": iso(made.until),
        "articles": made.articles,
        "dates": [
            {
                "date": d.day.isoformat(),
                "score": d.score,
                "articles": d.articles,
                "outlets": d.outlets,
                "sentences": [
                    {
                        "text": s.text,
                        "article_id": s.article_id,
                        "sentence_index": s.sentence_index,
                        "source": s.source,
                        "url": s.url,
                        "title": s.title,
                        "published": iso(s.published),
                        "salience": s.salience,
                        "outlets": s.outlets,
                        "names_day": s.names_day,
                    }
                    for s in d.sentences
                ],
            }
            for d in made.dates
        ],
    }


def render_timeline_json(made: Timeline) -> str:
    return json.dumps(timeline_dict(made), indent=2, ensure_ascii=False) + "\n"


def _escape(text: str) -> str:
    """Text safe inside Markdown link text."""
    return text.replace("[", "\\[").replace("]", "\\]")


def render_timeline_markdown(made: Timeline) -> str:
    scope = f'"{made.query}"' if made.query else "all articles"
    period = f"{made.since or 'start'} to {made.until or 'latest'}"
    lines = [
        f"# Timeline: {scope}, {period}",
        "",
        f"{len(made.dates)} dates from {made.articles} articles; each sentence is quoted "
        "from the article linked after it.",
        "",
    ]
    for d in made.dates:
        lines += [f"## {d.day:%A} {d.day.day} {d.day:%B %Y}", ""]
        for s in d.sentences:
            lines.append(
                f"- {s.text} ({s.source}, [{_escape(s.title) or s.url}]({s.url}), "
                f"article `{s.article_id}` sentence {s.sentence_index})"
            )
        lines.append("")
    if not made.dates:
        lines += ["No dated events found: widen the period or the query.", ""]
    return "\n".join(lines)
