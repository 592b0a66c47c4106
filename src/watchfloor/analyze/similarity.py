"""Near-duplicate sentences by token-set overlap: enough to drop wire copies and repeated facts."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

# Figures stay whole ("1,000", "2.5") so that sentences giving different figures differ.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
# The same tokens in lower-cased ASCII text (most text), found in less time.
_ASCII_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:[.,][0-9]+)*")
# Function words carry no content; leaving them in makes unrelated sentences look alike.
# (Our own list: importing spaCy's would cost the briefing seconds of start-up.)
_STOPWORD_TEXT = """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes been before beforehand behind being
    below beside besides between beyond both bottom but by call can cannot could did do does
    doing done down due during each eight either eleven else elsewhere empty enough even ever
    every everyone everything everywhere except few fifteen fifty first five for former formerly
    forty four from front full further get give go had has have having he hence her here
    hereafter hereby herein hers herself him himself his how however hundred i if in indeed into
    is it its itself just keep last latter least less made make many may me meanwhile might mine
    more moreover most mostly move much must my myself name neither never nevertheless next nine
    no nobody none nor not nothing now nowhere of off often on once one only onto or other others
    otherwise our ours ourselves out over own part per perhaps please put quite rather really
    regarding same see seem seemed seems several she should show side since six sixty so some
    somehow someone something sometime sometimes somewhere still such take ten than that the
    their theirs them themselves then thence there thereafter thereby therefore therein
    thereupon these they third this those though three through throughout thus to together too
    top toward towards twelve twenty two under until up upon us used using various very via was
    we well were what whatever when whence whenever where whereas whereby wherever whether which
    while whither who whoever whole whom whose why will with within without would yet you your
    yours yourself yourselves said says say told according
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
MIN_TOKENS = 4
_YEAR = re.compile(r"(19|20)\d\d")


@lru_cache(maxsize=1 << 16)  # a briefing reads each sentence in several places
def content_tokens(text: str) -> frozenset[str]:
    if text.isascii():  # the common case, folded at once: ASCII folding never splits a word
        return frozenset(_ASCII_TOKEN.findall(text.lower())).difference(_STOPWORDS)
    return frozenset(t for t in (m.casefold() for m in _TOKEN.findall(text)) if t not in _STOPWORDS)


def _figures(tokens: frozenset[str]) -> frozenset[str]:
    """Numbers other than years: the counts and amounts a sentence reports."""
    return frozenset(t for t in tokens if t[0].isdigit() and not _YEAR.fullmatch(t))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other: 1.0 when one sentence repeats the other."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < MIN_TOKENS:  # a few shared words prove nothing about short ones
        return 1.0 if a == b else 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def mean_jaccards(token_sets: list[frozenset[str]]) -> list[float]:
    """Each set's mean ``jaccard`` with the others, the same floats as pairwise calls summed
    in the others' order; the shared-word counts come from one matrix product (exact: sums of
    ones), so a few hundred sentences cost milliseconds, not a second."""
    n = len(token_sets)
    if n < 2:
        return [0.0] * n
    columns: dict[str, int] = {}
    rows, cols = [], []
    for row, tokens in enumerate(token_sets):
        for token in tokens:
            rows.append(row)
            cols.append(columns.setdefault(token, len(columns)))
    present = np.zeros((n, len(columns)))
    present[rows, cols] = 1.0
    shared = present @ present.T
    sizes = np.array([len(t) for t in token_sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        similarity = np.where(union > 0, shared / union, 0.0)
    means = []
    for i, row in enumerate(similarity.tolist()):
        del row[i]
        means.append(sum(row) / (n - 1))
    return means


def repeats(
    new: frozenset[str], kept: frozenset[str], threshold: float, figures_decide: bool = True
) -> bool:
    """True when the ``new`` sentence mostly repeats a ``kept`` one. With ``figures_decide``,
    figures settle close calls: a figure where the kept sentence had none, or a changed figure
    ('the toll rose to 23' after 'the toll rose to 14'), is a new fact; the kept figures plus
    some detail are not."""
    return _repeats(new, _figures(new), kept, _figures(kept), threshold, figures_decide)


def _repeats(
    new: frozenset[str],
    new_figures: frozenset[str],
    kept: frozenset[str],
    kept_figures: frozenset[str],
    threshold: float,
    figures_decide: bool,
) -> bool:
    changed = new_figures - kept_figures and (not kept_figures or kept_figures - new_figures)
    if figures_decide and changed:
        return False
    return overlap(new, kept) >= threshold


class NearDuplicates:
    """Remembers kept sentences and tells whether a new one mostly repeats any of them."""

    def __init__(self, threshold: float = 0.6, figures_decide: bool = True) -> None:
        self.threshold = threshold  # above 0: sentences sharing no word never repeat each other
        self.figures_decide = figures_decide  # see ``repeats``; off where updates don't matter
        self.kept: list[frozenset[str]] = []
        self._kept_figures: list[frozenset[str]] = []
        self._holding: dict[str, list[int]] = {}  # word -> positions in ``kept`` holding it

    def is_duplicate(self, text: str) -> bool:
        return self._repeats_kept(content_tokens(text))

    def keep(self, text: str) -> bool:
        """Remember ``text`` unless it repeats a kept sentence; True when it was kept."""
        tokens = content_tokens(text)
        if self._repeats_kept(tokens):
            return False
        for token in tokens:
            self._holding.setdefault(token, []).append(len(self.kept))
        self.kept.append(tokens)
        self._kept_figures.append(_figures(tokens))
        return True

    def _repeats_kept(self, tokens: frozenset[str]) -> bool:
        figures = _figures(tokens)
        # Only kept sentences sharing a word with this one can be repeated by it.
        sharing = set().union(*(self._holding.get(t, ()) for t in tokens))
        return any(
            _repeats(
                tokens,
                figures,
                self.kept[i],
                self._kept_figures[i],
                self.threshold,
                self.figures_decide,
            )
            for i in sharing
        )
