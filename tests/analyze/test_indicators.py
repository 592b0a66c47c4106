import csv
import io
import json
from datetime import date, datetime

import pytest

from tests.analyze.factbuilder import D, Said, build, corpus_of, day, event, june_scenario, toll
from watchfloor.analyze.indicator_views import (
    plot_indicators,
    render_csv,
    render_json,
    render_table,
)
from watchfloor.analyze.indicators import compute_indicators, indicators, robust_score
from watchfloor.analyze.theatres import article_theatre, event_theatres, theatre_code
from watchfloor.errors import WatchfloorError
from watchfloor.model import ArticleFacts, Mention


@pytest.fixture
def scenario_store(store):
    store.add(june_scenario())
    return store


def by_key(series):
    return {(i.theatre, i.day): i for i in series}


def test_robust_score_is_a_z_score_on_median_and_mad():
    median, mad, score = robust_score(5.0, [1.0, 2.0, 3.0, 4.0, 100.0])
    assert (median, mad) == (3.0, 1.0)
    assert score == pytest.approx(2 / 1.4826)
    # A flat history has no spread: the floor of 1 keeps the score finite.
    assert robust_score(4.0, [0.0] * 10) == (0.0, 0.0, 4.0)


def test_event_theatres_follow_place_then_targets_then_actors():
    assert event_theatres(event("strike_drone", D, place="UA", targets=("RU",)), "FI") == ["UA"]
    assert event_theatres(event("strike_drone", D, targets=("IR", "IL")), None) == ["IR", "IL"]
    # A vote or a talk happens where its actors are; a strike does not.
    assert event_theatres(event("arms_control", D, actors=("FI",)), "RU") == ["FI"]
    assert event_theatres(event("strike_drone", D, actors=("RU",)), "UA") == ["UA"]
    assert event_theatres(event("strike_drone", D, actors=("RU",)), "RU") == []
    assert event_theatres(event("strike_drone", D, actors=("UA", "RU")), "UA") == ["UA"]
    assert event_theatres(event("cyber", D), None) == []


def _country(text: str, code: str, sentence: int, label: str = "GPE") -> Mention:
    return Mention(text, label, 0, len(text), sentence, linked_id=f"iso:{code}")


def test_article_theatre_does_not_vote_for_the_attacker():
    facts = ArticleFacts(
        "a",
        mentions=[
            _country("Russia", "RU", 0),
            _country("Russia", "RU", 1),
            _country("Ukraine", "UA", 2),
            _country("Russian", "RU", 2, label="NORP"),
        ],
        events=[event("strike_drone", D, actors=("RU",))],
    )
    facts.events[0].sentence_index = 0
    facts.events[0].actors = ["Russia"]
    # Russia attacks in sentence 0 (no vote), is named in sentence 1 (a vote), Ukraine in 2.
    assert article_theatre(facts) is None  # one vote each: unclear
    facts.mentions.append(_country("Ukraine", "UA", 3))
    assert article_theatre(facts) == "UA"
    facts.events.append(event("humanitarian", D, place="RU"))
    assert article_theatre(facts) == "RU"  # an event's place weighs two mentions


def test_theatre_code_reads_codes_and_names():
    assert [theatre_code(t) for t in ("ua", "Ukraine", "UKR", " FI ")] == ["UA", "UA", "UA", "FI"]
    with pytest.raises(WatchfloorError, match="theatre 'Atlantis' is not a country"):
        theatre_code("Atlantis")


