"""Files are read as streams: compressed or not, line-based formats come out the same, a file
cut short keeps the records before the cut, and memory does not grow with the file."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import lzma
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from watchfloor.ingest.readers import read_path
from watchfloor.model import Article, Reject

BODY = "Finland's parliament voted to leave the Ottawa Convention.\n\nThe vote was 157 to 18."
COMPRESS = {".gz": gzip.compress, ".xz": lzma.compress, ".bz2": bz2.compress}


def record(number: int, **fields: str) -> dict[str, str]:
    return {
        "url": f"https://news.example/{number}",
        "title": f"Vote {number}",
        "published": "2025-06-19T15:00:00+03:00",
        "language": "en",
        "text": BODY,
        **fields,
    }


def jsonl_bytes() -> bytes:
    lines = [
        json.dumps(record(1)),
        "{not json",
        json.dumps(record(2, text=" ")),
        json.dumps(record(3, title="Caf\u00e9 vote"), ensure_ascii=False),
    ]
    latin1 = json.dumps(record(4, title="Cafe vote")).replace("Cafe", "Caf\u00e9")
    return "\n".join(lines).encode() + b"\n" + latin1.encode("latin-1") + b"\n"


def csv_bytes() -> bytes:
    rows = [
        "title,text,published",
        f'Vote 1,"{BODY}",2025-06-19',
        "Vote 2,,2025-06-19",
        "Vote 3,Text,the 45th of Juno",
        "Caf\u00e9 vote,Text,2025-06-20",
    ]
    latin1 = "Caf\u00e9 vote,Text,2025-06-21\r\n".encode("latin-1")
    return "\r\n".join(rows).encode() + b"\r\n" + latin1


def summary(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Articles and rejects without what names the file itself (its path, fetch time)."""
    items = list(read_path(path))
    articles = [
        (a.url.replace(path.resolve().as_uri(), ""), a.title, a.text, a.published, a.language)
        for a in items
        if isinstance(a, Article)
    ]
    rejects = [
        (r.source.removeprefix(str(path)), r.reason, r.raw_hash, r.detail)
        for r in items
        if isinstance(r, Reject)
    ]
    return articles, rejects


@pytest.mark.parametrize("suffix", [".gz", ".xz", ".bz2", ".zip"])
@pytest.mark.parametrize(
    ("name", "content", "reasons"),
    [
        ("items.jsonl", jsonl_bytes, ["malformed JSON", "empty text", "undecodable bytes"]),
        (
            "rows.csv",
            csv_bytes,
            ["empty text", "unreadable publication date 'the 45th of Juno'", "undecodable bytes"],
        ),
    ],
)
def test_compressed_files_read_like_plain_ones(tmp_path, suffix, name, content, reasons):
    plain = tmp_path / name
    plain.write_bytes(content())
    packed = tmp_path / f"{name}{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(plain, plain.name)
    else:
        packed.write_bytes(COMPRESS[suffix](content()))
    articles, rejects = summary(plain)
    assert [a[1] for a in articles] == ["Vote 1", "Caf\u00e9 vote"]
    assert [r[1] for r in rejects] == reasons
    assert summary(packed) == (articles, rejects)


def test_rejects_of_the_whole_file_hash_its_content_however_stored(tmp_path):
    content = b"id,value\n1,2\n3,4\n"
    plain, packed = tmp_path / "numbers.csv", tmp_path / "numbers.csv.xz"
    plain.write_bytes(content)
    packed.write_bytes(lzma.compress(content))
    (from_plain,), (from_packed,) = (list(read_path(p)) for p in (plain, packed))
    assert from_plain.reason == from_packed.reason == "CSV columns do not fit"
    assert from_plain.raw_hash == from_packed.raw_hash == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(("suffix", "compress"), [(".gz", gzip.compress), (".xz", lzma.compress)])
def test_archive_cut_short_keeps_the_records_before_the_cut(tmp_path, suffix, compress):
    complete = "".join(json.dumps(record(n)) + "\n" for n in range(1, 4)).encode()
    cut = compress(json.dumps(record(4, text=BODY * 50)).encode() + b"\n")
    # A whole first stream, then a second one that ends half way: a download cut off.
    path = tmp_path / f"items.jsonl{suffix}"
    path.write_bytes(compress(complete) + cut[: len(cut) // 2])
    items = list(read_path(path))
    assert [a.url for a in items if isinstance(a, Article)] == [
        "https://news.example/1",
        "https://news.example/2",
        "https://news.example/3",
    ]
    (rejected,) = [r for r in items if isinstance(r, Reject)]
    assert items[-1] is rejected
    assert (rejected.source, rejected.reason, rejected.detail) == (
        str(path),
        f"corrupt {suffix[1:]} archive",
        "Compressed file ended before the end-of-stream marker was reached",
    )
    assert rejected.raw_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_zip_with_two_files_is_rejected(tmp_path):
    path = tmp_path / "items.jsonl.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jsonl", json.dumps(record(1)))
        archive.writestr("b.jsonl", json.dumps(record(2)))
    (rejected,) = read_path(path)
    assert (rejected.reason, rejected.detail) == (
        "corrupt zip archive",
        "expected one file in the zip archive, found 2",
    )


def test_reading_a_large_file_takes_memory_that_does_not_grow_with_it(tmp_path):
    # ~40 MB in 400 lines of ~100 KB. Kept fast: the language is given (no detection), and the
    # body is few, long hyphenated words (tracemalloc slows every small string a word becomes).
    word = "-".join(["Air-defence-shot-down-the-drones-over-the-port."] * 10)
    body = " ".join([word] * 210)
    path = tmp_path / "large.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(400):
            out.write(json.dumps(record(number, text=f"Report {number}.\n\n{body}")) + "\n")
    assert path.stat().st_size > 40_000_000
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps(record(0)) + "\n", encoding="utf-8")
    assert len(list(read_path(small))) == 1  # the readers' modules imported before tracing
    tracemalloc.start()
    try:
        articles = sum(isinstance(item, Article) for item in read_path(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert articles == 400
    assert peak < 10_000_000
