"""Figures reported differently: updates, contradictions, agreements; and the demo's planted
toll update and injured-count contradiction."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.analyze.factbuilder import Said, build, corpus_of, event
from watchfloor.analyze.contradictions import disputes_in, figure_disputes
from watchfloor.analyze.corroboration import claims_in
from watchfloor.model import Count, Event, Quote, TimeExpr

KYIV = ("Kyiv", "gn:703448", "UA")
ODESA = ("Odesa", "gn:698740", "UA")
KINDS = {"at least": "at_least", "more than": "at_least", "about": "about", "up to": "at_most"}


def said(
    text: str,
    value: float,
    role: str = "killed",
    place: tuple[str, str, str] | None = KYIV,
    day: date = date(2025, 6, 17),
    approx: str | None = None,
    update: bool = False,
    country: str | None = None,
) -> Said:
    """A sentence reporting one toll of a strike's casualties, placed and dated."""
    count = Count(
        text=text,
        start=0,
        end=0,
        sentence_index=None,
        value=value,
        what="people",
        role=role,
        approx=approx,
        is_update=update,
        approx_kind=KINDS[approx] if approx else "exact",
    )
    name, place_id, place_country = place or (None, None, country)
    event = Event(
        category="casualties",
        trigger=role,
        sentence_index=None,
        date=day,
        date_precision="day",
        place=name,
        place_id=place_id,
        place_country=place_country,
        counts=[count],
    )
    return Said(text, [event])


def at(day: int, hour: int) -> datetime:
    return datetime(2025, 6, day, hour, tzinfo=UTC)


def cites(item, sentence_index: int, source: str):
    """Add the indirect speech extraction reads from "according to <source>"."""
    _, facts = item
    facts.quotes.append(
        Quote("", 0, 0, sentence_index, source, None, direct=False, cue="according to")
    )
    return item


def disputes(*items):
    corpus = corpus_of(list(items))
    return disputes_in(corpus, claims_in(corpus))


def test_a_toll_rising_over_later_reports_is_an_update_with_the_latest_figure():
    [toll] = disputes(
        build("a", "Wire", at(17, 8), [said("At least 14 were killed.", 14, approx="at least")]),
        build("b", "Courier", at(17, 16), [said("The toll rose to 23.", 23, update=True)]),
        build("c", "Ledger", at(18, 9), [said("It climbed to 28.", 28, day=date(2025, 6, 18))]),
    )  # fmt: skip
    assert (toll.kind, toll.what, toll.place, toll.verdict) == ("count", "killed", "Kyiv", "update")
    assert toll.key == "killed|gn:703448|2025-06-17"
    assert [r.text for r in toll.reports] == ["at least 14", "23", "28"]
    assert (toll.latest.value, toll.latest.outlet) == (28, "Ledger")
    assert toll.conflicting == []


def test_different_figures_at_about_the_same_time_contradict_with_who_said_what():
    wire = cites(
        build(
            "w",
            "Wire",
            at(18, 11),
            [
                said("A total of 134 people were injured.", 134, "injured"),
            ],
        ),
        0,
        "the State Emergency Service",
    )
    courier = cites(
        build(
            "c",
            "Courier",
            at(18, 20),
            [
                said("142 people were injured.", 142, "injured"),
            ],
        ),
        0,
        "the city military administration",
    )
    vague = build("v", "Ledger", at(18, 14), [
        said("More than 130 people were injured.", 130, "injured", approx="more than"),
    ])  # fmt: skip
    [injured] = disputes(wire, courier, vague)
    assert injured.verdict == "contradiction"
    assert [(r.outlet, r.value, r.attributed_to) for r in injured.conflicting] == [
        ("Wire", 134, "State Emergency Service"),
        ("Courier", 142, "city military administration"),
    ]
    assert [r.outlet for r in injured.reports] == ["Wire", "Ledger", "Courier"]
    assert injured.reports[1].published == at(18, 14)


def test_a_later_lower_figure_contradicts_an_earlier_precise_one():
    [toll] = disputes(
        build("a", "Wire", at(17, 8), [said("28 people were killed.", 28)]),
        build("b", "Ledger", at(18, 8), [said("23 people were killed.", 23)]),
    )
    assert toll.verdict == "contradiction"
    assert [r.value for r in toll.conflicting] == [28, 23]


def test_approximate_figures_do_not_contradict_exact_ones():
    [injured, killed] = disputes(
        build("a", "Wire", at(17, 8), [
            said("At least 14 were killed.", 14, approx="at least"),
            said("More than 130 were injured.", 130, "injured", approx="more than"),
        ]),
        build("b", "Ledger", at(17, 9), [
            said("Officials said 23 people were killed.", 23),
            said("134 were injured.", 134, "injured"),
        ]),
    )  # fmt: skip
    assert (killed.what, killed.verdict) == ("killed", "agreement")
    assert (injured.what, injured.verdict) == ("injured", "agreement")
    assert injured.latest.text == "134"  # the precise figure is the one to use


