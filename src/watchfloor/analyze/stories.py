"""Stories in the store: placing new articles after each intake, rebuilding, and listing.

An update places every article not yet in a story (see story_clusterer.py for how), reading
only the recent past it needs; a rebuild places all articles afresh. Placing articles in the
order they appeared gives the same stories either way. A near-duplicate (a wire copy) joins the
story of the article it copies and adds no independent source.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from watchfloor.analyze.story_clusterer import StoryClusterer, StoryParams, story_id_for
from watchfloor.analyze.story_features import StoryFeatures, article_time, story_features
from watchfloor.model import Story
from watchfloor.store.base import Store, StoryLink, StoryMaterial

KEY_NAMES = 5  # actors and places listed per story
# In a story of this many original articles or more, a key actor or place is named by two.
WIDELY_NAMED = 3


@dataclass(slots=True)
class StoryUpdate:
    placed: int = 0  # articles placed in a story by this run
    new_stories: list[str] = field(default_factory=list)  # ids, in the order they started
    grown_stories: list[str] = field(default_factory=list)  # stories that existed and grew

    def summary(self) -> str:
        return (
            f"{self.placed} articles placed: {len(self.new_stories)} new stories, "
            f"{len(self.grown_stories)} grown"
        )


def update_stories(store: Store, settings: object) -> StoryUpdate:
    """Place every article that is in no story yet (call after each ingest or fetch)."""
    params = StoryParams.from_settings(settings)
    waiting = store.articles_without_story()
    if not waiting:
        return StoryUpdate()
    # An article's place depends on the stories of the last window_days, and their articles'
    # weights on the idf_days before each of them.
    first = min(article_time(a) for a in waiting)
    since = first - timedelta(days=params.window_days + params.idf_days)
    return _place(store, store.story_material(since, lead_sentences=params.lead_sentences), params)


def rebuild_stories(
    store: Store, settings: object, params: StoryParams | None = None
) -> StoryUpdate:
    """Place all articles afresh, forgetting the stories stored (``params``, when given,
    instead of those the settings give: for measuring variants)."""
    params = params or StoryParams.from_settings(settings)
    material = store.story_material(lead_sentences=params.lead_sentences)
    for item in material:
        item.story_id = None
    store.clear_stories()
    return _place(store, material, params)


def _place(store: Store, material: list[StoryMaterial], params: StoryParams) -> StoryUpdate:
    features = {
        m.article.id: story_features(m.article, m.facts, params.lead_sentences) for m in material
    }
    story_of = {m.article.id: m.story_id for m in material if m.story_id}
    copies = {m.article.id: m.article.duplicate_of for m in material if m.article.duplicate_of}
    clusterer = StoryClusterer(params)
    links: list[StoryLink] = []
    for f in sorted(features.values(), key=lambda f: (f.time, f.article_id)):
        if f.article_id in copies:
            continue  # copies follow their originals below
        if f.article_id in story_of:
            clusterer.replay(f, story_of[f.article_id])
        else:
            links.append(clusterer.place(f))
            story_of[f.article_id] = links[-1].story_id
    links += _place_copies(store, copies, story_of)
    if not links:
        return StoryUpdate()
    touched = list(dict.fromkeys(link.story_id for link in links))
    stories = _summaries(store, touched, links, features, params)
    store.save_stories(stories, links)
    started = {link.story_id for link in links if link.how == "first"}
    return StoryUpdate(
        placed=len(links),
        new_stories=[s for s in touched if s in started],
        grown_stories=[s for s in touched if s not in started],
    )


def _place_copies(
    store: Store, copies: dict[str, str], story_of: dict[str, str]
) -> list[StoryLink]:
    """Links for copies not placed yet: each into its original's story."""
    waiting = {c: o for c, o in copies.items() if c not in story_of}
    unknown = set(waiting.values()) - set(story_of)
    if unknown:  # originals older than the period read
        for m in store.story_material(article_ids=unknown):
            if m.story_id:
                story_of[m.article.id] = m.story_id
    links = []
    for copy_id, original in sorted(waiting.items()):
        if original in story_of:
            links.append(StoryLink(copy_id, story_of[original], "copy"))
        else:  # the original is gone: the copy stands alone
            links.append(StoryLink(copy_id, story_id_for(copy_id), "first"))
        story_of[copy_id] = links[-1].story_id
    return links


def _summaries(
    store: Store,
    story_ids: list[str],
    links: list[StoryLink],
    features: dict[str, StoryFeatures],
    params: StoryParams,
) -> list[Story]:
    """The touched stories summarised over all their articles, older ones included."""
    members: dict[str, list[str]] = defaultdict(list)
    for story_id in story_ids:
        stored = store.story(story_id)
        if stored:
            members[story_id] += stored.article_ids
    for link in links:
        members[link.story_id].append(link.article_id)
    missing = {a for ids in members.values() for a in ids} - set(features)
    for m in store.story_material(article_ids=missing, lead_sentences=params.lead_sentences):
        features[m.article.id] = story_features(m.article, m.facts, params.lead_sentences)
    return [
        summarise(story_id, [features[a] for a in dict.fromkeys(members[story_id])])
        for story_id in story_ids
    ]


