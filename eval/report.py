"""Score rows and the Markdown they are published in (EVALUATION.md, BENCHMARKS.md)."""

from __future__ import annotations

import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from eval.paths import REPO


@dataclass(frozen=True, slots=True)
class Score:
    metric: str
    dataset: str
    n: int  # cases the score is computed over
    value: float
    anchor: str = "—"  # a published figure to compare with, and its source


@dataclass(slots=True)
class Section:
    """One evaluation's results: a table, then notes (definitions, what fell short)."""

    title: str
    intro: str
    scores: list[Score] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunInfo:
    date: str
    commit: str
    python: str

    @classmethod
    def now(cls) -> RunInfo:
        return cls(
            date=datetime.now(UTC).strftime("%Y-%m-%d"),
            commit=git_commit(),
            python=platform.python_version(),
        )


def git_commit() -> str:
    """Short hash of HEAD, marked when the working tree has uncommitted changes (other than
    the benchmark's results files, which a long run writes as it goes)."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        return commit + (
            "+uncommitted"
            if git("status", "--porcelain", "--", ".", ":(exclude)bench/results")
            else ""
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def score_table(scores: list[Score], run: RunInfo) -> list[str]:
    lines = [
        "| metric | dataset | n | score | date | commit | anchor |",
        "|---|---|--:|--:|---|---|---|",
    ]
    lines += [
        f"| {s.metric} | {s.dataset} | {s.n} | {s.value:.3f} | {run.date} | {run.commit} "
        f"| {s.anchor} |"
        for s in scores
    ]
    return lines


def render_section(section: Section, run: RunInfo) -> list[str]:
    lines = [f"## {section.title}", "", section.intro, ""]
    if section.scores:
        lines += [*score_table(section.scores, run), ""]
    lines += [f"- {note}" for note in section.notes]
    return [*lines, ""] if section.notes else lines
