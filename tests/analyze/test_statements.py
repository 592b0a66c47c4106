from __future__ import annotations

from tests.brief.corpus import ArticleBuilder, at
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.statements import notable_statements


def test_officials_then_analysts_then_others_and_unnamed_or_repeated_quotes_are_left_out(store):
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
            '"Cables are the soft underbelly of the Baltic," said Mari Tamm, an analyst at the '
            "Harbour Institute.",
        ],
    )
    b.quote(0, "We heard the blasts at two in the morning,", "Olena", "a resident")
    b.quote(
        1, "Russia is ready to help mediate between the sides,", "Yuri Ushakov", "a Kremlin aide"
    )
    b.quote(2, "The strike hit sleeping families in their homes,", "he", None)
    b.quote(3, "the EU would keep up pressure on Moscow", "Kallas", None, direct=False)
    b.quote(4, "Russia is ready to help mediate between both sides,", "Ushakov", None)
    b.quote(
        5, "Cables are the soft underbelly of the Baltic,", "Mari Tamm", "an analyst at the Harbour"
    )
    store.add([b.build()])
    corpus = Corpus.load(store)
    # Residents' words are left to the articles unless the quotas ask for them.
    chosen = notable_statements(corpus)
    assert [(s.quote.speaker, s.quote.sentence_index) for s in chosen] == [
        ("Yuri Ushakov", 1),
        ("Mari Tamm", 5),
    ]
    everyone = notable_statements(corpus, quotas=(6, 2, 2))
    assert [(s.quote.speaker, s.tier) for s in everyone] == [
        ("Yuri Ushakov", 0),
        ("Mari Tamm", 1),
        ("Olena", 2),
        ("Kallas", 2),
    ]
