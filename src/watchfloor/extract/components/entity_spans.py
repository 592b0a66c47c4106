"""wf_entity_spans: mends the entity spans the small model most often gets wrong on official
news, before anything reads them.

- An entity that ends on a connecting word takes in the place that follows it ("the Office
  of the President of" + "Ukraine"), or drops the dangling word when none follows.
- A person's name run into the words before it is split off: "Ukraine Volodymyr Zelenskyy"
  (after "President of") becomes the country and the person; "Office Andriy Yermak" the
  office and the person. The name is the last two or three capitalised words, starting with
  a common given name (the lists of ``quote_cues.toml``), after a capitalised word that
  cannot be part of a name (a country's, a title's or an organisation's word).
- Two or three capitalised words starting with a given name right after "<title> of
  <country>" are a person's name, whether the model tagged them as an organisation or missed
  them: "Minister of Foreign Affairs of Ukraine Dmytro Kuleba".
- A surname tagged alone takes in the given name before it ("Andriy" + "Yermak").

Each rule needs words that leave no doubt; anything else is left as the model tagged it.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from watchfloor.extract._data import read_toml, string_list
from watchfloor.extract.components.linking import AliasTable, load_aliases, normalise_name
from watchfloor.extract.components.titles import load_titles
from watchfloor.extract.speakers import load_cues

PACKAGED_NAME_WORDS = "name_words.toml"
_CONNECTORS = {"of", "for", "and", "the", "on", "&"}
_JOINABLE = {"GPE", "LOC"}
_NAME_LENGTHS = (3, 2)  # tokens of a full name split off the end of an entity


@cache
def load_name_words(
    path: str | None = None,
    titles: str | None = None,
    aliases: str | None = None,
    organisations: str | None = None,
) -> frozenset[str]:
    """Lower-case words that are never part of a personal name: the listed ones and every word
    of a title, a country's or an organisation's name."""
    data, where = read_toml(path, PACKAGED_NAME_WORDS)
    words = {w.lower() for w in string_list(data.get("words"), where, "words")}
    words |= load_titles(titles).title_words
    for names in load_aliases(aliases, organisations).written.values():
        words |= {w.lower() for name in names for w in name.replace("-", " ").split()}
    return frozenset(words)


class EntitySpanMender:
    def __init__(
        self,
        name: str,
        aliases: AliasTable,
        non_name_words: frozenset[str],
        given_names: frozenset[str],
    ) -> None:
        self.name = name
        self.countries = aliases.ids["countries"]
        self.non_name_words = non_name_words
        self.given_names = given_names

    def __call__(self, doc: Doc) -> Doc:
        ents = self._join_dangling(doc, list(doc.ents))
        ents = self._split_names(doc, ents)
        ents = self._add_names_after_titles(doc, ents)
        ents = self._take_first_names(doc, ents)
        doc.ents = filter_spans(ents)
        return doc

    def _join_dangling(self, doc: Doc, ents: list[Span]) -> list[Span]:
        mended: list[Span] = []
        i = 0
        while i < len(ents):
            ent = ents[i]
            if len(ent) > 1 and ent[-1].lower_ in _CONNECTORS:
                following = ents[i + 1] if i + 1 < len(ents) else None
                if (
                    following is not None
                    and following.start == ent.end
                    and following.label_ in _JOINABLE
                ):
                    mended.append(Span(doc, ent.start, following.end, label=ent.label_))
                    i += 2
                    continue
                end = ent.end
                while end - ent.start > 1 and doc[end - 1].lower_ in _CONNECTORS:
                    end -= 1
                ent = Span(doc, ent.start, end, label=ent.label_)
            mended.append(ent)
            i += 1
        return mended

    def _split_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        mended: list[Span] = []
        for ent in ents:
            if ent.label_ in ("PERSON", "ORG"):
                parts = self._split(doc, ent)
                if parts is not None:
                    mended.extend(parts)
                    continue
                if ent.label_ == "ORG" and self._is_name(ent) and self._after_title_of(ent, ents):
                    mended.append(Span(doc, ent.start, ent.end, label="PERSON"))
                    continue
            mended.append(ent)
        return mended

    def _split(self, doc: Doc, ent: Span) -> list[Span] | None:
        for length in _NAME_LENGTHS:
            if len(ent) <= length:
                continue
            name = doc[ent.end - length : ent.end]
            boundary = doc[name.start - 1]
            if not (
                self._is_name(name)
                and (boundary.is_title or boundary.is_upper)
                and not boundary.is_stop
                and boundary.lower_ in self.non_name_words
            ):
                continue
            head = doc[ent.start : name.start]
            head_label = "GPE" if normalise_name(head.text) in self.countries else "ORG"
            return [
                Span(doc, head.start, head.end, label=head_label),
                Span(doc, name.start, name.end, label="PERSON"),
            ]
        return None

    def _is_name(self, words: Span) -> bool:
        """Two or three capitalised words that can be a name, the first a given name."""
        return (
            2 <= len(words) <= 3
            and words[0].lower_ in self.given_names
            and all(self._name_word(t) for t in words)
        )

    def _name_word(self, token: Token) -> bool:
        return token.is_title and token.is_alpha and token.lower_ not in self.non_name_words

    def _after_title_of(self, ent: Span, ents: list[Span]) -> bool:
        """The entity right before ends "... of <country>": the country a title is of."""
        return any(other.end == ent.start and self._ends_of_country(other) for other in ents)

    def _ends_of_country(self, ent: Span) -> bool:
        """ "Ukraine" after "of", or "the Armed Forces of Ukraine"."""
        doc = ent.doc
        for of in range(ent.end - 2, max(ent.start - 2, -1), -1):
            if doc[of].lower_ == "of":
                return normalise_name(doc[of + 1 : ent.end].text) in self.countries
        return False

    def _add_names_after_titles(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A name the model missed right after "<title> of <country>"."""
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        added: list[Span] = []
        for ent in ents:
            if not self._ends_of_country(ent):
                continue
            end = ent.end
            while (
                end < len(doc)
                and end - ent.end < _NAME_LENGTHS[0]
                and end not in taken
                and doc[end].pos_ == "PROPN"
                and self._name_word(doc[end])
            ):
                end += 1
            name = doc[ent.end : end]
            if self._is_name(name) and (end == len(doc) or end not in taken):
                added.append(Span(doc, ent.end, end, label="PERSON"))
        return sorted([*ents, *added], key=lambda e: e.start)

    def _take_first_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        mended: list[Span] = []
        for ent in ents:
            before = ent.start - 1
            if (
                ent.label_ == "PERSON"
                and len(ent) == 1
                and before >= 0
                and before not in taken
                and doc[before].pos_ == "PROPN"
                and doc[before].lower_ in self.given_names
                and self._name_word(doc[before])
            ):
                ent = Span(doc, before, ent.end, label="PERSON")
            mended.append(ent)
        return mended


@Language.factory(
    "wf_entity_spans",
    assigns=["doc.ents"],
    requires=["doc.ents", "token.pos"],
    default_config={
        "name_words": "",
        "titles": "",
        "aliases": "",
        "organisations": "",
        "cues": "",
    },
)
def make_entity_span_mender(
    nlp: Language,
    name: str,
    name_words: str,
    titles: str,
    aliases: str,
    organisations: str,
    cues: str,
) -> EntitySpanMender:
    """``name_words``, ``titles``, ``aliases``, ``organisations``, ``cues`` (for the given
    names): paths to TOML files, empty for the packaged ones."""
    paths = (aliases or None, organisations or None)
    given = load_cues(cues or None)
    return EntitySpanMender(
        name,
        load_aliases(*paths),
        load_name_words(name_words or None, titles or None, *paths),
        given.male_names | given.female_names,
    )
