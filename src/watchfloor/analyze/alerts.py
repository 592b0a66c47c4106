"""Alerts: rules checked against the latest days' indicators, sent with their evidence.

``evaluate_alerts`` runs after each ingest (and dry, for ``watchfloor alerts test``). For each
rule and theatre it looks at the rule's latest days; the day with the highest figure that
reaches the threshold, reported by enough independent outlets, fires, unless the rule fired for
that theatre within its cool-down. A fired alert goes to the rule's channels and into the
store's alert log, which is the cool-down state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from watchfloor.analyze.alert_rules import ANY, Rule, load_rules
from watchfloor.analyze.channels import ConsoleChannel, Delivery, Message
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.indicator_views import evidence_dict
from watchfloor.analyze.indicators import (
    WINDOW_DAYS,
    Evidence,
    Indicator,
    Measure,
    compute_indicators,
)
from watchfloor.analyze.theatres import theatre_name
from watchfloor.config import Settings
from watchfloor.extract.taxonomy import load_taxonomy
from watchfloor.store.base import AlertRecord, Store

MAX_ALERT_EVIDENCE = 8


@dataclass(slots=True)
class Alert:
    rule: Rule
    theatre: str
    day: date
    fired_at: datetime
    value: float  # the figure compared with the threshold
    measure: Measure | None  # the measure read (None for the escalation index)
    indicator: Indicator
    outlets: list[str]
    evidence: list[Evidence]
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def headline(self) -> str:
        rule = self.rule
        what = rule.metric if rule.category == ANY else f"{rule.metric} ({rule.category})"
        if rule.metric == "anomaly":
            what = f"anomaly score of {rule.measure}" + (
                f" ({rule.category})" if rule.category != ANY else ""
            )
        return (
            f"{rule.name}: {theatre_name(self.theatre)} ({self.theatre}) {what} "
            f"{_number(self.value)} on {self.day.isoformat()} (threshold {_number(rule.threshold)},"
            f" {len(self.outlets)} outlet(s))"
        )

    def payload(self) -> dict[str, Any]:
        rule, m = self.rule, self.measure
        return {
            "rule": rule.name,
            "theatre": self.theatre,
            "theatre_name": theatre_name(self.theatre),
            "day": self.day.isoformat(),
            "fired_at": self.fired_at.isoformat(),
            "metric": rule.metric,
            "of": rule.measure if rule.metric == "anomaly" else None,
            "category": rule.category,
            "value": self.value,
            "threshold": rule.threshold,
            "baseline": m.baseline if m else None,
            "anomaly": None if m is None or m.anomaly is None else round(m.anomaly, 3),
            "escalation": self.indicator.escalation,
            "min_sources": rule.min_sources,
            "outlets": self.outlets,
            "explanation": self.indicator.explain(),
            "evidence": [evidence_dict(e) for e in self.evidence],
        }

    def lines(self) -> list[str]:
        """The alert for people: the headline, the figures' context, then each article."""
        m = self.measure
        lines = [f"ALERT {self.headline}"]
        if m is not None and m.baseline is not None:
            lines.append(
                f"  baseline {_number(m.baseline)}, anomaly score {m.anomaly:+.1f};"
                f" escalation index {self.indicator.escalation:.1f}"
            )
        elif self.rule.metric == "escalation":
            drivers = ", ".join(
                f"{d.measure} +{d.contribution:.1f}" for d in self.indicator.drivers
            )
            lines.append(f"  driven by {drivers}")
        lines.append(f"  outlets: {', '.join(self.outlets)}")
        by_article: dict[str, list[Evidence]] = {}
        for e in self.evidence:
            by_article.setdefault(e.article_id, []).append(e)
        for article_id, found in by_article.items():
            lines.append(f"  [{article_id}] {found[0].outlet}: {found[0].title} <{found[0].url}>")
            lines += [f"      {e.sentence}" for e in found if e.sentence]
        return lines

    def message(self) -> Message:
        return Message(f"[watchfloor] {self.headline}", "\n".join(self.lines()) + "\n",
                       self.payload())  # fmt: skip

    def record(self) -> AlertRecord:
        return AlertRecord(
            rule=self.rule.name,
            theatre=self.theatre,
            day=self.day,
            fired_at=self.fired_at,
            metric=self.rule.metric,
            category=self.rule.category,
            value=self.value,
            threshold=self.rule.threshold,
            payload=self.payload(),
            deliveries=[d.as_dict() for d in self.deliveries],
        )


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _reading(rule: Rule, ind: Indicator) -> tuple[float, Measure | None, list[str], list[Evidence]]:
    """What the rule reads on one theatre-day: the figure, its measure, the outlets and the
    evidence behind it."""
    if rule.metric == "escalation":
        driving = [ind.measures[d.measure] for d in ind.drivers]
        outlets = sorted({o for m in driving for o in m.outlets})
        evidence = list(dict.fromkeys(e for m in driving for e in m.evidence))
        return ind.escalation, None, outlets, evidence[:MAX_ALERT_EVIDENCE]
    if rule.category != ANY:
        measure = ind.categories.get(rule.category) or Measure(value=0.0)
    else:
        measure = ind.measures[rule.measure]
    value = measure.anomaly if rule.metric == "anomaly" else measure.value
    return (value or 0.0), measure, measure.outlets, measure.evidence


