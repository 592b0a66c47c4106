from __future__ import annotations

from tests.brief.corpus import ArticleBuilder, at, june
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.counts import rising_counts


def report(store, day: int, hour: int, value: int, approx=None, place="Kyiv") -> None:
    phrase = f"{value} people"
    b = ArticleBuilder(
        f"https://example.org/{day}-{hour}",
        f"Toll {value}",
        "Example",
        at(day, hour),
        [f"The attack on {place} has killed {phrase}, officials said on the day."],
    )
    killed = b.count(0, phrase, value, "killed", "people", approx=approx)
    b.event(0, "casualties", "killed", june(day), place, [killed])
    store.add([b.build()])


def test_a_rising_toll_is_followed_from_the_earliest_to_the_latest_report(store):
    report(store, 17, 8, 14, approx="at least")
    report(store, 17, 16, 23)
    report(store, 18, 9, 28)
    report(store, 18, 10, 3, place="Odesa")
    [series] = rising_counts(Corpus.load(store))
    assert (series.measure, series.place) == ("death toll", "Kyiv")
    assert (series.first.value_text, series.last.value_text) == ("at least 14", "28")
    assert series.last.sentence_key[1] == 0


def test_a_lower_latest_figure_is_not_called_a_rise(store):
    report(store, 17, 8, 14)
    report(store, 18, 8, 28)
    report(store, 19, 8, 20)
    assert rising_counts(Corpus.load(store)) == []
