"""What a sentence reports someone doing: the PLOVER type of its main action, who acts, on whom.

The reader follows the dependency parse from the sentence's root: through reporting verbs
("X did Y, officials said" is about Y), through verbs that govern another action ("agreed to
send" is an intent to give aid, "refused to deploy" a rejection), to a verb or event noun in the
lexicon (``data/plover.toml``). A light verb passes on its object ("held talks", "imposed a
curfew"); "will" makes an intent or a threat of the action; "not" turns cooperation into
rejection; "X said Y must ..." is a request. When the root path names no action, the action
closest to the root anywhere in the sentence is taken.

Actors are the subject of the action's clause (the speaker when the subject is a pronoun:
"Syria says it is willing to withdraw"), or the agent of a passive; targets are objects and the
objects of "to", "with", "against", "on" and the like.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from watchfloor.extract.plover import (
    COMPLEMENT,
    NONE,
    OWN,
    ActionEntry,
    ActionType,
    PloverLexicon,
)

_PREDICATE_POS = ("VERB", "AUX", "ADJ")
_NOUN_POS = ("NOUN", "PROPN")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Children that complete a phrasal verb key: "blow up", "look into", "take hostage".
_PHRASAL = ("prt", "prep", "dobj", "advmod", "oprd", "acomp")
# Clauses a verb's action may be in when the verb names none itself.
_CLAUSES = ("xcomp", "ccomp", "acomp", "conj", "advcl", "parataxis")
_COMPLEMENTS = ("xcomp", "ccomp", "acomp")
_OBJECTS = ("dobj", "attr", "oprd", "dative")
_TARGET_PREPOSITIONS = {
    "to", "with", "against", "on", "upon", "at", "into", "toward", "towards", "from",
    "between", "over",
}  # fmt: skip
# "took part in talks", "came under attack", "went on strike"; not "after years of occupation".
_LIGHT_PREPOSITIONS = {"in", "into", "under", "on", "at"}
# Nouns that measure another: "a batch of drones" names drones.
_QUANTITIES = {
    "million", "thousand", "hundred", "dozen", "billion", "ten", "score", "number", "batch",
    "part", "series", "wave", "group", "lot", "ton", "tonne", "shipment", "consignment",
    "package", "set", "round", "pair", "couple", "handful", "load", "total",
}  # fmt: skip
_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her", "our", "i"}
_MAX_DEPTH = 5


@dataclass(slots=True)
class Action:
    type: ActionType
    trigger_start: int  # token offsets of the words naming the action
    trigger_end: int
    actors: list[Token] = field(default_factory=list)  # heads of the actor phrases
    targets: list[Token] = field(default_factory=list)
    clause: list[Token] = field(default_factory=list)  # the predicates the action was read from
    main: bool = True  # read from the sentence's main predicate (not a side mention)


@dataclass(slots=True)
class _Found:
    type: ActionType
    trigger: Token
    chain: list[Token]  # predicates from the clause head down to the trigger
    reporter: Token | None = None  # the reporting verb the clause depends on
    obligation: bool = False  # "Y must ...": the reporter's request to Y


class ActionReader:
    """Reads one action per sentence; build once per pipeline (it holds a matcher)."""

    def __init__(self, nlp: Language, lexicon: PloverLexicon) -> None:
        self.lexicon = lexicon
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for label, phrases in (
            ("noun", lexicon.nouns),
            ("verb", {verb.split()[0] for verb in lexicon.verbs}),
            ("block", lexicon.not_actions),
        ):
            patterns = []
            for phrase in phrases:
                words = phrase.split()
                for variant in (words, [words[0].capitalize(), *words[1:]]):
                    patterns.append(Doc(nlp.vocab, words=variant, lemmas=variant))
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc, sentences: list[Span]) -> list[Action | None]:
        nouns: dict[int, tuple[int, int]] = {}  # root token -> the longest noun phrase on it
        blocked: set[int] = set()
        verbs: set[int] = set()
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label == "block":
                blocked.update(range(start, end))
            elif label == "verb":
                verbs.add(start)
            else:
                root = doc[start:end].root
                known = nouns.get(root.i)
                if known is None or end - start > known[1] - known[0]:
                    nouns[root.i] = (start, end)
        sentence_reader = _SentenceReader(self.lexicon, doc, nouns, blocked, verbs)
        return [sentence_reader.read(sentence) for sentence in sentences]


class _SentenceReader:
    def __init__(
        self,
        lexicon: PloverLexicon,
        doc: Doc,
        nouns: dict[int, tuple[int, int]],
        blocked: set[int],
        verbs: set[int],
    ) -> None:
        self.lexicon = lexicon
        self.doc = doc
        self.nouns = nouns
        self.blocked = blocked
        self.verbs = verbs
        self.candidates = sorted(verbs | set(nouns))  # tokens that may name an action

    def read(self, sentence: Span) -> Action | None:
        found = self._analyse(sentence.root, 0)
        main = found is not None
        if found is None:
            found = self._closest(sentence)
        if found is None:
            return None
        return self._action(found, sentence, main)

    # Typing

    def _analyse(self, token: Token, depth: int) -> _Found | None:
        """The action ``token``'s clause reports, with modality and negation applied."""
        if depth > _MAX_DEPTH:
            return None
        found = self._own(token, depth)
        if found is not None:
            return self._modal(token, found)
        if token.pos_ not in _PREDICATE_POS:
            return None
        lemma = token.lemma_.lower()
        if lemma in self.lexicon.reporting:
            noun = self._typed_noun(token, _OBJECTS)
            if noun is not None:
                return noun
            for child in token.children:
                if child.dep_ in ("ccomp", "xcomp", "parataxis"):
                    inner = self._analyse(child, depth + 1)
                    if self._obliged(child):
                        # "X said Y must ...": X's request to Y, whatever Y is to do.
                        chain = inner.chain if inner is not None else [child]
                        return _Found(self.lexicon.obligation, child, chain, token, True)
                    if inner is not None:
                        return _Found(
                            inner.type, inner.trigger, inner.chain, token, inner.obligation
                        )
            return None
        deps = _OBJECTS + ("nsubjpass",)
        noun = self._typed_noun(token, deps) or self._typed_noun(token, ("nsubj",))
        if noun is not None:
            noun.chain.insert(0, token)
            return self._modal(token, noun)
        clauses = [c for c in token.children if c.dep_ in _CLAUSES and c.pos_ in _PREDICATE_POS]
        for child in (c for c in clauses if c.dep_ in _COMPLEMENTS):
            inner = self._analyse(child, depth + 1)
            if inner is not None:
                inner.chain.insert(0, token)
                return self._modal(token, inner)
        if lemma in self.lexicon.light:
            noun = self._typed_prep_noun(token)
            if noun is not None:
                noun.chain.insert(0, token)
                return self._modal(token, noun)
        for child in (c for c in clauses if c.dep_ not in _COMPLEMENTS):
            inner = self._analyse(child, depth + 1)
            if inner is not None:
                return inner
        return None

    def _own(self, token: Token, depth: int) -> _Found | None:
        """The action named by ``token`` itself: a lexicon verb (with its complement) or an
        event noun."""
        if token.pos_ in _NOUN_POS:
            return self._noun(token)
        if token.pos_ not in _PREDICATE_POS:
            return None
        entry = self._verb_entry(token)
        if entry is None:
            return None
        own = self._military(entry, token)
        if entry.complement is None:
            return _Found(own, token, [token]) if own else None
        inner = None
        for child in self._complements(token):
            inner = self._analyse(child, depth + 1)
            if inner is not None:
                break
        if inner is None:
            return _Found(own, token, [token]) if own else None
        outcome = self.lexicon.complements[entry.complement][self.lexicon.type_class(inner.type)]
        chain = [token, *inner.chain]
        if outcome == COMPLEMENT:
            return _Found(inner.type, inner.trigger, chain, inner.reporter, inner.obligation)
        if outcome == OWN:
            return _Found(own, token, chain) if own else None
        if outcome == NONE:
            return None
        return _Found(outcome, token, chain)

    def _modal(self, token: Token, found: _Found) -> _Found | None:
        """ "will send" is an intent, "did not meet" a rejection."""
        if found.reporter is not None:
            return found  # the modality is the reported clause's, applied there
        children = list(token.children)
        aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        intent = self.lexicon.complements.get("intent")
        if aux & self.lexicon.intent_aux and intent is not None:
            kind = self.lexicon.type_class(found.type)
            # "will withdraw unless ...": an intent on a condition is a threat.
            if any(_mark(c) == "unless" for c in children if c.dep_ == "advcl"):
                kind = "hostile"
            outcome = intent[kind]
            if isinstance(outcome, ActionType):
                found = _Found(outcome, found.trigger, found.chain)
        if any(c.dep_ == "neg" for c in children):
            kind = self.lexicon.type_class(found.type)
            if kind == "hostile":
                return None
            if kind == "cooperative":
                found = _Found(self.lexicon.negated_cooperative, found.trigger, found.chain)
        return found

    def _obliged(self, clause: Token) -> bool:
        return any(
            c.dep_ == "aux" and c.lower_ in self.lexicon.obligation_aux for c in clause.children
        )

    def _verb_entry(self, token: Token) -> ActionEntry | None:
        lemma = token.lemma_.lower()
        keys = [
            f"{lemma} {child.lemma_.lower()}" for child in token.children if child.dep_ in _PHRASAL
        ]
        for key in [*keys, lemma]:
            entries = self.lexicon.verbs.get(key, ())
            # The restricted group whose object or subject is named most exactly wins:
            # "withdraw the peacekeeping force" expels peacekeepers, "withdraw forces" retreats.
            scored = [(self._fit(token, e), -n, e) for n, e in enumerate(entries) if e.restricted]
            best = max(scored, key=lambda s: s[:2], default=None)
            if best is not None and best[0] > 0:
                return best[2]
            for entry in entries:
                if not entry.restricted:
                    return entry
        return None

    def _fit(self, token: Token, entry: ActionEntry) -> int:
        """How exactly ``token``'s dependents meet the group's restrictions (0: not at all)."""
        children = list(token.children)
        fit = 0
        if entry.preps and any(
            c.dep_ in ("prep", "prt", "agent") and c.lower_ in entry.preps and not _timely(c)
            for c in children
        ):
            fit = 2
        for deps, words in (
            (("dobj", "dative", "nsubjpass", "attr"), entry.objects),
            (("nsubj",), entry.subjects),
        ):
            if words:
                for child in children:
                    if child.dep_ in deps:
                        for noun in _conjuncts(child):
                            fit = max([fit] + [n for name, n in _names(noun) if name in words])
        return fit

    def _military(self, entry: ActionEntry, token: Token) -> ActionType | None:
        if entry.action is None or entry.military_cameo is None:
            return entry.action
        sentence = token.sent
        if any(t.lemma_.lower() in self.lexicon.military for t in sentence):
            return ActionType(entry.action.plover, entry.military_cameo)
        return entry.action

    def _complements(self, token: Token) -> list[Token]:
        """Where a verb's governed action is: its clausal complement, "to"-phrase or object."""
        children = list(token.children)
        found = [c for c in children if c.dep_ in _COMPLEMENTS]
        for child in children:
            if child.dep_ == "prep" and child.lower_ in ("to", "on"):
                found += [g for g in child.children if g.dep_ in ("pcomp", "pobj")]
        found += [c for c in children if c.dep_ in ("dobj", "nsubjpass")]
        # "sworn to fight": an infinitive the parser took for a purpose clause.
        found += [
            c
            for c in children
            if c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ]
        return found

    def _noun(self, token: Token, through_of: bool = True) -> _Found | None:
        """An event noun, a noun whose compound is one ("mediation efforts"), or a noun that
        measures one ("10 days of war games", "part of an aid program")."""
        for candidate in (token, *(c for c in token.children if c.dep_ == "compound")):
            span = self.nouns.get(candidate.i)
            if span is None or candidate.i in self.blocked:
                continue
            key = " ".join(t.lemma_.lower() for t in self.doc[span[0] : span[1]])
            entries = self.lexicon.nouns.get(key)
            if entries and entries[0].action is not None:
                action = self._military(entries[0], token) or entries[0].action
                return _Found(action, token, [token])
        if through_of:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and pobj.pos_ in _NOUN_POS:
                            found = self._noun(pobj, through_of=False)
                            if found is not None:
                                return found
        return None

    def _typed_noun(self, token: Token, deps: tuple[str, ...]) -> _Found | None:
        for child in token.children:
            if child.dep_ in deps:
                for noun in _conjuncts(child):
                    found = self._noun(noun) if noun.pos_ in _NOUN_POS else None
                    if found is not None:
                        found.chain = [noun]
                        return found
        return None

    def _typed_prep_noun(self, token: Token) -> _Found | None:
        """ "took part in talks": a light verb's action in a prepositional object."""
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in _LIGHT_PREPOSITIONS:
                found = self._typed_noun(child, ("pobj",))
                if found is not None:
                    return found
        return None

    def _closest(self, sentence: Span) -> _Found | None:
        """The action nearest the root anywhere in the sentence (a side mention)."""
        candidates = []
        first = bisect_left(self.candidates, sentence.start)
        last = bisect_left(self.candidates, sentence.end)
        for i in self.candidates[first:last]:
            token = self.doc[i]
            found = self._analyse(token, 1)
            if found is not None:
                candidates.append((_depth(token), token.i, found))
        return min(candidates, key=lambda c: c[:2])[2] if candidates else None

    # Participants

    def _action(self, found: _Found, sentence: Span, main: bool) -> Action:
        trigger = found.trigger
        start, end = trigger.i, trigger.i + 1
        span = self.nouns.get(trigger.i)
        if span is not None and trigger.pos_ in _NOUN_POS:
            start, end = span
        chain = found.chain or [trigger]
        reporter_subjects = _subjects(found.reporter) if found.reporter is not None else []
        if found.obligation:
            actors, targets = reporter_subjects, _subjects(chain[0])
        else:
            actors = self._actors(chain, trigger)
            if reporter_subjects and actors and all(_anonymous(a) for a in actors):
                actors = reporter_subjects
            targets = []
        targets += [t for t in self._targets(chain, trigger) if t not in actors]
        return Action(
            type=found.type,
            trigger_start=start,
            trigger_end=end,
            actors=_unique(actors),
            targets=_unique(targets),
            clause=[t for t in chain if t.pos_ in _PREDICATE_POS] or [trigger.head],
            main=main,
        )

    def _actors(self, chain: list[Token], trigger: Token) -> list[Token]:
        for token in chain:
            agents = [
                pobj
                for child in token.children
                if child.dep_ == "agent"
                for pobj in child.children
                if pobj.dep_ == "pobj"
            ]
            # A passive subject is acted on: "three civilians were killed" names no actor.
            subjects = _subjects(token, active=True) if token.pos_ in _PREDICATE_POS else []
            if agents or subjects:
                return agents or subjects
        if trigger.pos_ in _NOUN_POS:
            # "Palestinian riots", "Israel's strikes": the noun's owner acts.
            owners = [c for c in trigger.children if c.dep_ in ("poss", "amod", "compound")]
            if owners:
                return owners
            # "held talks", "return to Geneva for talks": the subject of the noun's clause.
            clause = trigger.head
            for _ in range(4):
                if clause.pos_ in ("VERB", "AUX") or clause.head.i == clause.i:
                    break
                clause = clause.head
            if clause.pos_ in ("VERB", "AUX"):
                return _subjects(clause)
        return []

    def _targets(self, chain: list[Token], trigger: Token) -> list[Token]:
        # "demanded that the US cancel ...": whom a demand or accusation is addressed to.
        targets = [
            subject
            for clause in trigger.children
            if clause.dep_ == "ccomp" and clause not in chain
            for subject in _subjects(clause)
        ]
        # An untyped complement still says to whom: "offered to hand over to Great Britain".
        heads = chain + [
            c for c in chain[-1].children if c.dep_ in ("xcomp", "ccomp") and c not in chain
        ]
        for token in heads:
            for child in token.children:
                if child.dep_ == "dative" and child.pos_ == "ADP":
                    # "sent shells to Russia": the parser may mark "to" itself as the dative.
                    targets += [g for g in child.children if g.dep_ == "pobj"]
                elif child.dep_ in ("dobj", "dative", "nsubjpass") and child not in chain:
                    targets.append(child)
                    # "shared evidence with the U.S.": the object's own "with", "to", ...
                    targets += _prep_objects(child, _TARGET_PREPOSITIONS - {"of"})
                elif child.dep_ == "prep" and (
                    child.lower_ in _TARGET_PREPOSITIONS
                    or (child.lower_ == "of" and token.pos_ in _NOUN_POS)
                ):
                    targets += [g for g in child.children if g.dep_ == "pobj"]
        return [
            conj
            for target in targets
            for conj in _conjuncts(target)
            if conj.ent_type_ not in ("DATE", "TIME")
        ]


