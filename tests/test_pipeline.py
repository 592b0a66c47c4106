"""Ingest end to end: read -> extract -> store, idempotent, nothing lost."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from watchfloor.cli import EXIT_REJECTED, app
from watchfloor.config import Settings
from watchfloor.pipeline import collect_paths, ingest_paths

ARTICLES = [
    {
        "url": "https://wire.example/kyiv",
        "title": "Drones hit Kyiv",
        "source": "Wire",
        "published": "2025-06-17T08:00:00+03:00",
        "text": "Russia launched 440 drones at Kyiv overnight, officials said.\n\n"
        "At least 14 people were killed.",
    },
    {
        "url": "https://post.example/finland",
        "title": "Finland votes",
        "source": "Post",
        "published": "2025-06-19T18:00:00+03:00",
        "text": "Finland's parliament voted on Thursday to leave the Ottawa Convention.",
    },
]


def write_inputs(folder):
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n{oops\n")
    # the same first article again under a tracking URL, and a wire copy with the same text
    copy = {**ARTICLES[0], "url": "https://wire.example/kyiv?utm_source=rss"}
    mirror = {**ARTICLES[0], "url": "https://mirror.example/kyiv", "source": "Mirror"}
    (folder / "nested").mkdir()
    (folder / "nested" / "b.jsonl").write_text(json.dumps(copy) + "\n" + json.dumps(mirror))
    (folder / "notes.csvx").write_text("ignored: not a supported suffix inside folders")
    return folder


def test_collect_paths_recurses_and_keeps_supported_files(tmp_path):
    folder = write_inputs(tmp_path / "in")
    assert collect_paths([folder]) == [folder / "a.jsonl", folder / "nested" / "b.jsonl"]


def test_ingest_twice_adds_nothing_and_records_rejects(tmp_path, store):
    folder = write_inputs(tmp_path / "in")
    settings = Settings(batch_size=1)
    first = ingest_paths([folder], store, settings)
    assert (first.read, first.added, first.duplicates) == (4, 2, 2)
    assert [r.reason for r in first.rejects] == ["malformed JSON"]
    before = store.stats()
    second = ingest_paths([folder], store, settings)
    assert (second.read, second.added, second.duplicates) == (4, 0, 4)
    assert store.stats() == before
    assert before["articles"] == 2 and before["rejects"] == 1
    kyiv = store.articles(query="drones")[0]
    facts = store.facts(kyiv.id)
    assert [s.text for s in facts.sentences] == [
        "Russia launched 440 drones at Kyiv overnight, officials said.",
        "At least 14 people were killed.",
    ]
    assert {(c.value, c.role) for c in facts.counts} >= {(440, "drones"), (14, "killed")}


def test_cli_ingest_reports_and_signals_rejects(tmp_path):
    folder = write_inputs(tmp_path / "in")
    db = tmp_path / "cli.db"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == EXIT_REJECTED, result.output
    assert "4 read, 2 ingested, 2 duplicates, 0 near-duplicates, 1 rejected" in result.output
    assert "malformed JSON" in result.output
    result = runner.invoke(app, ["search", "Ottawa", "--db", str(db)])
    assert result.exit_code == 0 and "[Ottawa]" in result.output
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert "articles" in result.output and "malformed JSON" in result.output


def test_cli_errors_name_the_problem(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nope.jsonl")])
    assert "no such file or folder" in str(result.exception)


def test_demo_wire_copies_are_linked_not_extracted(demo_store):
    copies = {
        (a.source, a.title, demo_store.article(a.duplicate_of).source)
        for a in demo_store.articles()
        if a.duplicate_of
    }
    assert copies == {
        (
            "Pacific Observer",
            "Kim to send 6,000 North Korean deminers and military builders to rebuild Kursk",
            "Meridian Wire",
        ),
        (
            "Pacific Observer",
            "Xi and Putin condemn Israel's strikes on Iran, call for de-escalation",
            "Meridian Wire",
        ),
    }
    for article in demo_store.articles():
        facts = demo_store.facts(article.id)
        if article.duplicate_of:
            assert facts.sentences == [] and facts.band_keys == []
        else:
            assert facts.sentences and len(facts.band_keys) == 25


def test_ingest_of_an_opml_file_declares_its_feeds(tmp_path):
    outline = tmp_path / "feeds.opml"
    outline.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Desk</title></head><body>'
        '<outline text="Wire" type="rss" xmlUrl="https://wire.example/feed.xml"/>'
        '<outline text="Post" type="rss" xmlUrl="https://post.example/rss"/>'
        "</body></opml>"
    )
    db = tmp_path / "opml.db"
    result = CliRunner().invoke(app, ["ingest", str(outline), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 source(s) declared, 0 already known" in result.output
    listing = CliRunner().invoke(app, ["sources", "list", "--db", str(db)])
    assert "#1 feed https://wire.example/feed.xml" in listing.output
    assert "#2 feed https://post.example/rss" in listing.output
