"""`watchfloor check` end to end: demo files, a written report, and pages and feeds fetched
from a real server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import DEMO
from tests.ingest.httpserver import LoopbackServer, Reply
from watchfloor.check import figure_contradictions
from watchfloor.cli import EXIT_FLAGGED, app
from watchfloor.ingest.readers import read_path
from watchfloor.model import Article

FRONTLINE = DEMO / "feeds" / "frontline-digest.atom"
LEDGER = DEMO / "feeds" / "northern-ledger.rss"
KURSK = "https://frontlinedigest.example/2025/06/17/kim-army-of-builders-6000-north-koreans-kursk"
SHOIGU_FLAG = {
    "kind": "title_outdated",
    "article": {
        "id": "73b9e52c0d5d4306",
        "url": KURSK,
        "title": "Kim's army of builders: 6,000 North Koreans headed for Russia's Kursk",
    },
    "on": "2025-06-17",
    "text": "Russian Defence Minister Sergei Shoigu",
    "start": 51,
    "end": 89,
    "sentence": 1,
    "person": "Sergei Shoigu",
    "role_claimed": "Russian Defence Minister",
    "position": "Minister of Defence of Russia",
    "held_by": ["Andrei Belousov"],
    "person_held": ["Secretary of the Security Council of Russia"],
    "person_previously": "Minister of Defence of Russia",
    "evidence": (
        "Sergei Shoigu was Minister of Defence of Russia from 2012-11-06 to 2024-05-12; on "
        "2025-06-17 Minister of Defence of Russia was held by Andrei Belousov (since "
        "2024-05-14), and Sergei Shoigu was Secretary of the Security Council of Russia (since "
        "2024-05-12, date uncertain)."
    ),
}


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_check_json_on_the_demo_feed_lists_the_planted_title_exactly(runner):
    result = runner.invoke(app, ["check", "--json", str(FRONTLINE)])
    assert result.exit_code == EXIT_FLAGGED, result.output
    flags = json.loads(result.stdout)
    assert flags == [SHOIGU_FLAG]
    # The offsets point into the article text as the readers give it.
    (article,) = [a for a in read_path(FRONTLINE) if isinstance(a, Article) and a.url == KURSK]
    assert article.text[51:89] == "Russian Defence Minister Sergei Shoigu"


def test_check_prints_each_flag_with_its_evidence(runner):
    result = runner.invoke(app, ["check", str(FRONTLINE)])
    assert result.exit_code == EXIT_FLAGGED
    lines = result.stdout.splitlines()
    assert lines == [
        "Kim's army of builders: 6,000 North Koreans headed for Russia's Kursk (Frontline "
        f"Digest, 2025-06-17) {KURSK}",
        "  title_outdated 'Russian Defence Minister Sergei Shoigu' (sentence 1, characters 51-89)",
        "    " + SHOIGU_FLAG["evidence"],
        "1 title flag(s) in 3 article(s); 3 title mention(s) checked against the office-holder "
        "knowledge base; 0 figure contradiction(s)",
    ]


def test_a_correct_former_title_passes_and_the_exit_status_is_zero(runner):
    result = runner.invoke(app, ["check", str(LEDGER)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "0 title flag(s) in 4 article(s); 6 title mention(s) checked against the office-holder "
        "knowledge base; 0 figure contradiction(s)\n"
    )


def test_check_as_of_another_day(runner):
    result = runner.invoke(app, ["check", "--json", "--on", "2024-01-10", str(LEDGER)])
    assert result.exit_code == EXIT_FLAGGED
    assert [(f["kind"], f["text"], f["held_by"]) for f in json.loads(result.stdout)] == [
        ("wrong_person", "Secretary General Mark Rutte", ["Jens Stoltenberg"]),
        ("not_former", "Kaja Kallas, the former Estonian prime minister", ["Kaja Kallas"]),
        ("wrong_person", "President Alexander Stubb", ["Sauli Niinistö"]),
        ("wrong_person", "energy commissioner, Dan Jorgensen", ["Kadri Simson"]),
    ]


def test_a_written_report_is_checked_as_of_its_date(runner, tmp_path):
    report = tmp_path / "report.md"
    report.write_text(
        "---\ntitle: Situation report\npublished: 2025-06-20T08:00:00+00:00\n---\n\n"
        "NATO Secretary General Jens Stoltenberg said allies would meet in The Hague. "
        "Kremlin spokesman Dmitry Peskov dismissed the summit.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--json", str(report)])
    assert result.exit_code == EXIT_FLAGGED
    (flag,) = json.loads(result.stdout)
    assert (flag["kind"], flag["text"], flag["held_by"], flag["evidence"]) == (
        "title_outdated",
        "NATO Secretary General Jens Stoltenberg",
        ["Mark Rutte"],
        "Jens Stoltenberg was Secretary General of NATO from 2014-10-01 to 2024-10-01; on "
        "2025-06-20 Secretary General of NATO was held by Mark Rutte (since 2024-10-01), and "
        "Jens Stoltenberg held no post in the knowledge base that day.",
    )


def test_a_missing_file_is_an_error(runner, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "absent.txt")])
    assert "no such file or folder" in str(result.exception)


PAGE = """<!doctype html><html><head><title>Pyongyang visit</title>
<meta property="article:published_time" content="2025-06-17T10:00:00+00:00"></head>
<body><article><h1>Pyongyang visit</h1>
<p>Russian Defence Minister Sergei Shoigu arrived in Pyongyang on Tuesday for talks with the
North Korean leadership about workers and deminers for the Kursk region.</p>
<p>Kremlin spokesman Dmitry Peskov said the visit had been planned for weeks and that more
meetings would follow before the end of the month, according to the agency.</p>
<p>Officials in Seoul said they were watching the visit closely and would consult their allies
about the deployment of North Korean workers to Russia's border regions.</p>
</article></body></html>"""


def test_a_fetched_page_and_feed_are_checked_behind_the_private_address_guard(runner, monkeypatch):
    monkeypatch.setenv("WATCHFLOOR_FETCH_HOST_INTERVAL", "0")
    with LoopbackServer() as server:
        server.route("/visit.html", Reply(body=PAGE.encode()))
        server.route(
            "/frontline.atom",
            Reply(body=FRONTLINE.read_bytes(), content_type="application/atom+xml"),
        )
        page = server.url("/visit.html")
        refused = runner.invoke(app, ["check", page])
        assert "127.0.0.1" in str(refused.exception)  # the SSRF guard, without --allow-private
        fetched = runner.invoke(app, ["check", "--json", "--allow-private", page])
        assert fetched.exit_code == EXIT_FLAGGED, fetched.output
        assert [(f["kind"], f["text"], f["on"]) for f in json.loads(fetched.stdout)] == [
            ("title_outdated", "Russian Defence Minister Sergei Shoigu", "2025-06-17")
        ]
        feed = runner.invoke(
            app, ["check", "--json", "--allow-private", server.url("/frontline.atom")]
        )
        assert feed.exit_code == EXIT_FLAGGED, feed.output
        assert json.loads(feed.stdout) == [SHOIGU_FLAG]


def _report(url: str, outlet: str, published: str, text: str) -> str:
    fields = {"url": url, "title": "Kyiv strike", "source": outlet, "published": published}
    return json.dumps({**fields, "text": text})


def test_figures_the_articles_contradict_each_other_on_are_flagged(runner, tmp_path):
    reports = tmp_path / "reports.jsonl"
    reports.write_text(
        _report(
            "https://wire-one.example/kyiv-strike",
            "Wire One",
            "2025-06-18T08:00:00+00:00",
            "A Russian missile strike on Kyiv overnight injured 134 people, Ukraine's State "
            "Emergency Service said on Wednesday. Rescuers searched the rubble of a house.",
        )
        + "\n"
        + _report(
            "https://daily-two.example/kyiv-strike",
            "Daily Two",
            "2025-06-18T11:00:00+00:00",
            "The Russian missile strike on Kyiv overnight injured 142 people, the city's military "
            "administration said on Wednesday. Rescuers were still at work in the district.",
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--json", str(reports)])
    assert result.exit_code == EXIT_FLAGGED, result.output
    (contradiction,) = json.loads(result.stdout)
    assert contradiction == {
        "kind": "figure_contradiction",
        "what": "injured",
        "place": "Kyiv",
        "day": "2025-06-18",
        "reports": [
            {
                "article_id": "fe6a268341e35f80",
                "url": "https://wire-one.example/kyiv-strike",
                "outlet": "Wire One",
                "published": "2025-06-18T08:00:00+00:00",
                "sentence": 0,
                "text": "134",
                "attributed_to": "Ukraine's State Emergency Service",
                "conflicting": True,
            },
            {
                "article_id": "9bab003eae1bef8d",
                "url": "https://daily-two.example/kyiv-strike",
                "outlet": "Daily Two",
                "published": "2025-06-18T11:00:00+00:00",
                "sentence": 0,
                "text": "142",
                "attributed_to": "city's military administration",
                "conflicting": True,
            },
        ],
        "evidence": "CONTRADICTION  number of injured in Kyiv (happening of 2025-06-18): 134 "
        "(Wire One) vs 142 (Daily Two)",
    }


def test_the_demo_corpus_contradicts_itself_on_the_injured_only(demo_sqlite):
    extracted = [(a, demo_sqlite.facts(a.id)) for a in demo_sqlite.articles()]
    assert [
        (d.what, d.place, [(r.outlet, r.text) for r in d.conflicting])
        for d in figure_contradictions(extracted)
    ] == [("injured", "Kyiv", [("Meridian Wire", "134"), ("Kyiv Morning Courier", "142")])]
