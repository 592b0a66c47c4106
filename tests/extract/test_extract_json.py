"""`watchfloor extract --json`: a public interface, validated against its JSON Schema."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
from typer.testing import CliRunner

from tests.conftest import DEMO
from watchfloor.cli import app
from watchfloor.extract.jsonout import SCHEMA_VERSION

SCHEMA = json.loads((resources.files("watchfloor") / "data" / "extract.schema.json").read_text())


def test_json_lines_validate_and_offsets_slice_the_text():
    source = DEMO / "war.jsonl"
    given = [json.loads(line) for line in source.read_text().splitlines()]
    result = CliRunner().invoke(app, ["extract", str(source), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(given) == 17
    for record, original in zip(lines, given, strict=True):
        jsonschema.validate(record, SCHEMA)
        assert record["schema_version"] == SCHEMA_VERSION
        assert record["text"] == original["text"]  # exactly as given
        assert record["article"]["title"] == original["title"]
        text = record["text"]
        for kind in ("sentences", "entities", "times", "counts", "quotes", "titles"):
            for item in record[kind]:
                assert text[item["start"] : item["end"]] == item["text"], (kind, item)
        for quote in record["quotes"]:
            if quote["speaker_start"] is not None:
                assert quote["speaker_end"] > quote["speaker_start"]
        sentences = {s["index"] for s in record["sentences"]}
        assert all(e["sentence"] in sentences for e in record["events"])


def test_human_digest_and_rejects(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"url": "https://x.example/a", "title": "T", "text": ""}\n')
    result = CliRunner().invoke(app, ["extract", str(DEMO / "notes"), str(bad)])
    assert result.exit_code == 3
    assert "Brief: The Russian gas phase-out, step by step" in result.output
    assert "'January 1, 2026' -> 2026-01-01 (date, day)" in result.output
    assert "rejected" in result.output and "empty text" in result.output
