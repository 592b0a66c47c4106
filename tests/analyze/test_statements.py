from __future__ import annotations

from tests.brief.corpus import ArticleBuilder, at
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.statements import notable_statements


def test_named_officials_come_first_and_unnamed_or_repeated_quotes_are_left_out(store):
    b = ArticleBuilder(
        "https://example.org/q",
        "Quotes",
        "Example",
        at(17),
        [
            '"We heard the blasts at two in the morning," said Olena, a resident.',
            '"Russia is ready to help mediate between the sides," Yuri Ushakov, a Kremlin aide, '
            "told reporters.",
            '"The strike hit sleeping families in their homes," he said.',
            "Kallas said the EU would keep up pressure on Moscow over the attacks.",
            '"Russia is ready to help mediate between both sides," Ushakov repeated.',
        ],
    )
    b.quote(0, "We heard the blasts at two in the morning,", "Olena", "a resident")
    b.quote(
        1, "Russia is ready to help mediate between the sides,", "Yuri Ushakov", "a Kremlin aide"
    )
    b.quote(2, "The strike hit sleeping families in their homes,", "he", None)
    b.quote(3, "the EU would keep up pressure on Moscow", "Kallas", None, direct=False)
    b.quote(4, "Russia is ready to help mediate between both sides,", "Ushakov", None)
    store.add([b.build()])
    chosen = notable_statements(Corpus.load(store))
    assert [(s.quote.speaker, s.quote.sentence_index) for s in chosen] == [
        ("Yuri Ushakov", 1),
        ("Olena", 0),
        ("Kallas", 3),
    ]
