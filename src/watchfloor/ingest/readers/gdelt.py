"""GDELT 2.0 files: what GDELT read from articles, imported as article stubs with their facts.

GDELT gives URLs, not texts, so every article here is a stub (empty text) wrapped in
``Imported`` with the facts GDELT coded; none of it goes through our extraction.

- Events export (``*.export.CSV``, 61 tab-separated columns, no header): one stub per distinct
  SOURCEURL holding one ``Event`` per row (CAMEO code, Goldstein scale, tone, actors, place).
- GKG 2.1 (``*.gkg.csv``, 27 columns): one stub per web document with its themes, locations,
  persons, organisations, counts, amounts and quotations; offsets point into the original
  article, which we do not hold.
- Mentions (``*.mentions.CSV``) are refused as a whole, with the reason.

A bad row becomes a Reject with its row number and the file goes on.
"""

from __future__ import annotations

import codecs
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pycountry

from watchfloor.ingest.readers import Content, ReadOptions, ReadResult, reject
from watchfloor.ingest.readers.gdelt_codes import (
    amount_role,
    cameo,
    cameo_country,
    count_role,
    fips_country,
)
from watchfloor.ingest.urls import canonical_url
from watchfloor.model import Article, ArticleFacts, Count, Event, Imported, Mention, Quote

# Events export: 61 columns; the positions of those we read (0-based).
EVENT_COLUMNS = 61
EV_ID, EV_SQLDATE = 0, 1
EV_ACTOR1_NAME, EV_ACTOR1_COUNTRY = 6, 7
EV_ACTOR2_NAME, EV_ACTOR2_COUNTRY = 16, 17
EV_CODE, EV_GOLDSTEIN, EV_TONE = 26, 30, 34
# ActionGeo: type, full name, FIPS country, ADM1, ADM2, lat, lon, feature id.
EV_ACTION_GEO = 51
EV_DATEADDED, EV_SOURCEURL = 59, 60

# GKG 2.1: 27 columns.
GKG_COLUMNS = 27
GKG_DATE, GKG_COLLECTION, GKG_SOURCE, GKG_DOCUMENT = 1, 2, 3, 4
GKG_V2COUNTS, GKG_V2THEMES, GKG_V2LOCATIONS, GKG_V2PERSONS, GKG_V2ORGANIZATIONS = 6, 8, 10, 12, 14
GKG_QUOTATIONS, GKG_AMOUNTS, GKG_TRANSLATION, GKG_EXTRAS = 22, 24, 25, 26
GKG_WEB = "1"  # SourceCollectionIdentifier of open-web documents (the identifier is a URL)

OCEANS = "OS"  # GDELT's country code for seas and oceans: places, but not political ones
_QUOTE = re.compile(r"(\d+)\|(\d+)\|([^|#]*)\|(.*?)(?=#\d+\|\d+\||\Z)", re.DOTALL)
_SLUG_WORDS = re.compile(r"[\W_]+")
_PAGE_SUFFIXES = {"htm", "html", "shtml", "php", "asp", "aspx", "jsp", "cms", "ece"}


class RowError(ValueError):
    """A field that makes a row unusable; the message becomes the reject's detail."""


class NotWebDocument(RowError):
    """A GKG record of a broadcast, print or archive document: it has no URL to stand for it."""


# -- shared helpers -----------------------------------------------------------------------


def _rows(content: Content) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers, read one at a time; GDELT files are one
    record per line and never quote, so a stray byte or tab spoils one row only."""
    for number, line in enumerate(content, start=1):
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        line = line.removesuffix(b"\n").rstrip(b"\r")
        if line.strip():
            yield number, line


def _float(value: str, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise RowError(f"{name} {value!r} is not a number")
    return number


def _int(value: str, name: str) -> int:
    if not value.strip().isdigit():
        raise RowError(f"{name} {value!r} is not a whole number")
    return int(value)


def _coordinates(lat: str, lon: str) -> tuple[float | None, float | None]:
    latitude, longitude = _float(lat, "latitude"), _float(lon, "longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise RowError(f"latitude {lat!r} is out of range")
    if longitude is not None and not -180 <= longitude <= 180:
        raise RowError(f"longitude {lon!r} is out of range")
    return latitude, longitude


def _timestamp(value: str, name: str) -> datetime:
    """YYYYMMDDHHMMSS in UTC (checked for length: strptime takes "2025061209" too)."""
    try:
        if len(value) != 14 or not value.isdigit():
            raise ValueError
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        raise RowError(f"{name} {value!r} is not a YYYYMMDDHHMMSS timestamp") from None


def _day(value: str, name: str) -> date:
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise RowError(f"{name} {value!r} is not a YYYYMMDD date") from None


def _web_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RowError(f"{value.strip()[:200]!r} is not a web URL")
    return canonical_url(value)


def outlet(url: str) -> str:
    """The host that names the outlet: ``https://www.bbc.co.uk/news`` -> ``bbc.co.uk``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def stub_title(url: str) -> str:
    """A readable label for an article known only by its URL (GDELT gives no titles): the
    outlet and the words of the path segment that reads most like a headline slug."""
    best: list[str] = []
    for segment in unquote(urlsplit(url).path).split("/"):
        words = [w for w in _SLUG_WORDS.split(segment) if w]
        if words and words[-1].lower() in _PAGE_SUFFIXES:
            words.pop()
        while words and words[-1].isdigit():  # trailing article ids
            words.pop()
        alphabetic = sum(w.isalpha() for w in words)
        # ">=": of equally wordy segments the later, more specific one wins.
        if alphabetic and alphabetic >= sum(w.isalpha() for w in best):
            best = words
    host = outlet(url)
    return f"{host}: {' '.join(best)}" if best else host


