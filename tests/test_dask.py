"""Extraction on a Dask cluster stores exactly what extraction in one process stores, even when
a worker is killed mid-batch."""

from __future__ import annotations

import os
import signal

import dask
import pytest
from typer.testing import CliRunner

from watchfloor.cli import app, demo_paths
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.pipeline import ingest_paths
from watchfloor.store import open_store

WAR = [p for p in demo_paths() if p.name == "war.jsonl"]
ARTICLES = 17  # in war.jsonl, one of them a near-duplicate
# Small batches: 9 of them, so both workers hold batches while the first is stored.
SETTINGS = Settings(batch_size=2)


def contents(db) -> list[tuple]:
    """Per stored article: id, first copy, and how many sentences, mentions and events."""
    store = open_store(db)
    try:
        rows = []
        for article in store.articles():
            facts = store.facts(article.id)
            rows.append(
                (
                    article.id,
                    article.duplicate_of,
                    len(facts.sentences),
                    len(facts.mentions),
                    len(facts.events),
                )
            )
        return sorted(rows)
    finally:
        store.close()


@pytest.fixture(scope="module")
def single_process(tmp_path_factory) -> list[tuple]:
    db = tmp_path_factory.mktemp("single") / "single.db"
    store = open_store(db)
    try:
        report = ingest_paths(WAR, store, SETTINGS)
    finally:
        store.close()
    assert report.added == ARTICLES and report.rejects == []
    return contents(db)


@pytest.fixture(scope="module")
def cluster():
    """A local cluster of two worker processes, each with the pipeline loaded."""
    from watchfloor.distributed import dask_extraction

    with dask_extraction(SETTINGS.with_overrides(workers=2)) as extraction:
        yield extraction


def test_local_workers_keep_the_default_memory_allocator_settings(cluster):
    # Dask's MALLOC_TRIM_THRESHOLD_ costs spaCy about 8 % of its CPU time (BENCHMARKS.md).
    settings = cluster.client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_")
    assert len(settings) == 2
    assert set(settings.values()) == {None}


def test_local_workers_do_not_profile_themselves_for_a_dashboard(cluster):
    # The statistical profiler costs a worker about 5 % of its CPU (BENCHMARKS.md).
    def checks() -> tuple:
        return (
            dask.config.get("distributed.worker.profile.enabled"),
            dask.config.get("distributed.admin.tick.interval"),
        )

    assert list(cluster.client.run(checks).values()) == [(False, "1s")] * 2


def test_ingest_on_a_cluster_stores_what_one_process_stores(
    cluster, single_process, tmp_path, monkeypatch
):
    monkeypatch.setenv("WATCHFLOOR_BATCH_SIZE", str(SETTINGS.batch_size))
    address = cluster.client.scheduler.address
    db = tmp_path / "cluster.db"
    result = CliRunner().invoke(
        app, ["ingest", str(WAR[0]), "--db", str(db), "--scheduler", address]
    )
    assert result.exit_code == 0, result.output
    stored = contents(db)
    assert len(stored) == ARTICLES
    assert sum(1 for row in stored if row[1]) == 1  # the near-duplicate, linked, not extracted
    assert stored == single_process


def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(
    cluster, single_process, tmp_path
):
    client = cluster.client
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_a_busy_worker(stored: int) -> None:
        if killed:
            return
        # The first batch is stored; later ones are on the workers. Kill one holding a batch.
        busy = [address for address, tasks in client.processing().items() if tasks]
        assert busy, "no worker holds a batch"
        killed.append(pids[busy[0]])
        os.kill(pids[busy[0]], signal.SIGKILL)

    store = open_store(tmp_path / "killed.db")
    try:
        report = ingest_paths(
            WAR, store, SETTINGS, on_progress=kill_a_busy_worker, extraction=cluster
        )
    finally:
        store.close()
    assert len(killed) == 1
    assert report.read == ARTICLES and report.added == ARTICLES
    assert report.duplicates == 0 and report.rejects == []
    assert contents(tmp_path / "killed.db") == single_process
    # The killed worker really died: its nanny started a new process in its place.
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in client.run(os.getpid).values()


def test_the_cluster_keeps_few_of_the_messages_it_sends(cluster):
    # Dask keeps each connection's recent messages for debugging, batches of articles among
    # them: with its default of 1,000 a long run grew by about 800 MB (BENCHMARKS.md). After
    # the test above, one of these connections is the replaced worker's.
    from watchfloor.distributed import MESSAGE_LOG_LENGTH

    client = cluster.client
    for n in range(2 * MESSAGE_LOG_LENGTH):
        assert client.submit(len, "x" * n, pure=False).result() == n
    to_workers = client.cluster.scheduler.stream_comms.values()
    assert len(to_workers) == 2
    assert len(client.scheduler_comm.recent_message_log) == MESSAGE_LOG_LENGTH
    assert all(len(comm.recent_message_log) <= MESSAGE_LOG_LENGTH for comm in to_workers)
    assert sum(len(comm.recent_message_log) for comm in to_workers) > MESSAGE_LOG_LENGTH


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--workers", "-1"], "give 1 or more worker processes"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
        (["--scheduler", "tcp://127.0.0.1:1"], "cannot reach the Dask scheduler"),
    ],
)
def test_bad_cluster_options_are_errors(options, message, tmp_path, monkeypatch):
    monkeypatch.setattr("watchfloor.distributed.CONNECT_TIMEOUT", "1s")
    result = CliRunner().invoke(
        app, ["ingest", str(WAR[0]), "--db", str(tmp_path / "x.db"), *options]
    )
    assert isinstance(result.exception, WatchfloorError)
    assert message in str(result.exception)
    assert contents(tmp_path / "x.db") == []
