"""Who speaks: the people in a doc with their names, roles and genders, and what a speech
verb's subject refers to when it is a pronoun or a description.

No coreference model is available offline, so references follow light rules:

- a person's canonical name is the longest form of the name in the article ("Peskov" ->
  "Dmitry Peskov"; "Clinton" takes the full name mentioned last before it);
- "he"/"she" is the last person of that gender (or of unknown gender) who was the subject of
  a main or speech verb in the last few sentences, else the last one mentioned not long
  before; names inside quotation marks do not count, as the quoted speaker rarely means them;
- "it" is the last organisation or country, "they" the last group (organisation, nationality,
  plural subject such as "officials") in the last two sentences;
- "the minister" is the last person whose role as written contains "minister".

A gender comes from an honorific ("Mrs"), a gendered role noun ("spokeswoman"), a common given
name, and the pronouns that follow the name in its sentence ("Wrona said his ...").
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list
from watchfloor.extract.components.common import entity_of

PACKAGED_CUES = "quote_cues.toml"

HE_WORDS = {"he", "his", "him", "himself"}
SHE_WORDS = {"she", "her", "hers", "herself"}
_GROUP_LABELS = {"ORG", "GPE", "NORP"}
_RELATIVE = {"who", "that", "which", "whom"}
_DEFINITE = {"the", "this", "that"}
_TITLE_LINKS = {"of", "to", "for"}  # "President of Ukraine", "Adviser to the Head"
_TITLE_LINKS_MAX = 4
_PRONOUN_REACH = 3  # sentences back to the last person who acted, for "he"/"she"
_MENTION_REACH = 8  # sentences back to the last person mentioned, when none acted
_GROUP_REACH = 2  # sentences back for "it"/"they"
_DESCRIPTION_REACH = 12  # sentences back for "the minister"


@dataclass(frozen=True, slots=True)
class Cues:
    """The word lists of quote_cues.toml, lower case."""

    speech: frozenset[str]
    evidence: frozenset[str]
    quote_only: frozenset[str]
    female_words: frozenset[str]
    male_words: frozenset[str]
    titles: frozenset[str]
    organisations: frozenset[str]
    female_names: frozenset[str]
    male_names: frozenset[str]
    # "head of state" -> role nouns it stands for ("president", "king", ...)
    descriptions: dict[str, frozenset[str]]


def load_cues(path: str | None = None) -> Cues:
    """The cue lists from ``path``, or the packaged ones when it is empty or None."""
    data, where = read_toml(path, PACKAGED_CUES)

    def words(section: str, field: str) -> frozenset[str]:
        table = data.get(section)
        if not isinstance(table, dict):
            raise CatalogError(f"{where}: the [{section}] table is missing; add it")
        items = string_list(table.get(field), where, f"{section}.{field}")
        return frozenset(item.lower() for item in items)

    return Cues(
        speech=words("verbs", "speech"),
        evidence=words("verbs", "evidence"),
        quote_only=words("verbs", "quote_only"),
        female_words=words("people", "female"),
        male_words=words("people", "male"),
        titles=words("people", "titles"),
        organisations=words("people", "organisations"),
        female_names=words("given_names", "female"),
        male_names=words("given_names", "male"),
        descriptions=_descriptions(data.get("descriptions", {}), where),
    )


def _descriptions(table: object, where: str) -> dict[str, frozenset[str]]:
    if not isinstance(table, dict):
        raise CatalogError(f"{where}: [descriptions] must map a description to a list of nouns")
    return {
        " ".join(key.lower().split()): frozenset(
            word.lower() for word in string_list(nouns, where, f"descriptions.{key}")
        )
        for key, nouns in table.items()
    }


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str  # a person's canonical name, or the words as written ("Ukraine's air force")
    role: str | None  # the person's role as written ("Kremlin spokesman")
    start: int  # characters of the words naming the speaker here: name, pronoun, description
    end: int


@dataclass(frozen=True, slots=True)
class _Group:
    """An organisation, country or plural subject ("officials"), for "it" and "they"."""

    start: int
    words: str
    sentence: int
    plural: bool
    acted: bool


@dataclass(slots=True)
class _Person:
    name: str  # as written, without title, honorific or possessive
    start: int
    end: int
    sentence: int
    role: str | None
    acted: bool  # the subject of a main or speech verb: a later "he" most likely means them
    honorific: str | None  # "mr", "mrs", ... right before the name


def bare(word: str) -> str:
    """ "Mr." -> "mr" """
    return word.lower().rstrip(".")


def _trim(tokens: list[Token]) -> list[Token]:
    """Without punctuation or space at either edge."""
    start, end = 0, len(tokens)
    while start < end and (tokens[start].is_punct or tokens[start].is_space):
        start += 1
    while end > start and (tokens[end - 1].is_punct or tokens[end - 1].is_space):
        end -= 1
    return tokens[start:end]


def _text(tokens: list[Token]) -> str | None:
    tokens = _trim(tokens)
    return tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text if tokens else None


def phrase_tokens(head: Token) -> list[Token]:
    """A noun phrase without what follows a comma, a relative clause or an appositive:
    "the governor of the Odesa region" of "the governor of the Odesa region, who ..."."""
    doc = head.doc
    cut = {c.left_edge.i for c in head.children if c.dep_ in ("relcl", "appos") and c.i > head.i}
    tokens = []
    for token in doc[head.left_edge.i : head.right_edge.i + 1]:
        if token.i > head.i and (token.text in (",", "(", "—", "–") or token.i in cut):
            break
        tokens.append(token)
    return _trim(tokens) or [head]


class Ranges:
    """Sorted, disjoint character ranges (the quotes of a doc), for "is this inside one?"."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [a for a, _ in self.ranges]

    def holding(self, char: int) -> tuple[int, int] | None:
        i = bisect_right(self.starts, char) - 1
        if i >= 0 and char < self.ranges[i][1]:
            return self.ranges[i]
        return None


