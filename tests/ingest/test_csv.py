"""CSV and TSV files: column mapping, aliases, and rows that cannot be read."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.ingest.readers import ReadOptions, read_path
from watchfloor.ingest.readers.table import parse_column_mapping
from watchfloor.model import Article, Reject

BODY = "Finland's parliament voted to leave the Ottawa Convention.\n\nThe vote was 157 to 18."


def read(path: Path, **columns: str) -> tuple[list[Article], list[Reject]]:
    items = list(read_path(path, ReadOptions(columns=columns)))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Reject)]


def test_parse_column_mapping():
    assert parse_column_mapping("title=headline,text=body") == {
        "title": "headline",
        "text": "body",
    }
    assert parse_column_mapping(" Text = Story Body , published=Date Posted") == {
        "text": "Story Body",
        "published": "Date Posted",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title", "column mapping 'title' is not FIELD=COLUMN; e.g. --columns"),
        ("title=", "column mapping 'title=' is not FIELD=COLUMN"),
        ("", "column mapping '' is not FIELD=COLUMN"),
        ("headline=title", "unknown field 'headline'; fields are url, title, text, source,"),
        ("text=body,text=content", "names 'text' twice"),
    ],
)
def test_parse_column_mapping_errors(text, message):
    with pytest.raises(WatchfloorError, match=message.replace("(", r"\(")):
        parse_column_mapping(text)


def test_columns_found_by_alias_with_bom_and_quoted_paragraphs(tmp_path):
    path = tmp_path / "export.csv"
    rows = [
        "Headline,Body,Date,Link,Outlet,Byline,Lang",
        f'Finland votes,"{BODY}",2025-06-19T15:00:00Z,https://news.example/a?utm_source=x,'
        "Example News,A. Writer,en",
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode())
    (article,), rejects = read(path)
    assert rejects == []
    assert (article.title, article.text, article.url) == (
        "Finland votes",
        BODY,
        "https://news.example/a",
    )
    assert (article.source, article.author, article.language) == ("Example News", "A. Writer", "en")
    assert article.published == datetime(2025, 6, 19, 15, tzinfo=UTC)


def test_mapping_names_columns_and_rows_without_url_get_positions(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        "Story Heading;Story Text;content\n"
        "Drone strike on Kharkiv;Three people were injured overnight.;ignored\n"
        "Mine ban vote;Finland voted to leave the treaty.;ignored\n",
        encoding="utf-8",
    )
    articles, rejects = read(path, title="story heading", text="Story Text")
    assert rejects == []
    assert [(a.title, a.text) for a in articles] == [
        ("Drone strike on Kharkiv", "Three people were injured overnight."),
        ("Mine ban vote", "Finland voted to leave the treaty."),
    ]
    assert [a.url for a in articles] == [
        f"{path.resolve().as_uri()}#row-1",
        f"{path.resolve().as_uri()}#row-2",
    ]
    assert articles[0].source == "local file"


def test_tsv_gzip_and_big_fields(tmp_path):
    big = " ".join(["Air defence shot down the drones."] * 6000)  # ~200 KB, over csv's default
    path = tmp_path / "archive.tsv.gz"
    path.write_bytes(gzip.compress(f"title\ttext\nBig one\t{big}\n".encode()))
    (article,), rejects = read(path)
    assert rejects == []
    assert (article.title, len(article.text)) == ("Big one", len(big))


def test_bad_rows_are_rejected_with_their_row_numbers(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        "title,text,published\n"
        "First,Some text here.,2025-06-12\n"
        "Second,,2025-06-12\n"
        "Third,Text,the 45th of Juno\n"
        "\n"
        "Fifth,Text,2025-06-12,extra\n"
        ",Text without a title.,2025-06-12\n"
        '"Seventh","Text, with a comma",2025-06-13\n',
        encoding="utf-8",
    )
    articles, rejects = read(path)
    assert [a.title for a in articles] == ["First", "Seventh"]
    assert articles[1].text == "Text, with a comma"
    assert [(r.source, r.reason, r.detail) for r in rejects] == [
        (f"{path}#row-2", "empty text", ""),
        (f"{path}#row-3", "unreadable publication date 'the 45th of Juno'", ""),
        (f"{path}#row-5", "CSV row does not match the header", "4 fields, the header has 3"),
        (f"{path}#row-6", "missing title", ""),
    ]


def test_files_whose_columns_do_not_fit_are_rejected_once(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("id,value\n1,2\n3,4\n", encoding="utf-8")
    (reject,) = read(path)[1]
    assert reject.reason == "CSV columns do not fit"
    assert reject.detail == (
        "no column for title and text; the columns are 'id', 'value'; name them with a "
        "column mapping (e.g. --columns title=headline,text=body)"
    )
    (missing,) = read(path, text="body")[1]
    assert missing.detail.startswith("no column 'body' (mapped to text);")
    (unknown,) = read(path, body="value")[1]
    assert (unknown.reason, unknown.detail) == ("unknown field in column mapping", "body")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert [r.reason for r in read(empty)[1]] == ["CSV file without a header row"]


def test_gdelt_mentions_sample_is_not_an_article_table(shared):
    path = shared / "eval/gdelt-sample/mentions_sample_20170701.csv"
    articles, rejects = read(path)
    assert articles == []
    assert [r.reason for r in rejects] == ["CSV columns do not fit"]
    assert rejects[0].detail.startswith("no column for title and text; the columns are ")


def test_row_that_is_not_utf8_costs_only_that_row(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"title,text\nFirst,Some text.\nCaf\xe9,Latin-1 text.\nThird,More text.\n")
    articles, rejects = read(path)
    assert [a.title for a in articles] == ["First", "Third"]
    assert [(r.source, r.reason, r.detail, r.raw_hash) for r in rejects] == [
        (
            f"{path}#row-2",
            "undecodable bytes",
            "not UTF-8: byte 0xe9",
            hashlib.sha256(b"Caf\xe9\x1fLatin-1 text.").hexdigest(),
        )
    ]


def test_header_that_is_not_utf8_rejects_the_file(tmp_path):
    path = tmp_path / "latin.csv"
    content = b"Titel,\xdcberschrift,text\nA,B,C\n"
    path.write_bytes(content)
    assert [(r.source, r.reason, r.detail, r.raw_hash) for r in read(path)[1]] == [
        (
            str(path),
            "undecodable bytes",
            "not UTF-8: byte 0xdc in the header row",
            hashlib.sha256(content).hexdigest(),
        )
    ]
