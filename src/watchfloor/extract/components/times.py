"""wf_times: time expressions with TIMEX3 types and values, and a date for every sentence.

Spans come from the model's DATE/TIME entities plus token patterns for what the model misses
or TimeML counts as time ("now", "recently", "the coming weeks", "third-quarter", "every
week", "the year-earlier period", "overnight", "the same day"). Each span is normalised by the
rules in ``timex.py``, in reading order, so anaphoric expressions ("two days later", "that
year") resolve against the narrative's reference time: the last date named before them.
Deictic ones ("yesterday", "last week", "on Tuesday") resolve against the publication day; a
weekday or a month without a year reads as past or future by the tense of its clause.

Writes ``doc._.times`` (one record per expression) and ``doc._.sentence_dates`` (one per
sentence of ``article_sentences``: the date the sentence is about and its precision).
"""

from __future__ import annotations

import re
from typing import TypedDict

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from watchfloor.extract.components.common import (
    MONTHS,
    UNITS,
    article_sentences,
    looks_like_count,
    published_date,
    register_doc_list,
)
from watchfloor.extract.components.timex import (
    HOLIDAYS,
    PARTS_OF_DAY,
    SEASONS,
    WEEKDAYS,
    Anchors,
    Point,
    TimeValue,
    normalise,
)

register_doc_list("times")
register_doc_list("sentence_dates")


class TimeRecord(TypedDict):
    start: int  # character offsets into doc.text
    end: int
    timex_type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3: 2025-06-17, 2025-W24, 2025-Q2, P3D, PRESENT_REF, XXXX-WXX-2
    precision: str  # one of watchfloor.model.PRECISIONS (durations and sets: their unit)
    date: str | None  # ISO date of the first day an anchored value covers
    relative: bool


class SentenceDate(TypedDict):
    date: str | None  # ISO date of the first day the sentence's time covers
    precision: str | None
    # "sentence": named in the sentence; "narrative": the last day named before it;
    # "publication": nothing named yet, the publication day.
    source: str


_FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "'d"}
# Verbs that put what they govern ahead of their own time: "scheduled talks for Friday".
_FUTURE_VERBS = {"plan", "schedule", "expect", "intend", "set", "due", "aim", "prepare", "slate",
                 "hope", "propose", "postpone", "delay", "defer", "adjourn", "await"}  # fmt: skip
_FUTURE_OPENERS = ("as soon as", "as early as", "no later than", "no sooner than")
# Present-tense verbs that report or describe rather than announce a plan.
_STATE_VERBS = {"be", "have", "say", "tell", "report", "remain", "seem", "appear", "know",
                "believe", "think", "want", "need", "include", "show", "continue"}  # fmt: skip
_DEADLINE_OPENERS = {"until", "till", "by", "payable", "through", "effective"}
_EXTENDING_VERBS = {"extend", "postpone", "delay", "push", "move", "adjourn", "defer", "put"}
# Phrases that only say "around the publication" and yield to an explicit day next to them:
# in "overnight on Tuesday" the day is Tuesday.
_VAGUE_DAY = {"overnight", "tonight", "last night", "this morning", "this afternoon",
              "this evening", "earlier today", "later today", "earlier this morning"}  # fmt: skip
_LEADING = {"on", "from", "by", "since", "until", "till", "in", "at", "of", "during", "for",
            "within", "through", "throughout", "after", "before", "to", "as", "into", "than",
            "between"}  # fmt: skip
# Words that open a time expression: where a model entity that starts too early is cut.
_TIME_OPENERS = {"last", "this", "next", "early", "late", "mid", "the", "a", "an", "yesterday",
                 "today", "tomorrow"}  # fmt: skip
_NOUN_MODIFIERS = {"compound", "nmod", "poss", "npadvmod"}
# Duration letters -> the precision a duration or set "counts in".
_UNIT_PRECISION = {"Y": "year", "M": "month", "W": "week", "D": "day", "Q": "quarter"}