def place_id(geo_type: str, country: str, adm1: str, feature: str) -> str | None:
    """An id for a GDELT place by its resolution: countries by ISO code, first-level divisions
    by their FIPS ADM1 code, US places by GNIS id and other places by GNS id (GDELT's
    FeatureIDs are not GeoNames ids, hence their own prefixes)."""
    if geo_type == "1":
        iso = fips_country(country)
        return f"iso:{iso}" if iso else None
    if geo_type in ("2", "5"):
        return f"adm1:{adm1}" if adm1 else None
    if geo_type in ("3", "4") and feature:
        return f"{'gnis' if geo_type == '3' else 'gns'}:{feature}"
    return None


def _stub(
    url: str, title: str, source: str, published: datetime, language: str, author: str | None
) -> Article:
    return Article(
        url=url,
        title=title,
        text="",
        source=source,
        published=published,
        fetched_at=datetime.now(UTC),
        language=language,
        author=author,
    )


# -- Events export ------------------------------------------------------------------------


def event_from_row(columns: list[str]) -> tuple[str, datetime, Event]:
    """(canonical source URL, DATEADDED, the event) from one Events export row."""
    if len(columns) != EVENT_COLUMNS:
        raise RowError(f"expected {EVENT_COLUMNS} tab-separated columns, found {len(columns)}")
    event_id = str(_int(columns[EV_ID], "GlobalEventID"))
    code = columns[EV_CODE].strip()
    category = cameo().category(code)
    if category is None:
        raise RowError(f"EventCode {code!r} is not a CAMEO event code")
    geo_type, geo_name, geo_country, adm1, _adm2, lat, lon, feature = columns[
        EV_ACTION_GEO : EV_ACTION_GEO + 8
    ]
    latitude, longitude = _coordinates(lat, lon)
    actor1, actor2 = columns[EV_ACTOR1_NAME].strip(), columns[EV_ACTOR2_NAME].strip()
    actor_country = cameo_country(columns[EV_ACTOR1_COUNTRY])
    target_country = cameo_country(columns[EV_ACTOR2_COUNTRY])
    event = Event(
        category=category,
        trigger=cameo().label(code) or code,
        sentence_index=None,
        date=_day(columns[EV_SQLDATE], "SQLDATE"),
        date_precision="day",
        actors=[actor1] if actor1 else [],
        targets=[actor2] if actor2 else [],
        place=geo_name.strip() or None,
        place_id=place_id(geo_type, geo_country, adm1, feature),
        actor_countries=[actor_country] if actor_country else [],
        target_countries=[target_country] if target_country else [],
        place_country=fips_country(geo_country),
        lat=latitude,
        lon=longitude,
        origin="gdelt",
        external_id=event_id,
        cameo_code=code,
        goldstein=_float(columns[EV_GOLDSTEIN], "GoldsteinScale"),
        tone=_float(columns[EV_TONE], "AvgTone"),
    )
    try:
        url = _web_url(columns[EV_SOURCEURL])
    except RowError as exc:
        raise RowError(f"SOURCEURL {exc}") from None
    return url, _timestamp(columns[EV_DATEADDED], "DATEADDED"), event


