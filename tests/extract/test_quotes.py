"""Direct and indirect speech: speaker, the words naming the speaker, role and cue."""

from __future__ import annotations

from importlib.resources import files

import pytest

from watchfloor.errors import CatalogError
from watchfloor.extract.components.quotes import paragraphs, quote_spans
from watchfloor.extract.speakers import load_cues


def quotes(facts) -> list[tuple]:
    return [(q.text, q.speaker, q.role, q.cue, q.direct) for q in facts.quotes]


def named(facts, text: str) -> list[str | None]:
    """The words of the text that name each quote's speaker."""
    return [
        text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None
        for q in facts.quotes
    ]


def test_quote_then_said_name_and_role(extract):
    text = (
        '"We will not stop until every family has a roof again," said Olena Kovalenko, '
        'a 41-year-old teacher. "The city owes them that."'
    )
    facts = extract(text)
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
    assert named(facts, text) == ["Olena Kovalenko", "Olena Kovalenko"]


def test_speaker_with_title_before_the_quote(extract):
    text = (
        'Kremlin spokesman Dmitry Peskov told reporters: "Moscow is ready to help find a '
        'settlement."'
    )
    facts = extract(text)
    assert quotes(facts) == [
        (
            "Moscow is ready to help find a settlement.",
            "Dmitry Peskov",
            "Kremlin spokesman",
            "told",
            True,
        )
    ]
    assert named(facts, text) == ["Dmitry Peskov"]


def test_pronoun_speaker_is_the_person_before_with_the_role_written_for_them(extract):
    text = 'Kyiv Mayor Vitali Klitschko visited the site. "The whole block is gone," he said.'
    facts = extract(text)
    assert quotes(facts) == [
        ("The whole block is gone", "Vitali Klitschko", "Kyiv Mayor", "said", True)
    ]
    assert named(facts, text) == ["he"]


def test_he_and_she_go_to_the_person_of_that_gender(extract):
    facts = extract(
        "Sophie Marchal and Tomasz Wrona spoke at the forum. "
        '"Prices will rise," she said. "Nobody knows," he said.'
    )
    assert [(q.text, q.speaker) for q in facts.quotes] == [
        ("Prices will rise", "Sophie Marchal"),
        ("Nobody knows", "Tomasz Wrona"),
    ]


def test_a_description_is_the_person_whose_role_it_names(extract):
    text = (
        "Defence Minister Rustem Umerov met Kaja Kallas in Brussels. "
        "The minister said the talks had gone well."
    )
    facts = extract(text)
    assert quotes(facts) == [
        ("the talks had gone well", "Rustem Umerov", "Defence Minister", "said", False)
    ]
    assert named(facts, text) == ["The minister"]


def test_titles_of_official_releases_name_their_holders(extract):
    """The style of presidential press releases: the title before the name, "of <country>"
    in it, and "the President" or "the Head of State" for the person afterwards."""
    text = (
        "President of Ukraine Volodymyr Zelenskyy believes that all entrants should be able to "
        "enter universities.\n\n"
        '"We wanted a tough reaction from the world," the President said.\n\n'
        "Head of the Office of the President Andriy Yermak noted that talks continue.\n\n"
        "According to the Head of the Office, the talks failed.\n\n"
        "The President of Ukraine noted that the status is only the beginning.\n\n"
        "The Head of State stressed that the reform would go on."
    )
    facts = extract(text)
    zelenskyy = ("Volodymyr Zelenskyy", "President of Ukraine")
    yermak = ("Andriy Yermak", "Head of the Office of the President")
    assert [(q.speaker, q.role) for q in facts.quotes] == [
        zelenskyy,
        zelenskyy,
        yermak,
        yermak,
        zelenskyy,
        zelenskyy,
    ]
    assert named(facts, text) == [
        "Volodymyr Zelenskyy",
        "the President",
        "Andriy Yermak",
        "the Head of the Office",
        "The President of Ukraine",
        "The Head of State",
    ]


def test_it_and_they_are_the_organisation_or_group_that_acted(extract):
    text = (
        "The Kremlin issued a statement on Monday. It said Moscow was ready to help. "
        "Hungary and Slovakia, which still import Russian gas, said they would fight the plan. "
        "They said it would raise prices."
    )
    facts = extract(text)
    assert [(q.text, q.speaker) for q in facts.quotes] == [
        ("Moscow was ready to help", "The Kremlin"),
        ("they would fight the plan", "Hungary and Slovakia"),
        ("it would raise prices", "Hungary and Slovakia"),
    ]
    assert named(facts, text) == ["It", "Hungary and Slovakia", "They"]


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


