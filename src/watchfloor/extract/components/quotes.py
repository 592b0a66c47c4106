"""wf_quotes: direct and indirect speech with its speaker, the words naming the speaker, the
speaker's role as written and the cue.

Direct quotes are read from the text: paired quotation marks (straight or curly) inside one
paragraph; a quote left open runs to the paragraph's end, as news style does for quotes that
go on in the next paragraph. A quote's speaker is the subject of a speech verb right after it
('"...," X said.', '"..." - X'), or of the clause that introduces it ('X said: "..."', 'X
continued:' ending the paragraph before). A quote without one goes on with the last speaker's
words when it starts a sentence in the same or the next paragraph; a partial quote inside
reported speech is that speaker's.

Indirect speech is a speech verb's complement clause ("Peskov said (that) the Kremlin was
ready"), each of coordinated clauses whole ("said A and that B" gives A and B), or the rest of
a sentence "according to X".

Pronouns and descriptions are resolved in ``watchfloor.extract.speakers``; a subject it cannot
resolve gives no speaker (no speaker is better than a wrong one).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TypedDict

import numpy
from spacy.language import Language
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Token

from watchfloor.extract.components.common import register_doc_list, string_ids
from watchfloor.extract.speakers import (
    HE_WORDS,
    SHE_WORDS,
    Cues,
    People,
    Ranges,
    Speaker,
    load_cues,
)

register_doc_list("quotes")

# A blank line ends a paragraph; so does a single line break after a sentence's end (texts
# with one paragraph per line), but not one inside a sentence (hard-wrapped text).
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*|(?<=[.!?:\"”’])[^\S\n]*\n\s*")
# Two apostrophes stand for a straight double quote in some archives.
_QUOTE_MARK = re.compile(r"''|[\"“”]")
_OPENING = {'"', "“"}
_CLOSING = {'"', "”"}
_DASHES = {"-", "–", "—", "―", "--"}
_SENTENCE_ENDS = {".", "!", "?", ";"}
_ENDS_QUOTED_SPEECH = ",?!.…-–—'’\""  # how the words before '," she said' end
_NEGATIONS = {"neg"}
_NOMINAL = {"NOUN", "PROPN", "PRON"}
_COMPLEMENTIZERS = {"that", "if", "whether"}
_MIN_UNATTRIBUTED_WORDS = 4  # shorter quotes without a speaker are scare quotes: "shadow fleet"
_ATTRIBUTION_REACH = 12  # tokens between an opening mark and the speech verb before it
# Tokens between a closing mark and the speech verb after it: '," Scott Pruitt, the Republican
# attorney general of Oklahoma, one of the states suing the EPA, said'.
_ATTRIBUTION_REACH_AFTER = 30


class QuoteRecord(TypedDict):
    start: int  # characters of the quoted words (direct) or of the clause (indirect)
    end: int
    speaker: str | None
    role: str | None
    direct: bool
    cue: str | None
    speaker_start: int | None  # characters of the words naming the speaker
    speaker_end: int | None


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    open_at: int  # the opening mark
    content_start: int  # after the opening mark
    content_end: int  # where the quoted words end: the closing mark, or the paragraph's end
    close_end: int  # after the closing mark (== content_end when left open)
    paragraph: int
    paragraph_start: int

    @property
    def closed(self) -> bool:
        return self.close_end > self.content_end


def _opens(text: str, at: int, paragraph_start: int) -> bool:
    before = text[at - 1] if at > paragraph_start else " "
    after = text[at + 1 : at + 2]
    return before.isspace() and after.isalnum()


def paragraphs(text: str) -> list[tuple[int, int]]:
    starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    ends = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    return list(zip(starts, ends, strict=True))


def quote_spans(text: str) -> list[QuoteSpan]:
    """Each quote's marks. Curly marks inside a straight-quoted passage are nested quotes; a
    second opening curly mark before a closing one restarts the quote (the first ran on); a
    closing curly mark that opens a paragraph or follows a space and precedes a word opens
    a quote (a common typesetting slip)."""
    found = []
    for number, (start, end) in enumerate(paragraphs(text)):
        opening: re.Match[str] | None = None
        nested = 0  # curly quotes open inside a straight-quoted passage
        for mark in _QUOTE_MARK.finditer(text, start, end):
            char = '"' if mark.group() == "''" else mark.group()
            if opening is None:
                if char != "”" or _opens(text, mark.start(), start):
                    opening, nested = mark, 0
            elif char == "“" and opening.group() in "“”":
                opening = mark
            elif opening.group() in ('"', "''") and char == "“":
                nested += 1
            elif opening.group() in ('"', "''") and char == "”" and nested:
                nested -= 1
            else:
                found.append(
                    QuoteSpan(
                        opening.start(), opening.end(), mark.start(), mark.end(), number, start
                    )
                )
                opening = None
        if opening is not None:
            found.append(QuoteSpan(opening.start(), opening.end(), end, end, number, start))
    return found


def _subject(verb: Token) -> Token | None:
    """The verb's subject; for "adding" or "and added" the subject of the verb it hangs on;
    for "footage of Clinton asking" the noun the participle describes."""
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    for _ in range(3):
        for child in verb.children:
            # Only an active subject speaks: in "X was told that ..." X is the listener.
            if child.dep_ == "nsubj":
                return child
        if verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _introduced_by_that(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" and c.i < clause.i for c in clause.children)


def _bounds(tokens: list[Token]) -> tuple[int, int] | None:
    """Character bounds without punctuation, space or a conjunction at the edges."""
    start, end = 0, len(tokens)

    def loose(token: Token) -> bool:
        return token.is_punct or token.is_space or token.dep_ == "cc"

    while start < end and loose(tokens[start]):
        start += 1
    while end > start and loose(tokens[end - 1]):
        end -= 1
    if start == end:
        return None
    return tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1])


def _record(
    start: int, end: int, speaker: Speaker | None, direct: bool, cue: str | None
) -> QuoteRecord:
    return QuoteRecord(
        start=start,
        end=end,
        speaker=speaker.name if speaker else None,
        role=speaker.role if speaker else None,
        direct=direct,
        cue=cue,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
    )


class _DocQuotes:
    """The quotes of one doc."""

    def __init__(self, doc: Doc, tagger: QuoteTagger) -> None:
        self.doc = doc
        self.text = doc.text  # rebuilt by spaCy on each access
        self.cues = tagger.cues
        self.spans = quote_spans(self.text)
        self.quoted = Ranges([(q.open_at, q.close_end) for q in self.spans])
        self.by_opening = {q.open_at: q for q in self.spans}
        self.token_starts = doc.to_array("IDX")
        # ``doc.sents`` builds every Span; the sentence-start flags are one array.
        starts = numpy.flatnonzero(doc.to_array("SENT_START") == 1).tolist()
        self.sentence_starts = starts if starts and starts[0] == 0 else [0, *starts]
        found = tagger.find(doc)
        self.speech_verbs: list[Token] = found["speech"]
        self.according: list[Token] = found["according"]
        self.people = People(
            doc,
            tagger.cues,
            self.quoted,
            self.sentence_starts,
            found["subjects"],
            found["pronouns"],
        )

    def is_quoted(self, char: int) -> bool:
        return self.quoted.holding(char) is not None

    def sentence_bounds(self, token: Token) -> tuple[int, int]:
        """Token indices of the sentence holding ``token``."""
        i = bisect_right(self.sentence_starts, token.i) - 1
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.doc)
        return self.sentence_starts[i], end

    def token_at(self, char: int) -> Token:
        """The token that holds ``char``, or the one before it when ``char`` is a space."""
        return self.doc[max(int(self.token_starts.searchsorted(char, side="right")) - 1, 0)]

    def token_from(self, char: int) -> Token | None:
        """The first token that starts at ``char`` or after it."""
        i = int(self.token_starts.searchsorted(char, side="left"))
        return self.doc[i] if i < len(self.doc) else None

    def is_cue(self, token: Token, direct: bool) -> bool:
        """A speech verb; next to a quote also one of the quote-only verbs ("asked")."""
        lemma = token.lemma_.lower()
        return token.pos_ == "VERB" and (
            lemma in self.cues.speech or (direct and lemma in self.cues.quote_only)
        )

    def of_verb(
        self, verb: Token, after: Token | None = None, direct: bool = False
    ) -> Speaker | None:
        """The speaker a speech verb's subject names. ``direct``: the verb attributes a quote;
        ``after``: the first token after that quote's closing mark, when the verb follows it."""
        subject = _subject(verb)
        if subject is None and verb.dep_ == "conj" and verb.head.dep_ == "ccomp":
            # "Klitschko said people were trapped and warned ...": the parser hung "warned" on
            # the reported clause; it shares the reporting verb's subject.
            subject = _subject(verb.head.head)
        if subject is not None and not self.is_quoted(subject.idx):
            return self.people.of_subject(subject)
        if not direct:
            return None
        # No subject, or the parser took the quote's words for it: the speaker is the phrase
        # between the closing mark and the verb ('," Obama's former strategist said'), or the
        # one right after the verb ('," said James Acton', 'Said Ellis: "..."').
        between = []
        if after is not None:
            between = [t for t in self.doc[after.i : verb.i] if not (t.is_punct or t.is_space)]
        if between:
            heads = [t for t in between if not after.i <= t.head.i < verb.i]
            head = heads[0] if heads else between[-1]
        else:
            following = [
                t
                for t in self.doc[verb.i + 1 : verb.i + 4]
                if t.pos_ in _NOMINAL and t.ent_type_ not in ("DATE", "TIME")
            ]
            if not following:
                return None
            head = following[0]
            while head.dep_ in ("compound", "flat", "det", "amod") and head.head.i > head.i:
                head = head.head
        return self.people.of_subject(head) if head.pos_ in _NOMINAL else None

    # -- indirect speech ----------------------------------------------------------------------

    def indirect(self) -> list[QuoteRecord]:
        records: list[QuoteRecord] = []
        for verb in self.speech_verbs:
            evidence = verb.lemma_.lower() in self.cues.evidence
            if not (evidence or self.is_cue(verb, direct=False)):
                continue
            if self.is_quoted(verb.idx) or any(c.dep_ in _NEGATIONS for c in verb.children):
                continue  # "he did not say whether ..." reports nothing
            # A clause after the verb with a word before it lacks that word: "a tanker which
            # they said had dragged its anchor" ("which" is the clause's subject).
            # A "complement" opened by "as" or "while" is an adverbial clause the parser
            # misread: '..., officials said, as EU institutions condemned ...'.
            clauses = [
                c
                for c in verb.children
                if c.dep_ == "ccomp"
                and (c.i < verb.i or c.left_edge.i > verb.i)
                and all(m.lower_ in _COMPLEMENTIZERS for m in c.children if m.dep_ == "mark")
            ]
            if evidence:
                # "The study found that ...": its own subject and an explicit "that".
                has_subject = any(c.dep_ == "nsubj" for c in verb.children)
                clauses = [c for c in clauses if has_subject and _introduced_by_that(c)]
                if not clauses:
                    continue
            if clauses:
                parts = [p for c in clauses for p in self._clause_parts(verb, c)]
            elif verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
                # "The museum, Mr. Bush said, celebrated ...": the sentence around the verb.
                inside = {t.i for t in verb.subtree}
                parts = [[t for t in verb.head.subtree if t.i not in inside]]
            else:
                continue
            speaker = self.of_verb(verb)
            if speaker is None:
                continue
            for tokens in parts:
                bounds = _bounds(tokens)
                if bounds is None or self._inside_one_quote(*bounds):
                    continue
                records.append(_record(*bounds, speaker, False, verb.text))
        for according in self.according:
            record = self._according_to(according)
            if record is not None:
                records.append(record)
        return records

    def _clause_parts(self, verb: Token, clause: Token) -> list[list[Token]]:
        """The clause, or each of coordinated clauses with their own subject or "that" ("said
        there were casualties and that fires had broken out"), whole. A conjoined speech verb
        ("said ... and warned ...") and "according to X" are not what was said."""
        split = [
            c
            for c in clause.children
            if c.dep_ == "conj"
            and c.pos_ in ("VERB", "AUX")
            and any(g.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for g in c.children)
        ]
        dropped = {
            t.i
            for c in clause.children
            if (c.dep_ == "conj" and self.is_cue(c, direct=False))
            or (c.lower_ == "according" and c.dep_ == "prep")
            for t in c.subtree
        }
        parts = []
        for part in [clause, *split]:
            others = {t.i for c in split if c is not part for t in c.subtree}
            tokens = [
                t
                for t in part.subtree
                if t.i not in others
                and t.i not in dropped
                and (t.i > verb.i if clause.i > verb.i else t.i < verb.i)
                and not (t.dep_ == "mark" and t.head.i == part.i)  # its "that"
            ]
            parts.append(tokens)
        return parts

    def _inside_one_quote(self, start: int, end: int) -> bool:
        """Speech reported inside someone's quoted words is theirs to attribute, not ours."""
        quote = self.quoted.holding(start)
        return quote is not None and end <= quote[1]

    def _according_to(self, according: Token) -> QuoteRecord | None:
        """ "According to X, ..." / "..., according to X.": the rest of the sentence is X's."""
        if self.is_quoted(according.idx):
            return None
        to = according.nbor(1)
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            return None
        speaker = self.people.of_subject(source)
        sentence_start, sentence_end = self.sentence_bounds(according)
        phrase_start = min(according.left_edge.i, according.i)
        phrase_end = max(according.right_edge.i, source.right_edge.i) + 1
        if phrase_start - sentence_start <= 1:
            tokens = list(self.doc[phrase_end:sentence_end])
        elif sentence_end - phrase_end <= 2:
            tokens = list(self.doc[sentence_start:phrase_start])
        else:
            tokens = list(self.doc[sentence_start:sentence_end])
        bounds = _bounds(tokens)
        if bounds is None:
            return None
        return _record(*bounds, speaker, False, "according to")

    # -- direct quotes -------------------------------------------------------------------------

    def direct(self, indirect: list[QuoteRecord]) -> list[QuoteRecord]:
        text = self.text
        records: list[QuoteRecord] = []
        previous: QuoteRecord | None = None
        previous_paragraph = -1  # the paragraph the last attributed quote's words run to
        for quote in self.spans:
            start, end = quote.content_start, quote.content_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
                end -= 1
            if start >= end:
                continue
            found = self._attribution(quote)
            if found is not None:
                record = _record(start, end, found[0], True, found[1])
            elif previous is not None and self._continues(quote, previous_paragraph):
                record = {**previous, "start": start, "end": end}
            elif len(text[start:end].split()) >= _MIN_UNATTRIBUTED_WORDS:
                # A partial quote inside reported speech is that speaker's; nothing goes on
                # with it.
                around = next(
                    (r for r in indirect if r["start"] <= start and end <= r["end"] + 1), None
                )
                base = around or _record(start, end, None, True, None)
                records.append({**base, "start": start, "end": end, "direct": True})
                continue
            else:
                continue
            records.append(record)
            if record["speaker"] is not None:
                previous = record
                # A quote left open runs on into the next paragraph.
                previous_paragraph = quote.paragraph + (0 if quote.closed else 1)
        return records

    def _continues(self, quote: QuoteSpan, previous_paragraph: int) -> bool:
        """Whether a quote without a speech verb goes on with the last speaker's words: it
        starts a sentence, in the same paragraph ('"...," he said. "And more."') or opening
        the next one, as news style quotes a speaker over several paragraphs."""
        before = self.text[quote.paragraph_start : quote.open_at].rstrip()
        if quote.paragraph == previous_paragraph:
            return not before or before[-1] in '.!?"”’'
        return quote.paragraph == previous_paragraph + 1 and not before

    def _attribution(self, quote: QuoteSpan) -> tuple[Speaker, str | None] | None:
        """The speaker and cue from a speech verb right after the closing mark, or from the
        clause that introduces the quote."""
        if quote.closed:
            found = self._after(quote)
            if found is not None:
                return found
        return self._before(quote)

    def _after(self, quote: QuoteSpan) -> tuple[Speaker, str | None] | None:
        text = self.text
        words_end = text[quote.open_at : quote.content_end].rstrip()
        next_char = text[quote.close_end : quote.close_end + 2].strip()[:1]
        if not (words_end[-1:] in _ENDS_QUOTED_SPEECH or next_char in (",", "—", "―", "–")):
            return None  # a quoted phrase inside a sentence is not the speech '," she said' ends
        first = self.token_from(quote.close_end)
        while first is not None and first.is_space:
            if "\n" in first.text:
                return None
            first = self.token_from(first.idx + len(first))
        if first is None:
            return None
        if first.text in _DASHES:
            name = self.token_from(first.idx + len(first))
            while name is not None and name.is_space:
                name = self.token_from(name.idx + len(name))
            if name is not None and (name.pos_ == "PROPN" or name.ent_type_ == "PERSON"):
                return self.people.named(name), None  # '"..." ― Sonya Herridge'
        skip_to = -1
        for token in self.doc[first.i : first.i + _ATTRIBUTION_REACH_AFTER]:
            if token.i < skip_to:
                continue
            if token.text in _OPENING:
                # A nickname or title in quotation marks ('Marcia "Cia" Price') is part of the
                # attribution; a quote of its own ends it.
                nested = self.by_opening.get(token.idx)
                words = self.text[nested.content_start : nested.content_end] if nested else ""
                if nested is None or len(words.split()) >= _MIN_UNATTRIBUTED_WORDS:
                    break
                after_nested = self.token_from(nested.close_end)
                skip_to = after_nested.i if after_nested is not None else len(self.doc)
                continue
            if token.text in _SENTENCE_ENDS or "\n" in token.text:
                break
            if self.is_cue(token, direct=True):
                speaker = self.of_verb(token, after=first, direct=True)
                if speaker is not None:
                    return speaker, token.text
        return None

    def _before(self, quote: QuoteSpan) -> tuple[Speaker, str | None] | None:
        """'X said: "..."', 'X said, "..."', 'X said that "..."', or 'X continued:' closing
        the paragraph before a quote that opens its own."""
        mark = self.token_at(quote.open_at)
        before = [t for t in self.doc[max(mark.i - _ATTRIBUTION_REACH, 0) : mark.i]]
        while before and before[-1].is_space and "\n" not in before[-1].text:
            before.pop()
        if not before or "\n" in before[-1].text:
            if quote.open_at != quote.paragraph_start:
                return None
            intro = self.text[: quote.paragraph_start].rstrip()
            if not intro.endswith(":"):
                return None
            colon = self.token_at(len(intro) - 1)
            before = [t for t in self.doc[max(colon.i - _ATTRIBUTION_REACH, 0) : colon.i + 1]]
        last = before[-1]
        if not (last.text in (":", ",") or last.lower_ == "that" or self.is_cue(last, direct=True)):
            return None
        verbs = []
        for token in reversed(before):
            if token.text in _CLOSING or token.text in _SENTENCE_ENDS or "\n" in token.text:
                break
            if self.is_cue(token, direct=True):
                speaker = self.of_verb(token, direct=True)
                if speaker is not None:
                    return speaker, token.text
            if token.pos_ == "VERB":
                verbs.append(token)
        if last.text == ":" and verbs:
            # Any clause before a colon introduces the quote: "The letter reads:".
            speaker = self.of_verb(verbs[0])
            if speaker is not None:
                return speaker, verbs[0].text
        if last.text == ":" and len(before) > 1 and before[-2].pos_ == "PROPN":
            # A transcript's "WALLACE:" or "Ellis:" opening its line.
            span = self.people.name_span(before[-2])
            line = self.text[: span.start_char].rstrip(" \t\xa0")
            if not line or line.endswith("\n"):
                name = before[-2]
                return self.people.named(name), None
        return None


