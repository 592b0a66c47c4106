"""Extraction on a Dask cluster: `watchfloor ingest --workers N` (a local cluster of N worker
processes) or `--scheduler tcp://HOST:8786` (a running cluster).

This process reads, deduplicates and stores, as without a cluster (``pipeline.ingest_articles``);
workers only extract. Each batch's facts come back here and are stored in one transaction, in
reading order, so a worker that dies mid-batch loses nothing: Dask runs the batch again on
another worker, and every article is still stored once (the store skips duplicates besides).
Workers need Watchfloor and the spaCy pipeline installed; each loads the pipeline once, when it
joins the cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin

from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.extract import load_pipeline
from watchfloor.model import Article, ArticleFacts, Reject
from watchfloor.pipeline import extract_batch

CONNECT_TIMEOUT = "20s"
# Dask keeps each connection's last messages (1,000 by default) for debugging, batches of
# articles among them: over a long run this process then grew by about 800 MB with two
# workers (BENCHMARKS.md). The cluster's event logs are cut to the same length.
MESSAGE_LOG_LENGTH = 50


class PipelineLoader(WorkerPlugin):
    """Loads the extraction pipeline on each worker as it joins, before its first batch."""

    name = "watchfloor-pipeline"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def setup(self, worker) -> None:
        load_pipeline(self.settings)


def extract_on_worker(
    articles: list[Article], settings: Settings
) -> tuple[dict[str, ArticleFacts], list[Reject]]:
    # load_pipeline is cached per process: the worker's copy loaded by PipelineLoader.
    return extract_batch(load_pipeline(settings), articles, settings)


class DaskExtraction:
    """Implements :class:`watchfloor.pipeline.Extraction` on a Dask cluster."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client = client
        # spaCy cannot start processes of its own inside a Dask worker (a daemon process).
        self.settings = settings.with_overrides(n_process=1)
        threads = sum(client.nthreads().values())
        # Two batches per worker thread: one extracting, the next waiting behind it.
        self.ahead = 2 * max(threads, 1)

    def submit(self, articles: list[Article]) -> tuple[list[Article], Future | None]:
        if not any(a.language == "en" for a in articles):
            return articles, None
        return articles, self.client.submit(extract_on_worker, articles, self.settings, pure=False)

    def result(
        self, handle: tuple[list[Article], Future | None]
    ) -> tuple[dict[str, ArticleFacts], list[Reject]]:
        articles, future = handle
        if future is None:
            return {}, []
        try:
            return future.result()
        except KilledWorker as exc:
            # Dask gave the batch to other workers first, and it killed them too: its articles
            # are rejected rather than retried forever (a rerun tries them again).
            return {}, [
                Reject(a.url, "extraction failed", a.content_hash, repr(exc))
                for a in articles
                if a.language == "en"
            ]
        finally:
            future.release()


# Settings of the local clusters started here; each saves CPU that spaCy would otherwise share
# (BENCHMARKS.md). Dask starts worker processes with MALLOC_TRIM_THRESHOLD_=65536, which also
# turns off glibc's adaptive mmap threshold: every large array spaCy makes is then mapped and
# unmapped anew, about 8 % more CPU per article; our workers keep glibc's defaults. A worker's
# statistical profiler samples every thread's stack each 10 ms (about 5 % of a worker's CPU),
# for a dashboard these clusters do not start; the event-loop health check every 20 ms and
# the system monitor every 500 ms do the same for logs and charts nobody reads here.
_LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


def local_cluster(workers: int) -> LocalCluster:
    """``workers`` worker processes on this machine, one thread each (spaCy is CPU-bound)."""
    with dask.config.set(_LOCAL_CLUSTER_CONFIG):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )


@contextmanager
def dask_extraction(settings: Settings) -> Iterator[DaskExtraction]:
    """Extraction on the cluster ``settings`` name: the running one at ``scheduler``, or a
    local one of ``workers`` processes started here (and stopped on leaving)."""
    if settings.workers < 0:
        raise WatchfloorError(f"--workers {settings.workers}: give 1 or more worker processes")
    if settings.workers and settings.scheduler:
        raise WatchfloorError("choose --workers (a local cluster) or --scheduler, not both")
    with ExitStack() as stack:
        # For as long as the cluster is used: a worker that joins later gets a connection too.
        stack.enter_context(
            dask.config.set({"distributed.admin.low-level-log-length": MESSAGE_LOG_LENGTH})
        )
        if settings.scheduler:
            try:
                client = Client(settings.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, ValueError, TypeError) as exc:
                raise WatchfloorError(
                    f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}"
                ) from exc
        else:
            client = Client(stack.enter_context(local_cluster(settings.workers)))
        stack.enter_context(client)
        client.register_plugin(PipelineLoader(settings))
        yield DaskExtraction(client, settings)
