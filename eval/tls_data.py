"""The news-tls "Entities" data (../shared/eval/tls-entities-dev) as Watchfloor articles.

The dataset ships each article as tokenised text, one sentence a line ("Spector 's trial ,
which began in 2007 , ..."). Our pipeline reads news as published, so the text is first put
back into ordinary spelling (:func:`detokenize`); the dataset's own sentence splits and
HeidelTime dates are not used: our pipeline splits sentences and resolves time expressions
against each article's publication date.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from eval.paths import shared_dir
from watchfloor.model import Article

DATASET = "tls-entities-dev"
# news-tls widens an Entities task's input by this many days on both sides of the gold span.
SPAN_EXTENSION_DAYS = 7


def tls_dir() -> Path:
    return shared_dir() / "eval" / DATASET


@dataclass(frozen=True, slots=True)
class GoldTimeline:
    entity: str
    keywords: list[str]
    dates: dict[date, list[str]]  # day -> the gold summary's sentences

    @property
    def start(self) -> date:
        return min(self.dates)

    @property
    def end(self) -> date:
        return max(self.dates)

    @property
    def sentences_per_date(self) -> int:
        """The gold's mean summary length rounded as news-tls rounds it (Python's round)."""
        return round(sum(len(s) for s in self.dates.values()) / len(self.dates))


def entities(root: Path | None = None) -> list[str]:
    """The entities that have articles, in name order."""
    root = root or tls_dir()
    return sorted(p.parent.name for p in root.glob("*/articles.preprocessed.jsonl.gz"))


def gold_timelines(entity: str, root: Path | None = None) -> list[GoldTimeline]:
    folder = (root or tls_dir()) / entity
    keywords = json.loads((folder / "keywords.json").read_text(encoding="utf-8"))
    timelines = []
    for line in (folder / "timelines.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        items = json.loads(line)
        dates = {date.fromisoformat(day[:10]): list(summary) for day, summary in items}
        timelines.append(GoldTimeline(entity, keywords, dates))
    return timelines


# Tokens that attach to the word before them ("Spector 's", "did n't", "3 %", "end .").
_CLITIC = re.compile(r" (?=(?:'s|'re|'ve|'ll|'d|'m|n't|'S|N'T)\b)")
_BEFORE_PUNCT = re.compile(r""" (?=[.,;:!?%)\]}]['"]?(?:\s|$))""")
_AFTER_OPEN = re.compile(r"(?<=[(\[{$£€]) ")
# "multi - track", "Strauss - Kahn": a hyphen the tokeniser split off. Between function words
# the spaced hyphen is more likely a dash ("this - satellite"), so those stay spaced.
_HYPHEN = re.compile(r"\b([^\W_]+) - ([^\W_]+)\b")
_FUNCTION_WORD_TEXT = """
    a an the and or but if as at by for from in into of on to with this that these those is
    was are were be been it its he she they we you i his her their our though although while
    who which what when where so not no
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_TEXT.split())


def _join_hyphen(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if left.casefold() in _FUNCTION_WORDS or right.casefold() in _FUNCTION_WORDS:
        return match.group(0)
    return f"{left}-{right}"


def _attach_quotes(lines: list[str]) -> list[str]:
    """Straight double quotes as written: an opening one touches the word after it, a closing
    one the word before it. Quotes alternate through the text, since a quotation often runs
    over several sentences."""
    opened = glue_next = False
    out = []
    for line in lines:
        kept: list[str] = []
        for token in line.split():
            if token != '"':
                kept.append('"' + token if glue_next else token)
                glue_next = False
            elif not opened:
                glue_next = True
            elif kept:
                kept[-1] += '"'
            else:
                kept.append('"')
            opened = opened != (token == '"')
        out.append(" ".join(kept))
    return out


def _respell(line: str) -> str:
    text = _CLITIC.sub("", line)
    text = _BEFORE_PUNCT.sub("", text)
    text = _AFTER_OPEN.sub("", text)
    return _HYPHEN.sub(_join_hyphen, text)


def detokenize(text: str) -> str:
    """Tokenised text in ordinary spelling, as far as the tokens allow, one line a line."""
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(_respell(line) for line in _attach_quotes(lines))


def read_articles(entity: str, root: Path | None = None) -> Iterator[Article]:
    """The entity's articles, in the dataset's (publication) order."""
    path = (root or tls_dir()) / entity / "articles.preprocessed.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            raw = json.loads(line)
            published = datetime.fromisoformat(raw["time"].replace("Z", "+00:00"))
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            # One dataset sentence a line; single newlines (not blank lines, which would end
            # a sentence) leave the sentence splitting to our pipeline.
            text = detokenize(raw["text"])
            yield Article(
                url=f"https://tls-entities.invalid/{entity}/{raw['id']}",
                title=detokenize(raw.get("title") or ""),
                text=text,
                source="tls-entities",
                published=published,
                fetched_at=published,
            )
