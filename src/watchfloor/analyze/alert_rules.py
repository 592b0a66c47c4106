"""Alert rules: read from a YAML file and checked, with errors that name the file and the rule.

The file holds a list of rules, on its own or under a ``rules:`` key. A rule:

    - name: ukraine-strikes        # unique; the cool-down and the log go by it
      theatre: UA                  # ISO 3166 code or country name, or "any" (each theatre)
      category: any                # a taxonomy key (with the events metric) or "any"
      metric: strikes              # events, strikes, casualties, killed, injured, nuclear,
                                   # anomaly (a robust z-score) or escalation (the index)
      of: strikes                  # with anomaly: the measure scored (default events)
      threshold: 5                 # fires when the figure reaches it
      min_sources: 2               # independent outlets reporting it (default 1)
      cooldown: 12h                # s, m, h or d; no second alert for the theatre sooner
      window_days: 2               # the latest days looked at (default 2)
      channels:                    # default: [console]
        - console
        - {type: jsonl, path: alerts.jsonl}
        - {type: webhook, url: "https://example.org/hook", timeout: 10, headers: {}}
        - {type: email, host: localhost, port: 25, from: a@example.org, to: [b@example.org],
           starttls: false, username: ..., password_env: SMTP_PASSWORD, timeout: 10}

Relative JSONL paths are relative to the working directory. Passwords are never written in the
file: ``password_env`` names the environment variable that holds one.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from watchfloor.analyze.channels import (
    Channel,
    ConsoleChannel,
    EmailChannel,
    JsonlChannel,
    WebhookChannel,
)
from watchfloor.analyze.indicators import MEASURES
from watchfloor.analyze.theatres import theatre_code
from watchfloor.errors import CatalogError, WatchfloorError

ANY = "any"
# Measures a rule can compare with its threshold (tone has no direction a threshold fits).
FIGURES = tuple(m for m in MEASURES if m != "tone")
METRICS = (*FIGURES, "anomaly", "escalation")
DEFAULT_WINDOW_DAYS = 2  # today and yesterday: last night's attack is reported today
_FIELDS = {
    "name", "theatre", "category", "metric", "of", "threshold", "min_sources", "cooldown",
    "window_days", "channels",
}  # fmt: skip
_REQUIRED = ("name", "theatre", "metric", "threshold")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    theatre: str  # ISO alpha-2 or "any"
    category: str  # taxonomy key or "any"
    metric: str  # one of METRICS
    threshold: float
    min_sources: int = 1
    cooldown: timedelta = timedelta(0)
    window_days: int = DEFAULT_WINDOW_DAYS
    of: str = "events"  # the measure an anomaly rule scores
    channels: tuple[Channel, ...] = (ConsoleChannel(),)

    @property
    def measure(self) -> str:
        """The measure whose figures the rule reads (escalation reads the index)."""
        return self.of if self.metric == "anomaly" else self.metric


def parse_duration(value: Any) -> timedelta:
    """'90s', '30m', '12h', '2d' (or 0) as a timedelta."""
    if value == 0:
        return timedelta(0)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a duration like 30m, 12h or 2d")
    return timedelta(**{_UNITS[match[2]]: float(match[1])})


class _RuleError(Exception):
    """A problem with one rule; the loader adds the file and the rule's name."""


def load_rules(path: str | Path, categories: Collection[str]) -> list[Rule]:
    """The rules in ``path``, checked; ``categories`` are the taxonomy keys a rule may name."""
    where = Path(path)
    if not where.is_file():
        raise CatalogError(f"alert rules file {where} does not exist")
    try:
        data = yaml.safe_load(where.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"alert rules file {where} is not valid YAML: {exc}") from exc
    if isinstance(data, dict) and set(data) == {"rules"}:
        data = data["rules"]
    if not isinstance(data, list):
        raise CatalogError(f"{where}: expected a list of rules (on its own or under 'rules:')")
    rules: list[Rule] = []
    for position, raw in enumerate(data, start=1):
        label = f"#{position}"
        if isinstance(raw, dict) and isinstance(raw.get("name"), str) and raw["name"].strip():
            label = repr(raw["name"].strip())
        try:
            rule = _rule(raw, categories)
        except _RuleError as exc:
            raise CatalogError(f"{where}: rule {label}: {exc}") from None
        if any(r.name == rule.name for r in rules):
            raise CatalogError(f"{where}: rule {label}: another rule has this name")
        rules.append(rule)
    return rules