def test_daily_measures_and_scores(scenario_store):
    found = by_key(indicators(scenario_store))
    assert set(found) == {
        ("UA", day(1)), ("UA", day(5)), ("UA", day(10)), ("UA", D), ("UA", day(17)),
        ("UA", day(18)), ("RU", day(19)),
    }  # fmt: skip
    night = found[("UA", D)]
    m = night.measures
    # Two sentences report strikes (the drone-and-missile sentence counts once); the Russian
    # launch joins Ukraine through the article's theatre.
    assert (m["events"].value, m["strikes"].value, m["nuclear"].value) == (2.0, 2.0, 0.0)
    assert night.categories["strike_drone"].value == 2.0
    assert night.categories["casualties"].value == 1.0
    # The toll of the night is its latest precise figure, reported over three days.
    assert (m["killed"].value, m["injured"].value, m["casualties"].value) == (28.0, 0.0, 28.0)
    assert m["killed"].outlets == ["Courier", "Digest", "Wire"]
    assert m["killed"].evidence[0].sentence == "The toll climbed to 28."
    # 15 days of coverage before (from 1 June): strikes were 1 on two of them.
    assert (m["strikes"].baseline, m["strikes"].spread, m["strikes"].anomaly) == (0.0, 0.0, 2.0)
    assert m["casualties"].anomaly == 28.0
    assert m["tone"].value is None and m["tone"].anomaly is None
    assert night.escalation == 13.0
    assert [(d.measure, d.contribution) for d in night.drivers] == [
        ("casualties", 10.0),
        ("strikes", 2.0),
        ("events", 1.0),
    ]
    # The injured figures of 18 June: the precise 134 stands; "more than 130" does not lower it.
    assert found[("UA", day(18))].measures["injured"].value == 134.0
    assert found[("UA", day(18))].measures["killed"].value == 0.0
    # Early days have too little history for a score.
    assert found[("UA", day(5))].measures["strikes"].anomaly is None
    assert found[("UA", day(5))].escalation == 0.0


def test_plans_and_attackers_home_do_not_count(scenario_store):
    found = by_key(indicators(scenario_store))
    # The gas rules dated 2026 have not happened; no day after publication is counted.
    assert max(d for _, d in found) == day(19)
    russia = found[("RU", day(19))]
    # Russia's strike "on the city" is not a strike in Russia.
    assert russia.measures["strikes"].value == 0.0
    assert russia.measures["events"].value == 1.0
    assert russia.measures["tone"].value == -4.0


def test_filters_by_theatre_name_and_days(scenario_store):
    series = indicators(scenario_store, theatre="Ukraine", since=day(16), until=day(17))
    assert [(i.theatre, i.day) for i in series] == [("UA", D), ("UA", day(17))]
    # Loading from 28 days before ``since`` keeps the baseline the same as unfiltered.
    assert series[0].escalation == 13.0
    assert indicators(scenario_store, theatre="FI") == []
    # A datetime end is exclusive, as the command line's --until gives it (midnight after).
    midnight = datetime.fromisoformat("2025-06-18T00:00:00+00:00")
    series = indicators(scenario_store, theatre="UA", since=D, until=midnight)
    assert [i.day for i in series] == [D, day(17)]


def test_as_of_counts_only_what_was_published(scenario_store):
    series = indicators(scenario_store, theatre="UA", as_of=datetime.fromisoformat(
        "2025-06-17T12:00:00+00:00"))  # fmt: skip
    night = by_key(series)[("UA", D)]
    assert night.measures["killed"].value == 14.0
    assert night.measures["killed"].outlets == ["Digest", "Wire"]


def test_toll_stories_split_and_correct():
    items = [
        build("a", "Wire", datetime(2025, 6, 10, 8), [
            Said("Five killed.", [event("casualties", day(10), place="UA",
                                        counts=(toll("killed", 5),))])]),
        build("b", "Digest", datetime(2025, 6, 10, 9), [
            Said("Four killed, officials corrected.",
                 [event("casualties", day(10), place="UA", counts=(toll("killed", 4),))])]),
        build("c", "Wire", datetime(2025, 6, 11, 8), [
            Said("Two killed in another attack.",
                 [event("casualties", day(11), place="UA", counts=(toll("killed", 2),))])]),
    ]  # fmt: skip
    war = [
        build(f"syria-{n}", "Wire", datetime(2025, 6, n, 20), [
            Said(f"The toll rose to {value}.", [event("casualties", day(n), place="SY",
                                                    counts=(toll("killed", value, update=True),))])
        ])
        for n, value in ((10, 10), (11, 12), (12, 15), (13, 20))
    ]  # fmt: skip
    found = by_key(compute_indicators(corpus_of(items + war)))
    # A later precise figure corrects an earlier one; a smaller figure the next day, not an
    # update, is a new happening.
    assert found[("UA", day(10))].measures["killed"].value == 4.0
    assert found[("UA", day(11))].measures["killed"].value == 2.0
    # A toll is followed over three days; what is reported after that counts anew.
    syria = [found[("SY", day(n))].measures["killed"].value for n in (10, 11, 12, 13)]
    assert syria == [15.0, 0.0, 0.0, 20.0]


