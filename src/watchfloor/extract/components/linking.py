"""wf_linking: mentions of people, organisations and places, with ids where we know them.

- Countries link to ISO 3166 alpha-2 ("iso:FI") through pycountry's names and our alias table
  (``data/link_aliases.toml``: short names, demonyms, buildings such as "the Kremlin").
- International organisations link to "org:NATO" and the like (``data/organisations.toml``).
- Cities link to GeoNames ("gn:703448", with coordinates) through ``watchfloor.extract.gazetteer``;
  a name that fits several places goes to the biggest, favouring countries the article mentions.
- Regions written "<name> region" (oblast, province, ...) link to their GeoNames admin1 code
  ("adm1:RU.41") with the coordinates of the city they are named after or governed from
  (``data/regions.toml`` lists the ones the city rule gets wrong, and Crimea); US states
  ("adm1:US.VA") take the coordinates of their most populous city.
- A capital that acts in the sentence stands for its government: "Moscow said", "Kyiv
  rejected", "Moscow's position" link to the country, without coordinates; "Brussels" so used
  to the EU.

The small model misses or mislabels places now and then ("Kyiv" as a person, "Kursk" as a
product), so region phrases and capitals or cities of a million people are also found by name
where the model tagged nothing or a lone person's name. Aliases the model did not tag as
entities ("Finnish" read as an adjective) become mentions too.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import TypedDict

import numpy
import pycountry
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list
from watchfloor.extract.components.common import register_doc_list, string_ids
from watchfloor.extract.gazetteer import (
    DEFAULT_MIN_POPULATION,
    PROMINENT_POPULATION,
    Gazetteer,
    Place,
    Region,
    fold,
    load_gazetteer,
    load_regions,
)

register_doc_list("mentions")

PACKAGED_ALIASES = "link_aliases.toml"
PACKAGED_ORGANISATIONS = "organisations.toml"
MENTION_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
# Which alias table a label may link through; the model's labels for these are unsteady
# ("the Kremlin" comes out as ORG, FAC or GPE; "Ukrainian" as NORP or GPE).
_TABLES_FOR_LABEL = {
    "GPE": ("countries", "demonyms", "metonyms", "organisations"),
    "LOC": ("countries", "metonyms"),
    "NORP": ("demonyms", "countries"),
    "ORG": ("organisations", "metonyms", "countries"),
    "FAC": ("metonyms",),
}
_LABEL_FOR_TABLE = {
    "countries": "GPE",
    "demonyms": "NORP",
    "metonyms": "ORG",
    "organisations": "ORG",
}
_COUNTRY_TABLES = ("countries", "demonyms", "metonyms")
_THE = re.compile(r"^[Tt]he ")
_ORGANISATION_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")

# A LOC mention is mostly a sea, a range or a continent; a town that shares its name ("Asia",
# the Philippines) does not count, a city this big does.
_LOC_MIN_POPULATION = 100_000
# A town tagged as a person or organisation is taken for a place from this size, when the
# article names its country: Bucha (about 37,000) is, a village is not.
_CONTEXT_PLACE_MIN_POPULATION = 30_000
_PLACE_PREPOSITIONS = {"in", "near", "from", "to", "around", "outside", "towards", "toward", "at"}
REGION_WORDS = ("region", "oblast", "province", "governorate", "krai", "kray", "prefecture")
# Name particles that end a person's name only in a broken entity ("Ursula von der").
_NAME_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "al", "bin"}
# A capital that is the subject of these verbs acts as its government ("Moscow said").
GOVERNMENT_VERBS = {
    "say", "tell", "add", "claim", "deny", "accuse", "warn", "demand", "reject", "insist",
    "respond", "retaliate", "condemn", "criticise", "criticize", "announce", "threaten",
    "refuse", "agree", "urge", "call", "want", "seek", "propose", "offer", "recognise",
    "recognize", "sanction", "expel", "summon", "protest", "vow", "pledge", "blame", "dismiss",
    "welcome", "accept", "sign", "negotiate", "hand", "send", "supply", "deliver", "deploy",
    "order", "press", "push", "ask", "request", "hope", "believe", "fear", "consider", "decide",
    "plan", "intend", "approve", "ratify", "veto", "block", "oppose", "support", "back",
    "suspend", "withdraw", "launch", "invade", "annex", "attack", "strike", "retake", "confirm",
    "admit", "acknowledge", "argue", "maintain", "reiterate", "stress", "hit", "promise",
    "return", "release", "exchange", "swap",
}  # fmt: skip
# ... or holds these of a matter ("Moscow was concerned", "Kyiv is ready").
GOVERNMENT_ADJECTIVES = {
    "concerned", "ready", "willing", "prepared", "open", "determined", "confident", "unhappy",
    "opposed", "eager", "reluctant",
}  # fmt: skip
# A capital whose possessive governs these nouns is its government ("Moscow's position").
GOVERNMENT_NOUNS = {
    "position", "stance", "view", "policy", "demand", "claim", "decision", "response",
    "reaction", "offer", "proposal", "plan", "refusal", "ally", "partner", "force", "troop",
    "army", "military", "war", "invasion", "aggression", "government", "leadership", "official",
    "diplomat", "negotiator", "envoy", "delegation", "sanction", "strategy", "goal", "aim",
    "interest", "intention", "effort", "support", "backing", "ambition", "relation", "tie",
    "approach", "objection", "narrative", "accusation", "campaign", "offensive",
    "counteroffensive", "attack", "strike", "terms", "condition", "request", "line", "answer",
}  # fmt: skip
# A capital that is the passive subject of these is addressed as a government ("Kyiv was urged").
_GOVERNMENT_PASSIVE_VERBS = {
    "accuse", "urge", "ask", "call", "warn", "criticise", "criticize", "invite", "sanction",
    "pressure", "press", "blame", "condemn", "tell",
}  # fmt: skip


class MentionRecord(TypedDict):
    start: int  # character offsets into doc.text
    end: int
    label: str
    linked_id: str | None
    # ISO alpha-2 of the country the mention is, stands for or lies in, or of the one country
    # an unlinked organisation's name holds ("Russian Defence Ministry" -> RU)
    country: str | None
    lat: float | None  # places only
    lon: float | None


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str  # "NATO"; linked as "org:NATO"
    name: str
    qid: str | None  # Wikidata item
    aliases: tuple[str, ...]  # matched as written anywhere
    tagged: tuple[str, ...]  # linked only where the model tagged an entity
    seats: tuple[str, ...]  # cities that stand for it when they act ("Brussels")


def load_organisations(path: str | None = None) -> list[Organisation]:
    data, where = read_toml(path, PACKAGED_ORGANISATIONS)
    organisations: list[Organisation] = []
    for key, entry in data.items():
        if not _ORGANISATION_ID.match(key):
            raise CatalogError(f"{where}: [{key}] is not an id of capitals, digits and _")
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: [{key}] must be a table with name and aliases")
        unknown = sorted(set(entry) - {"name", "qid", "aliases", "tagged", "seats"})
        if unknown:
            raise CatalogError(f"{where}: [{key}] has unknown key(s) {', '.join(unknown)}")
        name, qid = entry.get("name"), entry.get("qid")
        if not isinstance(name, str) or not name.strip():
            raise CatalogError(f'{where}: [{key}] needs name = "<English name>"')
        if qid is not None and not (isinstance(qid, str) and _QID.match(qid)):
            raise CatalogError(f"{where}: [{key}] qid {qid!r} is not a Wikidata id like Q458")
        organisations.append(
            Organisation(
                id=key,
                name=name.strip(),
                qid=qid,
                aliases=_names(entry, "aliases", where, key, required=True),
                tagged=_names(entry, "tagged", where, key),
                seats=_names(entry, "seats", where, key),
            )
        )
    return organisations


def _names(
    entry: dict, field: str, where: str, key: str, required: bool = False
) -> tuple[str, ...]:
    if field not in entry and not required:
        return ()
    return tuple(string_list(entry.get(field), where, f"[{key}] {field}"))


def normalise_name(text: str) -> str:
    """Case, accents, a leading "the" and a trailing possessive do not matter for lookup."""
    folded = fold(text).removeprefix("the ")
    return folded.removesuffix("'s").removesuffix("'").strip()


@dataclass(frozen=True, slots=True)
class AliasTable:
    ids: dict[str, dict[str, str]]  # table -> normalised name -> id ("iso:FI", "org:NATO")
    written: dict[str, list[str]]  # table -> names matched wherever written so
    # Organisation names linked only where the model tagged them, and only as written here:
    # "WHO" is the organisation, "Who" may be the band.
    tagged: dict[str, str]
    seats: dict[str, str]  # folded city name -> the organisation it stands for


@cache
def load_aliases(path: str | None = None, organisations_path: str | None = None) -> AliasTable:
    """Country names and organisations; loaded once per (path, organisations_path)."""
    data, where = read_toml(path, PACKAGED_ALIASES)
    unknown = sorted(set(data) - set(_COUNTRY_TABLES))
    if unknown:
        raise CatalogError(f"{where}: unknown table(s) {', '.join(unknown)}")
    ids: dict[str, dict[str, str]] = {table: {} for table in _LABEL_FOR_TABLE}
    written: dict[str, list[str]] = {table: [] for table in _LABEL_FOR_TABLE}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                ids["countries"][normalise_name(name)] = f"iso:{country.alpha_2}"
                if "," not in name:  # "Korea, Republic of" is a catalogue name, not prose
                    written["countries"].append(name.removeprefix("the "))
    for table, section in data.items():
        if not isinstance(section, dict):
            raise CatalogError(f"{where}: [{table}] must be a table of code = [names]")
        for code, names in section.items():
            if pycountry.countries.get(alpha_2=code) is None:
                raise CatalogError(f"{where}: [{table}] {code} is not an ISO 3166 alpha-2 code")
            for name in string_list(names, where, f"[{table}] {code}"):
                ids[table][normalise_name(name)] = f"iso:{code}"
                written[table].append(name.removeprefix("the "))
    tagged: dict[str, str] = {}
    seats: dict[str, str] = {}
    for organisation in load_organisations(organisations_path):
        linked = f"org:{organisation.id}"
        for name in organisation.aliases:
            ids["organisations"][normalise_name(name)] = linked
        written["organisations"].extend(name.removeprefix("the ") for name in organisation.aliases)
        tagged.update((name, linked) for name in organisation.tagged)
        seats.update((fold(seat), linked) for seat in organisation.seats)
    return AliasTable(ids=ids, written=written, tagged=tagged, seats=seats)


def country_of(linked_id: str | None) -> str | None:
    """ "iso:RU" -> "RU"; other ids name no country by themselves."""
    if linked_id and linked_id.startswith("iso:"):
        return linked_id[4:]
    return None


def person_end(doc: Doc, start: int, end: int) -> int:
    """The end of a person's name whose entity stopped at a particle: "Ursula von der" takes
    in "Leyen"."""
    while (
        end < len(doc)
        and end - start < 6
        and doc[end - 1].lower_ in _NAME_PARTICLES
        and (doc[end].is_title or doc[end].lower_ in _NAME_PARTICLES)
    ):
        end += 1
    return end


def acts_as_government(span: Span) -> bool:
    """Whether a place name is the actor of its sentence ("Moscow said", "Kyiv rejected",
    "Moscow and Kyiv accused each other", "Moscow's position", "according to Kyiv")."""
    root = span.root
    while root.dep_ == "conj" and root.head.pos_ == "PROPN":
        root = root.head
    head = root.head
    if root.dep_ == "nsubj":
        if head.lemma_.lower() in GOVERNMENT_VERBS:
            return True
        return any(
            child.dep_ == "acomp" and child.lower_ in GOVERNMENT_ADJECTIVES
            for child in head.children
        )
    if root.dep_ == "nsubjpass":
        return head.lemma_.lower() in _GOVERNMENT_PASSIVE_VERBS
    if root.dep_ == "poss":
        return head.lemma_.lower() in GOVERNMENT_NOUNS
    return root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


@dataclass(slots=True)
class _Pending:
    start: int  # token offsets
    end: int
    label: str


class EntityLinker:
    def __init__(
        self,
        nlp: Language,
        name: str,
        aliases: AliasTable,
        gazetteer: Gazetteer,
        regions: list[Region],
    ) -> None:
        self.name = name
        self.aliases = aliases
        self.gazetteer = gazetteer
        self.region_names = {fold(n): r for r in regions for n in r.names}
        self.region_word_names = {fold(n): r for r in regions for n in r.with_region_word}
        # Case-sensitive: "US" is a country, "us" a pronoun.
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for table, names in aliases.written.items():
            self.matcher.add(table, [nlp.make_doc(n) for n in names])
        self.prominent = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.prominent.add("city", [nlp.make_doc(n.lower()) for n in gazetteer.prominent])
        # "Kursk region", "Ivano-Frankivsk oblast": capitalised words before a region word.
        # Region words are rare: the matcher runs only on the few tokens up to each of them.
        self.region_words = string_ids(nlp.vocab, REGION_WORDS)
        self.region_matcher = Matcher(nlp.vocab)
        word = {"IS_TITLE": True, "IS_STOP": False, "POS": {"IN": ["PROPN", "NOUN"]}}
        region = {"LOWER": {"IN": list(REGION_WORDS)}}
        patterns = [[word, region], [word, word, region], [word, {"ORTH": "-"}, word, region]]
        self.region_matcher.add("region", patterns)
        self.region_reach = max(map(len, patterns)) - 1  # tokens a match starts before its end

    def region_spans(self, doc: Doc) -> list[Span]:
        """Every match of the region patterns (each ends on a region word)."""
        ends = numpy.flatnonzero(numpy.isin(doc.to_array("LOWER"), self.region_words)).tolist()
        return [
            span
            for end in ends
            for span in self.region_matcher(
                doc[max(end - self.region_reach, 0) : end + 1], as_spans=True
            )
        ]

    def link(self, text: str, label: str) -> str | None:
        key = normalise_name(text)
        for table in _TABLES_FOR_LABEL.get(label, ()):
            found = self.aliases.ids[table].get(key)
            if found is not None:
                return found
        if label == "ORG":
            return self.aliases.tagged.get(_THE.sub("", text).removesuffix("'s"))
        return None

    def __call__(self, doc: Doc) -> Doc:
        records: list[MentionRecord] = []
        taken = [False] * len(doc)
        for span in filter_spans(self.region_spans(doc)):
            found = self._region(span[:-1].text, with_region_word=True, countries=())
            if found is not None:
                records.append(_place_record(span, "GPE", found[0], found[1]))
                taken[span.start : span.end] = [True] * len(span)
        pending: list[_Pending] = []
        surnames: set[str] = set()
        # An alias longer than the entity inside it wins ("UN nuclear watchdog" over "UN");
        # on the same words the model's entity and its label stand.
        aliases = filter_spans(self.matcher(doc, as_spans=True))
        for span in filter_spans([*doc.ents, *aliases]):
            if any(taken[span.start : span.end]):
                continue
            start, end, label = span.start, span.end, span.label_
            if label in _LABEL_FOR_TABLE:  # an alias the model did not tag, or tagged shorter
                taken[start:end] = [True] * (end - start)
                linked = self.aliases.ids[label][normalise_name(span.text)]
                records.append(_record(span, _LABEL_FOR_TABLE[label], linked))
                continue
            if label == "PERSON":
                end = person_end(doc, start, end)
                if end - start > 1:
                    surnames.add(fold(doc[end - 1].text))
            taken[start:end] = [True] * (end - start)
            if label not in MENTION_LABELS:
                continue
            if end - start > 1 and doc[end - 1].tag_ == "POS":
                end -= 1  # "South Korea's" -> "South Korea"
            pending.append(_Pending(start, end, label))
        self._add_prominent_cities(doc, pending, taken, surnames)
        # Countries first: the places then prefer the countries the article mentions.
        places: list[tuple[Span, str]] = []
        unlinked: list[tuple[Span, MentionRecord]] = []  # people and bodies we could not link
        for item in pending:
            span = doc[item.start : item.end]
            label, linked = item.label, self.link(span.text, item.label)
            if linked is None and fold(span.text) not in surnames:
                # A country or people's name is one whatever the model called it ("Sri Lanka"
                # as a person, "Ugandan" as an organisation).
                label, linked = self._country_name(span.text, label)
            if linked is None and label in ("GPE", "LOC"):
                places.append((span, label))
                continue
            record = _record(span, label, linked)
            if linked is None and label in ("ORG", "NORP", "FAC"):
                record["country"] = self._country_inside(span, aliases)
            if linked is None and label in ("PERSON", "ORG"):
                unlinked.append((span, record))
            records.append(record)
        countries = {r["country"] for r in records if r["country"] and r["lat"] is None}
        for span, record in unlinked:
            if self._is_place_in_context(span, record["label"], countries, surnames):
                records.remove(record)
                places.append((span, "GPE"))
        for span, label in places:
            records.append(self._place_mention(span, label, countries, surnames))
        records.sort(key=lambda r: r["start"])
        doc._.mentions = records
        return doc

    def _country_name(self, text: str, label: str) -> tuple[str, str | None]:
        key = normalise_name(text)
        for table in ("countries", "demonyms"):
            found = self.aliases.ids[table].get(key)
            if found is not None:
                return (_LABEL_FOR_TABLE[table] if label == "PERSON" else label), found
        return label, None

    def _country_inside(self, span: Span, aliases: list[Span]) -> str | None:
        """The one country named inside an organisation's name ("Russian Defence Ministry",
        "British Defence"): the country it belongs to."""
        found = {
            country_of(self.aliases.ids[alias.label_][normalise_name(alias.text)])
            for alias in aliases
            if alias.label_ in _COUNTRY_TABLES
            and span.start <= alias.start
            and alias.end <= span.end
        }
        return found.pop() if len(found) == 1 else None

    def _add_prominent_cities(
        self, doc: Doc, pending: list[_Pending], taken: list[bool], surnames: set[str]
    ) -> None:
        """Capitals and big cities the model missed, or tagged as a person or organisation
        of that name alone ("Kyiv" as a person, "HELSINKI" in a dateline as an organisation);
        regions listed by name ("Crimea") whatever the model called them."""
        for item in pending:
            if self._is_mislabelled_place(doc[item.start : item.end], item.label, surnames):
                item.label = "GPE"
        for span in filter_spans(self.prominent(doc, as_spans=True)):
            if not any(taken[span.start : span.end]) and all(
                (t.is_title or t.is_upper) and t.pos_ == "PROPN" for t in span
            ):
                taken[span.start : span.end] = [True] * len(span)
                pending.append(_Pending(span.start, span.end, "GPE"))

    def _is_mislabelled_place(self, span: Span, label: str, surnames: set[str]) -> bool:
        if label not in ("PERSON", "ORG", "NORP", "FAC"):
            return False
        if fold(span.text) in self.region_names:
            return self.link(span.text, label) is None
        if label not in ("PERSON", "ORG") or fold(span.text) in surnames:
            return False
        if not all((t.is_title or t.is_upper) and t.pos_ == "PROPN" for t in span):
            return False
        place = self.gazetteer.lookup(span.text)
        return place is not None and (
            place.population >= PROMINENT_POPULATION or self.gazetteer.capital_of(place) is not None
        )

    def _is_place_in_context(
        self, span: Span, label: str, countries: Collection[str], surnames: set[str]
    ) -> bool:
        """A town of a country the article names, tagged as an organisation ("Mariupol") or,
        after a preposition of place, as a person ("fighting in Kherson"). Smaller than the
        prominent cities taken whatever the context, so the article must name its country."""
        if not countries or fold(span.text) in surnames:
            return False
        if not all((t.is_title or t.is_upper) and t.pos_ == "PROPN" for t in span):
            return False
        if label == "PERSON" and not (
            span.root.dep_ == "pobj" and span.root.head.lower_ in _PLACE_PREPOSITIONS
        ):
            return False
        place = self.gazetteer.lookup(span.text, countries)
        return (
            place is not None
            and place.country in countries
            and fold(place.name) == fold(span.text)
            and place.population >= _CONTEXT_PLACE_MIN_POPULATION
        )

    def _place_mention(
        self, span: Span, label: str, countries: Collection[str], surnames: set[str]
    ) -> MentionRecord:
        text = span.text
        if fold(text) in surnames:  # "Shoigu" tagged as a place after "Sergei Shoigu"
            return _record(span, label, None)
        region = self._region(text, with_region_word=False, countries=countries)
        if region is not None:
            return _place_record(span, label, region[0], region[1])
        place = self.gazetteer.lookup(text, countries)
        if place is None and text.lower().startswith("the "):
            place = self.gazetteer.lookup(text[4:], countries)
        state = self.gazetteer.us_state(text)
        if state is not None and not (
            place is not None
            and place.country == "US"
            and (
                place.population >= PROMINENT_POPULATION
                or (fold(place.name) == fold(text) and place.population >= _LOC_MIN_POPULATION)
            )
        ):  # "Virginia" is the state; "New York" and "Washington" stay cities
            return _place_record(span, label, f"adm1:{state[0]}", state[1])
        if place is None or (label == "LOC" and place.population < _LOC_MIN_POPULATION):
            return _record(span, label, None)
        if acts_as_government(span):
            seat = self.aliases.seats.get(fold(text))
            capital = self.gazetteer.capital_of(place)
            if seat is not None or capital is not None:
                return _record(span, label, seat or f"iso:{capital}")
        return _place_record(span, label, f"gn:{place.geonameid}", place)

    def _region(
        self, name: str, with_region_word: bool, countries: Collection[str]
    ) -> tuple[str, Place] | None:
        """The admin1 id and the seat of a region named ``name``."""
        key = fold(name).removeprefix("the ")
        listed = (self.region_word_names if with_region_word else self.region_names).get(key)
        if listed is not None:
            seat = self.gazetteer.lookup(listed.seat, (listed.country,))
            return (f"adm1:{listed.admin1_id}", seat) if seat is not None else None
        if not with_region_word:
            return None
        city = self.gazetteer.lookup(name, countries)
        return (f"adm1:{city.admin1_id}", city) if city is not None else None


def _record(span: Span, label: str, linked_id: str | None) -> MentionRecord:
    return MentionRecord(
        start=span.start_char,
        end=span.end_char,
        label=label,
        linked_id=linked_id,
        country=country_of(linked_id),
        lat=None,
        lon=None,
    )


def _place_record(span: Span, label: str, linked_id: str, place: Place) -> MentionRecord:
    return MentionRecord(
        start=span.start_char,
        end=span.end_char,
        label=label,
        linked_id=linked_id,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
    )


@Language.factory(
    "wf_linking",
    assigns=["doc._.mentions"],
    requires=["doc.ents", "token.pos", "token.dep"],
    default_config={
        "aliases": "",
        "organisations": "",
        "regions": "",
        "min_population": DEFAULT_MIN_POPULATION,
    },
)
def make_entity_linker(
    nlp: Language, name: str, aliases: str, organisations: str, regions: str, min_population: int
) -> EntityLinker:
    """``aliases``, ``organisations``, ``regions``: paths to TOML files, empty for the packaged
    ones; ``min_population``: the smallest places linked (500, 1000, 5000 or 15000)."""
    return EntityLinker(
        nlp,
        name,
        load_aliases(aliases or None, organisations or None),
        load_gazetteer(min_population),
        load_regions(regions or None),
    )
