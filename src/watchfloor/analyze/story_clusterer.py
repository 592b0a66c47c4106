"""Story clustering: each article, in the order articles appeared, joins the most similar story
active in the last ``window_days`` or starts one of its own.

Similarity blends the words of the title and lead (TF-IDF, cosine against the sum of the
story's recent articles), the people and organisations named, the places named, and the days
the events happened; it halves with every ``half_life_days`` since the story's last article.

Every weight an article gets (IDF) comes from the articles of the ``idf_days`` before it, and a
story is represented by its articles of the last ``window_days``: a decision depends only on the
recent past, so placing articles as they come gives the stories a full rebuild gives.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, timedelta

from watchfloor.analyze.story_features import StoryFeatures
from watchfloor.store.base import StoryLink

# How much each kind of evidence counts (a score is their weighted mean). Chosen with the
# threshold on ECB+ and the demo corpus (EVALUATION.md): the words carry most; the same event
# days are a small bonus, as most articles of a week name the same few days.
TEXT_WEIGHT = 0.6
ENTITY_WEIGHT = 0.2
PLACE_WEIGHT = 0.15
DAY_WEIGHT = 0.05
# A key shared by more active stories than this does not make them candidates for an article,
# and only this many candidates, the most similar on the other keys, are scored in full.
CANDIDATE_KEY_STORIES = 50
CANDIDATES = 20
# Days this far apart still name the same happening (an overnight attack dated to either night).
DAY_TOLERANCE = 1


@dataclass(frozen=True, slots=True)
class StoryParams:
    threshold: float = 0.25  # least similarity for an article to join a story
    half_life_days: float = 2.0  # similarity halves with each such interval since the last article
    window_days: float = 7.0  # stories quiet for longer take no new articles
    idf_days: float = 30.0  # word weights come from the articles of this many days before
    lead_sentences: int = 3  # sentences after the title that say what an article is about
    # Evidence weights (not settings: changing them means measuring again).
    text_weight: float = TEXT_WEIGHT
    entity_weight: float = ENTITY_WEIGHT
    place_weight: float = PLACE_WEIGHT
    day_weight: float = DAY_WEIGHT

    @classmethod
    def from_settings(cls, settings: object) -> StoryParams:
        defaults = cls()
        return cls(
            threshold=getattr(settings, "story_threshold", defaults.threshold),
            half_life_days=getattr(settings, "story_half_life_days", defaults.half_life_days),
            window_days=getattr(settings, "story_window_days", defaults.window_days),
            idf_days=getattr(settings, "story_idf_days", defaults.idf_days),
            lead_sentences=getattr(settings, "story_lead_sentences", defaults.lead_sentences),
        )


def story_id_for(article_id: str) -> str:
    """A story is named after the article that started it, so rebuilding keeps its id."""
    return f"s-{article_id}"


# Member weights are kept as integers (fixed point) so that a story's sums are exact whatever
# order articles join and leave it in: an update then reproduces a rebuild bit for bit.
_SCALE = 1 << 20
_PREFIXES = ("t:", "e:", "p:")  # the three blocks' keys, kept apart in shared tables


@dataclass(slots=True)
class _Block:
    """One kind of evidence summed over a story's recent articles."""

    sums: dict[str, int] = field(default_factory=dict)
    norm_sq: int = 0  # squared length of ``sums``
    norm: float = 0.0

    def add(self, vector: dict[str, int], sign: int) -> None:
        dot = sum(self.sums.get(k, 0) * w for k, w in vector.items())
        self.norm_sq += 2 * sign * dot + sum(w * w for w in vector.values())
        self.norm = math.sqrt(self.norm_sq)
        for key, weight in vector.items():
            total = self.sums.get(key, 0) + sign * weight
            if total:
                self.sums[key] = total
            else:
                self.sums.pop(key, None)


@dataclass(slots=True)
class _Recent:
    """One article in the windows, with its story and its weighted, unit-length vectors."""

    features: StoryFeatures
    story_id: str
    vectors: tuple[dict[str, int], ...]


@dataclass(slots=True)
class _ActiveStory:
    """A story as its articles of the last ``window_days`` describe it."""

    blocks: tuple[_Block, ...] = field(default_factory=lambda: (_Block(), _Block(), _Block()))
    days: Counter = field(default_factory=Counter)
    times: deque = field(default_factory=deque)  # of its recent articles, oldest first

    def add(self, item: _Recent, sign: int) -> None:
        for block, vector in zip(self.blocks, item.vectors, strict=True):
            block.add(vector, sign)
        for day in item.features.days:
            self.days[day] += sign
            if not self.days[day]:
                del self.days[day]
        if sign > 0:
            self.times.append(item.features.time)
        else:  # articles leave the window in the order they came
            self.times.popleft()