def test_a_higher_figure_from_the_same_outlet_the_same_day_is_its_update():
    [toll] = disputes(
        build("a", "Wire", at(17, 8), [said("14 people were killed.", 14)]),
        build("b", "Wire", at(17, 12), [said("19 people were killed.", 19)]),
    )
    assert toll.verdict == "update"


def test_different_places_are_not_mixed():
    found = disputes(
        build("a", "Wire", at(17, 8), [said("14 killed in Kyiv.", 14)]),
        build("b", "Ledger", at(17, 9), [said("14 killed in Kyiv.", 14)]),
        build("c", "Wire", at(17, 10), [said("3 killed in Odesa.", 3, place=ODESA)]),
        build("d", "Courier", at(17, 11), [said("5 killed in Odesa.", 5, place=ODESA)]),
    )
    by_place = {d.place: d for d in found}
    assert [d.verdict for d in found] == ["contradiction", "agreement"]
    assert [r.value for r in by_place["Odesa"].reports] == [3, 5]
    assert [r.value for r in by_place["Kyiv"].reports] == [14, 14]


def test_different_happenings_days_apart_are_not_mixed():
    found = disputes(
        build("a", "Wire", at(10, 8), [said("14 killed.", 14, day=date(2025, 6, 10))]),
        build("b", "Ledger", at(10, 9), [said("14 killed.", 14, day=date(2025, 6, 10))]),
        build("c", "Wire", at(17, 8), [said("3 killed.", 3)]),
        build("d", "Ledger", at(17, 9), [said("3 killed.", 3)]),
    )
    assert [(d.day, d.verdict, [r.value for r in d.reports]) for d in found] == [
        (date(2025, 6, 10), "agreement", [14, 14]),
        (date(2025, 6, 17), "agreement", [3, 3]),
    ]


def test_a_sentence_naming_no_place_is_about_the_place_the_article_names():
    [injured] = disputes(
        build("a", "Wire", at(18, 8), [
            said("28 people were killed in Kyiv.", 28),
            said("134 people were injured in the attack.", 134, "injured", place=None),
        ]),
        build("b", "Courier", at(18, 9), [said("142 were injured in Kyiv.", 142, "injured")]),
    )  # fmt: skip
    assert (injured.place, injured.verdict) == ("Kyiv", "contradiction")


def test_a_country_wide_figure_joins_the_one_place_reported_in_that_country():
    country_wide = [said("At least 14 were killed in Ukraine.", 14, place=None, country="UA")]
    [toll] = disputes(
        build("a", "Digest", at(17, 9), country_wide),
        build("b", "Wire", at(17, 10), [said("28 killed in Kyiv.", 28, update=True)]),
    )
    assert (toll.place, [r.outlet for r in toll.reports]) == ("Kyiv", ["Digest", "Wire"])
    # With figures for two places in the country it is nobody's.
    found = disputes(
        build("a", "Digest", at(17, 9), country_wide),
        build("b", "Wire", at(17, 10), [said("28 killed in Kyiv.", 28)]),
        build("c", "Ledger", at(17, 10), [said("28 killed in Kyiv.", 28)]),
        build("d", "Wire", at(17, 11), [said("3 killed in Odesa.", 3, place=ODESA)]),
        build("e", "Ledger", at(17, 11), [said("3 killed in Odesa.", 3, place=ODESA)]),
    )
    assert sorted(len(d.reports) for d in found) == [2, 2]


def test_tolls_of_different_groups_are_not_mixed():
    children = Count("97 children", 0, 0, None, 97, "children", "killed")
    found = disputes(
        build("a", "Wire", at(17, 8), [said("28 people were killed.", 28)]),
        build("b", "Ledger", at(17, 9), [said("23 people were killed.", 23)]),
        build("c", "Courier", at(17, 10), [Said("97 children were killed.", [
            Event("casualties", "killed", None, date=date(2025, 6, 17), date_precision="day",
                  place="Kyiv", place_id="gn:703448", place_country="UA", counts=[children])])]),
        build("d", "Digest", at(17, 11), [Said("97 children died.", [
            Event("casualties", "died", None, date=date(2025, 6, 17), date_precision="day",
                  place="Kyiv", place_id="gn:703448", place_country="UA",
                  counts=[Count("97 children", 0, 0, None, 97, "children", "killed")])])]),
    )  # fmt: skip
    assert [(d.what, d.verdict, [r.value for r in d.reports]) for d in found] == [
        ("killed", "contradiction", [28, 23]),
        ("killed children", "agreement", [97, 97]),
    ]
    assert found[1].key == "killed children|gn:703448|2025-06-17"


def test_dozens_or_thousands_without_a_number_is_no_figure():
    thousands = said("Thousands of people were killed.", 1000, approx="at least")
    thousands.events[0].counts[0].text = "Thousands of people"
    found = disputes(
        build("a", "Wire", at(17, 8), [thousands]),
        build("b", "Ledger", at(17, 9), [said("Seven people were killed.", 7)]),
    )
    assert found == []


