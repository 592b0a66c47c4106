"""The benchmark's large stores: ``watchfloor.store.replicate`` copies articles with their facts
and stories in either engine, and the latency measurement picks the same cases in both; the
throughput measurement's two modes take turns, and a long one goes on from the chunks it kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bench.latency import briefing_days, originals, search_words

from tests.conftest import DEMO
from watchfloor.analyze.stories import update_stories
from watchfloor.config import Settings
from watchfloor.store.replicate import dialect, replicate
from watchfloor.store.sqlite import SqliteStore


def test_replicate_copies_articles_facts_and_stories(demo_copy):
    store = demo_copy
    update_stories(store, Settings())
    sql = dialect(store)
    before = store.stats()
    stories = sql.execute("SELECT count(*) FROM stories")[0][0]
    first = originals(sql)
    assert len(first) == 42

    assert replicate(store, 2, days_apart=1.5) == 3 * 42
    after = store.stats()
    assert {table: after[table] for table in after} == {
        table: 3 * count for table, count in before.items() if table != "rejects"
    } | {"rejects": before["rejects"]}
    # Every copy is in a story of its own copy (story ids are text: copied, not renumbered).
    assert sql.execute("SELECT count(*), count(id) FROM stories")[0] == (3 * stories,) * 2
    assert (
        sql.execute("SELECT count(*) FROM story_articles JOIN stories ON stories.id = story_id")[0][
            0
        ]
        == sql.execute("SELECT count(*) FROM story_articles")[0][0]
    )
    article_id = first[0][0]
    original, copy = store.article(article_id), store.article(f"{article_id}.2")
    assert copy.title == original.title
    assert copy.url == f"{original.url}#copy-2"
    assert copy.published - original.published == timedelta(days=3)
    texts = [s.text for s in store.facts(article_id).sentences]
    assert [s.text for s in store.facts(f"{article_id}.2").sentences] == texts
    # Events keep ids of their own and their evidence follows them.
    assert sql.execute("SELECT count(DISTINCT id) FROM events")[0][0] == after["events"]
    assert (
        sql.execute(
            "SELECT count(*) FROM event_evidence JOIN events ON events.id = event_id"
            " AND events.article_id = event_evidence.article_id"
        )[0][0]
        == sql.execute("SELECT count(*) FROM event_evidence")[0][0]
    )

    assert replicate(store, 2) == 3 * 42  # already there: nothing added
    assert replicate(store, 3, days_apart=1.5) == 4 * 42


def test_latency_cases(demo_copy):
    store = demo_copy
    replicate(store, 2)
    sql = dialect(store)
    # The middle articles of three equal shares of the 126 (all dated), in publication order.
    published = sorted(a.published.astimezone(UTC) for a in store.articles() if a.published)
    assert len(published) == 126
    expected = [published[i] for i in (21, 63, 105)]
    assert briefing_days(sql, 3) == [datetime(d.year, d.month, d.day, tzinfo=UTC) for d in expected]
    first = originals(sql)
    assert [article_id for article_id, _ in first][:2] == [
        r[0] for r in sql.execute(f"SELECT id FROM articles ORDER BY {sql.rowid} LIMIT 2")
    ]
    words = search_words([title for _, title in first], 5)
    assert len(words) == 5 and len(set(words)) == 5
    assert all(len(word) >= 5 and word.isalpha() and word.islower() for word in words)


def test_throughput_takes_turns_chunk_by_chunk(tmp_path, monkeypatch):
    import bench.ingest

    import watchfloor.pipeline

    lines = (DEMO / "war.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[:5]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(lines), encoding="utf-8")
    turns = []
    bare_pass, ingest_paths = bench.ingest.bare_pass, watchfloor.pipeline.ingest_paths

    def bare_turn(texts, settings):
        turns.append(("bare", len(texts)))
        return bare_pass(texts, settings)

    def full_turn(paths, *args, **kwargs):
        report = ingest_paths(paths, *args, **kwargs)
        turns.append(("full", report.read))
        return report

    monkeypatch.setattr(bench.ingest, "bare_pass", bare_turn)
    monkeypatch.setattr(watchfloor.pipeline, "ingest_paths", full_turn)
    result = bench.ingest.throughput(sample, tmp_path / "pipeline.db", 0, ["bare", "full"], 2)

    assert turns.pop(0) == ("bare", 2)  # warming up on the first chunk, before the clock
    assert turns == [("bare", 2), ("full", 2), ("full", 2), ("bare", 2), ("bare", 1), ("full", 1)]
    assert result["chunks"] == 3 and result["chunk_size"] == 2
    assert [(r["mode"], r["articles"], r["processed"]) for r in result["runs"]] == [
        ("bare", 5, 5),
        ("full", 5, 5),
    ]
    store = SqliteStore(tmp_path / "pipeline.db")
    assert store.stats()["articles"] == 5 and store.stats()["sentences"] > 5 * 3
    store.close()


def test_throughput_goes_on_from_the_chunks_kept(tmp_path, monkeypatch):
    import bench.ingest
    import bench.machine
    from bench.run import render, scale_progress

    import watchfloor.pipeline

    lines = (DEMO / "war.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[:5]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(lines), encoding="utf-8")
    progress = scale_progress(tmp_path / "results", 1)
    monkeypatch.setattr(bench.machine, "code_version", lambda: "code-1")
    ingest_paths, fulls = watchfloor.pipeline.ingest_paths, []

    def full_turn(paths, *args, **kwargs):
        fulls.append(paths[0].name)
        if len(fulls) == 3:  # the third chunk's full turn: the run is killed there
            raise KeyboardInterrupt
        return ingest_paths(paths, *args, **kwargs)

    monkeypatch.setattr(watchfloor.pipeline, "ingest_paths", full_turn)
    with pytest.raises(KeyboardInterrupt):
        bench.ingest.throughput(sample, tmp_path / "a.db", 0, ["bare", "full"], 2, progress)
    with progress.open("a", encoding="utf-8") as out:
        out.write('{"chunk": 2, "ru')  # a line cut short by the kill
    assert fulls == ["chunk-0000.jsonl", "chunk-0001.jsonl", "chunk-0002.jsonl"]

    result = bench.ingest.throughput(sample, tmp_path / "b.db", 0, ["bare", "full"], 2, progress)
    assert fulls[3:] == ["chunk-0002.jsonl"]  # only the chunk not kept is measured again
    assert (result["chunks"], result["chunks_measured"], result["chunks_by_run"]) == (3, 3, [2, 1])
    assert [(r["mode"], r["articles"], r["processed"]) for r in result["runs"]] == [
        ("bare", 5, 5),
        ("full", 5, 5),
    ]
    store = SqliteStore(tmp_path / "b.db")
    assert store.stats()["articles"] == 1  # the run that goes on stores its own chunks only
    store.close()
    report = render(tmp_path / "results")
    assert "| full | 0 | 5 | 3 | " in report
    assert "Measured by:" in report and report.count(": 2 chunks") == 1
    assert "With 2 workers: not started." in report

    # Other code (or other chunks) starts over.
    monkeypatch.setattr(bench.machine, "code_version", lambda: "code-2")
    result = bench.ingest.throughput(sample, tmp_path / "c.db", 0, ["bare", "full"], 5, progress)
    assert (result["chunks"], result["chunks_by_run"]) == (1, [1])
    assert fulls[4:] == ["chunk-0000.jsonl"]


def test_a_kill_while_the_progress_file_is_rewritten_keeps_its_chunks(tmp_path, monkeypatch):
    import json
    from pathlib import Path

    from bench.ingest import Progress, read_progress

    header = {"articles": 4, "chunk_size": 2, "workers": 0, "modes": ["bare"], "code": "c"}
    progress = tmp_path / "workers-0.jsonl"
    kept = Progress(progress, header)
    kept.add({"run": {"started": "then"}})
    kept.add({"chunk": 0, "runs": {}})
    before = progress.read_text(encoding="utf-8")
    write_text = Path.write_text

    def killed_halfway(self, text, *args, **kwargs):
        write_text(self, text[: len(text) // 2], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", killed_halfway)
    with pytest.raises(KeyboardInterrupt):
        Progress(progress, header)
    assert progress.read_text(encoding="utf-8") == before
    assert read_progress(progress) == (header, [{"started": "then"}], {0: {"chunk": 0, "runs": {}}})
    assert json.loads(before.splitlines()[0]) == {"header": header}


def test_scale_report_counts_what_is_left_from_the_articles_read(tmp_path, monkeypatch):
    """The bare pass takes only the English articles, so a finished section's bare count
    stays below the total: what is left is counted from what the full pipeline read."""
    import json

    import bench.ingest
    import bench.machine
    import bench.run
    from bench.run import render, scale_progress

    import watchfloor.pipeline

    lines = (DEMO / "war.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[:3]
    german = {
        "url": "https://example.org/de/gipfel",
        "title": "Gipfeltreffen in Genf",
        "source": "Beispielzeitung",
        "published": "2025-06-03T10:00:00+02:00",
        "text": "Die Außenminister beider Länder trafen sich am Dienstag in Genf. Sie sprachen "
        "über einen Waffenstillstand, den Austausch von Gefangenen und die Versorgung der "
        "Bevölkerung mit Lebensmitteln und Medikamenten.",
    }
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(lines) + json.dumps(german, ensure_ascii=False) + "\n", "utf-8")
    monkeypatch.setattr(bench.run, "SCALE_WORKERS", (0,))  # no cluster: a quick run
    progress = scale_progress(tmp_path / "results", 0)
    monkeypatch.setattr(bench.machine, "code_version", lambda: "code-1")
    ingest_paths, fulls = watchfloor.pipeline.ingest_paths, []

    def full_turn(paths, *args, **kwargs):
        fulls.append(paths[0].name)
        if len(fulls) == 2:  # the second chunk (an English article and the German one)
            raise KeyboardInterrupt
        return ingest_paths(paths, *args, **kwargs)

    monkeypatch.setattr(watchfloor.pipeline, "ingest_paths", full_turn)
    with pytest.raises(KeyboardInterrupt):
        bench.ingest.throughput(sample, tmp_path / "a.db", 0, ["bare", "full"], 2, progress)
    report = render(tmp_path / "results")
    assert "With 0 workers, 2 articles are left: about " in report

    result = bench.ingest.throughput(sample, tmp_path / "b.db", 0, ["bare", "full"], 2, progress)
    assert [(r["mode"], r["articles"], r["processed"]) for r in result["runs"]] == [
        ("bare", 3, 3),
        ("full", 4, 4),  # the German article is stored, not extracted
    ]
    report = render(tmp_path / "results")
    assert "| bare | 0 | 3 | 2 | " in report and "| full | 0 | 4 | 2 | " in report
    assert "are left" not in report and "not started" not in report


def test_a_commit_is_not_marked_uncommitted_for_the_benchmarks_own_results(tmp_path, monkeypatch):
    """A long benchmark writes its results files as it goes: the commit it reports is still
    the code's, while any other change marks it uncommitted."""
    import subprocess

    import eval.report

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True
        )

    (tmp_path / "bench" / "results").mkdir(parents=True)
    (tmp_path / "bench" / "results" / "scale.jsonl").write_text("{}\n")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    monkeypatch.setattr(eval.report, "REPO", tmp_path)
    commit = eval.report.git_commit()
    assert len(commit) >= 7 and "+" not in commit

    (tmp_path / "bench" / "results" / "scale.jsonl").write_text("{}\n{}\n")
    (tmp_path / "bench" / "results" / "new.jsonl").write_text("{}\n")
    assert eval.report.git_commit() == commit
    (tmp_path / "code.py").write_text("x = 2\n")
    assert eval.report.git_commit() == commit + "+uncommitted"