class StoryClusterer:
    """Places articles, in the order they appeared, into stories."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self._idf_window: deque[StoryFeatures] = deque()
        self._story_window: deque[_Recent] = deque()
        self._df: Counter[str] = Counter()
        self._active: dict[str, _ActiveStory] = {}
        # block-prefixed key -> active story id -> the story's summed weight for the key
        self._postings: dict[str, dict[str, int]] = {}

    # -- the windows ----------------------------------------------------------------------

    def _advance(self, features: StoryFeatures) -> None:
        """Forget what fell out of the windows before ``features``, then count it in."""
        now = features.time
        idf_start = now - timedelta(days=self.params.idf_days)
        while self._idf_window and self._idf_window[0].time < idf_start:
            for key in _keys(self._idf_window.popleft()):
                self._df[key] -= 1
                if not self._df[key]:
                    del self._df[key]
        story_start = now - timedelta(days=self.params.window_days)
        while self._story_window and self._story_window[0].features.time < story_start:
            self._move(self._story_window.popleft(), -1)
        self._idf_window.append(features)
        self._df.update(_keys(features))

    def _move(self, item: _Recent, sign: int) -> None:
        """Add ``item`` to its story (sign 1) or take it out (sign -1)."""
        story = self._active.setdefault(item.story_id, _ActiveStory())
        story.add(item, sign)
        for block, prefix, vector in zip(story.blocks, _PREFIXES, item.vectors, strict=True):
            for key in vector:
                total = block.sums.get(key)
                postings = self._postings.setdefault(prefix + key, {})
                if total:
                    postings[item.story_id] = total
                else:
                    postings.pop(item.story_id, None)
                    if not postings:
                        del self._postings[prefix + key]
        if not story.times:
            del self._active[item.story_id]
        if sign > 0:
            self._story_window.append(item)

    # -- similarity -----------------------------------------------------------------------

    def _weighted(self, prefix: str, weights: dict[str, float]) -> dict[str, float]:
        """TF-IDF weights of one block, scaled to unit length."""
        n = len(self._idf_window)
        weighted = {
            k: w * (math.log((1 + n) / (1 + self._df[prefix + k])) + 1.0)
            for k, w in weights.items()
        }
        norm = math.sqrt(sum(w * w for w in weighted.values()))
        return {k: w / norm for k, w in weighted.items()} if norm else {}

    def _dots(self, vectors: list[dict[str, float]]) -> dict[str, list[float]]:
        """Dot products of the article's blocks with its candidate stories. Candidates share
        keys that few active stories have (common words make none); the most similar on those
        keys alone are scored in full. The work per article stays bounded however many
        stories are open."""
        partial: dict[str, list[float]] = {}
        for b, (prefix, vector) in enumerate(zip(_PREFIXES, vectors, strict=True)):
            for key, weight in vector.items():
                postings = self._postings.get(prefix + key, {})
                if len(postings) <= CANDIDATE_KEY_STORIES:
                    for story_id, total in postings.items():
                        partial.setdefault(story_id, [0.0, 0.0, 0.0])[b] += weight * total
        weights = (self.params.text_weight, self.params.entity_weight, self.params.place_weight)

        def promise(story_id: str) -> tuple[float, str]:
            score = 0.0
            blocks = self._active[story_id].blocks
            for w, dot, block in zip(weights, partial[story_id], blocks, strict=True):
                if dot:
                    score -= w * dot / block.norm
            return (score, story_id)

        return {
            story_id: [
                sum(w * block.sums.get(k, 0) for k, w in vector.items())
                for block, vector in zip(self._active[story_id].blocks, vectors, strict=True)
            ]
            for story_id in heapq.nsmallest(CANDIDATES, partial, key=promise)
        }

    def similarity(self, features: StoryFeatures, story: _ActiveStory, dots: list[float]) -> float:
        text, entities, places = (
            dot / block.norm if block.norm_sq > 0 else 0.0
            for dot, block in zip(dots, story.blocks, strict=True)
        )
        p = self.params
        score = p.text_weight * text + p.entity_weight * entities + p.place_weight * places
        score += p.day_weight * _day_agreement(features.days, story.days)
        score /= p.text_weight + p.entity_weight + p.place_weight + p.day_weight
        elapsed = (features.time - story.times[-1]).total_seconds() / 86400
        return score * 0.5 ** (max(elapsed, 0.0) / self.params.half_life_days)

    # -- placing --------------------------------------------------------------------------

    def place(self, features: StoryFeatures) -> StoryLink:
        """Place the next article: in the most similar active story, or a new one."""
        vectors = self._take_in(features)
        best_id, best = None, 0.0
        for story_id, dots in sorted(self._dots(vectors).items()):
            score = self.similarity(features, self._active[story_id], dots)
            if score > best:
                best_id, best = story_id, score
        if best_id is None or best < self.params.threshold:
            link = StoryLink(features.article_id, story_id_for(features.article_id), "first")
        else:
            link = StoryLink(features.article_id, best_id, "similar", round(best, 4))
        self._move(_Recent(features, link.story_id, _fixed(vectors)), +1)
        return link

    def replay(self, features: StoryFeatures, story_id: str) -> None:
        """Take in an article placed before, in its story: how an update learns the recent past."""
        vectors = self._take_in(features)
        self._move(_Recent(features, story_id, _fixed(vectors)), +1)

    def _take_in(self, features: StoryFeatures) -> list[dict[str, float]]:
        self._advance(features)
        blocks = (features.terms, features.entities, features.places)
        return [self._weighted(p, b) for p, b in zip(_PREFIXES, blocks, strict=True)]


def _fixed(vectors: list[dict[str, float]]) -> tuple[dict[str, int], ...]:
    scaled = [{k: round(w * _SCALE) for k, w in vector.items()} for vector in vectors]
    return tuple({k: w for k, w in vector.items() if w} for vector in scaled)


def _keys(features: StoryFeatures) -> list[str]:
    blocks = (features.terms, features.entities, features.places)
    return [p + k for p, block in zip(_PREFIXES, blocks, strict=True) for k in block]


def _day_agreement(days: frozenset[date], story_days: Counter) -> float:
    """Share of the article's days that the story's recent articles name too (give or take
    ``DAY_TOLERANCE``); 0 when either names none."""
    if not days or not story_days:
        return 0.0
    near = sum(
        any(day + timedelta(days=d) in story_days for d in range(-DAY_TOLERANCE, DAY_TOLERANCE + 1))
        for day in days
    )
    return near / len(days)
