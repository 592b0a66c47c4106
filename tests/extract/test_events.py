"""Threat-taxonomy events per sentence."""

from __future__ import annotations

from datetime import date


def categories(facts) -> list[str]:
    return [e.category for e in facts.events]


def test_strike_with_actor_date_and_counts(extract):
    facts = extract("Russia launched 440 drones and 32 missiles overnight on Tuesday.")
    assert categories(facts) == ["strike_drone", "strike_missile"]
    drone = facts.events[0]
    assert drone.trigger == "drones"
    assert (drone.actors, drone.actor_countries) == (["Russia"], ["RU"])
    assert (drone.date, drone.date_precision) == (date(2025, 6, 17), "day")
    assert [(c.value, c.role) for c in drone.counts] == [(440, "drones"), (32, "missiles")]
    assert drone.evidence == [0]


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
    assert cyber.date == date(2025, 6, 16)
    # No day in the sentence: the year of the deadline.
    assert (energy.date, energy.date_precision) == (date(2027, 1, 1), "year")


def test_place_and_date_from_the_narrative(extract):
    facts = extract("On June 4, the talks ended.\n\nA missile strike hit a depot in Iran.")
    strike = facts.events[-1]
    assert (strike.category, strike.trigger) == ("strike_missile", "missile strike")
    assert (strike.place, strike.place_id, strike.place_country) == ("Iran", "iso:IR", "IR")
    assert (strike.date, strike.date_precision) == (date(2025, 6, 4), "day")


def test_longer_trigger_wins_and_weak_triggers_need_context(extract):
    facts = extract(
        "Germany pledged more military aid to Ukraine. The factory makes drones for farmers."
    )
    assert [(e.category, e.trigger) for e in facts.events] == [
        ("military_cooperation", "military aid")
    ]
