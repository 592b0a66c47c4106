"""Kill ingest with SIGKILL at random points, rerun, and the store holds every article once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from watchfloor.cli import demo_paths

KILLS = 20
ARTICLES = 17  # the demo's war.jsonl


def check_consistent(db_path) -> int:
    """Every stored article is whole (its sentences stored with it); returns the article count."""
    db = sqlite3.connect(db_path)
    try:
        urls = [r[0] for r in db.execute("SELECT url FROM articles")]
        assert len(urls) == len(set(urls))
        half_written = db.execute(
            "SELECT count(*) FROM articles a WHERE a.duplicate_of IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM sentences s WHERE s.article_id = a.id)"
        ).fetchone()[0]
        assert half_written == 0
        return len(urls)
    finally:
        db.close()


def test_sigkill_anywhere_then_rerun_stores_everything_once(tmp_path):
    rng = random.Random(20250617)
    env = {**os.environ, "WATCHFLOOR_BATCH_SIZE": "3"}
    source = [p for p in demo_paths() if p.name == "war.jsonl"]
    command = [sys.executable, "-m", "watchfloor", "ingest", *map(str, source)]
    # One uninterrupted run tells how long a whole ingest takes on this machine, so the kills
    # land across it (start-up, extraction, commits) whatever the machine's speed.
    started = time.monotonic()
    subprocess.run(
        [*command, "--db", str(tmp_path / "whole.db")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    whole = time.monotonic() - started
    assert check_consistent(tmp_path / "whole.db") == ARTICLES
    kills = episode = 0
    partial = set()  # article counts seen after a kill part-way through
    while kills < KILLS:
        episode += 1
        db = tmp_path / f"episode{episode}.db"
        while True:
            proc = subprocess.Popen(
                [*command, "--db", str(db)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + rng.uniform(0.3 * whole, whole)
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                if db.exists():
                    stored = check_consistent(db)
                    assert stored <= ARTICLES
                    partial.add(stored)
                continue
            assert proc.returncode == 0
            assert check_consistent(db) == ARTICLES
            break
    # the kills did land mid-run, after some batches had been committed
    assert len(partial - {0, ARTICLES}) >= 3
