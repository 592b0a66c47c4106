"""wf_entity_spans mends the spans the small model runs together on official releases."""

from __future__ import annotations

import pytest

from watchfloor.extract.components.entity_spans import load_name_words


def entities(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the model: ("Ukraine Volodymyr Zelenskyy", "ORG")
        (
            "President of Ukraine Volodymyr Zelenskyy held a phone call with Prime Minister of "
            "the United Kingdom Boris Johnson.",
            [
                ("Ukraine", "GPE"),
                ("Volodymyr Zelenskyy", "PERSON"),
                ("United Kingdom", "GPE"),
                ("Boris Johnson", "PERSON"),
            ],
        ),
        # the model: ("the Office of the President of", "ORG"), ("Ukraine", "GPE"),
        # ("Yermak", "PERSON")
        (
            "Head of the Office of the President of Ukraine Andriy Yermak met the ambassador.",
            [("the Office of the President of Ukraine", "ORG"), ("Andriy Yermak", "PERSON")],
        ),
        # the model misses the minister and the commander altogether
        (
            "Minister of Foreign Affairs of Ukraine Dmytro Kuleba spoke with Antony Blinken.",
            [("Ukraine", "GPE"), ("Dmytro Kuleba", "PERSON"), ("Antony Blinken", "FAC")],
        ),
        (
            "Commander-in-Chief of the Armed Forces of Ukraine Valerii Zaluzhnyi reported.",
            [("the Armed Forces of Ukraine", "ORG"), ("Valerii Zaluzhnyi", "PERSON")],
        ),
        # left alone: right as tagged, or no name after the country
        (
            "Kremlin spokesman Dmitry Peskov said Russia and France agreed.",
            [
                ("Kremlin", "ORG"),
                ("Dmitry Peskov", "PERSON"),
                ("Russia", "GPE"),
                ("France", "GPE"),
            ],
        ),
        (
            "Mr Yermak said the Ukraine Armed Forces held the line.",
            [("Yermak", "PERSON"), ("the Ukraine Armed Forces", "ORG")],
        ),
    ],
)
def test_spans_run_together_are_mended(nlp, text, expected):
    assert entities(nlp, text) == expected


def test_mended_names_get_their_titles_and_no_one_elses(nlp):
    doc = nlp(
        "President of Ukraine Volodymyr Zelenskyy met Minister of Foreign Affairs of Ukraine "
        "Dmytro Kuleba."
    )
    assert [
        (
            doc.text[t["role_start"] : t["role_end"]],
            doc.text[t["person_start"] : t["person_end"]],
            t["jurisdiction"],
        )
        for t in doc._.titles
    ] == [
        ("President of Ukraine", "Volodymyr Zelenskyy", "iso:UA"),
        ("Minister of Foreign Affairs of Ukraine", "Dmytro Kuleba", "iso:UA"),
    ]
    # Yermak heads the office; he is not the President
    doc = nlp("Head of the Office of the President of Ukraine Andriy Yermak met the ambassador.")
    assert doc._.titles == []


def test_words_that_are_never_names():
    words = load_name_words()
    # listed, from titles, from country and organisation names
    assert {"forces", "mr", "president", "minister", "ukraine", "nato"} <= words
    assert not {"volodymyr", "andriy", "yermak"} & words
