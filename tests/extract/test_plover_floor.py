"""Floors for event typing on the PLOVER gold records (../shared/eval/plover-dev).

The floors sit a little below the scores `make eval` measures (EVALUATION.md), so a change that
makes event extraction worse fails here. All 161 sentences are scored: that takes seconds.
"""

from __future__ import annotations

from eval.plover import GoldSentence, Reading, evaluate, load_gold, score

# Measured 2026-11-27 (EVALUATION.md), minus about 0.02.
FLOORS = {"type": 0.84, "actor": 0.66, "target": 0.43}


def test_plover_scores_stay_above_their_floors(nlp, shared):
    scores = evaluate(nlp, shared / "eval" / "plover-dev")
    assert scores.sentences == 161
    assert scores.type_accuracy >= FLOORS["type"]
    assert scores.actor_accuracy >= FLOORS["actor"]
    assert scores.target_accuracy >= FLOORS["target"]


def test_gold_types_are_mapped_to_the_2021_manual(shared):
    gold = load_gold(shared / "eval" / "plover-dev")
    assert {g.plover for g in gold} <= {
        "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE",
        "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
    }  # fmt: skip
    first = gold[0]
    assert (first.plover, first.actors, first.targets) == ("AGREE", {"HU", "RO"}, frozenset())


def test_country_accuracy_compares_sets_over_sentences_naming_a_country():
    gold = [
        GoldSentence("a", "", "ASSAULT", frozenset({"IL"}), frozenset({"PS"})),
        GoldSentence("b", "", "PROTEST", frozenset(), frozenset({"RS"})),
    ]
    read = [
        Reading("ASSAULT", "19", frozenset({"IL"}), frozenset({"PS", "LB"})),
        Reading(None, None, frozenset({"RS"}), frozenset({"RS"})),
    ]
    scores = score(gold, read)
    assert (scores.type_accuracy, scores.sentences, scores.typed) == (0.5, 2, 1)
    assert (scores.actor_accuracy, scores.actor_sentences) == (1.0, 1)
    assert (scores.target_accuracy, scores.target_sentences) == (0.5, 2)
    assert scores.by_type == {"ASSAULT": (1, 1), "PROTEST": (0, 1)}
