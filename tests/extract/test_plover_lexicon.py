"""The PLOVER action lexicon: the packaged file, and errors that name the file and the fix."""

from __future__ import annotations

import pytest

from watchfloor.errors import CatalogError
from watchfloor.extract.plover import PLOVER_TYPES, ActionType, load_plover

HEAD = """
[classes]
cooperative = ["AGREE"]
hostile = ["ASSAULT"]
[negation]
cooperative = "REJECT 12"
[obligation]
type = "REQUEST 10"
[complement.intent]
cooperative = "AGREE 03"
hostile = "THREATEN 13"
other = "complement"
[words]
light = ["hold"]
reporting = ["say"]
intent_aux = ["will"]
obligation_aux = ["must"]
military = ["army"]
not_actions = ["press release"]
"""


def test_packaged_lexicon_covers_every_type_with_cameo_roots():
    lexicon = load_plover(None)
    typed = {
        entry.action
        for entries in (*lexicon.verbs.values(), *lexicon.nouns.values())
        for entry in entries
        if entry.action is not None
    }
    assert {t.plover for t in typed} == set(PLOVER_TYPES)
    assert ActionType("ASSAULT", "19") in typed
    assert ActionType("COERCE", "16") in typed  # sanctions: CAMEO 163 is COERCE in PLOVER
    # Restricted groups come first: "withdraw" retreats with troops, expels with diplomats.
    withdraw = lexicon.verbs["withdraw"]
    assert [e.action.plover for e in withdraw] == ["RETREAT", "SANCTION"]
    assert all(e.restricted for e in withdraw)
    assert lexicon.complements["intent"]["hostile"] == ActionType("THREATEN", "13")


def test_a_small_lexicon_loads(tmp_path):
    path = tmp_path / "plover.toml"
    path.write_text(
        HEAD + '[[action]]\nplover = "CONSULT"\ncameo = "04"\nverbs = ["meet"]\nnouns = ["talk"]\n',
        encoding="utf-8",
    )
    lexicon = load_plover(str(path))
    assert [e.action for e in lexicon.verbs["meet"]] == [ActionType("CONSULT", "04")]
    assert lexicon.not_actions == ("press release",)


@pytest.mark.parametrize(
    ("action", "problem"),
    [
        ('plover = "MEET"\ncameo = "04"\nverbs = ["meet"]\n', 'like "ASSAULT 19"'),
        ('plover = "CONSULT"\ncameo = "4"\nverbs = ["meet"]\n', 'like "ASSAULT 19"'),
        ('plover = "CONSULT"\ncameo = "04"\n', "needs verbs or nouns"),
        ('verbs = ["meet"]\n', "needs plover and cameo, or a complement"),
        ('verbs = ["meet"]\ncomplement = "wish"\n', "which has no [complement] table"),
        ('plover = "CONSULT"\ncameo = "04"\nverbs = ["meet"]\nweight = 2\n', "unknown field"),
        (
            'plover = "CONSULT"\ncameo = "04"\nverbs = ["talk"]\npreps = ["with"]\n'
            'nouns = ["talk"]\n',
            "cannot list nouns",
        ),
    ],
)
def test_broken_groups_raise_catalog_error(tmp_path, action, problem):
    path = tmp_path / "plover.toml"
    path.write_text(HEAD + "[[action]]\n" + action, encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_plover(str(path))
    assert str(path) in str(error.value)
    assert problem in str(error.value)


def test_a_lexicon_without_word_lists_says_which(tmp_path):
    path = tmp_path / "plover.toml"
    body = HEAD.replace('military = ["army"]\n', "")
    path.write_text(body + '[[action]]\nplover = "AID"\ncameo = "07"\nverbs = ["aid"]\n')
    with pytest.raises(CatalogError, match=r"\[words\] lacks military"):
        load_plover(str(path))
