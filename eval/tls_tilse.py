"""Score timelines with tilse; runs inside tilse's own venv (see ``eval.tls``), not ours.

    python eval/tls_tilse.py TIMELINES.json [--official]

reads ``[{"name": ..., "predicted": {"YYYY-MM-DD": [sentence, ...]}, "gold": {...}}, ...]``
and prints, as JSON, each task's alignment-based many-to-one ROUGE-1/2 (tilse's "reimpl"
computation) and date precision/recall, as news-tls's evaluate.py computes them, and under
"ours" the same scores from ``tls_rouge`` given tilse's stopwords and stemmer: the check that
our in-process scorer computes what tilse does. With ``--official``, "official" adds the ROUGE
counts of ROUGE-1.5.5 itself (the Perl script tilse ships, which needs the XML::Parser Perl
module: ``apt-get install libxml-parser-perl``).
"""

from __future__ import annotations

import json
import sys
from datetime import date

from tilse.data.timelines import GroundTruth, Timeline
from tilse.evaluation.rouge import TimelineRougeEvaluator
from tls_rouge import Tokenizer, score_task  # this script's folder is on the path


def _timeline(days: dict[str, list[str]]) -> Timeline:
    return Timeline({date.fromisoformat(day): sentences for day, sentences in days.items()})


def _prf(precision: float, recall: float) -> dict[str, float]:
    return {"precision": precision, "recall": recall}


def _dates(predicted: Timeline, gold: GroundTruth) -> dict[str, float]:
    shared = predicted.get_dates() & gold.get_dates()
    return {
        "precision": len(shared) / len(predicted.get_dates()),
        "recall": len(shared) / len(gold.get_dates()),
    }


def _rouge(evaluator: TimelineRougeEvaluator, predicted: Timeline, gold: GroundTruth) -> dict:
    scores = evaluator.evaluate_align_date_content_costs_many_to_one(predicted, gold)
    return {
        measure: {k: scores[measure][k] for k in ("precision", "recall")}
        for measure in ("rouge_1", "rouge_2")
    }


def main(path: str, official: bool) -> None:
    with open(path, encoding="utf-8") as handle:
        tasks = json.load(handle)
    measures = ["rouge_1", "rouge_2"]
    evaluator = TimelineRougeEvaluator(measures=measures, rouge_computation="reimpl")
    perl = (
        TimelineRougeEvaluator(measures=measures, rouge_computation="original")
        if official
        else None
    )
    # tilse's own stopword list and (robust) Porter stemmer.
    tokenizer = Tokenizer(frozenset(evaluator.rouge.stopwords), evaluator.rouge.stem_function)
    results = []
    for task in tasks:
        predicted = _timeline(task["predicted"])
        gold = GroundTruth([_timeline(task["gold"])])
        ours = score_task(
            {date.fromisoformat(d): s for d, s in task["predicted"].items()},
            {date.fromisoformat(d): s for d, s in task["gold"].items()},
            tokenizer,
        )
        result = {
            "name": task["name"],
            **_rouge(evaluator, predicted, gold),
            "dates": _dates(predicted, gold),
            "ours": {
                "rouge_1": _prf(ours.rouge1.precision, ours.rouge1.recall),
                "rouge_2": _prf(ours.rouge2.precision, ours.rouge2.recall),
                "dates": _prf(ours.dates.precision, ours.dates.recall),
            },
        }
        if perl:
            result["official"] = {**_rouge(perl, predicted, gold), "dates": result["dates"]}
        results.append(result)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], "--official" in sys.argv[2:])