def summarise(story_id: str, members: list[StoryFeatures]) -> Story:
    """A story's record from its articles: title from the most central original, span, key
    actors and places, article and independent-source counts."""
    members = sorted(members, key=lambda f: (f.time, f.article_id))
    originals = [f for f in members if not f.is_copy] or members
    central = _most_central(originals)
    return Story(
        id=story_id,
        title=central.headline,
        start=members[0].time,
        end=members[-1].time,
        article_ids=[f.article_id for f in members],
        # A name more often read as a place than as an actor ("Kyiv") is listed as a place.
        key_actors=_key_names(
            originals, lambda f: f.entities, lambda f: f.actor_names, _place_keys(originals)
        ),
        key_places=_key_names(originals, lambda f: f.places, lambda f: f.place_names),
        article_count=len(members),
        source_count=len({f.source for f in originals}),
        title_article_id=central.article_id,
    )


def _place_keys(originals: list[StoryFeatures]) -> frozenset[str]:
    as_place: Counter[str] = Counter()
    as_actor: Counter[str] = Counter()
    for f in originals:
        as_place.update(f.places)
        as_actor.update(f.entities)
    return frozenset(k for k in as_place if as_place[k] >= as_actor[k])


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


def _most_central(originals: list[StoryFeatures]) -> StoryFeatures:
    """The article whose words are closest to the story's as a whole (earliest on a tie),
    preferring articles with a headline."""
    candidates = [f for f in originals if f.headline] or originals
    vectors = {f.article_id: _unit(f.terms) for f in originals}
    total: Counter[str] = Counter()
    for vector in vectors.values():
        total.update(vector)

    def closeness(f: StoryFeatures) -> float:
        return sum(w * total[k] for k, w in vectors[f.article_id].items())

    return max(candidates, key=lambda f: (closeness(f), -candidates.index(f)))


def _key_names(
    originals: list[StoryFeatures], block, names, not_in: frozenset[str] = frozenset()
) -> list[str]:
    """Names in most articles first (in a larger story, only those two articles name), each as
    most often written, capitalised rather than in capitals."""
    reach: Counter[str] = Counter()
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for f in originals:
        for key in block(f):
            if key in names(f) and key not in not_in:
                reach[key] += 1
                written[key][names(f)[key]] += 1
    least = 2 if len(originals) >= WIDELY_NAMED else 1
    ranked = sorted((k for k in reach if reach[k] >= least), key=lambda k: (-reach[k], k))
    return [
        min(written[k].items(), key=lambda item: (-item[1], item[0].isupper(), item[0]))[0]
        for k in ranked[:KEY_NAMES]
    ]


# -- listing ---------------------------------------------------------------------------------


def story_rows(
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    query: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Stories with articles in [since, until), latest activity first, as JSON-ready rows; with
    ``query``, only those whose title or an article matches it (full-text search)."""
    stories = store.stories(since=since, until=until)
    if query:
        matching = {a.id for a in store.articles(query=query)}
        folded = query.casefold()
        stories = [
            s
            for s in stories
            if folded in s.title.casefold() or matching.intersection(s.article_ids)
        ]
    return [story_row(s) for s in stories[:limit]]


def story_row(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "start": story.start.isoformat() if story.start else None,
        "end": story.end.isoformat() if story.end else None,
        "articles": story.article_count,
        "sources": story.source_count,
        "key_actors": story.key_actors,
        "key_places": story.key_places,
        "title_article_id": story.title_article_id,
        "article_ids": story.article_ids,
    }


def render_stories_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps({"stories": list(rows)}, ensure_ascii=False, indent=2) + "\n"


def render_stories_table(rows: Iterable[dict[str, Any]]) -> str:
    """One line per story: span, articles, independent sources, title, actors and places."""
    header = ["span", "articles", "sources", "title", "actors / places"]
    lines = [header]
    for row in rows:
        span = _day(row["start"])
        if _day(row["end"]) != span:
            span += f" \u2013 {_day(row['end'])}"
        names = ", ".join(row["key_actors"])
        if row["key_places"]:
            names += (" / " if names else "") + ", ".join(row["key_places"])
        lines.append([span, str(row["articles"]), str(row["sources"]), row["title"], names])
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = []
    for line in lines:
        cells = [
            cell.rjust(width) if i in (1, 2) else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=False))
        ]
        out.append("  ".join([*cells, line[-1]]).rstrip())
    return "\n".join(out) + "\n"


def _day(moment: str | None) -> str:
    return moment[:10] if moment else "undated"