def _rule(raw: Any, categories: Collection[str]) -> Rule:
    if not isinstance(raw, dict):
        raise _RuleError("must be a mapping of name, theatre, metric, threshold, ...")
    unknown = sorted(set(map(str, raw)) - _FIELDS)
    if unknown:
        raise _RuleError(
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(_FIELDS))}"
        )
    missing = [f for f in _REQUIRED if f not in raw]
    if missing:
        raise _RuleError(f"lacks {', '.join(missing)}")
    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        raise _RuleError("name must be a non-empty string")
    metric = raw["metric"]
    if metric not in METRICS:
        raise _RuleError(f"metric {metric!r} is not one of {', '.join(METRICS)}")
    of = raw.get("of", "events")
    if "of" in raw and metric != "anomaly":
        raise _RuleError("'of' goes with metric anomaly only")
    if of not in FIGURES:
        raise _RuleError(f"of {of!r} is not one of {', '.join(FIGURES)}")
    category = raw.get("category", ANY)
    if category != ANY:
        if category not in categories:
            raise _RuleError(f"category {category!r} is not in the taxonomy nor 'any'")
        if (of if metric == "anomaly" else metric) != "events":
            raise _RuleError("a category goes with the events metric (or anomaly of events)")
    threshold = raw["threshold"]
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0:
        raise _RuleError(f"threshold must be a number above 0, not {threshold!r}")
    min_sources = raw.get("min_sources", 1)
    if isinstance(min_sources, bool) or not isinstance(min_sources, int) or min_sources < 1:
        raise _RuleError(f"min_sources must be a whole number of 1 or more, not {min_sources!r}")
    window = raw.get("window_days", DEFAULT_WINDOW_DAYS)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise _RuleError(f"window_days must be a whole number of 1 or more, not {window!r}")
    try:
        cooldown = parse_duration(raw.get("cooldown", 0))
    except ValueError as exc:
        raise _RuleError(f"cooldown: {exc}") from None
    theatre = raw["theatre"]
    if not isinstance(theatre, str):
        raise _RuleError("theatre must be a country code, a country name or 'any'")
    if theatre != ANY:
        try:
            theatre = theatre_code(theatre)
        except WatchfloorError as exc:
            raise _RuleError(str(exc)) from None
    channels = raw.get("channels", ["console"])
    if not isinstance(channels, list) or not channels:
        raise _RuleError("channels must be a list with at least one channel")
    return Rule(
        name=name.strip(),
        theatre=theatre,
        category=category,
        metric=metric,
        threshold=float(threshold),
        min_sources=min_sources,
        cooldown=cooldown,
        window_days=window,
        of=of,
        channels=tuple(_channel(c, n) for n, c in enumerate(channels, start=1)),
    )


_CHANNEL_FIELDS = {
    "console": (set(), set()),
    "jsonl": ({"path"}, set()),
    "webhook": ({"url"}, {"timeout", "headers"}),
    "email": ({"host", "from", "to"}, {"port", "starttls", "username", "password_env", "timeout"}),
}


def _channel(raw: Any, position: int) -> Channel:
    where = f"channel {position}"
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, dict) or raw.get("type") not in _CHANNEL_FIELDS:
        raise _RuleError(f"{where}: give a type, one of {', '.join(_CHANNEL_FIELDS)}")
    kind = raw["type"]
    required, optional = _CHANNEL_FIELDS[kind]
    fields = set(raw) - {"type"}
    unknown = sorted(fields - required - optional)
    if unknown:
        known = ", ".join(sorted(required | optional)) or "none"
        raise _RuleError(f"{where} ({kind}): unknown field(s) {', '.join(unknown)}; known: {known}")
    missing = sorted(required - fields)
    if missing:
        raise _RuleError(f"{where} ({kind}): lacks {', '.join(missing)}")

    def text(key: str) -> str:
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            raise _RuleError(f"{where} ({kind}): {key} must be a non-empty string")
        return value.strip()

    def seconds() -> float:
        value = raw.get("timeout", 10)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise _RuleError(f"{where} ({kind}): timeout must be a number of seconds above 0")
        return float(value)

    if kind == "console":
        return ConsoleChannel()
    if kind == "jsonl":
        return JsonlChannel(Path(text("path")))
    if kind == "webhook":
        url = text("url")
        if not url.startswith(("http://", "https://")):
            raise _RuleError(f"{where} (webhook): url must start with http:// or https://")
        headers = raw.get("headers", {})
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise _RuleError(f"{where} (webhook): headers must map names to strings")
        return WebhookChannel(url, seconds(), tuple(sorted(headers.items())))
    recipients = raw["to"] if isinstance(raw["to"], list) else [raw["to"]]
    if not recipients or not all(isinstance(r, str) and "@" in r for r in recipients):
        raise _RuleError(f"{where} (email): to must be an address or a list of addresses")
    port = raw.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise _RuleError(f"{where} (email): port must be a whole number from 1 to 65535")
    starttls = raw.get("starttls", False)
    if not isinstance(starttls, bool):
        raise _RuleError(f"{where} (email): starttls must be true or false")
    username = text("username") if "username" in raw else None
    password_env = text("password_env") if "password_env" in raw else None
    if bool(username) != bool(password_env):
        raise _RuleError(f"{where} (email): username and password_env go together")
    return EmailChannel(
        host=text("host"),
        port=port,
        sender=text("from"),
        recipients=tuple(recipients),
        starttls=starttls,
        username=username,
        password_env=password_env,
        timeout=seconds(),
    )