def _names(noun: Token) -> list[tuple[str, int]]:
    """Ways a noun may be named in the lexicon, with how exactly each names it: "martial law"
    and "state of emergency" (3) before "laws" (2) before a modifier alone ("aid program": 1)."""
    lemma = noun.lemma_.lower()
    names = [(lemma, 2), (noun.lower_, 2)]
    for child in noun.children:
        if child.dep_ in ("compound", "amod"):
            names += [(f"{child.lemma_.lower()} {lemma}", 3), (child.lemma_.lower(), 1)]
        elif child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    names.append((f"{lemma} of {pobj.lemma_.lower()}", 3))
                    # "millions of shells", "a batch of drones": the measured thing.
                    if noun.like_num or lemma in _QUANTITIES:
                        names += [(name, 1) for name, _ in _names(pobj)]
    return names


def _prep_objects(token: Token, prepositions: set[str]) -> list[Token]:
    return [
        pobj
        for child in token.children
        if child.dep_ == "prep" and child.lower_ in prepositions
        for pobj in child.children
        if pobj.dep_ == "pobj"
    ]


def _mark(clause: Token) -> str | None:
    return next((c.lower_ for c in clause.children if c.dep_ == "mark"), None)


def _timely(prep: Token) -> bool:
    """ "on Saturday", "in June": a preposition whose object is a time."""
    return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


