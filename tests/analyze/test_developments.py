from __future__ import annotations

from tests.brief.corpus import june
from watchfloor.analyze.corpus import Corpus, strip_dateline
from watchfloor.analyze.developments import happenings, ranked_sentences, themes
from watchfloor.analyze.sentences import reads_alone

ALL_OUTLETS = ["Continental Wire", "Harbour Post", "Northern Ledger"]


def test_happenings_merge_categories_reported_together_and_keep_days_apart(sample_store):
    found = happenings(Corpus.load(sample_store))
    summary = [(h.day, h.categories, len(h.article_ids), sorted(h.outlets)) for h in found]
    assert summary == [
        (june(17), ["strike_missile", "casualties", "strike_drone"], 3, ALL_OUTLETS),
        (june(10), ["humanitarian"], 2, ["Continental Wire", "Harbour Post"]),
        (june(17), ["energy_sanctions"], 2, ["Continental Wire", "Harbour Post"]),
        (june(18), ["casualties", "strike_missile"], 1, ["Northern Ledger"]),
        (None, ["hybrid_maritime"], 1, ["Baltic Monitor"]),
    ]


def test_themes_count_articles_by_what_their_leads_report(sample_store):
    found = themes(happenings(Corpus.load(sample_store)))
    assert [(t.categories, len(t.article_ids), sorted(t.outlets)) for t in found] == [
        (["casualties", "strike_missile"], 3, ALL_OUTLETS),
        (["energy_sanctions"], 2, ["Continental Wire", "Harbour Post"]),
        (["humanitarian"], 2, ["Continental Wire", "Harbour Post"]),
        (["hybrid_maritime"], 1, ["Baltic Monitor"]),
        (["strike_drone"], 1, ["Harbour Post"]),
    ]


def test_ranked_sentences_put_self_contained_leads_with_figures_first(sample_store):
    strikes = happenings(Corpus.load(sample_store))[0]
    ranked = ranked_sentences(strikes.refs)
    assert [r.text[:24] for r in ranked] == [
        "The death toll from the ",
        "Russia struck Kyiv with ",
        "The attack on 17 June da",
        "Odesa was also hit by dr",
    ]
    assert [(r.dated_in_text, r.figures) for r in ranked] == [
        (True, 1),
        (True, 1),
        (True, 0),
        (True, 0),
    ]


def test_reads_alone_rejects_sentences_that_lean_on_the_one_before():
    assert reads_alone("Russia struck Kyiv with missiles and drones overnight.")
    assert not reads_alone("He said the attack was the worst in weeks.")
    assert not reads_alone("But the talks ended without a ceasefire in Istanbul.")
    assert not reads_alone("The two leaders spoke by phone on Thursday about Iran.")
    assert not reads_alone("Seen from Helsinki, it is something more than a deal.")
    assert not reads_alone("Most of those killed were inside one section of the building.")
    assert not reads_alone("Kyiv was hit.")  # too short to stand alone


def test_datelines_and_labels_are_not_part_of_the_sentence():
    assert strip_dateline("ODESA, June 17 (Meridian Wire) - Drones struck.") == "Drones struck."
    assert strip_dateline("SEOUL - Sergei Shoigu met Kim.") == "Sergei Shoigu met Kim."
    assert strip_dateline("NATO PATROLS: NATO launched a mission.") == "NATO launched a mission."
    assert strip_dateline("EU leaders met - and agreed.") == "EU leaders met - and agreed."


def test_corpus_load_filters_by_day_and_topic(sample_store):
    days = Corpus.load(sample_store, since=june(12), until=june(17))
    assert [a.title for a in days.articles] == [
        "Warm week ahead for Kyiv",
        "Kyiv hit by overnight missile attack",
        "EU proposes end to Russian gas imports",
        "Kyiv toll climbs to 23",
        "Brussels sets out plan to stop buying Russian gas",
    ]
    assert [a.source for a in Corpus.load(sample_store, topic="Odesa").articles] == [
        "Northern Ledger"
    ]
