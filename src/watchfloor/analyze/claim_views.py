"""`watchfloor claims` output: claims with their independent sources and links, single-source
marks, and figure disputes (updates and contradictions) with who said what when."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from watchfloor.analyze.contradictions import disputes_in
from watchfloor.analyze.corroboration import claims_in, load_corpus
from watchfloor.analyze.counts import MEASURES
from watchfloor.model import Claim, FigureDispute, FigureReport, Support
from watchfloor.store.base import Store


def claims_and_disputes(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    query: str | None = None,
    single_source: bool = False,
) -> tuple[list[Claim], list[FigureDispute]]:
    """Claims (only single-source ones with ``single_source``) and figure disputes of the
    articles published from ``since`` through ``until`` that match ``query``."""
    corpus = load_corpus(store, since, until, query=query)
    claims = claims_in(corpus)
    disputes = disputes_in(corpus, claims)
    if single_source:
        claims = [c for c in claims if c.single_source]
    return claims, disputes


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def render_claims_json(claims: list[Claim], disputes: list[FigureDispute]) -> str:
    data = {
        "claims": [_json_value(asdict(c)) for c in claims],
        "disputes": [_json_value(asdict(d)) for d in disputes],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "undated"
    if moment.tzinfo:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _support_line(s: Support) -> str:
    line = f"  - {s.outlet}, {_when(s.published)}, sentence {s.sentence_index}: {s.url}"
    if s.copy_of:
        line += f"  (copy of {s.copy_of}: adds no source)"
    return line


def _sources(count: int) -> str:
    return f"{count} source" + ("" if count == 1 else "s")


def _claim_lines(claim: Claim) -> list[str]:
    facets = [
        claim.kind,
        claim.day.isoformat() if claim.day else "undated",
        claim.theatre or "-",
        claim.category or "-",
    ]
    mark = "  [single source]" if claim.single_source else ""
    return [
        f"{_sources(claim.independent_sources)}{mark}  {'  '.join(facets)}",
        f"  {claim.text}",
        *(_support_line(s) for s in claim.supports),
    ]


def _report_line(r: FigureReport, conflicting: bool) -> str:
    said = f"  - {_when(r.published)}  {r.outlet}: {r.text}"
    if r.attributed_to:
        said += f", citing {r.attributed_to}"
    said += f"  (sentence {r.sentence_index}: {r.url})"
    return said + ("  [conflicting]" if conflicting else "")


def dispute_summary(d: FigureDispute) -> str:
    """One line: what was reported how, and what to use."""
    subject = MEASURES.get(d.what, d.what) + (f" in {d.place}" if d.place else "")
    if d.kind == "date":
        subject = f"date of {d.key.removeprefix('date|')}"
    when = f" (happening of {d.day.isoformat()})" if d.day else ""
    latest = d.latest
    if d.verdict == "update":
        return (
            f"UPDATE  {subject}{when}: rose from {d.reports[0].text} ({d.reports[0].outlet}) "
            f"to {latest.text} ({latest.outlet}); use {latest.text}"
        )
    if d.verdict == "contradiction":
        figures = " vs ".join(dict.fromkeys(f"{r.text} ({r.outlet})" for r in d.conflicting))
        return f"CONTRADICTION  {subject}{when}: {figures}"
    return f"AGREEMENT  {subject}{when}: {latest.text}"


def render_claims_table(claims: list[Claim], disputes: list[FigureDispute]) -> str:
    """Claims, best corroborated first, each with its supporting articles; then disputes."""
    single = sum(c.single_source for c in claims)
    lines = [f"CLAIMS: {len(claims)} ({single} single-source)", ""]
    for claim in claims:
        lines += [*_claim_lines(claim), ""]
    lines += [f"FIGURE DISPUTES: {len(disputes)}", ""]
    for d in disputes:
        conflicting = {id(r) for r in d.conflicting}
        lines.append(dispute_summary(d))
        lines += [_report_line(r, id(r) in conflicting) for r in d.reports]
        lines.append("")
    return "\n".join(lines)
