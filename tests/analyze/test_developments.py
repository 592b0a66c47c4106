from __future__ import annotations

from tests.brief.corpus import june, sample_corpus
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.developments import happenings, ranked_sentences, reads_alone


def test_happenings_merge_categories_reported_together_and_keep_days_apart(sample_store):
    found = happenings(Corpus.load(sample_store))
    summary = [(h.day, h.categories, len(h.article_ids), sorted(h.outlets)) for h in found]
    assert summary == [
        (june(10), ["humanitarian"], 2, ["Continental Wire", "Harbour Post"]),
        (
            june(17),
            ["strike_drone", "strike_missile", "casualties"],
            2,
            ["Harbour Post", "Northern Ledger"],
        ),
        (june(17), ["energy_sanctions"], 1, ["Continental Wire"]),
        (june(18), ["casualties", "strike_missile"], 1, ["Northern Ledger"]),
        (None, ["hybrid_maritime"], 1, ["Baltic Monitor"]),
    ]
    assert found[1].places == ["Kyiv", "Odesa"]


def test_ranked_sentences_put_the_self_contained_lead_first(sample_store):
    strikes = happenings(Corpus.load(sample_store))[1]
    assert [r.text[:24] for r in ranked_sentences(strikes.refs)] == [
        "Russia struck Kyiv with ",
        "The attack on 17 June da",
        "Odesa was also hit by dr",
    ]


def test_reads_alone_rejects_sentences_that_lean_on_the_one_before():
    assert reads_alone("Russia struck Kyiv with missiles and drones overnight.")
    assert not reads_alone("He said the attack was the worst in weeks.")
    assert not reads_alone("But the talks ended without a ceasefire in Istanbul.")
    assert not reads_alone("Kyiv was hit.")  # too short to stand alone


def test_corpus_load_filters_by_day_and_topic(sample_store):
    assert len(Corpus.load(sample_store).articles) == len(sample_corpus())
    days = Corpus.load(sample_store, since=june(12), until=june(17))
    assert [a.title for a in days.articles] == [
        "Warm week ahead for Kyiv",
        "Kyiv hit by overnight missile attack",
        "EU proposes end to Russian gas imports",
    ]
    assert [a.source for a in Corpus.load(sample_store, topic="Odesa").articles] == [
        "Northern Ledger"
    ]
