"""Page extraction scores on real saved pages (../shared/corpus/fixtures_html).

Each page goes through the path a saved page takes into Watchfloor: ``read_path`` on the
``.html.gz`` file (trafilatura with our settings, then ``build_article``). A page we reject
counts as extracting nothing.

- Zyte article-extraction benchmark: 181 pages with gold main text. Main-text precision,
  recall and F1 by the benchmark's own definition (eval/scoring.py), and the bag-of-words
  variant.
- Fundus parser fixtures: 258 pages with the fields Fundus' hand-written publisher parsers
  extract. Title exact match (whitespace collapsed, invisible characters dropped), publication
  day, publication instant (within a minute, where Fundus gives the time with its UTC offset;
  a time of ours without an offset counts as wrong), author (every word of one expected name
  among the words of ours) and body bag-of-words F1 against the expected summary, subheadings
  and paragraphs.

A page's language is the one detected in its gold text, so the English subset does not depend
on what we extracted.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from statistics import fmean

import trafilatura

from eval.paths import html_fixtures_dir
from eval.report import Score, Section, package_version
from eval.scoring import (
    PRF,
    Overlap,
    macro_prf,
    overlap,
    same_text,
    share,
    token_f1,
    visible,
    words,
)
from watchfloor.ingest.language import detect_language
from watchfloor.ingest.readers import read_path
from watchfloor.model import Article, Reject

ZYTE = "article_extraction_benchmark"
FUNDUS = "fundus_test_data"
ENGLISH = "en"
# Pages and parsers disagree by seconds or milliseconds on the same publication moment.
INSTANT_TOLERANCE = timedelta(minutes=1)
MAX_WORKERS = 4

# Published anchor: trafilatura 2.0.0, ``trafilatura.extract(html, include_comments=False)``,
# in the results table of the benchmark's README ("Results of the latest evaluation").
ZYTE_ANCHOR_SOURCE = "github.com/scrapinghub/article-extraction-benchmark README"
ZYTE_ANCHOR = {"precision": 0.938, "recall": 0.978, "f1": 0.958}


def extract(path: Path) -> Article | Reject:
    """Our article from a saved page, or the reader's reject."""
    return next(r for r in read_path(path) if isinstance(r, Article | Reject))


def reject_kind(reject: Reject) -> str:
    """The reason without the quoted value ("unreadable publication date")."""
    return reject.reason.split(" '")[0]


# -- Zyte benchmark --------------------------------------------------------------------------


@dataclass
class ZytePage:
    id: str
    path: Path
    gold: str

    @cached_property
    def language(self) -> str:
        return detect_language(self.gold)


def zyte_pages() -> list[ZytePage]:
    root = html_fixtures_dir() / ZYTE
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        ZytePage(page_id, root / "html" / f"{page_id}.html.gz", item["articleBody"])
        for page_id, item in sorted(truth.items())
    ]


@dataclass(frozen=True, slots=True)
class ZyteScores:
    pages: int
    rejected: int
    benchmark: PRF  # 4-word shingles, the published definition
    bag_of_words: PRF


def zyte_scores(predicted: dict[str, str], pages: list[ZytePage]) -> ZyteScores:
    """Scores of ``predicted`` (page id -> extracted text, "" when rejected) on ``pages``."""

    def overlaps(n: int) -> list[Overlap]:
        return [overlap(p.gold, predicted[p.id], n) for p in pages]

    return ZyteScores(
        pages=len(pages),
        rejected=sum(not predicted[p.id] for p in pages),
        benchmark=macro_prf(overlaps(4)),
        bag_of_words=macro_prf(overlaps(1)),
    )


# -- Fundus fixtures -------------------------------------------------------------------------

_VERSION = re.compile(r"^V(\d+)(?:_(\d+))?$")


def _version_order(key: str) -> tuple[int, int]:
    match = _VERSION.match(key)
    if not match:
        raise ValueError(f"unexpected Fundus parser version key {key!r}")
    return int(match.group(1)), int(match.group(2) or 0)


@dataclass
class FundusPage:
    path: Path
    publisher: str
    version: str
    title: str
    authors: list[str]
    published: datetime
    body: str

    @cached_property
    def language(self) -> str:
        return detect_language(self.body)


def _body_text(body: dict) -> str:
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += section.get("headline") or []
        parts += section.get("paragraphs") or []
    return "\n\n".join(parts)


