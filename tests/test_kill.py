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
DEMO_ARTICLES = 42


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
    command = [sys.executable, "-m", "watchfloor", "ingest", *map(str, demo_paths())]
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
            deadline = time.monotonic() + rng.uniform(0.5, 9.0)
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                if db.exists():
                    stored = check_consistent(db)
                    assert stored <= DEMO_ARTICLES
                    partial.add(stored)
                continue
            assert proc.returncode == 0
            assert check_consistent(db) == DEMO_ARTICLES
            break
    # the kills did land mid-run, after some batches had been committed
    assert len(partial - {0, DEMO_ARTICLES}) >= 3
