from __future__ import annotations

from datetime import datetime

from tests.analyze.factbuilder import Said, build, corpus_of
from watchfloor.analyze.context import SAME_POINT, SupportIndex
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.similarity import content_tokens, overlap

ANNEXED = "Russia annexed Crimea in 2014 after a disputed referendum."


def _corpus() -> Corpus:
    return corpus_of([
        build("annexation", "Wire", datetime(2025, 6, 1, 9), [
            Said(ANNEXED),
            Said("Crimea was annexed by Russia in 2014 after a disputed vote."),
        ]),
        build("recap", "Ledger", datetime(2025, 6, 1, 10), [
            Said("In 2014 Russia annexed Crimea following a referendum."),
            Said("Russia annexed Crimea in 2014, a step few states recognise."),
            Said("Talks resumed!"),
        ]),
        build("talks", "Courier", datetime(2025, 6, 1, 11), [
            Said("Talks resumed."),
            Said("Talks resumed in Kyiv."),
            Said("Finland joined NATO in 2023 after decades of neutrality."),
        ]),
    ])  # fmt: skip


def test_support_counts_other_articles_making_the_point_once_each():
    index = SupportIndex(_corpus())
    # The recap makes the point twice and counts once; the article's own sentence not at all.
    assert index.support(ANNEXED, _corpus().articles[0].id) == 1
    assert index.support(ANNEXED, "an article outside the corpus") == 2
    assert index.support("Finland joined NATO in 2023 after decades of neutrality.", "x") == 1
    assert index.support("Sweden joined NATO.", "x") == 0


def test_short_sentences_support_only_the_same_words():
    corpus = _corpus()
    talks = corpus.articles[2].id
    # "Talks resumed in Kyiv." shares both words but is not the same sentence.
    assert SupportIndex(corpus).support("Talks resumed.", talks) == 1


def test_support_is_the_count_of_articles_overlapping_by_same_point(demo_store):
    corpus = Corpus.load(demo_store)
    index = SupportIndex(corpus)
    sentences = [
        (a.id, content_tokens(s.text))
        for a in corpus.articles
        for s in corpus.facts[a.id].sentences
    ]
    counted = 0
    for article in corpus.articles[::4]:
        for s in corpus.facts[article.id].sentences:
            tokens = content_tokens(s.text)
            expected = {
                other
                for other, words in sentences
                if other != article.id and overlap(tokens, words) >= SAME_POINT
            }
            assert index.support(s.text, article.id) == len(expected)
            counted += len(expected)
    assert counted > 0