def test_contradictions_are_listed_before_updates():
    found = disputes(
        build("a", "Wire", at(17, 8), [said("At least 14 were injured.", 14, "injured",
                                            approx="at least")]),
        build("b", "Courier", at(17, 16), [said("It rose to 23.", 23, "injured", update=True)]),
        build("c", "Wire", at(17, 9), [said("134 were killed.", 134)]),
        build("d", "Courier", at(17, 10), [said("142 were killed.", 142)]),
    )  # fmt: skip
    assert [(d.what, d.verdict) for d in found] == [
        ("killed", "contradiction"),
        ("injured", "update"),
    ]
    assert [r.text for r in found[1].reports] == ["at least 14", "23"]


def vote(slug: str, outlet: str, published: datetime, text: str, day_text: str, day: date):
    """A vote reported in one sentence, dated to ``day`` where the sentence says so."""
    article, facts = build(slug, outlet, published, [Said(text, [event("arms_control", day)])])
    start = text.index(day_text)
    facts.times.append(TimeExpr(day_text, start, start + len(day_text), 0, day.isoformat(),
                                "day", day, relative=True))  # fmt: skip
    return article, facts


def test_a_happening_dated_days_apart_is_a_date_contradiction():
    thursday, tuesday = date(2025, 6, 19), date(2025, 6, 17)
    found = disputes(
        vote("a", "Wire", at(19, 15), "Parliament voted on Thursday by 157 votes to 18 to "
             "leave the treaty.", "Thursday", thursday),
        vote("b", "Ledger", at(19, 18), "Lawmakers backed leaving the treaty by 157 votes to 18 "
             "on Thursday.", "Thursday", thursday),
        vote("c", "Digest", at(20, 9), "On Tuesday, 157 MPs voted to leave the treaty and 18 "
             "voted against.", "Tuesday", tuesday),
    )  # fmt: skip
    [dates] = found
    assert (dates.kind, dates.verdict, dates.key) == ("date", "contradiction", "date|18+157|-")
    assert [(r.outlet, r.value) for r in dates.reports] == [
        ("Wire", thursday),
        ("Ledger", thursday),
        ("Digest", tuesday),
    ]
    assert [r.outlet for r in dates.conflicting] == ["Wire", "Ledger", "Digest"]


def test_days_one_apart_agree():
    found = disputes(
        vote("a", "Wire", at(19, 15), "Parliament voted on Thursday by 157 votes to 18 to "
             "leave the treaty.", "Thursday", date(2025, 6, 19)),
        vote("b", "Ledger", at(19, 18), "Lawmakers backed leaving the treaty by 157 votes to 18 "
             "on Wednesday.", "Wednesday", date(2025, 6, 18)),
    )  # fmt: skip
    assert found == []


def test_a_day_the_sentence_names_for_something_else_is_not_the_events_date():
    thursday = date(2025, 6, 19)
    law = vote(
        "c",
        "Digest",
        at(20, 9),
        "Under a law of June 4, 2018, 157 MPs voted to leave the treaty and 18 voted against.",
        "June 4, 2018",
        date(2018, 6, 4),
    )
    law[1].events[0].date = thursday  # extraction dated the vote, not the law
    found = disputes(
        vote("a", "Wire", at(19, 15), "Parliament voted on Thursday by 157 votes to 18 to "
             "leave the treaty.", "Thursday", thursday),
        law,
    )  # fmt: skip
    assert found == []


# -- the demo corpus -------------------------------------------------------------------------


def test_demo_kyiv_toll_is_an_update_from_14_to_28(demo_store):
    found = figure_disputes(demo_store)
    [toll] = [d for d in found if d.what == "killed" and d.place == "Kyiv"]
    assert toll.verdict == "update"
    assert toll.reports[0].text == "at least 14"
    assert (toll.reports[0].outlet, toll.reports[0].published.hour) == ("Meridian Wire", 8)
    figures = [r.value for r in toll.reports if r.approx_kind == "exact"]
    assert sorted(set(figures)) == [23, 28]
    assert figures == sorted(figures)  # never fell
    assert toll.latest.value == 28
    assert toll.conflicting == []
    outlets_28 = {r.outlet for r in toll.reports if r.value == 28}
    assert {"Meridian Wire", "The Northern Ledger", "Kyiv Morning Courier"} <= outlets_28


def test_demo_injured_134_against_142_is_a_contradiction_with_sources(demo_store):
    found = figure_disputes(demo_store)
    [injured] = [d for d in found if d.what == "injured" and d.place == "Kyiv"]
    assert injured.verdict == "contradiction"
    said = [(r.outlet, r.value, r.attributed_to, r.published.day) for r in injured.conflicting]
    assert said == [
        ("Meridian Wire", 134, "Ukraine's State Emergency Service", 18),
        ("Kyiv Morning Courier", 142, "Kyiv city military administration", 18),
    ]
    vague = {r.text for r in injured.reports if r.approx_kind != "exact"}
    assert {"more than 130", "well over 100"} <= vague
    # Only the toll and the injured count are disputed; no date is.
    assert sorted(d.verdict for d in found) == ["contradiction", "update"]