def clause_tense(span: Span) -> str | None:
    """The tense of the clause governing ``span``: "future" ("will meet on Friday",
    "is scheduled for Thursday", "as early as Tuesday", "is to resume Tuesday"), "past" ("met
    on Friday", "had met", "have met"), "either" when the time may lie on either side of the
    publication (a deadline, "planned a rally on Saturday"), or None when the clause does not
    tell (present, modals, no verb, a date that describes a noun: "the Jan. 14 deadline")."""
    words = {token.lower_ for token in span}
    if words & {"next", "coming", "upcoming"}:
        return "future"
    doc = span.doc
    before = " ".join(token.lower_ for token in doc[max(span.start - 4, 0) : span.start])
    if before.endswith(_FUTURE_OPENERS):
        return "future"
    root = span.root
    # A date that describes a noun ("Tuesday's declaration", "stock of record Nov. 10") tells
    # when that thing happens, not when the clause's verb does.
    describes_noun = root.dep_ in _NOUN_MODIFIERS and root.head.pos_ in ("NOUN", "PROPN")
    verb = _clause_verb(root)
    if verb is None:
        return "future" if any(t.lower_ in _FUTURE_AUX for t in span.sent) else None
    auxiliaries = _auxiliaries(verb)
    if verb.lower_ in _FUTURE_AUX or any(a.lower_ in _FUTURE_AUX for a in auxiliaries):
        return "future"
    opener = doc[span.start - 1].lower_ if span.start > 0 else ""
    if any(token.lower_ == "since" for token in doc[max(span.start - 2, 0) : span.start]):
        return "past"  # "have searched since October", "since the Aug. 7 bombings"
    if opener in _DEADLINE_OPENERS - {"by"} and verb.lemma_ in _EXTENDING_VERBS:
        return "future"  # "postponed until Tuesday": a delay moves a thing ahead
    # A deadline ("payable Dec. 1", "has until 9 a.m. Tuesday") may lie on either side of the
    # publication whatever the tense: the nearest reading is the best guess.
    if (
        opener in _DEADLINE_OPENERS
        or root.head.lower_ in _DEADLINE_OPENERS  # "payable to holders of record July 10"
        or (opener == "to" and verb.lemma_ in _EXTENDING_VERBS)
    ):
        return "either"
    infinitive = any(a.tag_ == "TO" for a in auxiliaries)
    present = (
        verb.tag_ in ("VB", "VBZ", "VBP", "VBG")
        or infinitive
        or any(a.tag_ in ("VBZ", "VBP") for a in auxiliaries)
    )
    past = any(_past(v) for v in _governing_verbs(verb))
    planned = verb.lemma_ in _FUTURE_VERBS or (
        verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_VERBS
    )
    if planned and past and span.start > verb.i:
        # "planned a rally on Saturday": after the plan, before or after now. A time put
        # before the verb ("On Friday, the government planned ...") dates the planning.
        return "either"
    if present and (
        planned
        or (verb.dep_ == "xcomp" and verb.head.lower_ == "going")
        or (verb.dep_ == "xcomp" and verb.head.lemma_ == "be" and infinitive)  # "is to resume"
    ):
        return "future"
    if planned and verb.dep_ == "acl" and any(c.lower_ == "for" for c in verb.children):
        # "a summit set for April" looks ahead of its sentence's time: "a service planned
        # for Saturday was cancelled" may be past by now.
        sentence_verb = _clause_verb(verb.head)
        return "either" if sentence_verb is not None and _past(sentence_verb) else "future"
    if describes_noun:
        return None
    if _past(verb):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") and not auxiliaries and verb.lemma_ not in _STATE_VERBS:
        return "future"  # "the two leaders meet Monday": news present for what is planned
    if infinitive:
        return None  # "guidelines to be published in early November"
    if any(a.lemma_ == "have" for a in auxiliaries):
        return "past"  # "have searched since the October attack"
    if verb.tag_ == "VBN" and not any(a.tag_ in ("VBZ", "VBP", "MD") for a in auxiliaries):
        return "past"
    return None


def _clause_verb(token: Token) -> Token | None:
    """The verb ``token`` belongs to: itself or one of its first four heads."""
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _past(verb: Token) -> bool:
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in _auxiliaries(verb))


def _auxiliaries(verb: Token) -> list[Token]:
    return [child for child in verb.children if child.dep_ in ("aux", "auxpass")]