class QuoteTagger:
    def __init__(self, nlp: Language, name: str, cues: str) -> None:
        self.name = name
        self.cues: Cues = load_cues(cues or None)
        # What the component reads, found over token arrays: speech verbs, "according to",
        # nominal subjects (people and groups the model may not have tagged) and gendered
        # pronouns.
        self.speech_lemmas = string_ids(
            nlp.vocab, self.cues.speech | self.cues.evidence | self.cues.quote_only
        )
        self.according, self.to = (
            string_ids(nlp.vocab, ["according"]),
            string_ids(nlp.vocab, ["to"]),
        )
        self.subject_deps = string_ids(nlp.vocab, ["nsubj", "nsubjpass"])
        self.pronouns = string_ids(nlp.vocab, HE_WORDS | SHE_WORDS)

    def find(self, doc: Doc) -> dict[str, list[Token]]:
        """Speech verbs, the "according" of "according to", nominal subjects and gendered
        pronouns, each in text order."""
        lemma, pos, dep, lower = doc.to_array(["LEMMA", "POS", "DEP", "LOWER"]).T
        according = (lower[:-1] == self.according) & (lower[1:] == self.to)
        found = {
            "speech": (pos == VERB) & numpy.isin(lemma, self.speech_lemmas),
            "according": numpy.append(according, False),
            "subjects": numpy.isin(dep, self.subject_deps) & numpy.isin(pos, [PROPN, NOUN]),
            "pronouns": numpy.isin(lower, self.pronouns),
        }
        return {name: [doc[i] for i in numpy.flatnonzero(mask)] for name, mask in found.items()}

    def __call__(self, doc: Doc) -> Doc:
        found = _DocQuotes(doc, self)
        indirect = found.indirect()
        records = found.direct(indirect) + indirect
        records.sort(key=lambda r: (r["start"], r["end"]))
        doc._.quotes = records
        return doc


@Language.factory(
    "wf_quotes",
    assigns=["doc._.quotes"],
    requires=["doc.ents", "doc.sents", "token.dep", "token.lemma", "token.pos"],
    default_config={"cues": ""},
)
def make_quote_tagger(nlp: Language, name: str, cues: str) -> QuoteTagger:
    """``cues``: a quote_cues.toml of one's own; empty for the packaged one."""
    return QuoteTagger(nlp, name, cues)
