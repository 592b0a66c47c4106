"""`make eval`: run every evaluation whose data is present and write EVALUATION.md.

An evaluation whose reference data is missing (the shared folder is not beside the
repository, or lacks that dataset) is skipped and listed as skipped, never failed.

    python -m eval.run                 # all, into EVALUATION.md
    python -m eval.run --only pages    # one, printed instead of written
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eval.feeds import feeds_section
from eval.html_pages import pages_section
from eval.linking import linking_section
from eval.paths import REPO, feed_fixtures_dir, html_fixtures_dir
from eval.plover import plover_dir, plover_section
from eval.press_releases import press_dir, press_releases_section
from eval.quotes import polnear_dir, quotes_section
from eval.report import RunInfo, Section, package_version, render_section
from eval.stories import ecbplus_dir, stories_section
from eval.timeml import timeml_dir, timeml_section
from eval.tls import tls_section
from eval.tls_data import tls_dir


@dataclass(frozen=True, slots=True)
class Evaluation:
    name: str
    needs: Callable[[], list[Path]]  # data that must exist
    run: Callable[[], Section]


EVALUATIONS = [
    Evaluation("feeds", lambda: [feed_fixtures_dir()], feeds_section),
    Evaluation("pages", lambda: [html_fixtures_dir()], pages_section),
    Evaluation("plover", lambda: [plover_dir()], plover_section),
    Evaluation("linking", lambda: [plover_dir()], linking_section),
    Evaluation("quotes", lambda: [polnear_dir()], quotes_section),
    Evaluation("timeml", lambda: [timeml_dir()], timeml_section),
    Evaluation("tls", lambda: [tls_dir()], tls_section),
    Evaluation("stories", lambda: [ecbplus_dir()], stories_section),
    Evaluation("press", lambda: [press_dir()], press_releases_section),
]

HEADER = """# Evaluation

Accuracy of Watchfloor's components on public reference data. This file is written by
`make eval` (`eval/run.py`); edit the code, not the file. The data live in `../shared`
(read-only, not part of the repository; each dataset's README gives source and license).
Floors a little below these scores are pinned in the tests, so a regression fails CI.
"""


def render(sections: list[Section], skipped: list[str], run: RunInfo) -> str:
    lines = [
        HEADER,
        f"Last run: {run.date}, commit {run.commit}, Python {run.python}, "
        f"trafilatura {package_version('trafilatura')}, "
        f"feedparser {package_version('feedparser')}.",
        "",
    ]
    for section in sections:
        lines += render_section(section, run)
    if skipped:
        lines += ["## Skipped", ""] + [f"- {line}" for line in skipped] + [""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=[e.name for e in EVALUATIONS])
    parser.add_argument("--output", type=Path, default=REPO / "EVALUATION.md")
    args = parser.parse_args(argv)
    chosen = [e for e in EVALUATIONS if not args.only or e.name in args.only]
    sections, skipped = [], []
    for evaluation in chosen:
        missing = [str(p) for p in evaluation.needs() if not p.exists()]
        if missing:
            skipped.append(f"{evaluation.name}: data not found ({', '.join(missing)})")
            print(f"eval: skipping {evaluation.name}: {skipped[-1]}", file=sys.stderr)
            continue
        started = time.perf_counter()
        print(f"eval: running {evaluation.name} ...", file=sys.stderr)
        sections.append(evaluation.run())
        print(
            f"eval: {evaluation.name} done in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    text = render(sections, skipped, RunInfo.now())
    if args.only:
        print(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"eval: wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