def _governing_verbs(verb: Token) -> list[Token]:
    """``verb`` and the words whose complement it is: in "had been due to expire" the tense
    sits on "been", two steps above "expire"."""
    chain = [verb]
    while chain[-1].dep_ in ("xcomp", "acomp") and len(chain) < 4:
        chain.append(chain[-1].head)
    return chain


# -- candidate spans ----------------------------------------------------------------------------

_UNIT_TOKENS = ["second", "minute", "hour", "day", "night", "week", "weekend", "fortnight",
                "month", "quarter", "year", "decade", "century"]  # fmt: skip
_PLURAL_UNITS = [u + "s" for u in _UNIT_TOKENS if u != "century"] + ["centuries"]
_NUMBER_TOKENS = [*UNITS, "several", "few", "couple", "dozen", "a", "an", "many"]
_QUARTER_MODIFIERS = ["first", "second", "third", "fourth", "final", "latest", "current",
                      "fiscal", "same", "comparable", "corresponding", "year", "-", "earlier",
                      "ago", "this", "last", "next", "previous", "prior", "flat", "calendar",
                      "'s", "year's", "1st", "2nd", "3rd", "4th"]  # fmt: skip
# Capitalised, "Day" and "Night" belong to holidays and events ("Election Day") that are times.
_LOWER_CASE_WORDS = {*_UNIT_TOKENS, *_PLURAL_UNITS, "today", "tonight", "tomorrow",
                     "yesterday", "now"} - {"day", "days", "night", "nights"}  # fmt: skip
_QUARTER_ORDINALS = {"first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th"}
_DETERMINERS = ["the", "its", "their", "this", "that", "his", "her", "our"]
_FREQUENCY_WORDS = {"daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly",
                    "quarterly", "biweekly", "annual"}  # fmt: skip
_DAY_WORDS = [*WEEKDAYS, "today", "yesterday", "tomorrow", "tonight"]
_MONTH_TOKENS = [*MONTHS, *(f"{m}." for m in MONTHS if len(m) <= 4)]
_CLOCK_TOKEN = {"SHAPE": {"IN": ["d", "dd", "d:dd", "dd:dd", "d.dd", "dd.dd"]}}
_HALF_DAY = {"LOWER": {"IN": ["a.m.", "p.m.", "am", "pm", "a.m", "p.m"]}}
_ZONES = {"LOWER": {"IN": ["est", "edt", "cst", "cdt", "pst", "pdt", "gmt", "utc", "et",
                           "local"]}, "OP": "?"}  # fmt: skip
_TENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
         "eighty", "ninety"]  # fmt: skip


# Every token pattern holds one of these words: the patterns run only in windows around them,
# which keeps the Matcher off the bulk of the text.
_ANCHOR_WORDS = {
    *_UNIT_TOKENS, *_PLURAL_UNITS, *SEASONS, *_FREQUENCY_WORDS, *PARTS_OF_DAY, "period",
    "half", "now", "currently", "nowadays", "recently", "lately", "presently", "current",
    "recent", "present", "future", "date", "term", "run", "past", "possible", "every", "each",
    "once", "twice", "a.m.", "p.m.", "am", "pm", "a.m", "p.m", "noon", "midnight", "midday",
    "nineteen", "eighteen", "thousand", *(d + "s" for d in WEEKDAYS),
}  # fmt: skip
_WINDOW = 8  # tokens on either side of an anchor word