def _fires(rule: Rule, ind: Indicator) -> bool:
    value, _, outlets, _ = _reading(rule, ind)
    return value >= rule.threshold and len(outlets) >= rule.min_sources


def check_rules(
    rules: list[Rule], series: list[Indicator], today: date, fired_at: datetime
) -> list[Alert]:
    """Alerts the rules raise on ``series`` for the days up to ``today``, before cool-downs:
    per rule and theatre, the day in the rule's window with the highest figure."""
    alerts = []
    for rule in rules:
        first = today - timedelta(days=rule.window_days - 1)
        best: dict[str, Indicator] = {}
        for ind in series:
            if not first <= ind.day <= today or rule.theatre not in (ANY, ind.theatre):
                continue
            if not _fires(rule, ind):
                continue
            kept = best.get(ind.theatre)
            if kept is None or _reading(rule, ind)[0] >= _reading(rule, kept)[0]:
                best[ind.theatre] = ind
        for theatre, ind in sorted(best.items()):
            value, measure, outlets, evidence = _reading(rule, ind)
            alerts.append(
                Alert(rule, theatre, ind.day, fired_at, value, measure, ind, outlets, evidence)
            )
    return alerts


def evaluate_alerts(
    store: Store,
    settings: Settings,
    rules_path: str | Path | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[Alert]:
    """Check the alert rules (``rules_path``, else ``settings.alerts``; none set: no alerts)
    as of ``now`` (default: the present), counting only articles published before it. Fired
    alerts are sent and logged; a dry run only returns what would fire (cool-downs included)
    and sends and records nothing."""
    path = rules_path or settings.alerts
    if not path:
        return []
    rules = load_rules(path, load_taxonomy(settings.taxonomy or None))
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    today = moment.astimezone(UTC).date()
    first = today - timedelta(days=max(r.window_days for r in rules) - 1)
    corpus = Corpus.load(store, since=first - timedelta(days=WINDOW_DAYS), until=moment)
    series = compute_indicators(corpus, since=first, until=today)
    fired = []
    for alert in check_rules(rules, series, today, moment):
        last = store.last_alert_at(alert.rule.name, alert.theatre)
        if last is not None and moment - last < alert.rule.cooldown:
            continue
        if not dry_run:
            message = alert.message()
            user_agent = settings.user_agent or _default_user_agent()
            alert.deliveries = [c.send(message, user_agent) for c in alert.rule.channels]
            store.record_alert(alert.record())
        fired.append(alert)
    return fired


def _default_user_agent() -> str:
    from watchfloor.ingest.fetch import USER_AGENT

    return USER_AGENT


def console_lines(alerts: list[Alert], dry_run: bool = False) -> list[str]:
    """Lines for the command to print: alerts whose rule has the console channel (in a dry
    run, every alert, each with the channels it would go to)."""
    lines = []
    for alert in alerts:
        if dry_run:
            lines += alert.lines()
            lines.append("  would go to: " + ", ".join(c.describe() for c in alert.rule.channels))
        elif any(isinstance(c, ConsoleChannel) for c in alert.rule.channels):
            lines += alert.lines()
        failed = [d for d in alert.deliveries if not d.ok]
        lines += [f"  delivery failed: {d.channel}: {d.detail}" for d in failed]
    return lines


def render_alert_log(records: list[AlertRecord]) -> str:
    """The alert log as text, newest first: when, what, and how each channel took it."""
    if not records:
        return "no alerts have fired\n"
    lines = []
    for r in records:
        outlets = r.payload.get("outlets", [])
        lines.append(
            f"{r.fired_at.isoformat()}  {r.rule}  {r.theatre} {r.day.isoformat()}  {r.metric}"
            f"{'' if r.category == ANY else ' (' + r.category + ')'} {_number(r.value)}"
            f" >= {_number(r.threshold)}  {len(outlets)} outlet(s)"
        )
        for d in r.deliveries:
            lines.append(f"    {d['channel']}: {'ok' if d['ok'] else 'FAILED'} ({d['detail']})")
    return "\n".join(lines) + "\n"
