"""wf_quotes: direct quotes with speaker, cue and role; indirect speech v1.

Direct quotes are read from the text: paired double quotes (straight or curly) inside one
paragraph; an unclosed quote runs to the paragraph's end, as news style does for quotes that
go on in the next paragraph. The speaker is the subject of a reporting verb next to the quote
("..., X said." / "X said: ..." / "...," said X, role). Indirect speech is a reporting verb's
complement clause ("Peskov said the Kremlin was ready") or "according to X, ...".

"he"/"she" resolve to the last named person who spoke or was a main subject in the previous
few sentences, else to the nearest person before; "it"/"they" stay unresolved (no speaker is
better than a wrong one).
A surname alone takes the full name used earlier ("Shoigu" -> "Sergei Shoigu").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TypedDict

from spacy.language import Language
from spacy.tokens import Doc, Token

from watchfloor.extract.components.common import (
    SentenceLocator,
    article_sentences,
    entity_of,
    is_reporting_verb,
    register_doc_list,
)

register_doc_list("quotes")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_QUOTE_MARK = re.compile(r"[\"“”]")
_PERSON_PRONOUNS = {"he", "she"}
_UNRESOLVED_PRONOUNS = {"it", "they", "we", "i", "you", "this", "that"}
_RELATIVE_PRONOUNS = {"who", "which", "that"}
_MIN_UNATTRIBUTED_WORDS = 4  # shorter unattributed quotes are scare quotes: the "shadow fleet"
_ATTRIBUTION_REACH = 12  # tokens between a quote mark and its reporting verb
_ANTECEDENT_SENTENCES = 3  # how far back "he said" looks for the last named speaker

Speaker = tuple[str, str | None]  # (speaker, role as written)


class QuoteRecord(TypedDict):
    start: int  # character offsets of the quoted words (direct) or the clause (indirect)
    end: int
    speaker: str | None
    role: str | None
    direct: bool
    cue: str | None


def quote_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(open mark, content end, close mark end, paragraph number) for each quote; an unclosed
    quote ends with its paragraph (then content end == close mark end)."""
    found = []
    breaks = list(_PARAGRAPH_BREAK.finditer(text))
    paragraph_starts = [0] + [m.end() for m in breaks]
    paragraph_ends = [m.start() for m in breaks] + [len(text)]
    for number, (start, end) in enumerate(zip(paragraph_starts, paragraph_ends, strict=True)):
        open_at: int | None = None
        for mark in _QUOTE_MARK.finditer(text, start, end):
            char = mark.group()
            if open_at is None or char == "“":
                if char != "”":
                    open_at = mark.start()
            else:
                found.append((open_at, mark.start(), mark.end(), number))
                open_at = None
        if open_at is not None:
            found.append((open_at, end, end, number))
    return found


def _trimmed(tokens: list[Token]) -> tuple[int, int] | None:
    """Character bounds of ``tokens`` without punctuation or space at either edge."""
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _text(doc: Doc, tokens: list[Token]) -> str | None:
    """The text of ``tokens`` without edge punctuation (``doc.text`` is rebuilt on each use)."""
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    return doc[tokens[0].i : tokens[-1].i + 1].text if tokens else None


def _subject(verb: Token) -> Token | None:
    """The verb's subject; for "adding" or "and added" the subject of the verb it hangs on;
    for "X, who told reporters" the noun the clause describes."""
    for _ in range(3):
        for child in verb.children:
            # Only an active subject speaks: in "X was told that ..." X is the listener.
            if child.dep_ == "nsubj":
                if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return verb.head
                return child
        if verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _is_named_person(token: Token) -> bool:
    """A person's name: tagged PERSON, or a proper noun the model left untagged ("Wrona")."""
    return token.ent_type_ == "PERSON" or (token.pos_ == "PROPN" and not token.ent_type_)


def _appositive_role(doc: Doc, head: Token) -> str | None:
    """The first appositive that is not an age ("Honchar, 58, a retired engineer"), up to a
    comma or relative clause: "an analyst at the X Institute"."""
    appositives = [c for c in head.children if c.dep_ == "appos"]
    for appositive in appositives:
        if appositive.like_num:
            appositives += [c for c in appositive.children if c.dep_ == "appos"]
            continue
        cut = {c.left_edge.i for c in appositive.children if c.dep_ == "relcl"}
        tokens = []
        for token in doc[appositive.left_edge.i : appositive.right_edge.i + 1]:
            if token.i > appositive.i and (token.text == "," or token.i in cut):
                break
            tokens.append(token)
        return _text(doc, tokens)
    return None


