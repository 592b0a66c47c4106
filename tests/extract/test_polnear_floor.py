"""Accuracy floors for quotes and speakers on PolNeAR (../shared/eval/quotes-polnear-dev).

To stay fast the floor test scores every 4th article (21 of 84, 663 gold attributions);
`make eval` scores all 84 (EVALUATION.md). The floors sit about 0.03 below the subset's scores,
so a change that makes quote attribution worse fails here.
"""

from __future__ import annotations

from eval.quotes import (
    GoldArticle,
    GoldAttribution,
    evaluate,
    floor_articles,
    load_gold,
    names_agree,
    parse_ann,
    score,
    speaker_right,
)

from watchfloor.model import Quote

# Measured on the subset 2026-11-27 (direct 0.950, all 0.598, content 0.787, cue 0.870).
FLOORS = {"direct_speaker_f1": 0.92, "all_speaker_f1": 0.57, "content_f1": 0.76, "cue": 0.84}

TEXT = 'Peskov, who spoke, said the talks were over. "We are done," he said.'
ANN = (
    "T1\tSource 0 6\tPeskov\n"
    "T2\tCue 19 23\tsaid\n"
    "T3\tContent 24 43\tthe talks were over\n"
    "T4\tAttribution 19 23\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    'T5\tContent 45 59\t"We are done,"\n'
    "T6\tSource 60 62\the\n"
    "T7\tCue 63 67\tsaid\n"
    "T8\tAttribution 63 67\tsaid\n"
    "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6\n"
    "T9\tContent 8 11;12 17\twho spoke\n"
    "T10\tAttribution-no-source 12 17\tspoke\n"
    "E3\tAttribution-no-source:T10 Content:T9\n"
)


def quote(start, end, speaker, speaker_start, speaker_end, direct=False) -> Quote:
    words = TEXT[start:end]
    return Quote(words, start, end, 0, speaker, None, direct, "said", speaker_start, speaker_end)


def test_brat_relations_become_attributions_with_direct_ones_marked():
    gold = parse_ann(ANN, TEXT)
    assert [(g.source_text, g.cue_text, g.direct, g.content) for g in gold] == [
        ("Peskov", "said", False, ((24, 43),)),
        ("he", "said", True, ((45, 59),)),
        ("", "", False, ((8, 11), (12, 17))),
    ]


def test_a_speaker_is_right_by_span_relative_pronoun_or_name():
    text = "Dmitry Peskov, who spoke."
    who = GoldAttribution(((19, 24),), ((15, 18),), "who", "spoke", False)
    ours = Quote("spoke", 19, 24, 0, "Dmitry Peskov", None, False, None, 0, 13)
    assert speaker_right(ours, who, text)
    assert names_agree("Dmitry Peskov", "Peskov")
    assert names_agree("Barack Obama", "Mr. Obama")
    assert names_agree("The New York Post", "The Post")
    assert not names_agree("Bill Clinton", "Hillary Clinton")
    assert not names_agree("officials", "he")


def test_scores_count_matches_by_overlap_and_leave_out_gold_without_a_source():
    gold = parse_ann(ANN, TEXT)
    article = GoldArticle("a", TEXT, gold)
    predictions = [
        [
            quote(24, 43, "Dmitry Peskov", 0, 6),  # right by span
            quote(46, 57, "Dmitry Peskov", 60, 62, direct=True),  # right by span ("he")
            quote(8, 17, "Peskov", 0, 6),  # the gold names no one: not scored for speaker
        ]
    ]
    result = score([article], predictions)
    assert (result.all_speaker.precision, result.all_speaker.recall) == (1.0, 1.0)
    assert (result.direct_speaker.n_predicted, result.direct_speaker.n_gold) == (1, 1)
    assert result.direct_speaker.f1 == 1.0
    assert result.attribution.recall == 1.0
    assert result.cue_accuracy == 2 / 3  # the relation without a Source has no Cue either


def test_quote_attribution_floors(shared):
    result = evaluate(floor_articles(load_gold()))
    measured = {
        "direct_speaker_f1": result.direct_speaker.f1,
        "all_speaker_f1": result.all_speaker.f1,
        "content_f1": result.content_tokens.f1,
        "cue": result.cue_accuracy,
    }
    assert {k: v for k, v in measured.items() if v < FLOORS[k]} == {}
