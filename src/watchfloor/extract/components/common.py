"""What several components share: the publication date, sentence numbering, number words.

Component outputs live in Doc extensions as plain lists and dicts of str/int/float/bool: with
``n_process > 1`` spaCy ships docs between processes as msgpack, which knows no dataclasses or
dates. ``to_records`` turns them into ``watchfloor.model`` records.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime

import numpy
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

# ISO date-time of publication (or of fetching when unknown); set before the pipeline runs.
Doc.set_extension("published", default=None, force=True)


def register_doc_list(name: str) -> None:
    """A Doc extension holding a list the component replaces per doc (never a shared default)."""
    Doc.set_extension(name, default=None, force=True)


def string_ids(vocab: Vocab, words: Iterable[str]) -> numpy.ndarray:
    """The ids of ``words`` as ``Doc.to_array`` gives them for ORTH, LOWER, LEMMA or DEP.

    Components find the few tokens they read with ``numpy.isin`` over such columns: a spaCy
    ``Matcher`` visits every token one by one, some 4 ms an article for a few patterns.
    """
    return numpy.array(sorted({vocab.strings.add(word) for word in words}), dtype=numpy.uint64)


def published_date(doc: Doc) -> date | None:
    """The publication day in the article's own time zone, if the doc carries one."""
    value = doc._.published
    if not value:
        return None
    return datetime.fromisoformat(value).date()


def article_sentences(doc: Doc) -> list[Span]:
    """Sentences without surrounding whitespace; whitespace-only ones are dropped and a lone
    quote mark joins its sentence.

    Every component and ``to_records`` numbers sentences through this function, so a
    ``sentence_index`` means the same sentence everywhere.
    """
    bounds: list[list[int]] = []
    glue_to_next = False
    for sent in doc.sents:
        start, end = sent.start, sent.end
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if start == end:
            continue
        if glue_to_next:
            bounds[-1][1] = end
            glue_to_next = False
        elif all(token.is_punct for token in doc[start:end]):
            # A lone quote mark: a closing one belongs to the sentence before it, an opening one
            # (after a paragraph break) to the sentence after it.
            if bounds and "\n" not in doc[bounds[-1][1] : start].text:
                bounds[-1][1] = end
            else:
                bounds.append([start, end])
                glue_to_next = True
        else:
            bounds.append([start, end])
    return [doc[start:end] for start, end in bounds]


# "june", "jun", "sept": month names and abbreviations -> month number.
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9


class SentenceLocator:
    """Finds the sentence index of a character offset."""

    def __init__(self, sentences: list[Span]) -> None:
        self.starts = [sent.start_char for sent in sentences]

    def index_of(self, char: int) -> int:
        return max(bisect_right(self.starts, char) - 1, 0)


UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# Multiply the number built so far ("two hundred", "a dozen").
SMALL_MULTIPLIERS = {"hundred": 100, "dozen": 12, "hundreds": 100, "dozens": 12, "tens": 10,
                     "scores": 20}  # fmt: skip
# Close a group ("two thousand five hundred"); abbreviations as in "1.5bn", "10k".
BIG_MULTIPLIERS = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "thousands": 1e3,
    "millions": 1e6, "billions": 1e9, "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3, "tn": 1e12,
}  # fmt: skip
# A plural number word stands for an unknown amount: we keep the smallest value it allows
# ("dozens" is at least two dozen; "several hundred" at least three hundred) and record the
# words in ``approx``.
PLURALS = {"dozens", "scores", "hundreds", "thousands", "millions", "billions", "tens"}
VAGUE_OPENERS = {"several": 3, "few": 3}
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(bn|mn|tn|m|k)?$")


def number_value(words: list[str]) -> tuple[float, str | None] | None:
    """The value of number words ("1.5 billion", "twenty-three", "tens of thousands").

    Returns the value and the vague words ("dozens", "several") or None when ``words``
    are not a number.
    """
    lowered = [w.lower() for w in words]
    words = [w for w in lowered if w not in ("-", "and", "of")]
    if not words:
        return None
    vague: str | None = None
    factor = 1.0
    if words[0] in ("a", "several") and len(words) > 1 and words[1] == "few":
        words = words[1:]
    if words[0] in VAGUE_OPENERS:
        vague, factor = " ".join(lowered[: len(lowered) - len(words) + 1]), VAGUE_OPENERS[words[0]]
        words = words[1:]
    elif words[0] in PLURALS:
        vague, factor = " ".join(lowered), 2.0
    total = current = 0.0
    seen = False
    for position, word in enumerate(words):
        digits = _DIGITS.match(word)
        if word == "a" and position == 0 and len(words) > 1:
            current, seen = 1.0, True
        elif digits:
            current += float(digits.group(1).replace(",", "") + "." + (digits.group(2) or "0"))
            if digits.group(3):
                total += current * BIG_MULTIPLIERS[digits.group(3)]
                current = 0.0
            seen = True
        elif word in UNITS:
            current += UNITS[word]
            seen = True
        elif word in SMALL_MULTIPLIERS:
            current = (current or 1.0) * SMALL_MULTIPLIERS[word]
            seen = True
        elif word in BIG_MULTIPLIERS and len(word) > 2:
            total += (current or 1.0) * BIG_MULTIPLIERS[word]
            current = 0.0
            seen = True
        else:
            return None
    if not seen:
        return None
    return (total + current) * factor, vague


def is_number_word(token: Token) -> bool:
    """A token that can be part of a number phrase (not "a", "several": they only open one)."""
    lower = token.lower_
    return (
        bool(_DIGITS.match(lower))
        or lower in UNITS
        or lower in SMALL_MULTIPLIERS
        or (lower in BIG_MULTIPLIERS and len(lower) > 2)
    )


def is_multiplier(token: Token) -> bool:
    """ "hundred", "dozen", "thousand": words that "a" or "several" can open."""
    lower = token.lower_
    return lower in SMALL_MULTIPLIERS or (lower in BIG_MULTIPLIERS and len(lower) > 2)


# Verbs that introduce speech: their subject is a speaker, their complement what was said.
REPORTING_VERBS = {
    "say", "tell", "add", "warn", "write", "note", "insist", "state", "claim", "announce",
    "report", "stress", "explain", "confirm", "deny", "argue", "declare", "reiterate",
    "emphasise", "emphasize", "acknowledge", "admit", "predict", "vow", "promise", "threaten",
    "allege", "assert", "comment", "remark", "recall", "conclude", "estimate",
    "tweet", "post", "reply", "respond", "complain", "urge", "caution", "accuse",
}  # fmt: skip


def is_reporting_verb(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in REPORTING_VERBS


_NUMBER_LINKS = {"between", "and", "to", "-", "about", "around", "some", "nearly", "almost",
                 "at", "least", "more", "than", "up", "over", "under", "or"}  # fmt: skip


def looks_like_count(span: Span) -> bool:
    """A DATE entity that is only numbers, as in "between 10 and 12 missiles": the model
    tags such counts as dates now and then."""
    numbers = [t for t in span if t.lower_ not in _NUMBER_LINKS]
    return bool(numbers) and all(
        t.like_num and not (len(t.text) == 4 and t.text.isdigit()) for t in numbers
    )


def entity_of(token: Token) -> Span:
    """The entity ``token`` is part of, read from IOB tags (``doc.ents`` builds every span);
    the token alone when it is in none."""
    doc = token.doc
    if not token.ent_type_:
        return doc[token.i : token.i + 1]
    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
