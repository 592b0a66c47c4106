"""Our spaCy components; importing this package registers them by name.

| name           | reads                                  | writes            |
|----------------|----------------------------------------|-------------------|
| wf_paragraphs  | whitespace tokens                      | sentence starts   |
| wf_entity_spans| entities, POS, title and alias data    | ``doc.ents``      |
| wf_times       | DATE/TIME entities, parse, publication | ``doc._.times``   |
| wf_counts      | entities, parse, lemmas                | ``doc._.counts``  |
| wf_quotes      | text, entities, parse, lemmas          | ``doc._.quotes``  |
| wf_linking     | entities, parse, GeoNames, alias data  | ``doc._.mentions``|
| wf_titles      | PERSON entities, mentions, title data  | ``doc._.titles``  |
| wf_events      | lemmas, parse, mentions, times, counts | ``doc._.events``  |
"""

from watchfloor.extract.components import (  # noqa: F401
    counts,
    entity_spans,
    events,
    linking,
    paragraphs,
    quotes,
    times,
    titles,
)