def fundus_pages() -> list[FundusPage]:
    """Every Fundus page with its expected fields.

    ``<Publisher>.json`` holds one expected parse per parser version; the k-th oldest
    ``<Publisher>_<YYYY_MM_DD>.html.gz`` was crawled while the k-th version was current.
    """
    pages = []
    for expected_file in sorted((html_fixtures_dir() / FUNDUS).glob("*/*.json")):
        publisher = expected_file.stem
        dated = re.compile(rf"^{re.escape(publisher)}_(\d{{4}}_\d{{2}}_\d{{2}})\.html\.gz$")
        htmls = sorted(
            (m.group(1), p) for p in expected_file.parent.iterdir() if (m := dated.match(p.name))
        )
        versions = json.loads(expected_file.read_text(encoding="utf-8"))
        keys = sorted(versions, key=_version_order)
        if len(keys) != len(htmls):
            raise ValueError(f"{expected_file}: {len(keys)} versions for {len(htmls)} pages")
        for key, (_day, html) in zip(keys, htmls, strict=True):
            fields = versions[key]
            pages.append(
                FundusPage(
                    path=html,
                    publisher=f"{expected_file.parent.name}/{publisher}",
                    version=key,
                    title=fields["title"],
                    authors=fields.get("authors") or [],
                    published=datetime.fromisoformat(fields["publishing_date"]),
                    body=_body_text(fields["body"]),
                )
            )
    return pages


def same_day(found: datetime | None, expected: datetime) -> bool:
    """Same calendar day, read in the expected value's own time zone when it has one."""
    if found is None:
        return False
    if found.tzinfo and expected.tzinfo:
        found = found.astimezone(expected.tzinfo)
    return found.date() == expected.date()


def same_instant(found: datetime | None, expected: datetime) -> bool:
    """Same moment to within a minute; a time without a UTC offset is no instant."""
    return (
        found is not None and found.tzinfo is not None and abs(found - expected) < INSTANT_TOLERANCE
    )


def has_author(found: str | None, expected: list[str]) -> bool:
    """Some expected name's words all appear in ours ("Rachel Brazil" in "Brazil; Rachel")."""
    ours = {w.casefold() for w in words(found or "")}
    names = [{w.casefold() for w in words(name)} for name in expected]
    return any(name and name <= ours for name in names)


@dataclass(frozen=True, slots=True)
class FundusScores:
    pages: int
    rejected: int
    title: tuple[float, int]  # (share correct, pages compared)
    date_day: tuple[float, int]
    date_instant: tuple[float, int]
    author: tuple[float, int]
    body_f1: float


Found = dict[Path, Article | Reject]


def _field(found: Found, page: FundusPage | ZytePage, name: str):
    article = found[page.path]
    return getattr(article, name) if isinstance(article, Article) else None


def fundus_scores(found: Found, pages: list[FundusPage]) -> FundusScores:
    timed = [p for p in pages if p.published.tzinfo is not None]
    with_authors = [p for p in pages if any(a.strip() for a in p.authors)]
    return FundusScores(
        pages=len(pages),
        rejected=sum(isinstance(found[p.path], Reject) for p in pages),
        title=share(
            _field(found, p, "title") is not None and same_text(_field(found, p, "title"), p.title)
            for p in pages
        ),
        date_day=share(same_day(_field(found, p, "published"), p.published) for p in pages),
        date_instant=share(same_instant(_field(found, p, "published"), p.published) for p in timed),
        author=share(has_author(_field(found, p, "author"), p.authors) for p in with_authors),
        body_f1=fmean(token_f1(p.body, _field(found, p, "text") or "") for p in pages)
        if pages
        else 0.0,
    )


# -- running ---------------------------------------------------------------------------------


def extract_all(paths: list[Path], workers: int | None = None) -> Found:
    """Our article for every page, extracted in parallel (trafilatura is CPU-bound)."""
    workers = workers or min(MAX_WORKERS, len(os.sched_getaffinity(0)))
    if workers == 1:
        return {path: extract(path) for path in paths}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(zip(paths, pool.map(extract, paths, chunksize=8), strict=True))


def zyte_predictions(found: Found, pages: list[ZytePage]) -> dict[str, str]:
    return {p.id: _field(found, p, "text") or "" for p in pages}


def misses(found: Found, pages: list[FundusPage | ZytePage]) -> Counter[str]:
    """Why pages fell short, counted by kind, for the notes under the scores."""
    kinds: Counter[str] = Counter()
    for page in pages:
        result = found[page.path]
        if isinstance(result, Reject):
            kinds[f"rejected: {reject_kind(result)}"] += 1
            continue
        if not isinstance(page, FundusPage):
            continue
        if not same_text(result.title, page.title):
            extended = visible(result.title).startswith(visible(page.title))
            kinds[
                "title: ours is the headline followed by more (site name, date)"
                if extended
                else "title: a different headline"
            ] += 1
        ours, expected = result.published, page.published
        if expected.tzinfo and not same_instant(ours, expected):
            if ours is None:
                kinds["time: none found"] += 1
            elif ours.time() == time():
                kinds["time: day only"] += 1
            elif same_instant(ours.replace(tzinfo=expected.tzinfo), expected):
                # An article's time written without a zone is read as UTC (`Article`).
                kinds["time: the local time, written without its UTC offset"] += 1
            else:
                kinds["time: a different moment"] += 1
    return kinds