def test_a_look_back_weeks_later_is_not_that_days_report():
    items = [
        build("a", "Wire", datetime(2025, 6, 10, 8), [
            Said("Six killed overnight.", [event("casualties", day(10), place="UA",
                                                 counts=(toll("killed", 6),))])]),
        build("b", "Wire", datetime(2025, 6, 17, 8), [
            Said("Nine killed last Tuesday, officials said.",
                 [event("casualties", day(10), place="UA", counts=(toll("killed", 9),))])]),
        build("c", "Wire", datetime(2025, 6, 30, 8), [
            Said("Since 10 June, 300 people have died.",
                 [event("casualties", day(10), place="UA", counts=(toll("killed", 300),))])]),
    ]  # fmt: skip
    found = by_key(compute_indicators(corpus_of(items)))
    # A week later still reports the day (and corrects its toll); three weeks later is a
    # running total, which counts on no day.
    assert found[("UA", day(10))].measures["killed"].value == 9.0
    assert found[("UA", day(10))].measures["events"].value == 2


def test_explain_names_drivers_and_articles(scenario_store):
    night = by_key(indicators(scenario_store))[("UA", D)]
    lines = night.explain()
    assert lines[0] == (
        "casualties 28 against a baseline of 0 (score +28.0, adds 10.0), 3 outlet(s)"
    )
    article_ids = {e.article_id for e in night.measures["casualties"].evidence}
    assert all(f"[{a}]" in "\n".join(lines) for a in article_ids)
    assert any(line.endswith("Wire: Russia launched 440 drones.") for line in lines)


def test_renderers(scenario_store):
    series = indicators(scenario_store, theatre="UA", since=D, until=D)
    table = render_table(series).splitlines()
    assert table[0].split() == [
        "theatre", "day", "events", "strikes", "killed", "injured", "nuclear", "tone",
        "escalation", "drivers",
    ]  # fmt: skip
    assert table[1].split() == [
        "UA", "2025-06-16", "2", "2", "28", "0", "0", "-", "13.0",
        "casualties", "+10.0,", "strikes", "+2.0,", "events", "+1.0",
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(render_csv(series))))
    strikes = next(r for r in rows if r["measure"] == "strikes")
    assert (strikes["value"], strikes["baseline"], strikes["anomaly"], strikes["outlets"]) == (
        "2.0", "0.0", "2.0", "1",
    )  # fmt: skip
    assert rows[-1]["measure"] == "escalation" and rows[-1]["value"] == "13.0"
    assert {r["category"] for r in rows if r["measure"] == "events"} == {
        "any", "casualties", "strike_drone", "strike_missile",
    }  # fmt: skip
    data = json.loads(render_json(series))
    assert data[0]["theatre_name"] == "Ukraine"
    assert data[0]["measures"]["killed"]["evidence"][0]["url"].startswith("https://")
    assert data[0]["explanation"][0].startswith("casualties 28")


def test_plots_are_written_offline(scenario_store, tmp_path):
    series = indicators(scenario_store)
    html = plot_indicators(series, tmp_path / "plot.html").read_text(encoding="utf-8")
    # plotly's script is inlined (megabytes of it), never fetched from a CDN.
    assert "<script src=" not in html and len(html) > 1_000_000
    assert "Plotly.newPlot" in html and '"name":"UA"' in html
    png = plot_indicators(series, tmp_path / "out" / "plot.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(WatchfloorError, match=r"plot\.svg: a plot is written as \.html or \.png"):
        plot_indicators(series, tmp_path / "plot.svg")
    with pytest.raises(WatchfloorError, match="no indicators to plot"):
        plot_indicators([], tmp_path / "plot.html")


def test_demo_ukraine_heats_up_on_16_and_17_june(demo_store):
    series = indicators(demo_store, since=date(2025, 6, 1))
    hottest = max(series, key=lambda i: i.escalation)
    assert hottest.theatre == "UA" and hottest.day in (D, day(17))
    ukraine = [i for i in series if i.theatre == "UA" and i.day in (D, day(17))]
    assert max(i.measures["strikes"].value for i in ukraine) >= 3
    assert max(i.measures["killed"].value for i in ukraine) >= 14
    assert max(len(i.measures["strikes"].outlets) for i in ukraine) >= 2
    assert {d.measure for d in hottest.drivers} >= {"strikes", "casualties"}
    assert all(e.sentence for d in hottest.drivers for e in hottest.measures[d.measure].evidence)
