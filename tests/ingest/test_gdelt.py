"""GDELT 2.0 readers: the real Events export and GKG 2.1 file in ../shared/eval/gdelt-sample,
and rows we write ourselves for the edge cases."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pycountry
import pytest

from watchfloor.ingest.readers import gdelt, gdelt_codes, read_path, reader_for, table
from watchfloor.ingest.readers.gdelt_codes import (
    GDELT_ONLY_CATEGORIES,
    amount_role,
    cameo,
    cameo_country,
    count_role,
    fips_country,
)
from watchfloor.model import Count, Event, Imported, Mention, Quote, Reject

SAMPLE = "eval/gdelt-sample"
EVENTS = "20191024143000.export.CSV"
GKG = "20230702153000.gkg.csv.zip"
REUTERS = (
    "https://www.reuters.com/article/us-syria-security-turkey/"
    "five-turkish-military-personnel-wounded-in-syria-after-kurdish-militia-attack-ministry-"
    "idUSKBN1X31W0"
)
STORED_TABLES = (
    "articles", "sentences", "mentions", "time_expressions", "events", "counts", "quotes", "rejects"
)  # fmt: skip
BALTIMORE = (
    "https://triblive.com/news/world/baltimore-block-party-shooting-leaves-2-dead-and-28-"
    "injured-including-3-critically-hurt-police-say/"
)


def split(items) -> tuple[list[Imported], list[Reject]]:
    items = list(items)
    return [i for i in items if isinstance(i, Imported)], [
        i for i in items if isinstance(i, Reject)
    ]


def by_url(imported: list[Imported], url: str) -> Imported:
    return next(i for i in imported if i.article.url == url)


@pytest.fixture(scope="module")
def events_sample() -> tuple[list[Imported], list[Reject]]:
    from tests.conftest import SHARED

    path = SHARED / SAMPLE / EVENTS
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return split(read_path(path))


@pytest.fixture(scope="module")
def gkg_sample() -> tuple[list[Imported], list[Reject]]:
    from tests.conftest import SHARED

    path = SHARED / SAMPLE / GKG
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return split(read_path(path))


# -- the real Events export -------------------------------------------------------------


def test_events_export_gives_one_stub_per_source_url(events_sample):
    imported, rejects = events_sample
    assert rejects == []
    assert len(imported) == 425
    events = [e for i in imported for e in i.facts.events]
    assert len(events) == 2111
    assert len({e.external_id for e in events}) == 2111
    assert all(i.article.text == "" and i.article.language == "en" for i in imported)
    assert all(i.facts.article_id == i.article.id for i in imported)
    assert all(e.origin == "gdelt" and e.sentence_index is None for e in events)
    assert Counter(e.category for e in events) == {
        "diplomacy_mediation": 935,
        "other": 792,
        "armed_clash": 174,
        "humanitarian": 98,
        "casualties": 40,
        "unrest": 32,
        "military_cooperation": 30,
        "energy_sanctions": 8,
        "strike_missile": 1,
        "strike_artillery": 1,
    }
    # 37 rows name no action country, one names the oceans; every other code converts.
    assert sum(e.place_country is None for e in events) == 38


def test_events_export_row_fields(events_sample):
    imported, _ = events_sample
    stub = by_url(imported, REUTERS)
    article = stub.article
    assert article.title == (
        "reuters.com: five turkish military personnel wounded in syria after kurdish militia "
        "attack ministry idUSKBN1X31W0"
    )
    assert (article.source, article.text, article.language) == ("reuters.com", "", "en")
    assert article.published == datetime(2019, 10, 24, 14, 30, tzinfo=UTC)
    assert [e.external_id for e in stub.facts.events] == [
        "881992509",
        "881992510",
        "881992520",
        "881992521",
        "881992914",
        "881992915",
    ]
    assert stub.facts.events[-1] == Event(
        category="armed_clash",
        trigger="military force",
        sentence_index=None,
        evidence=[],
        date=date(2019, 10, 24),
        date_precision="day",
        actors=["REUTERS"],
        targets=["ANKARA"],
        place="Ankara, Ankara, Turkey",
        place_id="gns:-735338",
        actor_countries=["US"],
        target_countries=["TR"],
        place_country="TR",
        lat=39.9272,
        lon=32.8644,
        origin="gdelt",
        external_id="881992915",
        cameo_code="190",
        goldstein=-10.0,
        tone=-8.65384615384616,
    )


def test_events_export_artillery_event_at_country_level(events_sample):
    imported, _ = events_sample
    stub = by_url(
        imported, "https://www.jns.org/this-has-been-one-of-the-iafs-busiest-operational-years/"
    )
    event = next(e for e in stub.facts.events if e.external_id == "881992451")
    assert (event.category, event.trigger, event.cameo_code) == (
        "strike_artillery",
        "artillery and tank fire",
        "194",
    )
    assert (event.actors, event.actor_countries) == (["SYRIA"], ["SY"])
    assert (event.targets, event.target_countries) == (["ISRAELI"], ["IL"])
    assert (event.place, event.place_id, event.place_country) == ("Iran", "iso:IR", "IR")
    assert (event.lat, event.lon, event.goldstein, event.tone) == (
        32.0,
        53.0,
        -10.0,
        -3.31384015594542,
    )


def test_every_code_in_the_events_sample_has_its_own_label(shared):
    rows = (shared / SAMPLE / EVENTS).read_text(encoding="utf-8").splitlines()
    codes = {row.split("\t")[26] for row in rows}
    assert len(codes) == 109
    assert sorted(c for c in codes if c not in cameo().labels) == []


# -- Events rows we write ourselves -------------------------------------------------------


def event_row(**columns: str) -> str:
    """An Events export row (61 columns) for an invented air raid; ``c<N>`` overrides column N."""
    row = [""] * 61
    values = {
        0: "1200000001", 1: "20250612", 2: "202506", 3: "2025", 4: "2025.4438", 5: "RUS",
        6: "RUSSIA", 7: "RUS", 15: "UKR", 16: "UKRAINE", 17: "UKR", 25: "1", 26: "195",
        27: "195", 28: "19", 29: "4", 30: "-10.0", 31: "4", 32: "1", 33: "4", 34: "-6.25",
        51: "4", 52: "Kharkiv, Kharkivs'ka Oblast', Ukraine", 53: "UP", 54: "UP07",
        56: "49.9808", 57: "36.2527", 58: "-1036563", 59: "20250612093000",
        60: "https://news.example/world/2025/06/12/air-raid-on-kharkiv-overnight.html?utm_source=x",
    }  # fmt: skip
    for index, value in values.items():
        row[index] = value
    for name, value in columns.items():
        row[int(name[1:])] = value
    return "\t".join(row)


def test_event_rows_we_write(tmp_path):
    other_url = "https://www.other.example/story/12345"
    lines = [
        event_row(),
        event_row(c0="1200000002", c26="1952", c7="ROM", c17="AFR", c53="OS", c51="1"),
        event_row(c0="1200000003", c60=other_url, c6="", c16="", c56="", c57=""),
        event_row(c0="1200000004", c26="0233", c53="YI", c51="5", c54="YI00"),
    ]
    path = tmp_path / "20250612093000.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imported, rejects = split(read_path(path))
    assert rejects == []
    assert [i.article.url for i in imported] == [
        "https://news.example/world/2025/06/12/air-raid-on-kharkiv-overnight.html",
        "https://www.other.example/story/12345",
    ]
    first, second = imported
    assert first.article.title == "news.example: air raid on kharkiv overnight"
    assert second.article.title == "other.example: story"
    assert second.article.source == "other.example"
    raid, drone = first.facts.events[0], first.facts.events[1]
    assert (raid.category, raid.trigger, raid.place_id, raid.place_country) == (
        "strike_missile",
        "aerial attack",
        "gns:-1036563",
        "UA",
    )
    assert (raid.actor_countries, raid.target_countries) == (["RU"], ["UA"])
    assert (drone.category, drone.trigger) == ("strike_drone", "drone attack")
    # Romania's older CAMEO code converts; a region (AFR) and the oceans name no country.
    assert (drone.actor_countries, drone.target_countries, drone.place_country) == (
        ["RO"],
        [],
        None,
    )
    unnamed = second.facts.events[0]
    assert (unnamed.actors, unnamed.targets, unnamed.lat, unnamed.lon) == ([], [], None, None)
    aid = first.facts.events[2]
    assert (aid.category, aid.trigger, aid.place_id, aid.place_country) == (
        "humanitarian",
        "appeal for humanitarian aid",
        "adm1:YI00",
        "RS",
    )


def test_malformed_event_rows_are_rejected_with_their_row_numbers(tmp_path):
    rows = [
        event_row(),
        "\t".join(event_row().split("\t")[:60]),
        "",
        event_row(c0="1200000005", c30="strong"),
        event_row(c0="1200000006", c1="20251345"),
        event_row(c0="1200000007", c26="99"),
        event_row(c0="1200000008", c60="ftp://files.example/a"),
        event_row(c0="1200000009", c56="123.5"),
        event_row(c0="12000000xx"),
        event_row(c0="1200000010", c59="2025-06-12"),
        event_row(c0="1200000012", c34="nan"),
        event_row(),
    ]
    raw = (
        "\n".join(rows).encode()
        + b"\n"
        + event_row(c0="1200000011", c6="KYIV\xff").encode("latin-1")
    )
    path = tmp_path / "20250612093000.export.CSV"
    path.write_bytes(raw)
    imported, rejects = split(read_path(path))
    assert [e.external_id for i in imported for e in i.facts.events] == ["1200000001"]
    assert [(r.source.rpartition("#")[2], r.reason, r.detail) for r in rejects] == [
        ("row-2", "malformed GDELT event row", "expected 61 tab-separated columns, found 60"),
        ("row-4", "malformed GDELT event row", "GoldsteinScale 'strong' is not a number"),
        ("row-5", "malformed GDELT event row", "SQLDATE '20251345' is not a YYYYMMDD date"),
        ("row-6", "malformed GDELT event row", "EventCode '99' is not a CAMEO event code"),
        (
            "row-7",
            "malformed GDELT event row",
            "SOURCEURL 'ftp://files.example/a' is not a web URL",
        ),
        ("row-8", "malformed GDELT event row", "latitude '123.5' is out of range"),
        ("row-9", "malformed GDELT event row", "GlobalEventID '12000000xx' is not a whole number"),
        (
            "row-10",
            "malformed GDELT event row",
            "DATEADDED '2025-06-12' is not a YYYYMMDDHHMMSS timestamp",
        ),
        ("row-11", "malformed GDELT event row", "AvgTone 'nan' is not a number"),
        ("row-12", "duplicate GDELT event", "GlobalEventID 1200000001 appears earlier in the file"),
        (
            "row-13",
            "undecodable bytes",
            "not UTF-8: 'utf-8' codec can't decode byte 0xff in position 50: invalid start byte",
        ),
    ]
    assert all(r.source.startswith(str(path)) and len(r.raw_hash) == 64 for r in rejects)


# -- the real GKG 2.1 file ----------------------------------------------------------------


def test_gkg_sample_documents_and_facts(gkg_sample):
    imported, rejects = gkg_sample
    assert len(imported) == 951
    assert all(i.article.text == "" and i.article.language == "en" for i in imported)
    assert sum(len(i.facts.themes) for i in imported) == 20109
    assert sum(1 for i in imported if i.facts.quotes) == 194
    assert sum(len(i.facts.quotes) for i in imported) == 413
    counts = [c for i in imported for c in i.facts.counts]
    assert len(counts) == 3964
    # V2Counts give the roles of GDELT's count types; the rest are Amounts.
    assert Counter(c.role for c in counts if c.text.split()[0].isupper()) == {
        "killed": 123,
        "injured": 107,
        "affected": 47,
        "detained": 34,
        "protesters": 15,
        "kidnapped": 3,
    }
    assert Counter(m.label for i in imported for m in i.facts.mentions) == {
        "GPE": 8950,
        "PERSON": 4136,
        "ORG": 3016,
        "LOC": 4,
    }
    # One location entry in the file is garbled: the document comes in without it.
    assert len(rejects) == 1
    assert rejects[0].source.endswith(f"{GKG}#row-845")
    assert rejects[0].reason == "malformed GKG entries left out"
    assert rejects[0].detail == "location '0#Georgia, , Georgia#GG#GG##42#.5#1#GG#402'"


def test_gkg_document_exact_values(gkg_sample):
    imported, _ = gkg_sample
    doc = by_url(imported, BALTIMORE)
    article = doc.article
    assert article.title == (
        "Baltimore block party shooting leaves 2 dead and 28 injured, including 3 critically "
        "hurt, police say"
    )
    assert (article.source, article.author) == ("triblive.com", "Associated Press")
    # The page's own timestamp, not the file's 15:30 batch time.
    assert article.published == datetime(2023, 7, 2, 14, 30, tzinfo=UTC)
    facts = doc.facts
    assert len(facts.themes) == 63
    assert facts.themes[:3] == [
        "SOC_POINTSOFINTEREST_HOSPITAL",
        "CRISISLEX_T01_CAUTION_ADVICE",
        "EDUCATION",
    ]
    assert [(c.text, c.start, c.end, c.value, c.role) for c in facts.counts[:6]] == [
        ("KILL 2", 81, 87, 2.0, "killed"),
        ("WOUND 28", 100, 108, 28.0, "injured"),
        ("WOUND 3", 199, 206, 3.0, "injured"),
        ("WOUND 2", 692, 699, 2.0, "injured"),
        ("WOUND 9", 1098, 1105, 9.0, "injured"),
        ("2 people", 79, 87, 2.0, "people"),
    ]
    assert facts.counts[6] == Count(
        text="3 of the wounded were",
        start=174,
        end=195,
        sentence_index=None,
        value=3.0,
        what="of the wounded were",
        role="injured",
    )
    assert len(facts.counts) == 18
    assert facts.quotes == [
        Quote(
            text="I kinda didn't believe them at first because they were walking up the street. "
            "I said , 'Show me , ' and the girl was like , 'I was shot in my butt , '",
            start=3250,
            end=3402,
            sentence_index=None,
            speaker=None,
            role=None,
            direct=True,
            cue=None,
        )
    ]
    assert facts.mentions[0] == Mention(
        "Kansas", "GPE", 656, 662, None, linked_id="adm1:USKS", lat=38.5111, lon=-96.8005
    )
    people = [(m.text, m.start, m.end) for m in facts.mentions if m.label == "PERSON"]
    assert people[-1] == ("Richard Worley", 309, 323)
    assert len(people) == 5
    orgs = [(m.text, m.start) for m in facts.mentions if m.label == "ORG"]
    assert orgs == [
        ("R Adams Cowley Shock Trauma Center", 1758),
        ("Baltimore Police Department", 274),
        ("University Of Maryland Medical System", 1908),
    ]


def test_gkg_document_without_page_timestamp_uses_the_file_date(gkg_sample):
    imported, _ = gkg_sample
    doc = by_url(
        imported,
        "https://www.wdbj7.com/2023/07/02/weather-alert-day-isolated-severe-storms-possible-today/",
    )
    assert doc.article.title == "Weather Alert Day: Isolated severe storms possible today"
    assert doc.article.published == datetime(2023, 7, 2, 15, 30, tzinfo=UTC)
    assert (doc.article.source, doc.article.author) == ("wdbj7.com", None)
    assert doc.facts.mentions == [Mention("Catherine Maxwell", "PERSON", 1441, 1458, None)]
    assert doc.facts.counts == [] and doc.facts.quotes == []


# -- GKG records we write ourselves -------------------------------------------------------


def gkg_record(**columns: str) -> str:
    """A GKG 2.1 record (27 columns); ``c<N>`` overrides column N."""
    row = [""] * 27
    values = {
        0: "20250612093000-7",
        1: "20250612093000",
        2: "1",
        3: "news.example",
        4: "https://news.example/world/kharkiv-strike",
        8: "ARMEDCONFLICT,10;KILL,40;ARMEDCONFLICT,90;",
        10: "4#Kharkiv, Kharkivs'ka Oblast', Ukraine#UP#UP07#16515#49.9808#36.2527#-1036563#55;"
        "1#Black Sea#OS#OS##43#35#OS#300;1#Russia#RS#RS##60#100#RS#120",
        12: "Ihor Terekhov,20;",
        14: "State Emergency Service,200",
        6: "KILL#3#civilians#1#Ukraine#UP#UP#49#32#UP#70;"
        "CRISISLEX_T03_DEAD#3#civilians#1#Ukraine#UP#UP#49#32#UP#70;"
        "KILL#3#civilians#1#Ukraine#UP#UP#49#32#UP#70;"
        "WOUND#21##1#Ukraine#UP#UP#49#32#UP#95;",
        24: "3,civilians were killed,70;21,people were wounded,95;"
        "2000000,dollars in damage,400;12,schools,500;",
        22: "150|40|said|We will rebuild every house, #1 priority#610|12||Stay inside",
        26: "<PAGE_TITLE>Strike on Kharkiv kills three &amp; wounds 21</PAGE_TITLE>",
    }
    for index, value in values.items():
        row[index] = value
    for name, value in columns.items():
        row[int(name[1:])] = value
    return "\t".join(row)


def write_gkg(tmp_path: Path, *records: str) -> Path:
    path = tmp_path / "20250612093000.gkg.csv"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


def test_gkg_record_we_write(tmp_path):
    imported, rejects = split(read_path(write_gkg(tmp_path, gkg_record())))
    assert rejects == []
    (doc,) = imported
    assert doc.article.title == "Strike on Kharkiv kills three & wounds 21"
    assert doc.article.published == datetime(2025, 6, 12, 9, 30, tzinfo=UTC)
    assert doc.facts.themes == ["ARMEDCONFLICT", "KILL"]
    assert [(m.text, m.label, m.start, m.end, m.linked_id) for m in doc.facts.mentions] == [
        ("Kharkiv", "GPE", 55, 62, "gns:-1036563"),
        ("Black Sea", "LOC", 300, 309, None),
        ("Russia", "GPE", 120, 126, "iso:RU"),
        ("Ihor Terekhov", "PERSON", 20, 33, None),
        ("State Emergency Service", "ORG", 200, 223, None),
    ]
    # Theme-only count types and repeats are left out; amounts that repeat a count too.
    assert [(c.text, c.start, c.value, c.what, c.role) for c in doc.facts.counts] == [
        ("KILL 3 civilians", 70, 3.0, "civilians", "killed"),
        ("WOUND 21", 95, 21.0, "", "injured"),
        ("2000000 dollars in damage", 400, 2000000.0, "dollars in damage", "money"),
        ("12 schools", 500, 12.0, "schools", "amount"),
    ]
    # A "#" inside a quotation does not split it.
    assert [(q.text, q.start, q.end, q.cue) for q in doc.facts.quotes] == [
        ("We will rebuild every house, #1 priority", 150, 190, "said"),
        ("Stay inside", 610, 622, None),
    ]


def test_gkg_records_rejected_or_imported_without_bad_entries(tmp_path):
    path = write_gkg(
        tmp_path,
        gkg_record(c2="2", c4="BBC Monitoring, 12 June 2025"),
        gkg_record(c4="https://news.example/b", c1="2025061209"),
        gkg_record(c4="https://news.example/c", c25="srclc:fra;eng:GT-FRA 1.0", c26=""),
        gkg_record(c4="https://news.example/d").rpartition("\t")[0],
        gkg_record(c4="https://news.example/e", c12="Nameless;Jane Doe,12", c24="many,things,3"),
        gkg_record(
            c4="https://news.example/f",
            c26="<PAGE_PRECISEPUBTIMESTAMP>2023</PAGE_PRECISEPUBTIMESTAMP>",
        ),
    )
    imported, rejects = split(read_path(path))
    assert [i.article.url for i in imported] == [
        "https://news.example/c",
        "https://news.example/e",
        "https://news.example/f",
    ]
    # A garbled page timestamp leaves the file's own date.
    assert imported[2].article.published == datetime(2025, 6, 12, 9, 30, tzinfo=UTC)
    translated = imported[0].article
    assert (translated.language, translated.title) == ("fr", "news.example: c")
    partial = imported[1].facts
    assert [m.text for m in partial.mentions if m.label == "PERSON"] == ["Jane Doe"]
    assert [c.text for c in partial.counts] == ["KILL 3 civilians", "WOUND 21"]
    assert [(r.source.rpartition("#")[2], r.reason, r.detail) for r in rejects] == [
        (
            "row-1",
            "GKG record is not a web document",
            "SourceCollectionIdentifier '2' is not 1 (web): 'BBC Monitoring, 12 June 2025' is a "
            "citation or archive id, not a URL",
        ),
        ("row-2", "malformed GKG record", "DATE '2025061209' is not a YYYYMMDDHHMMSS timestamp"),
        ("row-4", "malformed GKG record", "expected 27 tab-separated columns, found 26"),
        (
            "row-5",
            "malformed GKG entries left out",
            "PERSON 'Nameless'; amount 'many,things,3': amount 'many' is not a number",
        ),
        (
            "row-6",
            "malformed GKG entries left out",
            "PAGE_PRECISEPUBTIMESTAMP '2023' is not a YYYYMMDDHHMMSS timestamp",
        ),
    ]


def test_zipped_gkg_is_read_like_the_plain_file(tmp_path):
    plain = write_gkg(tmp_path, gkg_record())
    zipped = tmp_path / "20250612093000.gkg.csv.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(plain, plain.name)
    (from_zip,), _ = split(read_path(zipped))
    (from_plain,), _ = split(read_path(plain))
    assert from_zip.facts == from_plain.facts
    assert from_zip.article.url == from_plain.article.url


# -- names, Mentions, code tables ---------------------------------------------------------


def test_gdelt_files_are_recognised_by_name():
    assert reader_for(Path("20191024143000.export.CSV")) is gdelt.read_events
    assert reader_for(Path("20191024143000.translation.export.CSV.zip")) is gdelt.read_events
    assert reader_for(Path("20230702153000.gkg.csv.zip")) is gdelt.read_gkg
    assert reader_for(Path("20230702153000.gkg.csv")) is gdelt.read_gkg
    assert reader_for(Path("20170701234500.mentions.CSV")) is gdelt.read_mentions
    assert reader_for(Path("headlines.csv")) is table.read
    assert reader_for(Path("headlines.tsv.gz")) is table.read


def test_mentions_files_are_refused_whole(tmp_path):
    path = tmp_path / "20170701234500.mentions.CSV"
    path.write_text("555924816\t20160701210000\t20170701234500\t1\tnews.example\n")
    items = list(read_path(path))
    assert len(items) == 1
    assert items[0].reason == "GDELT Mentions files are not imported"
    assert "import the Events export" in items[0].detail


def test_stub_titles():
    assert gdelt.stub_title("https://www.example.com/") == "example.com"
    assert (
        gdelt.stub_title("https://news.example/2019/10/24/quake-hits-coast-123456.html")
        == "news.example: quake hits coast"
    )
    assert gdelt.stub_title("https://news.example/en/news/wide-view/") == (
        "news.example: wide view"
    )


def test_code_tables():
    from watchfloor.extract.taxonomy import load_taxonomy

    known = set(load_taxonomy()) | GDELT_ONLY_CATEGORIES
    assert sorted(set(cameo().categories.values()) - known) == []
    assert set(cameo().categories.values()) >= GDELT_ONLY_CATEGORIES
    roots = [f"{n:02d}" for n in range(1, 21)]
    assert [root for root in roots if root not in cameo().categories] == []
    assert (cameo().category("1823"), cameo().label("1835")) == ("casualties", "bombing")
    assert (cameo().category("21"), cameo().label("0")) == (None, None)
    fips = gdelt_codes._countries()[0]
    not_iso = {v for v in fips.values() if pycountry.countries.get(alpha_2=v) is None}
    assert not_iso == {"XK"}
    assert [fips_country(c) for c in ("UP", "RS", "UK", "GM", "SF", "OS", "")] == [
        "UA", "RU", "GB", "DE", "ZA", None, None,
    ]  # fmt: skip
    assert [cameo_country(c) for c in ("UKR", "ROM", "KSV", "EUR", "SAF", "")] == [
        "UA", "RO", "XK", None, None, None,
    ]  # fmt: skip
    assert [count_role(t) for t in ("KILL", "ARREST", "CRISISLEX_T03_DEAD")] == [
        "killed",
        "detained",
        None,
    ]
    assert [amount_role(w) for w in ("euros in aid", "of the wounded were", "at a party")] == [
        "money",
        "injured",
        "amount",
    ]


# -- the store takes everything -----------------------------------------------------------


def test_store_round_trip_of_both_samples(events_sample, gkg_sample, store):
    for imported, _ in (events_sample, gkg_sample):
        result = store.add((i.article, i.facts) for i in imported)
        assert (len(result.added), result.duplicates) == (len(imported), [])
    stats = store.stats()
    assert {table: stats[table] for table in STORED_TABLES} == {
        "articles": 425 + 951,
        "sentences": 0,
        "mentions": 16106,
        "time_expressions": 0,
        "events": 2111,
        "counts": 3964,
        "quotes": 413,
        "rejects": 0,
    }

    def spans(items):
        return sorted(items, key=lambda x: (x.start, x.end, x.text))

    for imported, _ in (events_sample, gkg_sample):
        for item in imported:
            stored = store.facts(item.article.id)
            assert stored.events == item.facts.events
            assert stored.themes == sorted(item.facts.themes)
            assert spans(stored.mentions) == spans(item.facts.mentions)
            assert spans(stored.counts) == spans(item.facts.counts)
            assert spans(stored.quotes) == spans(item.facts.quotes)
    article = store.article(by_url(events_sample[0], REUTERS).article.id)
    assert (article.title[:12], article.text, article.source) == ("reuters.com:", "", "reuters.com")