def _plain_trafilatura(path: Path) -> str:
    html = gzip.decompress(path.read_bytes()).decode("utf-8")
    return trafilatura.extract(html, include_comments=False) or ""


def plain_trafilatura(pages: list[ZytePage], workers: int | None = None) -> dict[str, str]:
    """The anchor's own call on the same pages, for a comparison on this machine."""
    workers = workers or min(MAX_WORKERS, len(os.sched_getaffinity(0)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        texts = pool.map(_plain_trafilatura, [p.path for p in pages], chunksize=8)
        return dict(zip((p.id for p in pages), texts, strict=True))


# -- the EVALUATION.md section ---------------------------------------------------------------


def _languages(found: Found, pages: list[FundusPage] | list[ZytePage], kind: str) -> str:
    langs = Counter(
        p.language
        for p in pages
        if isinstance(found[p.path], Reject) and f"rejected: {reject_kind(found[p.path])}" == kind
    )
    return ", ".join(f"{lang} {count}" for lang, count in langs.most_common())


def pages_section() -> Section:
    zyte, fundus = zyte_pages(), fundus_pages()
    found = extract_all([p.path for p in zyte] + [p.path for p in fundus])
    predicted = zyte_predictions(found, zyte)
    plain = plain_trafilatura(zyte)
    anchor = f"trafilatura 2.0.0: {{:.3f}} ({ZYTE_ANCHOR_SOURCE})"
    section = Section(
        title="Page extraction (saved HTML pages through `read_path`)",
        intro=(
            "Each page goes through `read_path` on its `.html.gz` file, as a saved page does "
            "(trafilatura with our settings, then `build_article`); a rejected page counts as "
            "extracting nothing. English = pages whose gold text is detected as English."
        ),
    )
    for label, zyte_subset in (
        ("all languages", zyte),
        ("English", [p for p in zyte if p.language == ENGLISH]),
    ):
        dataset = f"Zyte benchmark, {label}"
        ours, base = zyte_scores(predicted, zyte_subset), zyte_scores(plain, zyte_subset)
        n = ours.pages
        for metric, shown in (("f1", "F1"), ("precision", "precision"), ("recall", "recall")):
            section.scores.append(
                Score(
                    f"main text {shown} (4-word shingles)",
                    dataset,
                    n,
                    getattr(ours.benchmark, metric),
                    anchor.format(ZYTE_ANCHOR[metric]) if zyte_subset is zyte else "—",
                )
            )
        section.scores += [
            Score("main text F1, bag of words", dataset, n, ours.bag_of_words.f1),
            Score("pages rejected", dataset, n, ours.rejected / n),
            Score(
                f"main text F1 (4-word shingles), plain `trafilatura.extract` "
                f"{package_version('trafilatura')} on this machine",
                dataset,
                n,
                base.benchmark.f1,
            ),
        ]
    for label, subset in (
        ("all languages", fundus),
        ("English", [p for p in fundus if p.language == ENGLISH]),
    ):
        dataset = f"Fundus fixtures, {label}"
        scores = fundus_scores(found, subset)
        section.scores += [
            Score("title exact match", dataset, scores.title[1], scores.title[0]),
            Score("publication day", dataset, scores.date_day[1], scores.date_day[0]),
            Score(
                "publication instant (±1 min, where given with offset)",
                dataset,
                scores.date_instant[1],
                scores.date_instant[0],
            ),
            Score("author (one expected name found)", dataset, scores.author[1], scores.author[0]),
            Score("body F1, bag of words", dataset, scores.pages, scores.body_f1),
            Score("pages rejected", dataset, scores.pages, scores.rejected / scores.pages),
        ]
    section.notes += [
        "Main-text scores follow the Zyte benchmark's own definition (word tokens, 4-word "
        "shingles, precision averaged over pages with output, recall over pages with gold "
        "text, F1 of the two averages); its published figures are for all 181 pages.",
        "The anchor was run by the benchmark with `trafilatura.extract(html, "
        "include_comments=False)`; we call `bare_extraction` without tables and with metadata, "
        "and drop a first paragraph that repeats the title. The plain-call row measures that "
        "difference on this machine.",
        "Fundus pairing: `<Publisher>.json` holds one expected parse per parser version; the "
        "k-th oldest page of a publisher goes with the k-th version (V1 < V1_1 < V2).",
    ]
    for name, pages in (("Zyte", zyte), ("Fundus", fundus)):
        for kind, count in sorted(misses(found, pages).items()):
            detail = f" (languages: {_languages(found, pages, kind)})" if "rejected" in kind else ""
            section.notes.append(f"{name} shortfall, {kind}: {count} of {len(pages)}{detail}")
    return section
