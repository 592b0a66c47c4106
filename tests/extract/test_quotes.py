"""Direct quotes with speaker, role and cue; indirect speech."""

from __future__ import annotations


def quotes(facts) -> list[tuple]:
    return [(q.text, q.speaker, q.role, q.cue, q.direct) for q in facts.quotes]


def test_quote_then_said_name_and_role(extract):
    facts = extract(
        '"We will not stop until every family has a roof again," said Olena Kovalenko, '
        'a 41-year-old teacher. "The city owes them that."'
    )
    assert quotes(facts) == [
        (
            "We will not stop until every family has a roof again",
            "Olena Kovalenko",
            "a 41-year-old teacher",
            "said",
            True,
        ),
        ("The city owes them that.", "Olena Kovalenko", "a 41-year-old teacher", "said", True),
    ]
    assert [q.sentence_index for q in facts.quotes] == [0, 1]


def test_speaker_with_title_before_the_quote(extract):
    facts = extract(
        'Kremlin spokesman Dmitry Peskov told reporters: "Moscow is ready to help find a '
        'settlement."'
    )
    assert quotes(facts) == [
        (
            "Moscow is ready to help find a settlement.",
            "Dmitry Peskov",
            "Kremlin spokesman",
            "told",
            True,
        )
    ]


def test_pronoun_speaker_is_the_person_before(extract):
    facts = extract(
        'Kyiv Mayor Vitali Klitschko visited the site. "The whole block is gone," he said.'
    )
    assert quotes(facts) == [("The whole block is gone", "Vitali Klitschko", None, "said", True)]


def test_quote_over_several_paragraphs_keeps_its_speaker(extract):
    facts = extract(
        '"The shelter was full within minutes," said Iryna Bondar, 36, a pharmacist.\n\n'
        '"We waited there until the morning.\n\n"Nobody slept."'
    )
    assert [(q.text, q.speaker, q.role) for q in facts.quotes] == [
        ("The shelter was full within minutes", "Iryna Bondar", "a pharmacist"),
        ("We waited there until the morning.", "Iryna Bondar", "a pharmacist"),
        ("Nobody slept.", "Iryna Bondar", "a pharmacist"),
    ]


def test_indirect_speech_after_the_clause(extract):
    facts = extract(
        "North Korea will send 1,000 deminers and 5,000 military construction workers "
        "to Russia's Kursk region, Sergei Shoigu said."
    )
    assert quotes(facts) == [
        (
            "North Korea will send 1,000 deminers and 5,000 military construction workers "
            "to Russia's Kursk region",
            "Sergei Shoigu",
            None,
            "said",
            False,
        )
    ]


def test_indirect_speech_and_according_to(extract):
    facts = extract(
        "Peskov said the Kremlin was ready to mediate. "
        "According to Klitschko, rescuers pulled 12 bodies from the rubble."
    )
    assert quotes(facts) == [
        ("the Kremlin was ready to mediate", "Peskov", None, "said", False),
        ("rescuers pulled 12 bodies from the rubble", "Klitschko", None, "according to", False),
    ]


def test_surname_takes_the_full_name_used_before(extract):
    facts = extract(
        '"Prices will rise," said Nadia Kowalczyk, a gas trader. '
        "Kowalczyk said the market had expected the date."
    )
    assert [q.speaker for q in facts.quotes] == ["Nadia Kowalczyk", "Nadia Kowalczyk"]


def test_scare_quotes_and_denials_are_not_quotes(extract):
    facts = extract(
        'Officials described the so-called "shadow fleet" as a growing risk. '
        "He did not say whether talks would resume."
    )
    assert facts.quotes == []
