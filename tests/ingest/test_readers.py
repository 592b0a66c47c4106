from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from watchfloor.ingest.readers import read_path
from watchfloor.model import Article, Reject

BODY = "Finland's parliament voted to leave the Ottawa Convention.\n\nThe vote was 157 to 18."


def read(path: Path) -> tuple[list[Article], list[Reject]]:
    items = list(read_path(path))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Reject)]


def test_jsonl_reads_good_lines_and_rejects_bad_ones(tmp_path):
    good = {
        "url": "HTTPS://News.Example:443/a?utm_source=x#top",
        "title": "Finland votes",
        "source": "Example News",
        "published": "2025-06-19T15:00:00+03:00",
        "author": "A. Writer",
        "text": BODY,
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "url": "https://news.example/b", "text": "  "}),
        json.dumps(["a list"]),
        json.dumps({**good, "url": "https://news.example/c", "published": "the 45th of Juno"}),
        "",
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, rejects = read(path)
    assert len(articles) == 1
    a = articles[0]
    assert a.url == "https://news.example/a"
    assert (a.title, a.source, a.author, a.language) == (
        "Finland votes",
        "Example News",
        "A. Writer",
        "en",
    )
    assert a.published == datetime(2025, 6, 19, 15, tzinfo=timezone(timedelta(hours=3)))
    assert a.text == BODY
    assert [(r.source, r.reason) for r in rejects] == [
        (f"{path}:2", "malformed JSON"),
        (f"{path}:3", "empty text"),
        (f"{path}:4", "not a JSON object"),
        (f"{path}:5", "unreadable publication date 'the 45th of Juno'"),
    ]


def test_jsonl_line_that_is_not_utf8_costs_only_that_line(tmp_path):
    good = {"url": "https://news.example/a", "title": "Finland votes", "text": BODY}
    # a BOM first, a Latin-1 line, and a line separator inside a JSON string (not a new line)
    separated = {**good, "url": "https://news.example/c", "title": "One\u2028line"}
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(good).encode()
        + b"\r\n"
        + json.dumps({**good, "url": "https://news.example/b", "title": "Caf\xe9"})
        .encode()
        .replace(b"\\u00e9", "\xe9".encode("latin-1"))
        + b"\n"
        + json.dumps(separated, ensure_ascii=False).encode()
        + b"\n"
    )
    articles, rejects = read(path)
    assert [a.url for a in articles] == ["https://news.example/a", "https://news.example/c"]
    assert articles[1].title == "One line"  # one article: the separator did not split it
    assert [(r.source, r.reason) for r in rejects] == [(f"{path}:2", "undecodable bytes")]


def test_markdown_front_matter_and_markup(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Cable damage in the Baltic\nsource: Harbour Notes\n"
        "url: https://harbour.example/cables\npublished: 2025-06-18T10:00:00+02:00\n---\n"
        "## Background\n\nA **second** cable was [damaged](https://x.example) in *January*.\n",
        encoding="utf-8",
    )
    (article,), rejects = read(path)
    assert rejects == []
    assert article.title == "Cable damage in the Baltic"
    assert article.source == "Harbour Notes"
    assert article.text == "Background\n\nA second cable was damaged in January."
    assert article.published.isoformat() == "2025-06-18T10:00:00+02:00"


def test_text_title_from_first_line(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Prisoner exchange completed\n\nBoth sides confirmed the swap.\n", "utf-8")
    (article,), _ = read(path)
    assert article.title == "Prisoner exchange completed"
    assert article.text == "Both sides confirmed the swap."
    assert article.url == path.resolve().as_uri()
    assert article.published is None


def test_undecodable_unsupported_and_empty_inputs_are_rejected(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 title\n\nbody".encode("latin-1"))
    other = tmp_path / "table.xlsx"
    other.write_bytes(b"PK\x03\x04")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav></body></html>", "utf-8")
    broken_feed = tmp_path / "broken.rss"
    truncated_feed = tmp_path / "truncated.rss"
    truncated_feed.write_text("<rss><channel><item><title>x</title>", "utf-8")
    broken_feed = tmp_path / "broken.rss"
    broken_feed.write_bytes(b"\x00\x01 not a feed <<<")
    assert [r.reason for r in read(latin)[1]] == ["undecodable bytes"]
    assert [r.reason for r in read(other)[1]] == ["unsupported file type"]
    assert [r.reason for r in read(empty)[1]] == ["no article text found in HTML"]
    assert [r.reason for r in read(broken_feed)[1]] == ["malformed feed"]
    # feedparser recovers entries from a truncated feed; the one here has no body
    assert [r.reason for r in read(truncated_feed)[1]] == ["empty text"]
    assert all(len(r.raw_hash) == 64 for r in read(latin)[1])


def test_rss_entries_become_articles(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Notes</title><link>https://harbour.example</link>
<item><title>Shadow fleet under watch</title>
<link>https://harbour.example/fleet?utm_medium=rss</link>
<pubDate>Wed, 18 Jun 2025 07:30:00 +0000</pubDate><author>desk@harbour.example (Desk)</author>
<content:encoded><![CDATA[<p>Navies tracked tankers.</p>
<p>Insurers &amp; ports worried.</p>]]></content:encoded>
</item>
<item><title>No body</title><link>https://harbour.example/empty</link></item>
</channel></rss>""",
        "utf-8",
    )
    (article,), (rejected,) = read(path)
    assert article.url == "https://harbour.example/fleet"
    assert article.source == "Harbour Notes"
    assert article.text == "Navies tracked tankers.\n\nInsurers & ports worried."
    assert article.published.isoformat() == "2025-06-18T07:30:00+00:00"
    assert (rejected.source, rejected.reason) == (f"{path}#entry-2", "empty text")


def test_real_guardian_rss_matches_expected_items(shared):
    base = shared / "corpus/fixtures_feeds/rss_parser"
    expected = json.loads((base / "expected_output/guardian.json").read_text())["feed"]["items"]
    articles, rejects = read(base / "input/guardian.rss")
    assert rejects == []
    assert [a.title for a in articles] == [" ".join(i["title"].split()) for i in expected]
    assert articles[0].source == "The Guardian"
    assert articles[0].published.isoformat() == "2018-01-31T07:26:05+00:00"


def test_real_ap_page_matches_fundus_expectations(shared):
    base = shared / "corpus/fixtures_html/fundus_test_data/us"
    expected = json.loads((base / "APNews.json").read_text())["V1"]
    (article,), rejects = read(base / "APNews_2023_04_28.html.gz")
    assert rejects == []
    assert article.title == expected["title"]
    first_paragraph = expected["body"]["sections"][0]["paragraphs"][0]
    assert article.text.split("\n\n")[0] == first_paragraph
    assert article.published.date().isoformat() == "2023-04-28"


def test_gzip_corruption_is_rejected(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html></html>")[:10])
    assert [r.reason for r in read(path)[1]] == ["corrupt gz archive"]


@pytest.mark.parametrize("name", ["feeds", "pages", "notes"])
def test_demo_files_read_without_rejects(name):
    from tests.conftest import DEMO

    files = sorted((DEMO / name).iterdir()) if (DEMO / name).is_dir() else []
    if not files:
        pytest.skip(f"no demo {name}")
    for path in files:
        articles, rejects = read(path)
        assert rejects == [] and articles, path
        for a in articles:
            assert a.published is not None and 150 <= len(a.text.split()) <= 520, a.url