# fmt: off
def _token_patterns() -> dict[str, list[list[dict]]]:
    unit_any = {"LOWER": {"IN": _UNIT_TOKENS + _PLURAL_UNITS}}
    plural = {"LOWER": {"IN": _PLURAL_UNITS}}
    hyphen = {"ORTH": {"IN": ["-", "–"]}, "OP": "?"}
    det = {"LOWER": {"IN": _DETERMINERS}, "OP": "?"}
    day_words = {"LOWER": {"IN": _DAY_WORDS}}
    return {
        "REFERENCE": [
            [{"LOWER": {"IN": ["now", "currently", "nowadays", "recently", "lately",
                               "presently"]}}],
            [{"LOWER": {"IN": ["current", "recent"]}, "POS": "ADJ"}],
            [{"LOWER": "right"}, {"LOWER": "now"}],
            [{"LOWER": {"IN": ["these", "those"]}}, {"LOWER": "days"}],
            [{"LOWER": "at"}, {"LOWER": "present"}],
            [{"LOWER": {"IN": ["the", "a"]}},
             {"LOWER": {"IN": ["near", "foreseeable", "distant", "later"]}, "OP": "?"},
             {"LOWER": {"IN": ["future", "date"]}}],
            [{"LOWER": "the"}, {"LOWER": {"IN": ["near", "short", "long", "medium"]}},
             {"LOWER": {"IN": ["term", "run"]}}],
            [{"LOWER": "the"}, {"LOWER": "past"},
             {"POS": {"NOT_IN": ["NOUN", "NUM", "ADJ"]}, "LOWER": {"NOT_IN": ["few", "several"]}}],
            [{"LOWER": "as"}, {"LOWER": "soon"}, {"LOWER": "as"}, {"LOWER": "possible"}],
        ],
        "VAGUE_PERIOD": [
            [det, {"LOWER": {"IN": ["coming", "upcoming", "recent"]}}, plural],
            [det, {"LOWER": {"IN": ["past", "last", "next", "first", "following"]}},
             {"LOWER": {"IN": ["few", "several"]}}, plural],
            [{"LOWER": "the"}, plural, {"LOWER": "ahead"}],
        ],
        "SET": [
            [{"LOWER": {"IN": ["every", "each"]}},
             {"LOWER": {"IN": _UNIT_TOKENS + WEEKDAYS + list(PARTS_OF_DAY)
                        + [m for m in MONTHS if len(m) > 3]}}],
            [{"LOWER": {"IN": ["once", "twice"]}}, {"LOWER": {"IN": ["a", "an", "every", "per"]}},
             {"LOWER": {"IN": _UNIT_TOKENS}}],
            [{"LOWER": {"IN": sorted(_FREQUENCY_WORDS)}, "POS": {"IN": ["ADV", "ADJ"]}}],
            [{"LOWER": {"IN": [d + "s" for d in WEEKDAYS]}},
             {"LOWER": {"IN": [p + "s" for p in PARTS_OF_DAY]}, "OP": "?"}],
        ],
        "QUARTER": [
            [det, {"LOWER": {"IN": _QUARTER_MODIFIERS}, "OP": "+"}, {"LOWER": "quarter"}],
            [{"LOWER": "the"}, {"LOWER": "quarter"}],
            [det, {"LOWER": {"IN": ["first", "second", "last", "latter"]}}, {"LOWER": "half"}],
            [det, {"LOWER": {"IN": ["year", "latest", "same", "comparable", "corresponding"]}},
             {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["earlier", "ago"]}, "OP": "?"},
             {"LOWER": "period"}],
            [{"LOWER": "year"}, {"ORTH": "-"}, {"LOWER": {"IN": ["earlier", "ago"]}}],
            [det, {"SHAPE": "dddd"}, {"LOWER": {"IN": ["period", "quarter"]}}],
            [det, {"LOWER": {"IN": _QUARTER_MODIFIERS}, "OP": "*"},
             {"LOWER": {"IN": ["period", "quarter"]}}, {"LOWER": {"IN": ["last", "a"]}},
             {"LOWER": "year"}, {"LOWER": {"IN": ["ago", "earlier"]}, "OP": "?"}],
        ],
        "DURATION": [
            [{"LIKE_NUM": True}, hyphen, unit_any],
            [{"LOWER": {"IN": _NUMBER_TOKENS}}, {"LOWER": {"IN": _NUMBER_TOKENS}, "OP": "?"},
             hyphen, unit_any, {"LOWER": {"IN": ["ago", "earlier", "later"]}}],
            [{"LOWER": {"IN": _UNIT_TOKENS + _PLURAL_UNITS}}, {"ORTH": "-"}, {"LOWER": "long"}],
        ],
        "SEASON": [
            [{"LOWER": {"IN": ["this", "last", "next", "the", "early", "late", "that", "past",
                               "mid"]}},
             {"LOWER": {"IN": list(SEASONS)}, "POS": {"IN": ["NOUN", "PROPN"]}}],
        ],
        "CLOCK": [
            [_CLOCK_TOKEN, _HALF_DAY, _ZONES, {"ORTH": ",", "OP": "?"}, day_words],
            [_CLOCK_TOKEN, _HALF_DAY, _ZONES, {"ORTH": ",", "OP": "?"},
             {"LOWER": {"IN": _MONTH_TOKENS}}, {"LIKE_NUM": True}],
            [{"LOWER": {"IN": ["noon", "midnight", "midday"]}}, day_words],
            [{"LOWER": "mid", "OP": "?"}, {"ORTH": "-", "OP": "?"},
             {"LOWER": {"IN": ["morning", "afternoon", "evening", "night"]}},
             {"LOWER": {"IN": ["yesterday", "today", "tomorrow"]}}],
        ],
        "YEAR_WORDS": [
            [{"LOWER": {"IN": ["nineteen", "eighteen"]}}, {"LOWER": {"IN": _TENS}},
             {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": list(UNITS)}, "OP": "?"}],
            [{"LOWER": "the"}, {"LOWER": "year"}, {"LOWER": "two"}, {"LOWER": "thousand"}],
        ],
    }
# fmt: on


def _phrases() -> list[str]:
    """Relative time phrases the model misses: "overnight", "the same day", "last Tuesday"."""
    day_words = ["day", *["morning", "afternoon", "evening", "night"]]
    phrases = ["overnight", "yesterday", "today", "tonight", "tomorrow", *HOLIDAYS]
    phrases += ["christmas", "new year's day", "new year's eve", "valentine's day"]
    phrases += [f"{when} {part}" for when in ("last", "this", "earlier", "later")
                for part in (*day_words[1:], "today")]  # fmt: skip
    for weekday in WEEKDAYS:
        for before in ("", "last ", "next ", "this ", "coming ", "the following "):
            phrases += [f"{before}{weekday}"]
            phrases += [f"{before}{weekday} {part}" for part in day_words[1:]]
    phrases += [f"the same {word}" for word in day_words] + [f"that {word}" for word in day_words]
    phrases += [f"that same {word}" for word in day_words] + [
        f"earlier that {w}" for w in day_words
    ]
    phrases += [f"the {which} {unit}" for which in ("next", "following", "previous", "preceding")
                for unit in (*day_words, "week", "month", "year")]  # fmt: skip
    phrases += ["the day before", "the day after"]
    for unit in ("week", "weekend", "month", "year"):
        for which in ("last", "this", "next", "coming", "that", "the following"):
            phrases += [f"{which} {unit}", f"earlier {which} {unit}", f"later {which} {unit}"]
    return phrases


def _dates() -> tuple[list[str], list[str]]:
    """Month-day and month-year phrases the model sometimes leaves untagged ("the night of
    June 16 to 17"): matched by case (first list) only for "May", which is also a verb."""
    may, other = [], []
    for month in [m.capitalize() for m in MONTHS if len(m) > 3 and m != "sept"] + ["May"]:
        written = may if month == "May" else other
        written += [f"{month} {day}" for day in range(1, 32)]
        written += [f"{day} {month}" for day in range(1, 32)]
        written += [f"{month} {year}" for year in range(1950, 2050)]
    # "the Aug. 7 embassy bombings", which the model may take for an event's name.
    for month in [
        f"{m.capitalize()}." for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july")
    ]:
        other += [f"{month} {day}" for day in range(1, 32)]
    return may, other


class TimeTagger:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.anchor_words = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.anchor_words.add("ANCHOR", [nlp.make_doc(word) for word in _ANCHOR_WORDS])
        self.patterns = Matcher(nlp.vocab)
        for label, patterns in _token_patterns().items():
            self.patterns.add(label, patterns)
        may, other = _dates()
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_lower.add("RELATIVE", [nlp.make_doc(p) for p in _phrases() + other])
        self.by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_case.add("MAY", [nlp.make_doc(p) for p in may])

    def candidates(self, doc: Doc) -> list[Span]:
        spans = [
            ent
            for ent in doc.ents
            if ent.label_ == "TIME" or (ent.label_ == "DATE" and not looks_like_count(ent))
        ]
        for start, end in _windows(self.anchor_words(doc), len(doc)):
            spans += self.patterns(doc[start:end], as_spans=True)
        spans += self.by_lower(doc, as_spans=True) + self.by_case(doc, as_spans=True)
        spans = [span for span in spans if _plausible(span)]
        trimmed = [t for span in filter_spans(spans) for t in _split(span) if t is not None]
        return _with_weekdays_joined(sorted(filter_spans(trimmed), key=lambda span: span.start))

    def __call__(self, doc: Doc) -> Doc:
        published = published_date(doc)
        sentences = article_sentences(doc)
        if published is None:
            doc._.times = []
            doc._.sentence_dates = [
                SentenceDate(date=None, precision=None, source="publication") for _ in sentences
            ]
            return doc
        spans = self.candidates(doc)
        anchors = Anchors(published=published, day=published)
        records: list[TimeRecord] = []
        sentence_dates: list[SentenceDate] = []
        position = 0
        narrated = False  # whether a day has been named yet
        for sentence in sentences:
            while position < len(spans) and spans[position].start < sentence.start:
                position += 1
            here: list[tuple[Span, TimeValue]] = []
            while position < len(spans) and spans[position].start < sentence.end:
                span = spans[position]
                position += 1
                anchors = _with_tense(anchors, span)
                span, found = _read(span, anchors)
                if found is None:
                    continue
                here.append((span, found))
                anchors = _advance(anchors, span, found)
            kept = [(s, f) for s, f in here if not _yields_to_neighbour(s, f, here)]
            days = [f.point for _, f in kept if f.point and f.point.precision in ("day", "time")]
            if days and kept != here:
                anchors = _replace_day(anchors, days[-1])
            narrated = narrated or bool(days)
            sentence_dates.append(_sentence_date(kept, anchors, narrated))
            records += [_record(span, found) for span, found in kept]
        doc._.times = records
        doc._.sentence_dates = sentence_dates
        return doc


def _with_weekdays_joined(spans: list[Span]) -> list[Span]:
    """ "Friday Oct. 13" is one day: a weekday found apart from the date right after it
    would otherwise be read as a day of its own week."""
    joined: list[Span] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and len(previous) == 1
            and previous[0].lower_ in WEEKDAYS
            and all(token.text == "," for token in span.doc[previous.end : span.start])
            and span.start - previous.end <= 1
            and span[0].lower_.rstrip(".") in MONTHS
        ):
            joined[-1] = span.doc[previous.start : span.end]
        else:
            joined.append(span)
    return joined


