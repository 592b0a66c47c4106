"""Which statements to show: quotes by named speakers, officials first, then analysts, then
everyone else; no repeats."""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.similarity import NearDuplicates
from watchfloor.model import Article, Quote

# Speakers that name nobody: a briefing attributes statements to people or bodies.
_UNNAMED = re.compile(
    r"(he|she|they|it|we|i|you|someone|officials?|sources?|residents?|witnesses|witness|people)",
    re.IGNORECASE,
)
# Words in a role that mark a public office or an official body.
_OFFICIAL = re.compile(
    r"\b(minister|president|prime|chancellor|secretary|spokes(wo)?m[ae]n|spokesperson|aide|"
    r"adviser|advisor|mayor|governor|commissioner|ambassador|envoy|commander|general|"
    r"official|representative|lawmaker|senator|mp|deputy|negotiator|leader|king|premier|"
    r"kremlin|ministry|government|council|parliament|army|navy|forces)\b",
    re.IGNORECASE,
)
_ANALYST = re.compile(
    r"\b(analyst|research|researcher|professor|expert|fellow|scholar|economist|institute|"
    r"think tank|university)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-Z][\w'\u2019.-]*$")
_NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "al", "bin", "ibn"})
MIN_QUOTE_WORDS = 5
# How many statements of each tier (officials, analysts, others) a briefing shows at most:
# residents' words belong in the articles, not in a section of statements and analysis.
TIER_QUOTAS = (6, 2, 0)


@dataclass(slots=True)
class Statement:
    article: Article
    quote: Quote

    @property
    def named_person(self) -> bool:
        """Two or more capitalised words: 'Dmitry Peskov' rather than 'the Kremlin'."""
        words = (self.quote.speaker or "").split()
        return (
            len(words) >= 2
            and all(_NAME_WORD.match(w) or w in _NAME_PARTICLES for w in words)
            and bool(_NAME_WORD.match(words[-1]))
        )

    @property
    def tier(self) -> int:
        """0 for officials, 1 for analysts, 2 for anyone else (residents, witnesses). Analysts
        are recognised first: 'head of research at an institute' is not an office."""
        role = self.quote.role or ""
        if _ANALYST.search(role):
            return 1
        return 0 if _OFFICIAL.search(role) else 2


def is_attributed(quote: Quote) -> bool:
    """A quote from a sentence we can cite, by a speaker who is named."""
    speaker = (quote.speaker or "").strip()
    if quote.sentence_index is None:
        return False
    return bool(speaker) and not _UNNAMED.fullmatch(speaker) and speaker[0].isupper()


def notable_statements(
    corpus: Corpus, quotas: tuple[int, ...] = TIER_QUOTAS, per_speaker: int = 1
) -> list[Statement]:
    """Attributed quotes, best first: up to ``quotas[tier]`` of officials, analysts and others;
    within a tier, speakers with a stated role, named people and direct words first. A repeated
    quote (wire copies) and a speaker's quotes beyond ``per_speaker`` are left out."""
    # Corpus articles are oldest first, so a stable sort keeps the earliest report first.
    candidates = [
        Statement(article, quote)
        for article in corpus.articles
        for quote in corpus.facts[article.id].quotes
        if is_attributed(quote) and len(quote.text.split()) >= MIN_QUOTE_WORDS
    ]
    candidates.sort(
        key=lambda s: (s.tier, not s.quote.role, not s.named_person, not s.quote.direct)
    )
    seen = NearDuplicates()
    per_speaker_count: dict[str, int] = {}
    per_tier = [0] * len(quotas)
    chosen: list[Statement] = []
    for s in candidates:
        speaker = (s.quote.speaker or "").casefold()
        if per_tier[s.tier] >= quotas[s.tier] or per_speaker_count.get(speaker, 0) >= per_speaker:
            continue
        if not seen.keep(s.quote.text):
            continue
        per_speaker_count[speaker] = per_speaker_count.get(speaker, 0) + 1
        per_tier[s.tier] += 1
        chosen.append(s)
    return chosen
