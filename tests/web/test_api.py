"""The JSON API over the demo corpus, through FastAPI's test client: filters, exports, token
checks, request size limits and security headers; writes go to a copy of the store."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
import time
from xml.etree import ElementTree

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ENGINES
from tests.ingest.httpserver import LoopbackServer, Reply
from tests.ingest.newsroom import GDANSK
from tests.web.conftest import API_TOKEN
from watchfloor.web.app import create_app

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
KYIV = [30.5238, 50.45466]  # GeoNames 703448, as [longitude, latitude]
ATTACK_DAYS = {"since": "2025-06-17", "until": "2025-06-18"}


@pytest.fixture(scope="module", params=ENGINES)
def client(request, web_settings) -> TestClient:
    """The app over the prepared demo store in each engine: the reads must not depend on it.
    Writes go to a SQLite copy (``writable``)."""
    if request.param == "postgresql":
        web_settings = web_settings.with_overrides(db=request.getfixturevalue("web_postgres"))
    return TestClient(create_app(web_settings))


@pytest.fixture
def writable(writable_settings) -> TestClient:
    return TestClient(create_app(writable_settings))


# -- reads ---------------------------------------------------------------------------------


def test_status_counts_the_demo_store(client):
    body = client.get("/api/status").json()
    assert body["rows"]["articles"] == 42
    assert body["sources"] == 0 and body["rejects"] == 0


def test_articles_filter_by_outlet_and_day_newest_first(client):
    body = client.get("/api/articles", params={"source": "Frontline Digest"}).json()
    assert body["total"] == 6  # three Atom feed items and three JSON Lines articles
    assert {a["source"] for a in body["articles"]} == {"Frontline Digest"}
    published = [a["published"] for a in body["articles"]]
    assert published == sorted(published, reverse=True)

    day = client.get("/api/articles", params={"since": "2025-06-17", "until": "2025-06-17"})
    titles = [a["title"] for a in day.json()["articles"]]
    assert (
        "Kyiv's night of terror: at least 14 dead as Russia fires 440 drones and 32 missiles"
        in titles
    )
    page = client.get("/api/articles", params={"limit": 2, "offset": 40}).json()
    assert page["total"] == 42 and len(page["articles"]) == 2


def test_one_article_comes_with_its_facts(client):
    hits = client.get("/api/search", params={"q": "hurled 440 drones"}).json()["hits"]
    article_id = hits[0]["article"]["id"]
    body = client.get(f"/api/articles/{article_id}").json()
    assert body["article"]["source"] == "Frontline Digest"
    assert body["text"].startswith("Kyiv woke up to smoke, sirens and a collapsed building.")
    killed = [c for c in body["facts"]["counts"] if c["role"] == "killed"]
    assert killed[0]["value"] == 14 and killed[0]["approx_kind"] == "at_least"
    sentences = body["facts"]["sentences"]
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    assert "band_keys" not in body["facts"]
    assert client.get("/api/articles/0000000000000000").status_code == 404


def test_a_story_lists_the_wire_copy_with_its_original(client):
    stories = client.get("/api/stories", params={"q": "deminers"}).json()["stories"]
    deminers = next(s for s in stories if "deminers" in s["title"])
    body = client.get(f"/api/stories/{deminers['id']}").json()
    articles = body["articles"]
    assert [a["id"] for a in articles] == deminers["article_ids"]
    copies = [a for a in articles if a["duplicate_of"]]
    assert [a["source"] for a in copies] == ["Pacific Observer"]
    original = next(a for a in articles if a["id"] == copies[0]["duplicate_of"])
    assert original["source"] == "Meridian Wire"
    # The copy adds an article but no independent source.
    assert body["story"]["articles"] == len(articles) == 5
    assert body["story"]["sources"] == len({a["source"] for a in articles if not a["duplicate_of"]})
    assert client.get("/api/stories/s-none").status_code == 404


def test_events_filtered_by_theatre_category_and_days(client):
    params = {"theatre": "Ukraine", "category": "casualties", **ATTACK_DAYS}
    events = client.get("/api/events", params=params).json()["events"]
    assert {e["category"] for e in events} == {"casualties"}
    assert all("UA" in e["theatres"] for e in events)
    assert {e["day"] for e in events} == {"2025-06-17", "2025-06-18"}
    figures = {
        (count["role"], count["value"], e["cited"]["source"])
        for e in events
        for count in e["counts"]
    }
    # The planted toll that rises (14, 23, 28) and the two injured figures that disagree.
    assert {
        ("killed", 14, "Frontline Digest"),
        ("killed", 23, "Kyiv Morning Courier"),
        ("killed", 23, "Continental Review"),
        ("killed", 28, "Meridian Wire"),
        ("injured", 134, "Meridian Wire"),
        ("injured", 142, "Kyiv Morning Courier"),
    } <= figures
    for e in events:  # every event names the sentence it was read from
        sentence = e["cited"]["sentence"]
        assert e["trigger"].casefold() in sentence.casefold()

    limited = client.get("/api/events", params={**params, "limit": 3}).json()["events"]
    assert [e["id"] for e in limited] == [e["id"] for e in events[:3]]
    assert client.get("/api/events", params={"theatre": "Atlantis"}).status_code == 400


def test_events_filtered_by_actor_and_place(client):
    by_actor = client.get("/api/events", params={"actor": "shoigu"}).json()["events"]
    assert by_actor and all(any("Shoigu" in a for a in e["actors"]) for e in by_actor)
    by_country = client.get("/api/events", params={"actor": "KP"}).json()["events"]
    assert by_country and all("KP" in e["actor_countries"] for e in by_country)
    in_kyiv = client.get("/api/events", params={"place": "kyiv"}).json()["events"]
    assert in_kyiv and {e["place"] for e in in_kyiv} == {"Kyiv"}
    assert {(e["lon"], e["lat"]) for e in in_kyiv} == {tuple(KYIV)}


def test_geojson_has_a_point_for_each_located_event(client):
    params = {"theatre": "UA", "category": "casualties", **ATTACK_DAYS}
    response = client.get("/api/events.geojson", params=params)
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    events = client.get("/api/events", params=params).json()["events"]
    located = [e["id"] for e in events if e["lat"] is not None]
    assert [f["id"] for f in collection["features"]] == located
    assert len(located) == 7
    for feature in collection["features"]:
        assert feature["geometry"] == {"type": "Point", "coordinates": KYIV}
        assert feature["properties"]["place"] == "Kyiv"
        assert feature["properties"]["theatres"] == ["UA"]
    # The limit counts located events only.
    first = client.get("/api/events.geojson", params={**params, "limit": 2}).json()
    assert [f["id"] for f in first["features"]] == located[:2]


def test_csv_export_has_a_row_per_event(client):
    params = {"theatre": "UA", "category": "casualties", **ATTACK_DAYS}
    response = client.get("/api/events.csv", params=params)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "id", "day", "category", "trigger", "theatres", "place", "place_country", "lat", "lon",
        "actors", "targets", "killed", "injured", "article_id", "title", "source", "url",
        "published", "sentence_index", "sentence",
    ]  # fmt: skip
    events = client.get("/api/events", params=params).json()["events"]
    assert [int(r[0]) for r in rows[1:]] == [e["id"] for e in events]
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    early = next(r for r in records if r["killed"] == "14")
    assert early["source"] == "Frontline Digest" and early["day"] == "2025-06-17"
    assert early["sentence"].startswith("At least 14 people were killed in the capital")
    kyiv = next(r for r in records if r["place"] == "Kyiv")
    assert (kyiv["lat"], kyiv["lon"], kyiv["place_country"]) == ("50.45466", "30.5238", "UA")


def test_quotes_by_speaker(client):
    quotes = client.get("/api/quotes", params={"speaker": "peskov"}).json()["quotes"]
    assert {q["speaker"] for q in quotes} == {"Dmitry Peskov"}
    said = {q["text"] for q in quotes}
    assert "Russia remains in contact with both Israel and Iran" in said
    for q in quotes:
        assert q["text"] in q["cited"]["sentence"]
    published = [q["cited"]["published"] for q in quotes]
    assert published == sorted(published, reverse=True)


def test_indicators_for_one_theatre_and_category(client):
    params = {"theatre": "UA", "category": "casualties", "since": "2025-06-17"}
    found = client.get("/api/indicators", params={**params, "until": "2025-06-17"}).json()
    (day,) = found["indicators"]
    assert (day["theatre"], day["theatre_name"], day["day"]) == ("UA", "Ukraine", "2025-06-17")
    assert list(day["categories"]) == ["casualties"]
    # The day's toll is the latest precise figure of the toll story: 28 killed, 142 injured.
    assert day["measures"]["killed"]["value"] == 28
    assert day["measures"]["injured"]["value"] == 142
    assert day["drivers"][0]["measure"] in ("casualties", "strikes")
    table = client.get("/api/indicators.csv", params={**params, "until": "2025-06-17"}).text
    assert "UA,2025-06-17,killed,any,28" in table


def test_alerts_fired_by_the_example_rules(client):
    alerts = client.get("/api/alerts").json()["alerts"]
    assert {(a["rule"], a["theatre"], a["day"], a["value"]) for a in alerts} == {
        ("ukraine-strikes", "UA", "2025-06-17", 11),
        # As of the evening of 17 June the toll of the night's attack stood at 23.
        ("ukraine-killed", "UA", "2025-06-16", 23),
        ("escalation-anywhere", "UA", "2025-06-17", 25),
    }
    killed = client.get("/api/alerts", params={"rule": "ukraine-killed"}).json()["alerts"]
    assert [a["payload"]["outlets"] for a in killed] == [
        ["Continental Review", "Frontline Digest", "Kyiv Morning Courier", "Meridian Wire"]
    ]


def test_the_briefing_archive_in_json_markdown_html_and_atom(client):
    (listed,) = client.get("/api/briefings").json()["briefings"]
    assert listed["title"] == "Situation report, 2\u201320 June 2025"
    body = client.get(f"/api/briefings/{listed['id']}").json()
    document = body["document"]
    assert document["title"] == listed["title"]
    assert [s["key"] for s in document["sections"]][:2] == ["headline", "summary"]
    numbers = [c["number"] for c in document["citations"]]
    assert numbers == list(range(1, len(numbers) + 1))

    markdown = client.get(f"/api/briefings/{listed['id']}", params={"format": "md"})
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text.startswith(f"# {listed['title']}")
    html = client.get(f"/api/briefings/{listed['id']}", params={"format": "html"})
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<h1>{listed['title']}</h1>" in html.text
    assert client.get("/api/briefings/999").status_code == 404

    atom = client.get("/api/briefings.atom")
    assert atom.headers["content-type"] == "application/atom+xml; charset=utf-8"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ElementTree.fromstring(atom.content)
    (entry,) = feed.findall("a:entry", ns)
    assert entry.findtext("a:title", namespaces=ns) == listed["title"]
    assert entry.findtext("a:id", namespaces=ns) == f"http://testserver/briefings/{listed['id']}"
    (own,) = [link.get("href") for link in feed.findall("a:link", ns) if link.get("rel") == "self"]
    assert own == "http://testserver/briefings.atom"
    assert client.get(own).content == atom.content


def test_a_briefing_is_generated_and_archived(writable):
    request = {"since": "2025-06-17", "until": "2025-06-18", "topic": "Kyiv"}
    made = writable.post("/api/briefings", json=request, headers=AUTH)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["period_start"], body["period_end"], body["topic"]) == (
        "2025-06-17",
        "2025-06-18",
        "Kyiv",
    )
    assert body["title"] == "Situation report: Kyiv, 17\u201318 June 2025"
    published = {c["number"]: (c["published"] or "")[:10] for c in body["document"]["citations"]}
    (headline,) = body["document"]["sections"][0]["items"]
    cited = [n for statement in headline["statements"] for n in statement["citations"]]
    assert cited and all("2025-06-17" <= published[n] <= "2025-06-18" for n in cited)
    listed = writable.get("/api/briefings").json()["briefings"]
    assert [b["id"] for b in listed][0] == body["id"] and len(listed) == 2
    nothing = writable.post("/api/briefings", json={"topic": "zzzqqq"}, headers=AUTH)
    assert nothing.status_code == 400 and "no articles matching" in nothing.json()["detail"]


def test_search_marks_the_words_found(client):
    body = client.get("/api/search", params={"q": "deminers Kursk", "limit": 5}).json()
    assert body["hits"]
    for hit in body["hits"]:
        assert "[deminers]" in hit["snippet"].lower() or "[kursk]" in hit["snippet"].lower()
    assert client.get("/api/search", params={"q": "..."}).status_code == 400


def test_entities_and_their_mentions(client):
    places = client.get("/api/entities", params={"kind": "place", "limit": 3}).json()
    assert [e["key"] for e in places["entities"]] == ["iso:RU", "iso:UA", "gn:703448"]
    assert places["entities"][1]["name"] == "Ukraine"
    people = client.get("/api/entities", params={"kind": "person", "q": "klitschko"}).json()
    assert [e["name"] for e in people["entities"]] == ["Vitali Klitschko"]
    kyiv = client.get("/api/entities/gn:703448").json()
    assert kyiv["entity"]["name"] == "Kyiv"
    assert kyiv["entity"]["mentions"] == len(kyiv["mentions"])
    for mention in kyiv["mentions"]:
        assert mention["text"].casefold() == "kyiv"
        assert mention["text"] in mention["cited"]["sentence"]
    assert client.get("/api/entities/gn:0").status_code == 404


def test_openapi_schema_lists_the_api_and_no_cdn_docs(client):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/articles",
        "/api/events",
        "/api/events.geojson",
        "/api/events.csv",
        "/api/ingest",
        "/api/sources",
    } <= set(schema["paths"])
    assert schema["paths"]["/api/ingest"]["post"]["security"] == [{"HTTPBearer": []}]
    assert client.get("/docs").status_code == 404


# -- security ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/status", "/api/articles/none", "/"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_writes_without_a_configured_token_are_refused(web_settings):
    open_app = TestClient(create_app(web_settings.with_overrides(api_token="")))
    response = open_app.post("/api/sources", json={"url": "https://x.example/feed", "kind": "feed"})
    assert response.status_code == 403
    assert "no API token is configured" in response.json()["detail"]


def test_writes_need_the_right_token(client):
    source = {"url": "https://x.example/feed", "kind": "feed"}
    missing = client.post("/api/sources", json=source)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/api/sources", json=source, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert client.post("/api/ingest", json={"url": "https://x.example/a"}).status_code == 401
    assert client.post("/api/briefings", json={}).status_code == 401


def test_reads_can_require_the_token(web_settings):
    guarded = TestClient(create_app(web_settings.with_overrides(api_read_token_required=True)))
    assert guarded.get("/api/status").status_code == 401
    assert guarded.get("/api/status", headers=AUTH).json()["rows"]["articles"] == 42


def test_oversized_bodies_get_413(web_settings):
    small = TestClient(create_app(web_settings.with_overrides(max_request_bytes=1000)))
    document = {"url": "https://x.example/a", "title": "T", "text": "word " * 400}
    assert small.post("/api/ingest", json=document, headers=AUTH).status_code == 413

    def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(5):
            yield b"x" * 400

    streamed = small.post(
        "/api/ingest",
        content=chunks(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413


# -- writes --------------------------------------------------------------------------------


def test_a_source_is_declared_once(writable):
    source = {"url": "https://harbour.example/feed.rss?utm_source=x", "kind": "feed"}
    added = writable.post("/api/sources", json=source, headers=AUTH)
    assert added.status_code == 201
    assert added.json()["added"][0]["url"] == "https://harbour.example/feed.rss"
    again = writable.post("/api/sources", json=source, headers=AUTH)
    assert again.status_code == 200 and again.json()["already"] == [
        "https://harbour.example/feed.rss"
    ]
    listed = writable.get("/api/sources").json()["sources"]
    assert [(s["url"], s["kind"]) for s in listed] == [("https://harbour.example/feed.rss", "feed")]
    # Only web URLs: a path on the server (an OPML file, say) is never read.
    local = writable.post("/api/sources", json={"url": "/etc/passwd"}, headers=AUTH)
    assert local.status_code == 422


def test_a_document_is_ingested_once_and_exported_safely(writable):
    document = {
        "url": "https://harbour.example/news/ferry",
        "title": '=HYPERLINK("https://evil.example") Ferry strike in Odesa',
        "text": (
            "A Russian drone struck a ferry in the port of Odesa on Thursday, June 19, 2025, "
            "killing three crew members, the regional governor said.\n\n"
            "The ferry had been moored at the passenger terminal since the spring."
        ),
        "source": "Harbour Watch",
        "published": "2025-06-19T18:00:00+03:00",
    }
    added = writable.post("/api/ingest", json=document, headers=AUTH)
    assert added.status_code == 201, added.text
    (article_id,) = added.json()["added"]
    stored = writable.get(f"/api/articles/{article_id}").json()
    assert stored["article"]["source"] == "Harbour Watch"
    killed = [c for c in stored["facts"]["counts"] if c["role"] == "killed"]
    assert [c["value"] for c in killed] == [3]

    again = writable.post("/api/ingest", json=document, headers=AUTH)
    assert again.status_code == 200 and again.json()["duplicate_of"] == [article_id]

    day = {"since": "2025-06-19", "until": "2025-06-19", "actor": "RU"}
    exported = writable.get("/api/events.csv", params=day)
    rows = [r for r in csv.DictReader(io.StringIO(exported.text)) if r["article_id"] == article_id]
    assert rows and all(r["title"].startswith("'=HYPERLINK") for r in rows)


def test_a_document_needs_a_url_and_text(writable):
    no_url = writable.post("/api/ingest", json={"title": "T", "text": "Some text."}, headers=AUTH)
    assert no_url.status_code == 422 and "needs its url" in no_url.json()["detail"]
    empty = {"url": "https://harbour.example/e", "title": "T", "text": "  "}
    assert writable.post("/api/ingest", json=empty, headers=AUTH).json()["detail"] == "empty text"
    nothing = writable.post("/api/ingest", json={}, headers=AUTH)
    assert nothing.status_code == 422


def test_a_url_on_a_private_address_is_refused_and_recorded(writable):
    with LoopbackServer() as server:
        server.route(GDANSK.path, Reply(body=GDANSK.page()))
        url = server.url(GDANSK.path)
        refused = writable.post("/api/ingest", json={"url": url}, headers=AUTH)
        assert server.requests == []  # the guard refused before connecting
    assert refused.status_code == 422
    (reject,) = refused.json()["rejects"]
    assert (reject["source"], reject["reason"]) == (url, "refused address")
    assert "(loopback)" in reject["detail"]
    assert [r["source"] for r in writable.get("/api/rejects").json()["rejects"]] == [url]


def test_a_url_is_fetched_and_ingested(writable_settings):
    allowed = writable_settings.with_overrides(fetch_private_hosts="127.0.0.1")
    client = TestClient(create_app(allowed))
    with LoopbackServer() as server:
        server.route(GDANSK.path, Reply(body=GDANSK.page()))
        response = client.post("/api/ingest", json={"url": server.url(GDANSK.path)}, headers=AUTH)
    assert response.status_code == 201, response.text
    (article_id,) = response.json()["added"]
    article = client.get(f"/api/articles/{article_id}").json()
    assert article["article"]["title"] == GDANSK.title
    assert article["article"]["author"] == GDANSK.author
    assert article["article"]["published"] == "2025-06-19T08:30:00+02:00"
    assert article["text"] == GDANSK.text


# -- the command ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_watchfloor_serve_serves_the_api(web_db):
    port = _free_port()
    command = [sys.executable, "-m", "watchfloor", "serve", "--port", str(port)]
    command += ["--db", str(web_db)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120  # the app imports spaCy: slow on a busy machine
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "watchfloor serve did not start"
                time.sleep(0.2)
        assert response.json()["rows"]["articles"] == 42
        assert "default-src 'self'" in response.headers["content-security-policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)