def _speaker_and_role(doc: Doc, head: Token) -> Speaker:
    """ "Kremlin spokesman Dmitry Peskov" -> (Dmitry Peskov, Kremlin spokesman); an appositive
    ("Olena Kovalenko, a 41-year-old teacher") gives the role when nothing precedes the name."""
    appositive = next((c for c in head.children if c.dep_ == "appos"), None)
    if head.ent_type_ != "PERSON" and appositive is not None and appositive.ent_type_ == "PERSON":
        # "the Kremlin's spokesman, Dmitry Peskov": the name is the appositive.
        role = _text(doc, list(doc[head.left_edge.i : head.i + 1]))
        return entity_of(appositive).text, role
    phrase = list(doc[head.left_edge.i : head.i + 1])
    if head.ent_type_ == "PERSON":
        name = entity_of(head)
        title = _text(doc, [t for t in phrase if t.i < name.start])
        return name.text, title or _appositive_role(doc, head)
    return _text(doc, phrase) or head.text, _appositive_role(doc, head)


def _continues(text: str, open_at: int, paragraph: int, previous_paragraph: int) -> bool:
    """Whether an unattributed quote goes on with the last speaker's words: later in the same
    paragraph ("...," he said. "And more."), or opening the next one, as news style quotes a
    speaker over several paragraphs."""
    if paragraph == previous_paragraph:
        return True
    opens_paragraph = open_at == 0 or text[:open_at].rstrip(" \t").endswith("\n")
    return paragraph == previous_paragraph + 1 and opens_paragraph