def read_events(path: Path, content: Content, options: ReadOptions) -> Iterator[ReadResult]:
    """One imported stub per source URL, in the order the URLs first appear."""
    stubs: dict[str, tuple[Article, ArticleFacts]] = {}
    seen_ids: set[str] = set()
    for number, line in _rows(content):
        source = f"{path}#row-{number}"
        try:
            url, added, event = event_from_row(line.decode("utf-8").split("\t"))
        except UnicodeDecodeError as exc:
            yield reject(source, "undecodable bytes", line, f"not UTF-8: {exc}")
            continue
        except RowError as exc:
            yield reject(source, "malformed GDELT event row", line, str(exc))
            continue
        if event.external_id in seen_ids:
            detail = f"GlobalEventID {event.external_id} appears earlier in the file"
            yield reject(source, "duplicate GDELT event", line, detail)
            continue
        seen_ids.add(event.external_id)
        if url not in stubs:
            article = _stub(url, stub_title(url), outlet(url), added, "en", None)
            stubs[url] = (article, ArticleFacts(article_id=article.id))
        stubs[url][1].events.append(event)
    for article, facts in stubs.values():
        yield Imported(article=article, facts=facts)


# -- GKG 2.1 ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Document:
    """Facts read from one GKG record, and the entries that could not be read."""

    facts: ArticleFacts
    bad: list[str]


def _entries(value: str) -> Iterator[str]:
    return (entry for entry in value.split(";") if entry.strip())


def _extra(extras: str, tag: str) -> str:
    found = re.search(f"<{tag}>(.*?)</{tag}>", extras, re.DOTALL)
    return " ".join(html.unescape(found.group(1)).split()) if found else ""


def _language(translation: str) -> str:
    """English, or the source language of a document GDELT machine-translated."""
    found = re.search(r"srclc:([a-z]{3})", translation)
    if not found:
        return "en"
    language = pycountry.languages.get(alpha_3=found.group(1))
    return getattr(language, "alpha_2", None) or found.group(1)


def _themes(doc: _Document, value: str) -> None:
    seen: set[str] = set()
    for entry in _entries(value):
        theme = entry.rpartition(",")[0] or entry
        if theme not in seen:
            seen.add(theme)
            doc.facts.themes.append(theme)


def _names(doc: _Document, value: str, label: str) -> None:
    """V2Persons / V2Organizations: ``name,offset`` entries."""
    for entry in _entries(value):
        name, _, offset = entry.rpartition(",")
        if not name.strip() or not offset.isdigit():
            doc.bad.append(f"{label} {entry!r}")
            continue
        start = int(offset)
        doc.facts.mentions.append(
            Mention(name, label, start, start + len(name), sentence_index=None)
        )


def _locations(doc: _Document, value: str) -> None:
    """V2Locations: ``type#full name#country#ADM1#ADM2#lat#lon#feature#offset``. The mention's
    text is the place's own name (the full name's first part), as the article wrote it."""
    for entry in _entries(value):
        parts = entry.split("#")
        if len(parts) != 9 or not parts[1].strip() or not parts[8].isdigit():
            doc.bad.append(f"location {entry!r}")
            continue
        geo_type, full_name, country, adm1, _adm2, lat, lon, feature, offset = parts
        try:
            latitude, longitude = _coordinates(lat, lon)
        except RowError as exc:
            doc.bad.append(f"location {entry!r}: {exc}")
            continue
        name = full_name.split(",")[0].strip()
        start = int(offset)
        doc.facts.mentions.append(
            Mention(
                text=name,
                label="LOC" if country == OCEANS else "GPE",
                start=start,
                end=start + len(name),
                sentence_index=None,
                linked_id=place_id(geo_type, country, adm1, feature),
                lat=latitude,
                lon=longitude,
            )
        )


def _counts(doc: _Document, value: str) -> None:
    """V2Counts: ``type#number#object#(location: 7 fields)#offset``; only GDELT's count
    types become counts (see data/gdelt/counts.toml). Text is GDELT's record ("KILL 47
    jihadists"), not the article's words, which GDELT does not give."""
    seen: set[tuple[str, ...]] = set()
    for entry in _entries(value):
        parts = entry.split("#")
        role = count_role(parts[0])
        if role is None:
            continue
        if len(parts) != 11 or not parts[10].isdigit():
            doc.bad.append(f"count {entry!r}")
            continue
        count_type, number, what, offset = parts[0], parts[1], parts[2].strip(), parts[10]
        key = (count_type, number, what, offset)
        if key in seen:  # GDELT repeats a count once per theme it touches
            continue
        seen.add(key)
        try:
            amount = _float(number, "count")
        except RowError as exc:
            doc.bad.append(f"count {entry!r}: {exc}")
            continue
        if amount is None:
            doc.bad.append(f"count {entry!r}: no number")
            continue
        text = " ".join(p for p in (count_type, number, what) if p)
        start = int(offset)
        doc.facts.counts.append(
            Count(text, start, start + len(text), None, amount, what=what, role=role)
        )


