"""The briefing archive in the store, its Atom feed, and the commands that write and read it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import feedparser
from typer.testing import CliRunner

from tests.brief.corpus import sample_corpus
from watchfloor.brief import archive_briefing, compose_briefing, render_atom
from watchfloor.brief.archive import archived
from watchfloor.cli import app
from watchfloor.store import open_store
from watchfloor.store.base import ArchivedBriefing


def _record(hour: int, headline: str, topic: str | None = None) -> ArchivedBriefing:
    return ArchivedBriefing(
        generated_at=datetime(2025, 6, 21, hour, tzinfo=UTC),
        period_start=date(2025, 6, 10),
        period_end=date(2025, 6, 19),
        topic=topic,
        title=f"Situation report {hour}",
        headline=headline,
        document={"schema_version": 2, "sections": [], "citations": [], "headline": headline},
    )


def test_the_store_keeps_briefings_newest_first(store):
    first = store.save_briefing(_record(8, "Morning"))
    second = store.save_briefing(_record(20, "Evening", topic="Kyiv"))
    third = store.save_briefing(_record(12, "Noon"))
    assert len({first, second, third}) == 3
    assert [b.headline for b in store.briefings()] == ["Evening", "Noon", "Morning"]
    assert [b.id for b in store.briefings(limit=2)] == [second, third]
    found = store.briefing(second)
    assert found == ArchivedBriefing(**{**vars_of(_record(20, "Evening", "Kyiv")), "id": second})
    assert store.briefing(second + third + first) is None


def vars_of(record: ArchivedBriefing) -> dict:
    return {name: getattr(record, name) for name in record.__slots__}


def test_the_atom_feed_lists_archived_briefings_with_linked_citations(sample_store):
    briefing = compose_briefing(sample_store)
    briefing_id = archive_briefing(sample_store, briefing)
    planted = _record(23, "Kyiv <script>alert(1)</script> & more")
    planted.id = sample_store.save_briefing(planted)
    xml = render_atom(sample_store.briefings(), "https://watch.example/")
    assert "<script" not in xml
    feed = feedparser.parse(xml)
    assert not feed.bozo
    assert feed.feed.title == "Watchfloor briefings"
    assert feed.feed.id == "https://watch.example/briefings"
    # Newest first: the briefing composed now, then the planted one of June 2025.
    entry, planted_entry = feed.entries
    assert planted_entry.title == "Situation report 23"
    assert "<summary>Kyiv &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</summary>" in xml
    assert entry.id == entry.link == f"https://watch.example/briefings/{briefing_id}"
    assert entry.title == briefing.title and entry.summary == briefing.headline
    first_url = briefing.citations[0].url
    assert f'<a href="{first_url}">[1]</a>' in entry.content[0].value
    assert entry.updated_parsed[:4] == briefing.generated_at.utctimetuple()[:4]


def test_brief_saves_each_briefing_and_briefings_reads_the_archive(tmp_path):
    path = tmp_path / "cli.db"
    store = open_store(path)
    store.add(b.build() for b in sample_corpus())
    store.close()
    runner = CliRunner()
    written = tmp_path / "out" / "briefing.md"
    result = runner.invoke(app, ["brief", "--db", str(path), "-o", str(written)])
    assert result.exit_code == 0, result.output
    assert written.read_text(encoding="utf-8").startswith("# Situation report, 10\u201319 June")
    result = runner.invoke(app, ["brief", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)

    store = open_store(path)
    [latest, earlier] = store.briefings()
    store.close()
    assert latest.document == shown and earlier.id < latest.id
    assert latest.headline == shown["headline"] and latest.period_end == date(2025, 6, 19)

    result = runner.invoke(
        app, ["briefings", "--db", str(path), "--id", str(latest.id), "--format", "json"]
    )
    assert result.exit_code == 0 and json.loads(result.stdout) == shown
    result = runner.invoke(
        app, ["briefings", "--db", str(path), "--format", "atom", "--base-url", "https://w.example"]
    )
    assert result.exit_code == 0
    assert [e.link for e in feedparser.parse(result.stdout).entries] == [
        f"https://w.example/briefings/{latest.id}",
        f"https://w.example/briefings/{earlier.id}",
    ]
    result = runner.invoke(app, ["briefings", "--db", str(path), "--format", "md"])
    assert result.exit_code != 0 and "choose table, atom" in str(result.exception)
    result = runner.invoke(app, ["briefings", "--db", str(path), "--id", "99"])
    assert "no archived briefing 99" in str(result.exception)


def test_an_archived_record_carries_what_listings_show(sample_store):
    briefing = compose_briefing(sample_store, topic="Kyiv")
    record = archived(briefing)
    assert (record.title, record.headline, record.topic) == (
        briefing.title,
        briefing.headline,
        "Kyiv",
    )
    assert record.document["schema_version"] == 2
    assert (record.period_start, record.period_end) == (briefing.period_start, briefing.period_end)
