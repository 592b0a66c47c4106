"""The network commands end to end through the CLI, against a real server on 127.0.0.1."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.ingest.httpserver import LoopbackServer, Reply
from tests.ingest.newsroom import STORIES, feed
from watchfloor.cli import app

RSS = "application/rss+xml"


def test_sources_fetch_status_export_remove(tmp_path, monkeypatch):
    db = str(tmp_path / "net.db")
    monkeypatch.setenv("WATCHFLOOR_FETCH_HOST_INTERVAL", "0")
    runner = CliRunner()
    with LoopbackServer() as server:
        server.route("/feed.rss", Reply(body=feed(server.url("")), content_type=RSS, etag='"1"'))
        for story in STORIES:
            server.route(story.path, Reply(body=story.page()))
        url = server.url("/feed.rss")

        refused = runner.invoke(app, ["sources", "add", url, "--db", db])
        assert "127.0.0.1" in str(refused.exception)  # the SSRF guard, without --allow-private
        added = runner.invoke(app, ["sources", "add", url, "--db", db, "--allow-private"])
        assert added.exit_code == 0, added.output
        assert f"added feed #1 {url}" in added.output
        again = runner.invoke(app, ["sources", "add", url, "--db", db, "--allow-private"])
        assert f"already declared: {url}" in again.output

        first = runner.invoke(app, ["fetch", "--db", db, "--allow-private"])
        assert first.exit_code == 0, first.output
        assert f"{len(STORIES)} ingested" in first.output
        second = runner.invoke(app, ["fetch", "--db", db, "--allow-private"])
        assert "1 unchanged" in second.output and "0 ingested" in second.output

    listing = runner.invoke(app, ["sources", "list", "--db", db])
    assert f"#1 feed {url}" in listing.output
    assert f"error streak 0, {len(STORIES)} articles, 0 rejects" in listing.output
    status = runner.invoke(app, ["status", "--db", db])
    assert f"#1 feed {url}" in status.output
    exported = runner.invoke(app, ["sources", "export", "--db", db])
    assert f'xmlUrl="{url}"' in exported.output
    removed = runner.invoke(app, ["sources", "remove", "1", "--db", db])
    assert f"removed #1 {url}" in removed.output