def _windows(anchors: list[tuple[int, int, int]], length: int) -> list[tuple[int, int]]:
    """Token ranges around the anchor matches, overlapping ones merged."""
    merged: list[list[int]] = []
    for _, start, end in sorted(anchors, key=lambda match: match[1]):
        low, high = max(start - _WINDOW, 0), min(end + _WINDOW, length)
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


def _plausible(span: Span) -> bool:
    """Candidates that are time expressions in context: "the quarter" but not "a quarter of
    the votes", "the first half" of a year but not of a match, "daily" rallies but not
    "quarterly" dividends (a reporting period's label), "current" times but not accounts."""
    doc = span.doc
    last = span[-1].lower_
    after = doc[span.end] if span.end < len(doc) else None
    if (
        last.endswith(("quarter", "quarters", "half"))
        and after is not None
        and after.lower_ == "of"
    ):
        rest = [token.lower_ for token in doc[after.i + 1 : after.i + 4]]
        # "a loss for the third quarter of $226.3 million": an amount, not a share.
        amount = after.i + 1 < len(doc) and doc[after.i + 1].is_currency
        return bool(rest) and (
            (amount and any(token.lower_ in _QUARTER_ORDINALS for token in span))
            or (rest[0].isdigit() and len(rest[0]) == 4)
            or (rest[0] in ("this", "last", "next", "the") and "year" in rest[1:])
            or rest[0] == "fiscal"
        )
    if _names_a_title(span):
        return False
    if len(span) == 1 and last in _FREQUENCY_WORDS:
        return span[0].pos_ == "ADV" or last in ("daily", "weekly", "nightly")
    if last == "half":
        return span[0].lower_ != "half"
    if span[0].is_punct or (after is not None and after.text in ("-", "–") and last == "quarter"):
        return False  # "quarter-to-quarter"
    if len(span) == 1 and last in PARTS_OF_DAY and span[0].dep_ in ("compound", "amod"):
        return False  # "the morning talk show"
    if span.start > 0 and doc[span.start - 1].lower_ == "good" and last in PARTS_OF_DAY:
        return False  # "good evening"
    if span[0].lower_ in ("current", "recent") and len(span) == 1:
        return after is None or after.lower_ not in ("account", "accounts")
    return True


