from __future__ import annotations

from watchfloor.analyze.similarity import NearDuplicates, content_tokens, overlap

WIRE = (
    "North Korea will send 1,000 deminers and 5,000 military builders to Russia's Kursk region, "
    "Sergei Shoigu said in Pyongyang on Tuesday."
)
REPUBLISHED = (
    "North Korea will send 1,000 deminers and 5,000 military builders to the Kursk region, "
    "Sergei Shoigu said in Pyongyang."
)


def test_content_tokens_drop_function_words_and_case():
    assert content_tokens("The Kremlin said it was ready to mediate.") == {
        "kremlin",
        "ready",
        "mediate",
    }


def test_a_republished_sentence_is_a_near_duplicate_and_another_fact_is_not():
    seen = NearDuplicates()
    assert seen.keep(WIRE)
    assert not seen.keep(REPUBLISHED)
    assert seen.keep("Finland's parliament voted to leave the Ottawa Convention on mines.")
    assert len(seen.kept) == 2


def test_short_sentences_match_only_when_identical():
    assert overlap(content_tokens("Kyiv was hit."), content_tokens(WIRE + " Kyiv was hit.")) == 0
    assert overlap(content_tokens("Kyiv was hit."), content_tokens("Kyiv was hit!")) == 1.0


def test_figures_decide_whether_a_similar_sentence_says_something_new():
    seen = NearDuplicates()
    assert seen.keep("The death toll from the Russian attack on Kyiv rose to 14, officials said.")
    # A changed figure is an update, not a repeat.
    assert seen.keep("The death toll from the Russian attack on Kyiv rose to 23, officials said.")
    votes = "Finland's parliament voted 157 to 18 to leave the Ottawa Convention on mines."
    assert seen.keep(votes)
    # The same figures with some detail added repeat the kept sentence; so does a year.
    assert seen.is_duplicate(votes.replace("mines.", "mines along its 1,340 km border."))
    assert seen.is_duplicate(votes.replace("Convention", "Convention in 2025"))


def test_words_and_figures_are_read_alike_in_ascii_and_accented_text():
    assert content_tokens("ZELENSKY met 1,000.5 troops_in 2025.") == {
        "zelensky",
        "met",
        "1,000.5",
        "troops",
        "2025",
    }
    assert content_tokens("ZELENSKY met 1,000.5 troops_in Kraków, STRASSE.") == {
        "zelensky",
        "met",
        "1,000.5",
        "troops",
        "kraków",
        "strasse",
    }