def _amounts(doc: _Document, value: str) -> None:
    """Amounts: ``number,object words,offset``; the role comes from the object's words. An
    amount at the offset of a count with the same number is that count again, and is skipped."""
    counted = {(c.start, c.value) for c in doc.facts.counts}
    for entry in _entries(value):
        number, _, rest = entry.partition(",")
        what, _, offset = rest.rpartition(",")
        try:
            amount = _float(number, "amount")
        except RowError as exc:
            doc.bad.append(f"amount {entry!r}: {exc}")
            continue
        if amount is None or not offset.isdigit():
            doc.bad.append(f"amount {entry!r}")
            continue
        if (int(offset), amount) in counted:
            continue
        what = what.strip()
        text = f"{number} {what}".strip()
        start = int(offset)
        doc.facts.counts.append(
            Count(text, start, start + len(text), None, amount, what=what, role=amount_role(what))
        )


def _quotes(doc: _Document, value: str) -> None:
    """Quotations: ``offset|length|verb|quote`` blocks joined by "#" (a "#" inside a quote
    does not split it: a block starts only where ``#offset|length|`` does)."""
    for match in _QUOTE.finditer(value):
        offset, length, verb, text = match.groups()
        if not text.strip():
            doc.bad.append(f"quotation {match.group(0)!r}")
            continue
        start = int(offset)
        doc.facts.quotes.append(
            Quote(
                text=text.strip(),
                start=start,
                end=start + int(length),
                sentence_index=None,
                speaker=None,
                role=None,
                direct=True,
                cue=verb.strip() or None,
            )
        )


def document_from_record(columns: list[str]) -> tuple[Imported, list[str]]:
    """The stub and facts of one GKG 2.1 record, and the entries that could not be read."""
    if len(columns) != GKG_COLUMNS:
        raise RowError(f"expected {GKG_COLUMNS} tab-separated columns, found {len(columns)}")
    if columns[GKG_COLLECTION] != GKG_WEB:
        raise NotWebDocument(
            f"SourceCollectionIdentifier {columns[GKG_COLLECTION]!r} is not 1 (web): "
            f"{columns[GKG_DOCUMENT][:200]!r} is a citation or archive id, not a URL"
        )
    try:
        url = _web_url(columns[GKG_DOCUMENT])
    except RowError as exc:
        raise RowError(f"DocumentIdentifier {exc}") from None
    extras = columns[GKG_EXTRAS]
    bad: list[str] = []
    published = _timestamp(columns[GKG_DATE], "DATE")
    precise = _extra(extras, "PAGE_PRECISEPUBTIMESTAMP")
    if precise:  # the page's own publication time, where GDELT found one
        try:
            published = _timestamp(precise, "PAGE_PRECISEPUBTIMESTAMP")
        except RowError as exc:
            bad.append(str(exc))
    article = _stub(
        url,
        _extra(extras, "PAGE_TITLE") or stub_title(url),
        columns[GKG_SOURCE].strip() or outlet(url),
        published,
        _language(columns[GKG_TRANSLATION]),
        _extra(extras, "PAGE_AUTHORS") or None,
    )
    doc = _Document(ArticleFacts(article_id=article.id), bad)
    _themes(doc, columns[GKG_V2THEMES])
    _locations(doc, columns[GKG_V2LOCATIONS])
    _names(doc, columns[GKG_V2PERSONS], "PERSON")
    _names(doc, columns[GKG_V2ORGANIZATIONS], "ORG")
    _counts(doc, columns[GKG_V2COUNTS])
    _amounts(doc, columns[GKG_AMOUNTS])
    _quotes(doc, columns[GKG_QUOTATIONS])
    return Imported(article=article, facts=doc.facts), doc.bad


def read_gkg(path: Path, content: Content, options: ReadOptions) -> Iterator[ReadResult]:
    """One imported stub per web document. A record with unreadable entries is imported
    without them, and a reject lists what was left out."""
    for number, line in _rows(content):
        source = f"{path}#row-{number}"
        try:
            imported, bad = document_from_record(line.decode("utf-8").split("\t"))
        except UnicodeDecodeError as exc:
            yield reject(source, "undecodable bytes", line, f"not UTF-8: {exc}")
            continue
        except NotWebDocument as exc:
            yield reject(source, "GKG record is not a web document", line, str(exc))
            continue
        except RowError as exc:
            yield reject(source, "malformed GKG record", line, str(exc))
            continue
        yield imported
        if bad:
            yield reject(source, "malformed GKG entries left out", line, "; ".join(bad))


# -- Mentions -----------------------------------------------------------------------------


def read_mentions(path: Path, content: Content, options: ReadOptions) -> Iterator[ReadResult]:
    yield reject(
        str(path),
        "GDELT Mentions files are not imported",
        content,
        "a Mentions row only links an event id to another article, without the event's "
        "fields, and each GDELT event is stored once; import the Events export "
        "(*.export.CSV) of the same interval instead",
    )