def _names_a_title(span: Span) -> bool:
    """ "VOA Today", ABC's "This Week", CBS's "60 Minutes": a word written in lower case in
    running text ("today", "week") capitalised inside a sentence is part of a name."""
    doc = span.doc
    capitalised = [t for t in span if t.lower_ in _LOWER_CASE_WORDS and t.is_title]
    if not capitalised:
        return False
    if capitalised[0].i != span.start:
        return True  # "60 Minutes"
    before = span.start - 1  # the word before, past any quotation marks
    while before >= 0 and doc[before].is_quote:
        before -= 1
    return before >= 0 and not doc[before].is_space and doc[before].text not in (".", "!", "?", ":")


def _split(span: Span) -> list[Span | None]:
    """The span without leading prepositions or trailing punctuation, cut in two where it
    holds two expressions: "1989 and 1990", "the quarter ended Sept. 30", "the first nine
    months of 1989"."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and doc[start].lower_ in _LEADING:
        start += 1
    while end > start and (
        doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].pos_ == "CCONJ"
        or doc[end - 1].tag_ == "POS"
        or doc[end - 1].lower_ in ("since", "from")
        or (doc[end - 1].lower_ in ("after", "before") and _counts_from_event(doc, start, end))
    ):
        end -= 1
    if start == end:
        return [None]
    for i in range(start + 1, end - 1):
        word, left, right = doc[i].lower_, doc[start:i], doc[i + 1 : end]
        if (
            (word in ("a", "an") or doc[i].like_num)
            and _date_like(left)
            and (
                _counts_units(doc[i:end])
                or (word in ("a", "an") and right[0].lower_ in _UNIT_TOKENS)
            )
        ):
            return [left, doc[i:end]]  # "declared Wednesday a day of mourning"
        if (
            (word in ("ended", "ending") and _date_like(right))
            or (word == "of" and _counts_units(left) and _year_like(right))
            or (word in ("and", "or", "to", "through") and _date_like(left) and _date_like(right))
        ):
            return [left, right]
    return [doc[start:end]]


def _counts_from_event(doc: Doc, start: int, end: int) -> bool:
    """ "six months after Finland notifies", "the day before authorities issued": the time is
    counted from an event, not a date, so the span keeps only the amount of time."""
    return _counts_units(doc[start : end - 1]) or (
        end < len(doc) and not doc[end].is_punct and not doc[end].is_space
    )


def _counts_units(span: Span) -> bool:
    """ "six months", "the first nine months": a number of calendar units."""
    return any(t.like_num for t in span) and any(t.lower_ in _PLURAL_UNITS for t in span)


def _year_like(span: Span) -> bool:
    words = [token.lower_ for token in span]
    return any(w.isdigit() and len(w) == 4 for w in words) or " ".join(words) in (
        "the year", "this year", "last year", "next year", "the fiscal year"
    )  # fmt: skip


def _date_like(span: Span) -> bool:
    """A stretch that names a date on its own: it has a year, a month name or a weekday."""
    words = [token.lower_.rstrip(".") for token in span]
    return any(
        (w.isdigit() and len(w) == 4)
        or w in WEEKDAYS
        or (w in MONTHS and len(w) > 2)
        or w in ("today", "yesterday", "tomorrow")
        for w in words
    ) and not any(w in _UNIT_TOKENS or w in _PLURAL_UNITS for w in words)


def _read(span: Span, anchors: Anchors) -> tuple[Span, TimeValue | None]:
    """The span and its value. An entity that took in a word before the time ("coup d'etat
    last year") is read from the first word that can open a time expression."""
    found = _year_to_date(span) or normalise(span.text, anchors)
    if found is not None:
        return span, found
    for start in range(span.start + 1, min(span.start + 3, span.end)):
        word = span.doc[start]
        if (
            word.lower_ in _TIME_OPENERS
            or (word.like_num and len(word) == 4)
            or (word.lower_.rstrip(".") in MONTHS or word.lower_ in WEEKDAYS)
        ):
            rest = span.doc[start : span.end]
            return rest, normalise(rest.text, anchors)
    return span, None


def _year_to_date(span: Span) -> TimeValue | None:
    """ "the year ended Sept. 30": a twelve-month period, not a calendar year."""
    doc = span.doc
    ends = span.end < len(doc) and doc[span.end].lower_ in ("ended", "ending")
    if ends and span.text.lower() in ("the year", "the fiscal year", "the financial year"):
        return TimeValue("DURATION", "P1Y")
    return None


def _with_tense(anchors: Anchors, span: Span) -> Anchors:
    tense = clause_tense(span)
    if tense == anchors.tense:
        return anchors
    return Anchors(anchors.published, anchors.day, anchors.last, anchors.quarter, tense)


def _advance(anchors: Anchors, span: Span, found: TimeValue) -> Anchors:
    """The anchors after ``found``: it becomes the narrative's reference time."""
    point = found.point
    if point is None or not found.moves_narrative or span.text.lower() in _VAGUE_DAY:
        return anchors
    day = point.start if point.precision in ("day", "time") else anchors.day
    quarter = point if point.unit == "quarter" else anchors.quarter
    return Anchors(anchors.published, day, point, quarter, anchors.tense)


def _replace_day(anchors: Anchors, point: Point) -> Anchors:
    return Anchors(anchors.published, point.start, point, anchors.quarter, anchors.tense)


def _yields_to_neighbour(span: Span, found: TimeValue, here: list[tuple[Span, TimeValue]]) -> bool:
    if span.text.lower() not in _VAGUE_DAY:
        return False
    return any(
        other is not span
        and other.text.lower() not in _VAGUE_DAY
        and value.point is not None
        and value.point.precision in ("day", "time")
        and (0 <= other.start - span.end <= 2 or 0 <= span.start - other.end <= 2)
        for other, value in here
    )


def _sentence_date(
    kept: list[tuple[Span, TimeValue]], anchors: Anchors, narrated: bool
) -> SentenceDate:
    """The first day named in the sentence, else its first date of any grain, else the day
    the narrative is at (the last day named before), else the publication day."""
    points = [found.point for _, found in kept if found.point is not None]
    days = [p for p in points if p.precision in ("day", "time")]
    if days or points:
        best = (days or points)[0]
        return SentenceDate(
            date=best.start.isoformat(),
            precision="day" if best.precision == "time" else best.precision,
            source="sentence",
        )
    return SentenceDate(
        date=anchors.day.isoformat(),
        precision="day",
        source="narrative" if narrated else "publication",
    )


def _record(span: Span, found: TimeValue) -> TimeRecord:
    point = found.point
    return TimeRecord(
        start=span.start_char,
        end=span.end_char,
        timex_type=found.timex_type,
        value=found.value,
        precision=point.precision if point else _unanchored_precision(found.value),
        date=point.start.isoformat() if point else None,
        relative=found.relative,
    )


def _unanchored_precision(value: str) -> str:
    """The unit a duration or set counts in ("P3D": day), or how close a reference is
    ("PRESENT_REF": the day; "PAST_REF", "FUTURE_REF": no closer than a year)."""
    if value.endswith("_REF"):
        return "day" if value == "PRESENT_REF" else "year"
    if value.startswith("PT") or "T" in value:
        return "time"
    if value.startswith("P"):
        return _UNIT_PRECISION.get(value[-1], "year")
    if "-WXX-" in value:
        return "day"
    return "month" if re.fullmatch(r"XXXX-\d\d", value) else "year"


@Language.factory(
    "wf_times",
    assigns=["doc._.times", "doc._.sentence_dates"],
    requires=["doc.ents", "doc.sents", "token.dep", "token.pos", "doc._.published"],
)
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger(nlp, name)
