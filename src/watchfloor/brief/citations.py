"""Citation numbers: one per cited (article, sentence), in order of first use."""

from __future__ import annotations

from collections.abc import Iterable

from watchfloor.analyze.corpus import Corpus
from watchfloor.brief.records import Statement
from watchfloor.model import Citation


class Citations:
    """Hands out citation numbers as sections cite sentences, and keeps what each points to."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.numbers: dict[tuple[str, int], int] = {}
        self.cited: list[Citation] = []

    def cite(self, article_id: str, index: int) -> int:
        key = (article_id, index)
        if key not in self.numbers:
            article = self.corpus.by_id[article_id]
            self.numbers[key] = len(self.cited) + 1
            self.cited.append(
                Citation(
                    number=self.numbers[key],
                    article_id=article_id,
                    sentence_index=index,
                    sentence_text=self.corpus.sentence_text(article_id, index),
                    title=article.title,
                    source=article.source,
                    url=article.url,
                    published=article.published,
                )
            )
        return self.numbers[key]

    def cite_all(self, keys: Iterable[tuple[str, int]]) -> list[int]:
        return sorted({self.cite(article_id, index) for article_id, index in keys})

    def verbatim(self, article_id: str, index: int) -> Statement:
        """An article sentence as the briefing quotes it, citing itself."""
        return Statement(
            self.corpus.display_text(article_id, index), [self.cite(article_id, index)]
        )

    def is_cited(self, key: tuple[str, int]) -> bool:
        return key in self.numbers

    def used_articles(self) -> set[str]:
        return {article_id for article_id, _ in self.numbers}
