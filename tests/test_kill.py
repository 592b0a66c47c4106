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

KILLS = 8
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


def stored_count(db_path) -> int:
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.1)
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:  # not created yet, or its schema not yet written
        return 0


def timed_whole_run(command, env) -> tuple[float, float]:
    """Seconds from start until the first and until the last article was committed."""
    started = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db_path = command[command.index("--db") + 1]
    first = last = None
    while proc.poll() is None:
        count = stored_count(db_path)
        now = time.monotonic() - started
        if count and first is None:
            first = now
        if count == ARTICLES and last is None:
            last = now
        time.sleep(0.02)
    assert proc.returncode == 0
    end = time.monotonic() - started
    return (first or end), (last or end)


def run_until_killed(command, env, should_kill) -> bool:
    """Run ingest and SIGKILL it as soon as should_kill() says so; True if it was killed."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        if should_kill():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.02)
    assert proc.returncode == 0
    return False


def test_sigkill_anywhere_then_rerun_stores_everything_once(tmp_path):
    rng = random.Random(20250617)
    env = {**os.environ, "WATCHFLOOR_BATCH_SIZE": "3"}
    source = [p for p in demo_paths() if p.name == "war.jsonl"]
    command = [sys.executable, "-m", "watchfloor", "ingest", *map(str, source)]
    # One uninterrupted run, watched, tells when this machine commits the first and the last
    # article, so the timed kills land across the commits whatever the machine's speed.
    first, last = timed_whole_run(command + ["--db", str(tmp_path / "whole.db")], env)
    assert check_consistent(tmp_path / "whole.db") == ARTICLES
    kills = episode = 0
    partial = set()  # article counts seen after a kill part-way through
    while kills < KILLS:
        episode += 1
        db = tmp_path / f"episode{episode}.db"
        # Half the episodes kill at a random moment; the other half kill just after a commit
        # is seen, so some kills surely land mid-run even on a machine slower than the timing.
        timed = episode % 2 == 1
        while True:
            if timed:
                deadline = time.monotonic() + rng.uniform(0.8 * first, last + 0.2)
                should_kill = lambda deadline=deadline: time.monotonic() >= deadline  # noqa: E731
            else:
                before = stored_count(db)
                should_kill = lambda before=before, db=db: before < stored_count(db) < ARTICLES  # noqa: E731
            if not run_until_killed([*command, "--db", str(db)], env, should_kill):
                assert check_consistent(db) == ARTICLES
                break
            kills += 1
            if db.exists():
                stored = check_consistent(db)
                assert stored <= ARTICLES
                partial.add(stored)
    # the kills did land mid-run, after some batches had been committed
    assert len(partial - {0, ARTICLES}) >= 2
