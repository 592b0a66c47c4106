"""wf_counts: numbers with what they count and a normalised role.

A count is a number phrase ("1,000", "1.5 billion", "dozens", "10 to 12") that is not part of a
date, time, ordinal, age or name, plus the noun it counts from the dependency parse ("1,000
deminers") and a role from ``data/count_roles.toml``. For people the role comes from what
happened to them ("28 people were killed" -> killed); "the death toll climbed to 28" is an
update of the killed count. The hedge says how exact it is: "at least 14" (at_least), "up to
40" (at_most), "about 440" (about), "10 to 12" (range), "dozens" (at_least: two dozen).

Not counts: references back to things counted before ("the two sides", "the two leaders"),
distances ("two blocks away"), abstractions listed as uncounted ("three stages"), and a number
after a weekday that the model read into a date ("on Tuesday 14 people died" counts 14 people).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list
from watchfloor.extract.components.common import (
    MONTHS,
    PLURALS,
    SMALL_MULTIPLIERS,
    UNITS,
    entity_of,
    is_multiplier,
    is_number_word,
    looks_like_count,
    number_value,
    register_doc_list,
    string_ids,
)

register_doc_list("counts")

PACKAGED_ROLES = "count_roles.toml"

# Entities whose numbers are not counts (years, clock times, "Su-34", "Resolution 2231").
_NOT_COUNTS = {
    "DATE", "TIME", "ORDINAL", "PERSON", "ORG", "PRODUCT", "FAC", "EVENT", "LAW",
    "WORK_OF_ART", "LANGUAGE",
}  # fmt: skip
_APPROX = (
    "in excess of", "at least", "more than", "up to", "fewer than", "less than", "at most",
    "as many as", "close to", "an estimated", "just over", "just under", "well over",
    "about", "around", "nearly", "almost", "over", "some", "roughly", "approximately",
    "estimated", "under", "upwards of", "as few as", "no fewer than", "no less than",
)  # fmt: skip
_APPROX_WORDS = sorted((tuple(phrase.split()) for phrase in _APPROX), key=len, reverse=True)
# The model.APPROX_KINDS value of each hedge; one not listed is "about".
_APPROX_KINDS = {
    "in excess of": "at_least", "at least": "at_least", "more than": "at_least",
    "well over": "at_least", "just over": "at_least", "over": "at_least",
    "upwards of": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "or more": "at_least", "plus": "at_least",
    "up to": "at_most", "fewer than": "at_most", "less than": "at_most", "at most": "at_most",
    "as many as": "at_most", "just under": "at_most", "under": "at_most", "nearly": "at_most",
    "almost": "at_most", "as few as": "at_most", "no more than": "at_most",
}  # fmt: skip
# Hedges after the number: "100 or more", "30 or so", "100-plus".
_TRAILING_APPROX = (("or", "more"), ("or", "so"), ("or", "fewer"), ("-", "plus"), ("plus",))
_TRAILING_KINDS = {"or more": "at_least", "or so": "about", "or fewer": "at_most",
                   "- plus": "at_least", "plus": "at_least"}  # fmt: skip
# "the two sides", "both leaders": a reference back to things counted before.
_ANAPHORIC = {"the", "these", "those", "both", "its", "their", "his", "her", "our", "my"}
_ANAPHORIC_MAX = 10
# "two blocks away", "three streets apart": a distance, not a count.
_MEASURE_WORDS = {"away", "apart"}
_WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
_OPENERS = {"a", "several", "few"}  # open a number phrase only before a multiplier word
_RANGE_LINKS = {"to", "-", "–", "or"}
_UPDATE_VERBS = {
    "climb", "rise", "reach", "increase", "jump", "grow", "mount", "surge", "hit", "top",
    "exceed", "swell", "soar", "pass",
}  # fmt: skip
_TALLY_NOUNS = {"toll", "number", "count", "tally", "figure", "total"}
# "raising the death toll to 30": verbs whose object is the tally that moved.
_RAISING_VERBS = {"raise", "push", "bring", "take", "lift", "drive", "put", "send"}
_IDENTIFIER_WORDS = {"no", "no.", "number", "#", "article", "resolution", "paragraph", "section"}


class CountRecord(TypedDict):
    start: int  # character offsets into doc.text
    end: int
    value: float
    what: str
    role: str
    approx: str | None
    value_max: float | None
    is_update: bool
    approx_kind: str  # one of watchfloor.model.APPROX_KINDS


@dataclass(frozen=True, slots=True)
class RoleTable:
    nouns: dict[str, str]  # noun lemma -> role
    people: frozenset[str]
    outcomes: dict[str, str]  # lemma or two-lemma phrase -> role
    money: frozenset[str]
    units: frozenset[str]
    uncounted: frozenset[str]  # abstractions whose numbers are not facts
    events: dict[str, str]  # role -> the taxonomy category whose events it belongs to


def load_roles(path: str | None = None) -> RoleTable:
    data, where = read_toml(path, PACKAGED_ROLES)
    known = {"nouns", "people", "outcomes", "money", "units", "uncounted", "events"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise CatalogError(f"{where}: unknown table(s) {', '.join(unknown)}")

    def inverted(table: str) -> dict[str, str]:
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise CatalogError(f"{where}: [{table}] must be a table of role = [words]")
        return {
            word.lower(): role
            for role, words in section.items()
            for word in string_list(words, where, f"[{table}] {role}")
        }

    def word_set(table: str) -> frozenset[str]:
        section = data.get(table, {})
        words = section.get("nouns") if isinstance(section, dict) else None
        return frozenset(w.lower() for w in string_list(words, where, f"[{table}] nouns"))

    return RoleTable(
        nouns=inverted("nouns"),
        people=word_set("people"),
        outcomes=inverted("outcomes"),
        money=word_set("money"),
        units=word_set("units"),
        uncounted=word_set("uncounted"),
        events=inverted("events"),
    )


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _after_weekday(token: Token) -> bool:
    """ "Tuesday 14" in "on Tuesday 14 people were killed": the model put the count in the date.
    A day of the month after a weekday comes with a month ("Tuesday 14 June"); without one the
    number counts the noun after it."""
    doc = token.doc
    date = entity_of(token)
    return (
        token.like_num
        and token.i == date.end - 1
        and token.i > 0
        and doc[token.i - 1].lower_ in _WEEKDAYS
        and token.i + 1 < len(doc)
        and doc[token.i + 1].lower_.rstrip(".") not in MONTHS
        and doc[token.i + 1].pos_ in ("NOUN", "ADJ", "PROPN")
    )


def _trailing_approx(doc: Doc, end: int) -> str | None:
    """A hedge right after the number: "100 or more", "30 or so"."""
    for words in _TRAILING_APPROX:
        if tuple(t.lower_ for t in doc[end : end + len(words)]) == words:
            return " ".join(words)
    return None


def _percent_end(doc: Doc, i: int) -> int | None:
    """Where "%", "percent" or "per cent" after a number ends, or None."""
    if i < len(doc) and doc[i].lower_ in ("%", "percent", "pct"):
        return i + 1
    if i + 1 < len(doc) and doc[i].lower_ == "per" and doc[i + 1].lower_ == "cent":
        return i + 2
    return None


def _percent_of(doc: Doc, end: int) -> str:
    """What a percentage is of: "5% of GDP" -> "GDP"; else "percent"."""
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        for token in doc[end + 1 : end + 5]:
            if token.head.i == end and token.dep_ == "pobj":
                return token.text
    return "percent"


class CountTagger:
    def __init__(self, nlp: Language, name: str, roles: RoleTable) -> None:
        self.name = name
        self.roles = roles
        # Words that may open a number phrase, besides number-like tokens.
        self.opener_words = string_ids(nlp.vocab, {*UNITS, *SMALL_MULTIPLIERS, *PLURALS, *_OPENERS})

    def openers(self, doc: Doc) -> list[int]:
        """Where a number phrase may start: number-like tokens and the opener words."""
        like_num, lower = doc.to_array(["LIKE_NUM", "LOWER"]).T
        return numpy.flatnonzero(like_num | numpy.isin(lower, self.opener_words)).tolist()

    def __call__(self, doc: Doc) -> Doc:
        records: list[CountRecord] = []
        consumed = 0
        for i in self.openers(doc):
            if i < consumed:
                continue
            group = self._number_phrase(doc, i)
            if group is None:
                continue
            record, consumed_to = self._count(doc, group)
            if record is not None:
                records.append(record)
            consumed = max(consumed_to, group.end)
        doc._.counts = records
        return doc

    def _number_phrase(self, doc: Doc, i: int) -> Span | None:
        """The number phrase starting at token ``i`` ("a few hundred", "tens of thousands")."""
        token = doc[i]
        if token.ent_type_ in _NOT_COUNTS and not (
            token.ent_type_ == "DATE"
            and (looks_like_count(entity_of(token)) or _after_weekday(token))
        ):
            return None
        end = i
        if token.lower_ in _OPENERS:
            end = i + 1
            if end < len(doc) and doc[end].lower_ == "few":
                end += 1
            if end >= len(doc) or not is_multiplier(doc[end]):
                return None
        elif not is_number_word(token):
            return None
        while end < len(doc) and is_number_word(doc[end]):
            end += 1
            if end + 1 < len(doc) and is_number_word(doc[end + 1]):
                # "twenty-three" and "tens of thousands" are one number; "10-12" is a range.
                link, before = doc[end].lower_, doc[end - 1]
                if (link == "-" and before.is_alpha) or (link == "of" and before.lower_ in PLURALS):
                    end += 1
        return doc[i:end]

    def _count(self, doc: Doc, group: Span) -> tuple[CountRecord | None, int]:
        parsed = number_value([t.text for t in group])
        if parsed is None:
            return None, group.end
        value, vague = parsed
        value_max, consumed_to = self._range_end(doc, group, value)
        if self._not_a_count(doc, group, value):
            return None, consumed_to
        first = group.start
        percent_end = _percent_end(doc, consumed_to)
        if percent_end is not None:
            what, role, is_update = _percent_of(doc, percent_end), "percent", False
            end_token = percent_end
        else:
            noun = self._counted_noun(doc, group, consumed_to)
            money = "MONEY" in (group[0].ent_type_, doc[consumed_to - 1].ent_type_)
            if noun is not None and _lemma(noun) in self.roles.units and not money:
                return None, consumed_to
            if group.text.lower() == "one" and not self._is_known_noun(noun):
                return None, consumed_to  # "one way or another", "one of the largest"
            what, role, is_update = self._role(doc, group, doc[consumed_to - 1], noun, money)
            end_token = consumed_to
            if noun is not None and noun.i >= consumed_to and noun.i - consumed_to <= 4:
                end_token = noun.i + 1
            if role == "money" and first > 0 and doc[first - 1].lower_ in self.roles.money:
                first -= 1  # "$1.5 billion"
        counted = noun if percent_end is None else None
        if role is None or self._not_a_fact(doc, group, value, counted, role):
            return None, consumed_to
        if value_max is not None and first > 0 and doc[first - 1].lower_ == "between":
            first -= 1  # the text is the whole range: "between 10 and 12 missiles"
        approx, start = self._approx(doc, first)
        trailing = _trailing_approx(doc, consumed_to)
        if trailing is not None and end_token == consumed_to:
            end_token += len(trailing.split())  # "100 or more"
        if value_max is not None:
            kind = "range"
        elif approx is not None:
            kind = _APPROX_KINDS.get(approx, "about")
        elif trailing is not None:
            approx, kind = trailing, _TRAILING_KINDS[trailing]
        elif vague is not None:
            kind = "at_least"  # "dozens" is at least two dozen
        else:
            kind = "exact"
        record = CountRecord(
            start=doc[start].idx,
            end=doc[end_token - 1].idx + len(doc[end_token - 1]),
            value=value,
            what=what,
            role=role,
            approx=approx or vague,
            value_max=value_max,
            is_update=is_update,
            approx_kind=kind,
        )
        return record, consumed_to

    def _not_a_fact(
        self, doc: Doc, group: Span, value: float, noun: Token | None, role: str
    ) -> bool:
        """ "the two sides", "two blocks away", "three stages": numbers that report nothing.
        "The two soldiers were killed" still reports two killed."""
        if noun is None:
            return False
        if _lemma(noun) in self.roles.uncounted:
            return True
        after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        if after is not None and after.lower_ in _MEASURE_WORDS:
            return True
        before = doc[group.start - 1] if group.start > 0 else None
        return (
            before is not None
            and before.lower_ in _ANAPHORIC
            and group[0].is_alpha
            and value <= _ANAPHORIC_MAX
            and role not in self.roles.outcomes.values()
        )

    def _is_known_noun(self, noun: Token | None) -> bool:
        if noun is None:
            return False
        lemma = _lemma(noun)
        return lemma in self.roles.nouns or lemma in self.roles.people or lemma in self.roles.money

    def _range_end(self, doc: Doc, group: Span, value: float) -> tuple[float | None, int]:
        """The upper end of "10 to 12", "10-12", "between 10 and 12", and where it ends."""
        link = group.end
        if link + 1 >= len(doc):
            return None, group.end
        between = group.start > 0 and doc[group.start - 1].lower_ == "between"
        if not (doc[link].lower_ in _RANGE_LINKS or (between and doc[link].lower_ == "and")):
            return None, group.end
        upper = self._number_phrase(doc, link + 1)
        if upper is None:
            return None, group.end
        parsed = number_value([t.text for t in upper])
        if parsed is None or parsed[0] <= value:
            return None, group.end  # "157-18" is a vote, not a range
        return parsed[0], upper.end

    def _not_a_count(self, doc: Doc, group: Span, value: float) -> bool:
        first, last = group[0], group[-1]
        after = doc[last.i + 1 : last.i + 5]
        words_after = " ".join(t.lower_ for t in after)
        if words_after.startswith(("-year-old", "year-old", "years old", "year old", "-year -")):
            return True  # an age
        if first.i > 0 and doc[first.i - 1].lower_ in ("aged", *_IDENTIFIER_WORDS):
            return True
        # A hyphenated modifier counts nothing: "nine-storey", "30-day", "1,000-for-1,000".
        hyphen = doc[last.i + 1 : last.i + 3]
        if (
            len(hyphen) == 2
            and hyphen[0].text == "-"
            and hyphen[1].text[0].isalpha()
            and not last.whitespace_
        ):
            return True
        # Days of a month the model left out of a date: "the night of June 16 to 17".
        neighbours = (
            doc[max(first.i - 1, 0) : first.i].text + " " + doc[last.i + 1 : last.i + 2].text
        )
        if any(word.lower().rstrip(".") in MONTHS for word in neighbours.split()):
            return True
        if len(group) == 1 and len(first.text) == 4 and first.text.isdigit():
            # A year the model did not tag ("the 2022 cut-off"): counts of that size are
            # written with a comma, and only a noun we know makes it a count.
            noun = self._counted_noun(doc, group, group.end)
            if 1800 <= value <= 2100 and not self._is_known_noun(noun):
                return True
        # A number right after the name of a thing is part of it: "Estlink 2", "Nord Stream 2"
        # (not after a place or a day: "in Kyiv 14 people", "on Tuesday 14 people").
        before = doc[first.i - 1] if first.i > 0 else None
        if (
            before is not None
            and before.pos_ == "PROPN"
            and before.ent_type_ in ("", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "LAW", "EVENT")
            and before.lower_ not in MONTHS
            and len(group) == 1
        ):
            return True
        # Names with numbers: "Su-34", "Shahed-136".
        preceding = doc[max(first.i - 2, 0) : first.i]
        in_name = (
            len(preceding) == 2
            and preceding[1].text == "-"
            and preceding[0].is_alpha
            and not preceding[0].whitespace_
        )
        return in_name or self._is_identifier(last, first)

    def _is_identifier(self, last: Token, first: Token) -> bool:
        """An identifier follows the noun it names: "Article 5", "Boeing 737"."""
        head = last.head
        return (
            last.dep_ in ("nummod", "compound", "appos")
            and head.i < first.i
            and head.pos_ in ("PROPN", "NOUN")
            and head.lower_ not in self.roles.money
        )

    def _counted_noun(self, doc: Doc, group: Span, end: int) -> Token | None:
        """The noun after the number phrase (or range ending at ``end``) that it counts."""
        for token in reversed(doc[group.start : end]):
            head = token.head
            if head.i >= end and head.pos_ in ("NOUN", "PROPN") and head.i - end <= 5:
                return head
        last = group[-1]
        for child in last.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                        return pobj
        return None

    def _role(
        self, doc: Doc, group: Span, last: Token, noun: Token | None, money: bool
    ) -> tuple[str, str | None, bool]:
        """(what, role, is_update); role None when nothing says what is counted."""
        if money or (noun is not None and _lemma(noun) in self.roles.money):
            return self._currency(doc, group, noun), "money", False
        update = self._update(last)
        if update is not None:
            return update
        holder = self._holder_role(last) or (self._holder_role(noun) if noun else None)
        if holder is not None:
            return (noun.text if noun is not None else ""), holder, False
        if noun is None or _lemma(noun) in self.roles.people:
            outcome = self._outcome(doc, noun if noun is not None else last)
            if outcome is not None:
                what_token, role = outcome
                if noun is not None:
                    return noun.text, role, False
                # "100 injured" counts the injured; "killing nine" names no counted word.
                return (what_token.text if what_token.i > last.i else ""), role, False
        if noun is None:
            return "", None, False
        lemma = _lemma(noun)
        if lemma in self.roles.nouns:
            return noun.text, self.roles.nouns[lemma], False
        if lemma in self.roles.people:
            return noun.text, "people", False
        return noun.text, lemma, False

    def _holder_role(self, number: Token) -> str | None:
        """ "the bodies of thousands of soldiers" counts bodies, "the deaths of 12 people" the
        killed: the role of the noun the number phrase belongs to through "of"."""
        if number.dep_ != "pobj" or number.head.lower_ != "of":
            return None
        holder = number.head.head
        lemma = _lemma(holder)
        return self.roles.nouns.get(lemma) or self.roles.outcomes.get(lemma)

    def _currency(self, doc: Doc, group: Span, noun: Token | None) -> str:
        if noun is not None and _lemma(noun) in self.roles.money:
            return noun.text
        window = doc[max(group.start - 2, 0) : min(group.end + 2, len(doc))]
        for token in window:
            if token.lower_ in self.roles.money or _lemma(token) in self.roles.money:
                return token.text
        return "money"

    def _update(self, number: Token) -> tuple[str, str, bool] | None:
        """ "the death toll climbed to 28", "raising the toll to 30": what the tally counts,
        its role, whether it moved."""
        if number.dep_ == "pobj" and number.head.lower_ in ("to", "at"):
            verb = number.head.head
        elif number.dep_ in ("dobj", "attr"):
            verb = number.head
        else:
            return None
        tallies = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        raised = verb.lemma_ in _RAISING_VERBS
        if raised:
            tallies = [c for c in verb.children if c.dep_ == "dobj"]
        if not tallies or _lemma(tallies[0]) not in _TALLY_NOUNS:
            return None
        tally = tallies[0]
        words = [t for t in tally.lefts if t.dep_ in ("compound", "amod")] + [tally]
        what = " ".join(t.text for t in words)
        role = None
        for token in words[:-1] + [
            t for c in tally.children if c.lower_ == "of" for t in c.subtree
        ]:
            role = role or self.roles.outcomes.get(_lemma(token))
        if role is None:
            if _lemma(tally) != "toll":
                return None
            role = "killed"
        return what, role, raised or verb.lemma_ in _UPDATE_VERBS

    def _outcome(self, doc: Doc, anchor: Token) -> tuple[Token, str] | None:
        """What happened to the people counted: words after, modifiers, then up the parse."""
        outcomes = self.roles.outcomes
        candidates: list[Token] = []
        if anchor.i + 1 < len(doc):
            candidates.append(doc[anchor.i + 1])
            # "40 are missing", "15 were dead": the state right after the verb "be".
            if doc[anchor.i + 1].lemma_ == "be" and anchor.i + 2 < len(doc):
                candidates.append(doc[anchor.i + 2])
        candidates += [c for c in anchor.children if c.dep_ in ("amod", "acl", "relcl", "conj")]
        head = anchor
        for _ in range(3):
            if head.head.i == head.i:
                break
            head = head.head
            # "dozens were missing", "15 people are dead": the state hangs on the verb.
            candidates += [head] + [c for c in head.children if c.dep_ in ("acomp", "oprd")]
        for token in candidates:
            role = outcomes.get(_lemma(token)) or outcomes.get(token.lower_)
            if token.i + 1 < len(doc):
                pair = f"{_lemma(token)} {_lemma(doc[token.i + 1])}"
                role = outcomes.get(pair) or role
            if role is not None:
                return token, role
        return None

    def _approx(self, doc: Doc, start: int) -> tuple[str | None, int]:
        for words in _APPROX_WORDS:
            begin = start - len(words)
            if begin >= 0 and tuple(t.lower_ for t in doc[begin:start]) == words:
                return " ".join(words), begin
        return None, start


@Language.factory(
    "wf_counts",
    assigns=["doc._.counts"],
    requires=["doc.ents", "token.dep", "token.lemma", "token.pos"],
    default_config={"roles": ""},
)
def make_count_tagger(nlp: Language, name: str, roles: str) -> CountTagger:
    """``roles``: path to a count-roles TOML file; empty for the packaged one."""
    return CountTagger(nlp, name, load_roles(roles or None))
