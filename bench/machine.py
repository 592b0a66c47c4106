"""What a measurement ran on: the machine, its load, and the version of the code measured."""

from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
import subprocess

from eval.paths import REPO
from eval.report import package_version

# What the pipeline's speed depends on in this repository: the package and the step that
# times it (not the report around it).
MEASURED_CODE = ("src", "bench/ingest.py")


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu)
    with open("/proc/meminfo", encoding="utf-8") as info:
        kb = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical, {len(os.sched_getaffinity(0))} usable",
        "RAM": f"{kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "packages": ", ".join(
            f"{name} {package_version(name)}"
            for name in ("spacy", "datasketch", "py3langid", "numpy", "psycopg")
        ),
    }


def code_version() -> str | None:
    """A digest of the committed measured code (``MEASURED_CODE``) and of the packages it
    runs on, the same across commits that change neither; None when that code has uncommitted
    changes (or there is no git), which cannot be told apart later."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        if git("status", "--porcelain", "--", *MEASURED_CODE):
            return None
        trees = [git("rev-parse", f"HEAD:{path}") for path in MEASURED_CODE]
    except (OSError, subprocess.CalledProcessError):
        return None
    packages = machine()["packages"]
    return hashlib.sha256(" ".join([*trees, packages]).encode()).hexdigest()[:16]
