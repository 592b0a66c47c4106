from __future__ import annotations

from tests.brief.corpus import ArticleBuilder, at, june
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.counts import count_groups


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


def test_a_rising_toll_is_one_update_from_the_earliest_to_the_latest_report(store):
    report(store, 17, 8, 14, approx="at least")
    report(store, 17, 16, 23)
    report(store, 18, 9, 28)
    report(store, 18, 10, 3, place="Odesa")  # one report: no figure to compare
    [toll] = count_groups(Corpus.load(store))
    assert (toll.measure, toll.place, toll.day, toll.verdict) == (
        "death toll",
        "Kyiv",
        june(17),
        "update",
    )
    assert [r.value_text for r in toll.reports] == ["at least 14", "23", "28"]
    assert (toll.latest.value_text, toll.latest.count.sentence_index) == ("28", 0)
    assert toll.conflicting == []


def test_a_lower_latest_figure_is_no_update_but_contradicts_the_higher_one(store):
    report(store, 17, 8, 14)
    report(store, 18, 8, 28)
    report(store, 19, 8, 20)
    [toll] = count_groups(Corpus.load(store))
    assert toll.verdict == "contradiction"
    assert [r.value_text for r in toll.conflicting] == ["28", "20"]