def _conjuncts(token: Token) -> list[Token]:
    """The token and the words coordinated with it ("Hungary and Romania")."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found += _conjuncts(child)
    return found


def _subjects(token: Token, active: bool = False) -> list[Token]:
    deps = ("nsubj", "csubj") if active else _SUBJECTS
    return [conj for child in token.children if child.dep_ in deps for conj in _conjuncts(child)]


def _anonymous(token: Token) -> bool:
    """A pronoun, or a phrase owned by one ("their forces"): it names nobody by itself."""
    if token.lower_ in _PRONOUNS:
        return True
    return any(c.dep_ == "poss" and c.lower_ in _PRONOUNS for c in token.children) and not any(
        c.ent_type_ for c in token.subtree
    )


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def _unique(tokens: list[Token]) -> list[Token]:
    seen: set[int] = set()
    return [t for t in tokens if not (t.i in seen or seen.add(t.i))]


def phrase_tokens(head: Token) -> list[Token]:
    """The words that say who a participant is: the head, its modifiers and owners ("Poland's
    parliament", "Senior Hungarian officials"), an apposition ("Shoigu, Russia's Security
    Council secretary") and an "of"/"from" phrase ("leaders of Romania")."""
    tokens = [head]
    for child in head.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod", "appos") or (
            child.dep_ == "prep" and child.lower_ in ("of", "from")
        ):
            tokens += list(child.subtree)
    return tokens