class _Speakers:
    """Who speaks in a doc: named speakers and people, for pronouns and surnames."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.locate = SentenceLocator(article_sentences(doc)).index_of
        self.token_starts = [token.idx for token in doc]
        # Sentence bounds per token: ``token.sent`` scans the doc on every call.
        self.sentence_bounds: list[tuple[int, int]] = [(0, 0)] * len(doc)
        for sentence in doc.sents:
            for i in range(sentence.start, sentence.end):
                self.sentence_bounds[i] = (sentence.start, sentence.end)
        self.people = [ent for ent in doc.ents if ent.label_ == "PERSON"]
        # People who speak or act as a main subject, with the offset of their verb: "he" in the
        # next sentences means one of them, not a person merely mentioned ("Kim" in "Shoigu
        # said Kim had agreed").
        self.named: list[tuple[int, str]] = []
        for token in doc:
            if is_reporting_verb(token):
                subject = _subject(token)
            elif token.dep_ == "ROOT":
                subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            else:
                continue
            if subject is None or subject.pos_ != "PROPN":
                continue
            name, _ = _speaker_and_role(doc, subject)
            full = self.full_name(name, token.idx)
            # A surname seen before with a first name is a person whatever the model says
            # ("Wrona predicted" read as an organisation).
            if _is_named_person(subject) or full != name:
                self.named.append((token.idx, full))

    def token_at(self, char: int) -> Token:
        return self.doc[bisect_right(self.token_starts, char) - 1]

    def full_name(self, name: str, before: int) -> str:
        """A lone name as the full name used earlier: "Marchal" -> "Sophie Marchal", and
        family name first, "Lim" -> "Lim Hui Ling"."""
        if " " in name:
            return name
        earlier = [(ent.end_char, ent.text) for ent in self.people] + self.named
        for offset, full in sorted(earlier, reverse=True):
            words = full.split()
            if offset <= before and len(words) > 1 and name in (words[0], words[-1]):
                return full
        return name

    def antecedent(self, char: int) -> str | None:
        """The last person who spoke or acted a few sentences back, else the nearest person
        mentioned before."""
        sentence = self.locate(char)
        for offset, name in reversed(self.named):
            if offset < char and sentence - self.locate(offset) <= _ANTECEDENT_SENTENCES:
                return name
        people = [ent for ent in self.people if ent.end_char <= char]
        return people[-1].text if people else None

    def of_verb(self, verb: Token) -> Speaker | None:
        """(speaker, role) from the subject of a reporting verb, or None without one."""
        subject = _subject(verb)
        if subject is None or subject.lower_ in _UNRESOLVED_PRONOUNS:
            return None
        if subject.lower_ in _PERSON_PRONOUNS:
            name = self.antecedent(subject.idx)
            return (name, None) if name else None
        return self.of_phrase(subject)

    def of_phrase(self, head: Token) -> Speaker:
        name, role = _speaker_and_role(self.doc, head)
        return self.full_name(name, head.idx), role


class QuoteTagger:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        speakers = _Speakers(doc)
        records, direct_ranges = self._direct(doc, speakers)
        records += self._indirect(doc, speakers, direct_ranges)
        records.sort(key=lambda r: r["start"])
        doc._.quotes = records
        return doc

    def _direct(
        self, doc: Doc, speakers: _Speakers
    ) -> tuple[list[QuoteRecord], list[tuple[int, int]]]:
        text = doc.text
        records: list[QuoteRecord] = []
        ranges: list[tuple[int, int]] = []
        # The last attributed quote and the paragraph its words run to.
        previous: QuoteRecord | None = None
        previous_paragraph = -1
        for open_at, content_end, close_end, paragraph in quote_spans(text):
            start, end = open_at + 1, content_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
                end -= 1
            if start >= end:
                continue
            ranges.append((open_at, close_end))
            close_at = content_end if close_end > content_end else None
            found = self._attribution(doc, speakers, open_at, close_at)
            if (
                found is None
                and previous is not None
                and _continues(text, open_at, paragraph, previous_paragraph)
            ):
                found = (previous["speaker"], previous["role"], previous["cue"])
            if found is None and len(text[start:end].split()) < _MIN_UNATTRIBUTED_WORDS:
                continue
            speaker, role, cue = found or (None, None, None)
            record = QuoteRecord(
                start=start, end=end, speaker=speaker, role=role, direct=True, cue=cue
            )
            records.append(record)
            if speaker is not None:
                previous = record
                # A quote left open runs on into the next paragraph.
                previous_paragraph = paragraph + (1 if close_end == content_end else 0)
        return records, ranges

    def _attribution(
        self, doc: Doc, speakers: _Speakers, open_at: int, close_at: int | None
    ) -> tuple[str | None, str | None, str | None] | None:
        """Speaker, role and cue from a reporting verb right after the closing mark (at
        ``close_at``; None for a quote left open) or right before the opening one."""
        if close_at is not None:
            mark = speakers.token_at(close_at)
            sentence_end = speakers.sentence_bounds[mark.i][1]
            for token in doc[mark.i + 1 : min(sentence_end, mark.i + _ATTRIBUTION_REACH)]:
                if token.text in ("“", '"'):
                    break
                found = speakers.of_verb(token) if is_reporting_verb(token) else None
                if found is not None:
                    return (*found, token.text)
        mark = speakers.token_at(open_at)
        sentence_start = speakers.sentence_bounds[mark.i][0]
        before = doc[max(sentence_start, mark.i - _ATTRIBUTION_REACH) : mark.i]
        # Only "X said: "..."" or "X said, "..."": a quote inside a clause is not introduced.
        if not before or (before[-1].text not in (":", ",") and not is_reporting_verb(before[-1])):
            return None
        for token in reversed(before):
            if token.text in ("”", '"'):
                break
            found = speakers.of_verb(token) if is_reporting_verb(token) else None
            if found is not None:
                return (*found, token.text)
        return None

    def _indirect(
        self, doc: Doc, speakers: _Speakers, direct_ranges: list[tuple[int, int]]
    ) -> list[QuoteRecord]:
        def inside_direct(start: int, end: int) -> bool:
            return any(a < end and start < b for a, b in direct_ranges)

        records: list[QuoteRecord] = []
        for token in doc:
            if not (token.lower_ == "according" or is_reporting_verb(token)):
                continue
            if inside_direct(token.idx, token.idx + 1):
                continue
            if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
                record = self._according_to(doc, speakers, token)
                if record is not None:
                    records.append(record)
                continue
            if not is_reporting_verb(token) or any(c.dep_ == "neg" for c in token.children):
                continue  # "he did not say whether ..." reports nothing
            for clause in token.children:
                if clause.dep_ != "ccomp":
                    continue
                # The clause without its "that".
                tokens = [
                    t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)
                ]
                bounds = _trimmed(tokens)
                if bounds is None or inside_direct(*bounds):
                    continue
                found = speakers.of_verb(token)
                if found is None:
                    continue
                records.append(
                    QuoteRecord(
                        start=bounds[0],
                        end=bounds[1],
                        speaker=found[0],
                        role=found[1],
                        direct=False,
                        cue=token.text,
                    )
                )
        return records

    def _according_to(self, doc: Doc, speakers: _Speakers, according: Token) -> QuoteRecord | None:
        """ "According to X, ..." / "..., according to X.": the rest of the sentence is X's."""
        to = next(c for c in according.children if c.lower_ == "to")
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            return None
        speaker, role = speakers.of_phrase(source)
        sentence_start, sentence_end = speakers.sentence_bounds[according.i]
        phrase_start, phrase_end = according.left_edge.i, according.right_edge.i + 1
        if phrase_start - sentence_start <= 1:
            tokens = list(doc[phrase_end:sentence_end])
        elif sentence_end - phrase_end <= 2:
            tokens = list(doc[sentence_start:phrase_start])
        else:
            tokens = list(doc[sentence_start:sentence_end])
        bounds = _trimmed(tokens)
        if bounds is None:
            return None
        return QuoteRecord(
            start=bounds[0],
            end=bounds[1],
            speaker=speaker,
            role=role,
            direct=False,
            cue="according to",
        )


@Language.factory(
    "wf_quotes",
    assigns=["doc._.quotes"],
    requires=["doc.ents", "doc.sents", "token.dep", "token.lemma", "token.pos"],
)
def make_quote_tagger(nlp: Language, name: str) -> QuoteTagger:
    return QuoteTagger(name)
