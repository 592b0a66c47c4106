"""Citation numbers: one per cited source sentence, in order of first use.

A source is a sentence of a stored article, or an entry of the office-holder knowledge base
(a title check's facts, an official's post on a day). Articles outside the briefing's period
(the background's earlier stories) are read from the store.
"""

from __future__ import annotations

from collections.abc import Iterable

from watchfloor.analyze.corpus import Corpus, strip_dateline
from watchfloor.brief.records import Statement
from watchfloor.model import Article, Citation
from watchfloor.store.base import Store

KB_SOURCE = "Watchfloor office-holder knowledge base"


class Citations:
    """Hands out citation numbers as sections cite sentences, and keeps what each points to."""

    def __init__(self, corpus: Corpus, store: Store) -> None:
        self.corpus = corpus
        self.store = store
        self.numbers: dict[tuple[str, int | str], int] = {}
        self.cited: list[Citation] = []

    def article(self, article_id: str) -> Article | None:
        found = self.corpus.by_id.get(article_id)
        return found if found is not None else self.store.article(article_id)

    def sentence_text(self, article_id: str, index: int) -> str:
        """The sentence as stored; "" when the article has none there (a copy stored without
        facts, an imported stub without text)."""
        facts = self.corpus.facts.get(article_id)
        if facts is not None and any(s.index == index for s in facts.sentences):
            return self.corpus.sentence_text(article_id, index)
        stored = self.store.sentence(article_id, index)
        return stored.text if stored else ""

    def display_text(self, article_id: str, index: int) -> str:
        """The sentence as a briefing quotes it: verbatim, less a leading dateline."""
        return strip_dateline(self.sentence_text(article_id, index))

    def cite(self, article_id: str, index: int) -> int:
        key = (article_id, index)
        if key not in self.numbers:
            article = self.article(article_id)
            if article is None:
                raise KeyError(f"article {article_id} is not in the store")
            self._add(
                key,
                Citation(
                    number=0,
                    article_id=article_id,
                    sentence_index=index,
                    sentence_text=self.sentence_text(article_id, index),
                    title=article.title,
                    source=article.source,
                    url=article.url,
                    published=article.published,
                ),
            )
        return self.numbers[key]

    def cite_kb(self, position_key: str, title: str, facts: str) -> int:
        """A knowledge-base entry: ``facts`` is one sentence of its facts with their dates."""
        key = (f"kb:{position_key}", facts)
        if key not in self.numbers:
            same_position = sum(1 for c in self.cited if c.article_id == key[0])
            self._add(
                key,
                Citation(
                    number=0,
                    article_id=key[0],
                    sentence_index=same_position,
                    sentence_text=facts,
                    title=title,
                    source=KB_SOURCE,
                    url="",
                    published=None,
                    kind="kb",
                ),
            )
        return self.numbers[key]

    def _add(self, key: tuple[str, int | str], citation: Citation) -> None:
        citation.number = len(self.cited) + 1
        self.numbers[key] = citation.number
        self.cited.append(citation)

    def cite_all(self, keys: Iterable[tuple[str, int]]) -> list[int]:
        return sorted({self.cite(article_id, index) for article_id, index in keys})

    def verbatim(self, article_id: str, index: int) -> Statement:
        """An article sentence as the briefing quotes it, citing itself."""
        return Statement(self.display_text(article_id, index), [self.cite(article_id, index)])

    def is_cited(self, key: tuple[str, int]) -> bool:
        return key in self.numbers
