"""Events: taxonomy categories, PLOVER actions, participants, dates and counts per sentence."""

from __future__ import annotations

from datetime import date

import pytest


def categories(facts) -> list[str]:
    return [e.category for e in facts.events]


def test_strike_with_actor_date_type_and_its_own_counts(extract):
    facts = extract("Russia launched 440 drones and 32 missiles overnight on Tuesday.")
    assert categories(facts) == ["strike_drone", "strike_missile"]
    drone, missile = facts.events
    assert drone.trigger == "drones"
    assert (drone.actors, drone.actor_countries) == (["Russia"], ["RU"])
    assert (drone.date, drone.date_precision) == (date(2025, 6, 17), "day")
    assert (drone.plover, drone.cameo_code) == ("ASSAULT", "19")
    # Each count goes to the event its role belongs to.
    assert [(c.value, c.role) for c in drone.counts] == [(440, "drones")]
    assert [(c.value, c.role) for c in missile.counts] == [(32, "missiles")]
    assert drone.evidence == [0]


def test_casualty_counts_belong_to_the_casualties_event(extract):
    facts = extract("A Russian missile strike killed 12 people and injured 40 in Dnipro on Monday.")
    casualties, strike = facts.events
    assert (casualties.category, strike.category) == ("casualties", "strike_missile")
    assert [(c.value, c.role) for c in casualties.counts] == [(12, "killed"), (40, "injured")]
    assert strike.counts == []
    assert (strike.date, strike.actor_countries) == (date(2025, 6, 16), ["RU"])


def test_nuclear_cyber_and_energy(extract):
    facts = extract(
        "Israel struck Iran's nuclear sites.\n\n"
        "Hackers knocked the ministry's website offline in a cyberattack on Monday.\n\n"
        "The European Commission wants to end imports of Russian gas by the end of 2027."
    )
    assert [(e.category, e.trigger, e.sentence_index) for e in facts.events] == [
        ("nuclear", "nuclear", 0),
        ("cyber", "Hackers", 1),
        ("energy_sanctions", "gas", 2),
    ]
    nuclear, cyber, energy = facts.events
    assert (nuclear.actors, nuclear.targets, nuclear.target_countries) == (
        ["Israel"],
        ["Iran"],
        ["IR"],
    )
    assert (nuclear.plover, nuclear.cameo_code) == ("ASSAULT", "19")
    assert cyber.date == date(2025, 6, 16)
    # An intent to end imports is a threat of an embargo; its date is the deadline's year.
    assert (energy.plover, energy.cameo_code) == ("THREATEN", "13")
    assert (energy.date, energy.date_precision) == (date(2027, 1, 1), "year")


def test_place_and_date_from_the_narrative(extract):
    facts = extract("On June 4, the talks ended.\n\nA missile strike hit a depot in Iran.")
    strike = facts.events[-1]
    assert (strike.category, strike.trigger) == ("strike_missile", "missile strike")
    assert (strike.place, strike.place_id, strike.place_country) == ("Iran", "iso:IR", "IR")
    assert (strike.date, strike.date_precision) == (date(2025, 6, 4), "day")


def test_the_sentence_own_time_beats_the_dateline(extract):
    facts = extract("HELSINKI, June 18 (Wire) - NATO leaders meet in The Hague next week.")
    [meeting] = facts.events
    assert (meeting.category, meeting.trigger, meeting.plover) == ("other", "meet", "CONSULT")
    assert (meeting.date, meeting.date_precision) == (date(2025, 6, 23), "week")


def test_longer_trigger_wins_and_weak_triggers_need_context(extract):
    facts = extract(
        "Germany pledged more military aid to Ukraine. The factory makes drones for farmers."
    )
    assert [(e.category, e.trigger) for e in facts.events] == [
        ("military_cooperation", "military aid")
    ]
    assert (facts.events[0].plover, facts.events[0].target_countries) == ("AGREE", ["UA"])


def test_talking_and_humanitarian_law_are_neither_diplomacy_nor_aid(extract):
    facts = extract(
        "By mid-afternoon on Tuesday, the crowd behind the police tape had stopped talking. "
        "Finland will continue to respect international humanitarian law."
    )
    assert facts.events == []


def test_weapons_sent_to_an_ally_are_cooperation_not_strikes(extract):
    facts = extract("North Korea has sent millions of artillery shells and missiles to Russia.")
    [event] = facts.events
    assert (event.category, event.trigger) == ("military_cooperation", "artillery")
    assert (event.plover, event.cameo_code) == ("AID", "07")
    assert (event.actor_countries, event.target_countries) == (["KP"], ["RU"])
    assert [(c.value, c.role, c.approx_kind) for c in event.counts] == [
        (2_000_000, "shells", "at_least")
    ]


@pytest.mark.parametrize(
    ("text", "plover", "cameo", "actors", "targets"),
    [
        ("China accused the United States of violating the agreement.", "ACCUSE", "11",
         ["CN"], ["US"]),
        ("Iran threatened to close the Strait of Hormuz.", "THREATEN", "13", ["IR"], []),
        ("Poland expelled two Russian diplomats on Friday.", "SANCTION", "16", ["PL"], ["RU"]),
        ("Ukraine refused to withdraw its troops from the region.", "REJECT", "12", ["UA"], []),
        # "X said Y must ...": X's request to Y.
        ("Germany said Russia must release the detained journalists.", "REQUEST", "10",
         ["DE"], ["RU"]),
        ("Thousands of people protested in Tbilisi against the government.", "PROTEST", "14",
         [], []),
    ],
)  # fmt: skip
def test_actions_outside_the_taxonomy_are_other_events(
    extract, text, plover, cameo, actors, targets
):
    [event] = extract(text).events
    assert event.category == "other"
    assert (event.plover, event.cameo_code) == (plover, cameo)
    assert (event.actor_countries, event.target_countries) == (actors, targets)


def test_intent_and_agreement_types(extract):
    facts = extract(
        "Russia and Ukraine agreed to exchange 1,000 prisoners of war. "
        "Israel will send aid to Gaza."
    )
    swap, aid = facts.events
    assert (swap.category, swap.plover, swap.cameo_code) == ("humanitarian", "AGREE", "03")
    assert swap.actor_countries == ["RU", "UA"]
    assert [(c.value, c.role) for c in swap.counts] == [(1000, "prisoners")]
    assert (aid.category, aid.plover, aid.actors, aid.targets) == (
        "humanitarian",
        "AGREE",
        ["Israel"],
        ["Gaza"],
    )


def test_a_sentence_naming_no_action_has_no_event(extract):
    assert extract("Officials said the weather was fine.").events == []