def test_a_colon_ending_the_paragraph_before_introduces_the_quote(extract):
    facts = extract('Ellis continued:\n\n"We will not accept this."')
    assert quotes(facts) == [("We will not accept this.", "Ellis", None, "continued", True)]


def test_a_dash_after_the_quote_names_its_speaker(extract):
    facts = extract('"Nobody here believes the offer." \u2015 Oksana Marchenko, Kyiv')
    assert quotes(facts) == [
        ("Nobody here believes the offer.", "Oksana Marchenko", None, None, True)
    ]


def test_the_speaker_between_the_quote_and_the_verb(extract):
    facts = extract('"We are ready to talk," Russia\'s deputy foreign minister told reporters.')
    assert quotes(facts) == [
        ("We are ready to talk", "Russia's deputy foreign minister", None, "told", True)
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


def test_coordinated_complement_clauses_are_kept_whole(extract):
    facts = extract(
        "Oleh Kiper, the governor of the Odesa region, said there were casualties among "
        "civilians and that several fires had broken out after the strikes."
    )
    assert quotes(facts) == [
        (
            "there were casualties among civilians",
            "Oleh Kiper",
            "the governor of the Odesa region",
            "said",
            False,
        ),
        (
            "several fires had broken out after the strikes",
            "Oleh Kiper",
            "the governor of the Odesa region",
            "said",
            False,
        ),
    ]


def test_a_second_speech_verb_is_a_second_statement_not_part_of_the_first(extract):
    facts = extract(
        "Mayor Vitali Klitschko said people were believed to be trapped under the debris "
        "and warned the toll could rise."
    )
    assert [(q.text, q.speaker, q.cue) for q in facts.quotes] == [
        ("people were believed to be trapped under the debris", "Vitali Klitschko", "said"),
        ("the toll could rise", "Vitali Klitschko", "warned"),
    ]


def test_parenthetical_speech_and_clauses_missing_a_word_are_handled(extract):
    facts = extract(
        "The tanker, which officials said had dragged its anchor, was detained. "
        "The damage, Finnish police said, was deliberate."
    )
    assert quotes(facts) == [
        ("The damage, Finnish police said, was deliberate", "Finnish police", None, "said", False)
    ]


def test_findings_report_only_with_an_explicit_that(extract):
    facts = extract(
        "Polls show Trump leading. A Reuters study found that most fires were set deliberately."
    )
    assert quotes(facts) == [
        ("most fires were set deliberately", "A Reuters study", None, "found", False)
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said: "Go." Then "stop"', ["Go.", "stop"]),
        ('"A “nested” quote," she said.', ["A “nested” quote,"]),
        ("''Two apostrophes,'' he said.", ["Two apostrophes,"]),
        (
            "\u201dOpened with the wrong mark.\u201d \u2015 a reader",
            ["Opened with the wrong mark."],
        ),
        ('"Left open at the end', ["Left open at the end"]),
    ],
)
def test_quotation_marks_pair_up(text, expected):
    assert [text[q.content_start : q.content_end] for q in quote_spans(text)] == expected


def test_a_line_break_after_a_sentence_ends_a_paragraph_but_not_a_wrapped_line():
    text = "One line ends here.\nNext paragraph runs\non after a wrap.\n\nLast."
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "One line ends here.",
        "Next paragraph runs\non after a wrap.",
        "Last.",
    ]


def test_a_cue_file_of_ones_own_must_have_every_list(tmp_path):
    path = tmp_path / "cues.toml"
    path.write_text('[verbs]\nspeech = ["say"]\nevidence = ["find"]\nquote_only = ["ask"]\n')
    with pytest.raises(CatalogError, match=r"the \[people\] table is missing"):
        load_cues(str(path))
    assert "say" in load_cues().speech


def test_descriptions_map_to_the_role_nouns_they_stand_for(tmp_path):
    assert {"president", "king"} <= load_cues().descriptions["head of state"]
    packaged = (files("watchfloor") / "data" / "quote_cues.toml").read_text(encoding="utf-8")
    path = tmp_path / "cues.toml"
    path.write_text(
        packaged.replace('"head of state" = [', '"head of state" = "president"\n"unused" = ['),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="descriptions.head of state"):
        load_cues(str(path))