class People:
    """The people of one doc, and what speech verbs' subjects refer to.

    ``subjects`` are the doc's nominal subjects, ``pronouns`` its "he", "his", "she", "her",
    ... (both found by the component's Matcher); ``sentence_starts`` the token index of each
    sentence's first token.
    """

    def __init__(
        self,
        doc: Doc,
        cues: Cues,
        quoted: Ranges,
        sentence_starts: list[int],
        subjects: list[Token],
        pronouns: list[Token],
    ) -> None:
        self.doc = doc
        self.cues = cues
        self.quoted = quoted
        self.sentence_starts = sentence_starts
        self.people: list[_Person] = []
        self.groups: list[_Group] = []
        for ent in doc.ents:
            if self.is_quoted(ent.start_char):
                continue
            if ent.label_ == "PERSON":
                self._add_person(self.name_span(ent.root))
            elif ent.label_ in _GROUP_LABELS:
                self._add_group(ent.root, ent.text)
        # Subjects the model did not tag as people ("Oleh Kiper" as an organisation) but that
        # name one: a given name, an honorific, or the family name of a person tagged elsewhere.
        self.family_names = {p.name.split()[-1] for p in self.people}
        for subject in subjects:
            if subject.ent_type_ == "PERSON" or self.is_quoted(subject.idx):
                continue
            if subject.pos_ == "PROPN" and self._names_person(subject):
                self._add_person(self.name_span(subject))
            elif subject.pos_ == "NOUN" and subject.tag_ == "NNS":
                self._add_group(subject, subject.text)
        self.people.sort(key=lambda p: p.start)
        self.groups.sort(key=lambda g: g.start)
        self.fuller: dict[str, list[_Person]] = {}  # a word -> people named with it and more
        for person in self.people:
            words = person.name.split()
            if len(words) > 1:
                for word in {words[0], words[-1]}:
                    self.fuller.setdefault(word, []).append(person)
        self._canonical: dict[tuple[str, int], str] = {}
        self.genders = self._genders(pronouns)

    def _add_group(self, head: Token, words: str) -> None:
        """A group; as a subject, with what it is coordinated with ("Hungary and Slovakia")."""
        acted = self._acts(head)
        if acted or head.pos_ == "NOUN":
            words = _text(phrase_tokens(head)) or words
        plural = (
            head.tag_ in ("NNS", "NNPS")
            or head.ent_type_ == "NORP"
            or any(c.dep_ == "conj" for c in head.children)
        )
        self.groups.append(_Group(head.idx, words, self.sentence_of(head.i), plural, acted))

    # -- where things are ---------------------------------------------------------------------

    def sentence_of(self, token_index: int) -> int:
        return bisect_right(self.sentence_starts, token_index) - 1

    def is_quoted(self, char: int) -> bool:
        return self.quoted.holding(char) is not None

    # -- names ----------------------------------------------------------------------------------

    def _names_person(self, head: Token) -> bool:
        """A proper noun the model did not tag as a person but that names one: a given name,
        an honorific, or the family name of a person tagged elsewhere."""
        span = self.name_span(head)
        first, last = bare(span[0].text), span[-1].text
        before = self.doc[span.start - 1] if span.start > 0 else None
        if not all(t.text[:1].isupper() for t in span):
            return False  # "the bloc" tagged as a proper noun
        if any(bare(t.text) in self.cues.organisations for t in span):
            return False
        return (
            not head.ent_type_
            or first in self.cues.male_names
            or first in self.cues.female_names
            or last in self.family_names
            or (before is not None and bare(before.text) in self.cues.titles)
        )

    def name_span(self, head: Token) -> Span:
        """The name a proper noun belongs to, without the title before it: "Ursula von der
        Leyen" of "Commission President Ursula von der Leyen" (the model may tag only part of
        a name, or none of it)."""
        doc = head.doc
        if head.ent_type_ == "PERSON":
            span = entity_of(head)
            start, end = span.start, span.end
        else:
            start, end = head.i, head.i + 1
        # Proper nouns joined to the name on either side: "von der" + "Leyen".
        while end < len(doc) and self._joins(doc[end], start, end):
            end += 1
        while start > 0 and self._joins(doc[start - 1], start, end):
            token = doc[start - 1]
            if bare(token.text) in self.cues.titles and token.ent_type_ != "PERSON":
                break
            if token.ent_type_ in _GROUP_LABELS and doc[start].ent_type_ == "PERSON":
                break
            if bare(token.text) in self.cues.organisations:
                break  # "the President's Office Mykhailo Podoliak"
            start -= 1
        while end - start > 1 and doc[end - 1].text in ("'s", "’s", "'", "’"):
            end -= 1
        return doc[start:end]

    @staticmethod
    def _joins(token: Token, start: int, end: int) -> bool:
        """A proper noun next to ``doc[start:end]`` that heads it or hangs on it."""
        if token.pos_ != "PROPN" and token.ent_type_ != "PERSON":
            return False
        doc = token.doc
        return start <= token.head.i < end or any(
            doc[i].head.i == token.i for i in range(start, end)
        )

    def _add_person(self, span: Span) -> None:
        tokens = list(span)
        honorific = None
        while tokens and bare(tokens[0].text) in self.cues.titles:
            honorific = bare(tokens[0].text)
            tokens = tokens[1:]
        while tokens and tokens[-1].text in ("'s", "’s", "'", "’"):
            tokens = tokens[:-1]
        if not tokens:
            return
        name = self.doc[tokens[0].i : tokens[-1].i + 1]
        if any(p.start < name.end_char and name.start_char < p.end for p in self.people):
            return  # the same name, found again as an entity and as a subject
        before = self.doc[name.start - 1] if name.start > 0 else None
        if honorific is None and before is not None and bare(before.text) in self.cues.titles:
            honorific = bare(before.text)
        head = name.root
        self.people.append(
            _Person(
                name=name.text,
                start=name.start_char,
                end=name.end_char,
                sentence=self.sentence_of(name.start),
                role=self.role_of(name),
                acted=self._acts(head),
                honorific=honorific,
            )
        )

    def _acts(self, head: Token) -> bool:
        """The subject of its sentence's main verb or of a speech verb: not a person who only
        figures in what someone said ("Kim" in "Shoigu said Kim had agreed")."""
        if head.dep_ not in ("nsubj", "nsubjpass"):
            return False
        verb = head.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        return verb.dep_ == "ROOT" or verb.lemma_.lower() in self.cues.speech

    def role_of(self, name: Span) -> str | None:
        """The title before a name ("Kremlin spokesman Dmitry Peskov"), else an appositive
        that is not an age ("Olena Kovalenko, a 41-year-old teacher"), else, when the name is
        itself the appositive, the noun it explains ("the Kremlin's spokesman, Dmitry Peskov")."""
        doc = self.doc
        head = name.root
        titled = self._title_over(head)
        if titled is not None:  # "Head of the Office of the President Andriy Yermak"
            return _text(list(doc[titled.left_edge.i : name.start]))
        before = [t for t in doc[head.left_edge.i : name.start] if t.i < name.start]
        while before and bare(before[-1].text) in ("mr", "mrs", "ms", "miss", "dr", "sir"):
            before = before[:-1]
        if before:
            before = list(doc[self._title_start(before[0].i) : before[-1].i + 1])
        title = _text(before)
        if title and not all(t.pos_ == "DET" for t in _trim(before)):
            return title
        appositives = [c for c in head.children if c.dep_ == "appos" and c.i >= name.end]
        for appositive in appositives:
            if appositive.like_num:  # "Honchar, 58, a retired engineer"
                appositives += [c for c in appositive.children if c.dep_ == "appos"]
                continue
            if appositive.pos_ == "PROPN" and not any(appositive.children):
                continue  # "Oksana Marchenko, Kyiv": a bare name says where, not who
            return _text(phrase_tokens(appositive))
        if head.dep_ == "appos" and (
            head.head.pos_ == "NOUN"
            or (head.head.i < name.start and bare(head.head.text) in self.cues.titles)
        ):  # "the Kremlin's spokesman, Dmitry Peskov", "President of Ukraine Volodymyr ..."
            return _text(phrase_tokens(head.head))
        return None

    def _title_start(self, start: int) -> int:
        """Where a title the parse cut short begins: "Ukraine" is the end of "President of
        Ukraine", "the President" of "Adviser to the Head of the Office of the President".
        Capitalised phrases joined by "of", "to" or "for" are followed leftwards; the title
        starts at the furthest one that holds a title word."""
        doc = self.doc
        sentence_start = doc[start].sent.start
        best = current = start
        for _ in range(_TITLE_LINKS_MAX):
            link = current - 1
            if link - 1 < sentence_start or doc[link].lower_ not in _TITLE_LINKS:
                break
            if not doc[link - 1].is_title:
                break
            first = link - 1
            while first > sentence_start and (
                doc[first - 1].is_title or doc[first - 1].lower_ == "the"
            ):
                first -= 1
            if any(bare(t.text) in self.cues.titles for t in doc[first:link]):
                best = first
            current = first
        return best

    def canonical(self, name: str, at: int) -> str:
        """The longest form of ``name`` in the article: the full name mentioned last before
        ``at`` (else first after it) that holds all its words, at its longest."""
        key = (name, at)
        if key not in self._canonical:
            self._canonical[key] = self._longest(name, at)
        return self._canonical[key]

    def _longest(self, name: str, at: int) -> str:
        words = name.split()
        if not words:
            return name

        def holds(person: _Person, words: list[str]) -> bool:
            theirs = person.name.split()
            same_family = theirs[-1] == words[-1] or (len(words) == 1 and theirs[0] == words[0])
            return len(theirs) > len(words) and same_family and set(words) <= set(theirs)

        fuller = [p for p in self.fuller.get(words[-1], []) if holds(p, words)]
        if len(words) == 1:
            fuller += [p for p in self.fuller.get(words[0], []) if holds(p, words)]
            fuller.sort(key=lambda p: p.start)
        if not fuller:
            return name
        earlier = [p for p in fuller if p.start < at]
        chosen = earlier[-1] if earlier else fuller[0]
        longest = [p.name for p in fuller if set(chosen.name.split()) <= set(p.name.split())]
        return max(longest, key=lambda n: len(n.split()))

    def role_before(self, canonical: str, at: int) -> str | None:
        """The role last written for a person before ``at`` (or first after it)."""
        roles = [
            (p.start, p.role)
            for p in self.people
            if p.role and self.canonical(p.name, p.start) == canonical
        ]
        earlier = [r for r in roles if r[0] < at]
        if earlier:
            return earlier[-1][1]
        return roles[0][1] if roles else None

    # -- genders --------------------------------------------------------------------------------

    def _genders(self, pronouns: list[Token]) -> dict[str, str]:
        """Canonical name -> "m" or "f", where the article tells."""
        votes: Counter[str] = Counter()
        for person in self.people:
            name = self.canonical(person.name, person.start)
            words = {bare(w) for w in (person.role or "").split()}
            if person.honorific:
                words.add(person.honorific)
            first = bare(name.split()[0])
            weight = 3 * (
                len(words & self.cues.male_words) - len(words & self.cues.female_words)
            ) + 2 * ((first in self.cues.male_names) - (first in self.cues.female_names))
            votes[name] += weight
        # A sentence about one person: the pronouns after the name are most likely theirs.
        by_sentence: dict[int, set[tuple[str, int]]] = {}
        for person in self.people:
            by_sentence.setdefault(person.sentence, set()).add(
                (self.canonical(person.name, person.start), person.end)
            )
        for token in pronouns:
            if self.is_quoted(token.idx):
                continue
            present = by_sentence.get(self.sentence_of(token.i), set())
            if len({name for name, _ in present}) == 1:
                name, end = next(iter(present))
                if end <= token.idx:
                    votes[name] += 1 if token.lower_ in HE_WORDS else -1
        return {name: "m" if v > 0 else "f" for name, v in votes.items() if v}

    # -- what a subject refers to ---------------------------------------------------------------

    def of_subject(self, subject: Token) -> Speaker | None:
        """The speaker a speech verb's subject names or refers to; None when it cannot tell."""
        lower = subject.lower_
        if lower in _RELATIVE and subject.head.dep_ == "relcl":
            subject = subject.head.head  # "Peskov, who told reporters ..."
            lower = subject.lower_
        if lower in ("he", "she"):
            return self.person_before(subject)
        if lower in ("it", "they"):
            return self.group_before(subject)
        if subject.pos_ == "PRON" or subject.lower_ in _RELATIVE:
            return None  # "I", "we", "you", "this": the speaker is not in our text
        if subject.ent_type_ != "PERSON":
            named = self._name_in_title(subject)
            if named is not None:
                return self.named(named)
            if subject.pos_ == "PROPN" and bare(subject.text) in self.cues.titles:
                return self.described(subject)  # "The President of Ukraine noted"
        if subject.pos_ == "PROPN" or subject.ent_type_ == "PERSON":
            return self.named(subject)
        return self.described(subject)

    def _name_in_title(self, subject: Token) -> Token | None:
        """The person a subject names after its title: the appositive of "the spokesman, Dmitry
        Peskov" or "President of Ukraine Volodymyr Zelenskyy", or the name closing "Head of the
        Office of the President Andriy Yermak" (reached through prepositions only)."""
        for child in subject.children:
            if (
                child.dep_ == "appos"
                and child.pos_ == "PROPN"
                and self._is_person(self.name_span(child))
            ):
                return child
        last = subject.right_edge
        if last.i > subject.i and last.ent_type_ == "PERSON" and self._title_over(last) == subject:
            return last
        return None

    def _title_over(self, name: Token) -> Token | None:
        """The title word a name closes through prepositions: "Head" of "Head of the Office of
        the President Andriy Yermak"; None when the name stands on its own."""
        token = name
        while token.dep_ in ("pobj", "prep") and token.head.i < token.i:
            token = token.head
        if token is name or bare(token.text) not in self.cues.titles or token.i > name.i:
            return None
        return token

    def _person_in(self, span: Span) -> _Person | None:
        """The person whose name lies in ``span`` (which may hold a title too)."""
        return next(
            (p for p in self.people if span.start_char <= p.start and p.end <= span.end_char),
            None,
        )

    def _is_person(self, span: Span) -> bool:
        return span.root.ent_type_ == "PERSON" or self._person_in(span) is not None

    def named(self, head: Token) -> Speaker:
        span = self.name_span(head)
        person = self._person_in(span)
        if person is None and span.root.ent_type_ != "PERSON" and not self._names_person(head):
            words = phrase_tokens(head)
            end = words[-1].idx + len(words[-1])
            return Speaker(_text(words) or head.text, None, words[0].idx, end)
        name = person.name if person else span.text
        start = person.start if person else span.start_char
        end = person.end if person else span.end_char
        canonical = self.canonical(name, start)
        role = (person.role if person else self.role_of(span)) or self.role_before(canonical, start)
        return Speaker(canonical, role, start, end)

    def described(self, head: Token) -> Speaker:
        """ "the minister": the last person whose role contains the noun ("the Head of State":
        one of the nouns it stands for); else the words."""
        words = phrase_tokens(head)
        start, end = words[0].idx, words[-1].idx + len(words[-1])
        definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children)
        if definite:
            described = " ".join(t.lower_ for t in words if t.dep_ != "det" or t.i > head.i)
            nouns = self.cues.descriptions.get(described, {head.lower_})
            sentence = self.sentence_of(head.i)
            for person in reversed(self.people):
                if person.start >= start or sentence - person.sentence > _DESCRIPTION_REACH:
                    continue
                if nouns & self._role_nouns(person.role):
                    name = self.canonical(person.name, person.start)
                    return Speaker(name, person.role, start, end)
        return Speaker(_text(words) or head.text, None, start, end)

    @staticmethod
    def _role_nouns(role: str | None) -> set[str]:
        """The words of a role before what it is of: "president" of "President of Ukraine",
        "head" (not "president") of "Head of the Office of the President"."""
        words = []
        for word in (role or "").split():
            if word.lower() in ("of", "for", "to"):
                break
            words.append(bare(word))
        return set(words)

    def person_before(self, pronoun: Token) -> Speaker | None:
        gender = "m" if pronoun.lower_ == "he" else "f"
        sentence = self.sentence_of(pronoun.i)
        candidates = [
            p
            for p in self.people
            if p.end <= pronoun.idx
            and self.genders.get(self.canonical(p.name, p.start), gender) == gender
        ]
        acted = [p for p in candidates if p.acted and sentence - p.sentence <= _PRONOUN_REACH]
        if acted:
            chosen = acted[-1]
        elif candidates and sentence - candidates[-1].sentence <= _MENTION_REACH:
            chosen = candidates[-1]
        else:
            return None
        name = self.canonical(chosen.name, chosen.start)
        end = pronoun.idx + len(pronoun)
        return Speaker(name, self.role_before(name, pronoun.idx), pronoun.idx, end)

    def group_before(self, pronoun: Token) -> Speaker | None:
        plural = pronoun.lower_ == "they"
        sentence = self.sentence_of(pronoun.i)
        near = [
            g
            for g in self.groups
            if g.start < pronoun.idx
            and sentence - g.sentence <= _GROUP_REACH
            and (plural or not g.plural)
        ]
        # The group that acted (a subject) before one merely mentioned.
        chosen = next((g for g in reversed(near) if g.acted), near[-1] if near else None)
        if chosen is None:
            return None
        return Speaker(chosen.words, None, pronoun.idx, pronoun.idx + len(pronoun))
