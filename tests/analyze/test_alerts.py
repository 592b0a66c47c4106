import json
import socket
import threading
import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

import pytest
from aiosmtpd.controller import Controller

from tests.analyze.factbuilder import june_scenario
from watchfloor.analyze.alert_rules import load_rules, parse_duration
from watchfloor.analyze.alerts import console_lines, evaluate_alerts, render_alert_log
from watchfloor.config import Settings
from watchfloor.errors import CatalogError
from watchfloor.extract.taxonomy import load_taxonomy

NOON_17 = datetime.fromisoformat("2025-06-17T12:00:00+00:00")
CATEGORIES = set(load_taxonomy())
EXAMPLE = resources.files("watchfloor.data").joinpath("alerts.yaml")


@pytest.fixture
def scenario_store(store):
    store.add(june_scenario())
    return store


def write_rules(tmp_path, text: str):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- loopback servers ------------------------------------------------------------------------


class Webhook:
    """A threaded HTTP server on 127.0.0.1 recording POSTed JSON; answers ``status`` after
    ``delay`` seconds."""

    def __init__(self, status: int = 200, delay: float = 0.0):
        self.status, self.delay = status, delay
        self.received: list[tuple[dict, dict]] = []  # (headers, JSON body)
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.received.append((dict(self.headers.items()), json.loads(body)))
                time.sleep(hook.delay)
                try:
                    self.send_response(hook.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out first

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class Mailbox:
    """aiosmtpd handler keeping what it was sent."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, mailbox
    controller.stop()


# -- rules -------------------------------------------------------------------------------------

STRIKES = """
- name: ua-strikes
  theatre: Ukraine
  metric: strikes
  threshold: 2
  cooldown: 12h
  window_days: 3
  channels: [console, {{type: jsonl, path: "{jsonl}"}}]
"""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- {name: a, theatre: UA, metric: deaths, threshold: 1}",
         "rule 'a': metric 'deaths' is not one of events, strikes, casualties, killed, "
         "injured, nuclear, anomaly, escalation"),
        ("- {name: a, theatre: UA, metric: events, category: piracy, threshold: 1}",
         "rule 'a': category 'piracy' is not in the taxonomy nor 'any'"),
        ("- {name: a, theatre: UA, metric: strikes, category: strike_drone, threshold: 1}",
         "rule 'a': a category goes with the events metric (or anomaly of events)"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1, of: events}",
         "rule 'a': 'of' goes with metric anomaly only"),
        ("- {name: a, theatre: Atlantis, metric: strikes, threshold: 1}",
         "rule 'a': theatre 'Atlantis' is not a country"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 0}",
         "rule 'a': threshold must be a number above 0, not 0"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1, cooldown: soon}",
         "rule 'a': cooldown: 'soon' is not a duration like 30m, 12h or 2d"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1, min_sources: 0}",
         "rule 'a': min_sources must be a whole number of 1 or more, not 0"),
        ("- {theatre: UA, metric: strikes, threshold: 1}", "rule #1: lacks name"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1, colour: red}",
         "rule 'a': unknown field(s) colour; known: category, channels, cooldown, metric, "
         "min_sources, name, of, theatre, threshold, window_days"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1}\n"
         "- {name: a, theatre: FI, metric: strikes, threshold: 1}",
         "rule 'a': another rule has this name"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1, channels: [pager]}",
         "rule 'a': channel 1: give a type, one of console, jsonl, webhook, email"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1,"
         " channels: [{type: webhook, url: 'ftp://x'}]}",
         "rule 'a': channel 1 (webhook): url must start with http:// or https://"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1,"
         " channels: [{type: email, host: h, from: a@b.c}]}",
         "rule 'a': channel 1 (email): lacks to"),
        ("- {name: a, theatre: UA, metric: strikes, threshold: 1,"
         " channels: [{type: email, host: h, from: a@b.c, to: x@y.z, username: u}]}",
         "rule 'a': channel 1 (email): username and password_env go together"),
        ("rules: {name: a}", "expected a list of rules (on its own or under 'rules:')"),
        ("- [unclosed", "is not valid YAML"),
    ],
)  # fmt: skip
def test_rule_errors_name_the_file_and_the_rule(tmp_path, text, problem):
    path = write_rules(tmp_path, text)
    with pytest.raises(CatalogError) as caught:
        load_rules(path, CATEGORIES)
    message = str(caught.value)
    assert str(path) in message and problem in message


def test_missing_rules_file(tmp_path):
    with pytest.raises(CatalogError, match="alert rules file .*nope.yaml does not exist"):
        load_rules(tmp_path / "nope.yaml", CATEGORIES)


def test_durations():
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("1.5d") == timedelta(hours=36)
    assert parse_duration(0) == timedelta(0)


def test_example_rules_load():
    rules = load_rules(EXAMPLE, CATEGORIES)
    assert [(r.name, r.theatre, r.metric, r.threshold) for r in rules] == [
        ("ukraine-strikes", "UA", "strikes", 3.0),
        ("ukraine-killed", "UA", "killed", 10.0),
        ("nuclear-statements", "any", "nuclear", 3.0),
        ("escalation-anywhere", "any", "escalation", 15.0),
    ]
    assert rules[0].cooldown == timedelta(hours=12) and rules[0].min_sources == 2


# -- evaluation ------------------------------------------------------------------------------


def test_dry_run_sends_and_records_nothing(scenario_store, tmp_path):
    jsonl = tmp_path / "alerts.jsonl"
    rules = write_rules(tmp_path, STRIKES.format(jsonl=jsonl))
    alerts = evaluate_alerts(scenario_store, Settings(), rules, dry_run=True, now=NOON_17)
    assert [(a.rule.name, a.theatre, a.day.isoformat(), a.value) for a in alerts] == [
        ("ua-strikes", "UA", "2025-06-16", 2.0)
    ]
    assert not jsonl.exists() and scenario_store.alert_log() == []
    lines = console_lines(alerts, dry_run=True)
    assert lines[0] == (
        "ALERT ua-strikes: Ukraine (UA) strikes 2 on 2025-06-16 (threshold 2, 1 outlet(s))"
    )
    assert lines[-1] == f"  would go to: console, jsonl {jsonl}"


def test_alert_fires_once_per_cooldown_and_is_logged(scenario_store, tmp_path):
    jsonl = tmp_path / "out" / "alerts.jsonl"
    rules = write_rules(tmp_path, STRIKES.format(jsonl=jsonl))
    first = evaluate_alerts(scenario_store, Settings(), rules, now=NOON_17)
    assert [d.as_dict() for d in first[0].deliveries] == [
        {"channel": "console", "ok": True, "detail": "printed by the command"},
        {"channel": f"jsonl {jsonl}", "ok": True, "detail": "appended"},
    ]
    assert (
        evaluate_alerts(scenario_store, Settings(), rules, now=NOON_17 + timedelta(hours=11)) == []
    )
    again = evaluate_alerts(scenario_store, Settings(), rules, now=NOON_17 + timedelta(hours=13))
    assert [a.day.isoformat() for a in again] == ["2025-06-16"]
    written = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(written) == 2
    payload = written[0]
    assert (payload["rule"], payload["theatre"], payload["value"], payload["baseline"]) == (
        "ua-strikes", "UA", 2.0, 0.0,
    )  # fmt: skip
    assert [e["sentence"] for e in payload["evidence"]] == [
        "At least 14 people were killed as drones and missiles hit Ukraine overnight.",
        "Russia launched 440 drones.",
    ]
    assert {e["outlet"] for e in payload["evidence"]} == {"Wire"}
    assert all(e["url"].startswith("https://wire.example/") for e in payload["evidence"])
    log = scenario_store.alert_log()
    assert [(r.rule, r.theatre, r.fired_at) for r in log] == [
        ("ua-strikes", "UA", NOON_17 + timedelta(hours=13)),
        ("ua-strikes", "UA", NOON_17),
    ]
    assert render_alert_log(log[1:]).splitlines() == [
        "2025-06-17T12:00:00+00:00  ua-strikes  UA 2025-06-16  strikes 2 >= 2  1 outlet(s)",
        "    console: ok (printed by the command)",
        f"    jsonl {jsonl}: ok (appended)",
    ]


def test_sources_metrics_and_theatres(scenario_store, tmp_path):
    rules = write_rules(
        tmp_path,
        """
rules:
  - {name: killed-2, theatre: UA, metric: killed, threshold: 10, min_sources: 2}
  - {name: killed-3, theatre: UA, metric: killed, threshold: 10, min_sources: 3}
  - {name: escalation, theatre: any, metric: escalation, threshold: 12}
  - {name: strike-score, theatre: any, metric: anomaly, of: strikes, threshold: 2}
  - {name: drones, theatre: any, metric: events, category: strike_drone, threshold: 2}
  - {name: nuclear, theatre: any, metric: nuclear, threshold: 1}
""",
    )
    alerts = evaluate_alerts(scenario_store, Settings(), rules, dry_run=True, now=NOON_17)
    assert [(a.rule.name, a.theatre, a.day.isoformat(), a.value, a.outlets) for a in alerts] == [
        ("killed-2", "UA", "2025-06-16", 14.0, ["Digest", "Wire"]),
        ("escalation", "UA", "2025-06-16", 13.0, ["Digest", "Wire"]),
        ("strike-score", "UA", "2025-06-16", 2.0, ["Wire"]),
        ("drones", "UA", "2025-06-16", 2.0, ["Wire"]),
    ]
    escalation = alerts[1]
    assert escalation.lines()[1] == "  driven by casualties +10.0, strikes +2.0, events +1.0"
    assert escalation.payload()["explanation"][0].startswith("casualties 14 against a baseline")


def test_no_rules_no_alerts(scenario_store):
    assert evaluate_alerts(scenario_store, Settings(), None, now=NOON_17) == []


def test_rules_file_from_settings(scenario_store, tmp_path):
    rules = write_rules(tmp_path, STRIKES.format(jsonl=tmp_path / "a.jsonl"))
    settings = Settings().with_overrides(alerts=str(rules))
    assert len(evaluate_alerts(scenario_store, settings, dry_run=True, now=NOON_17)) == 1


# -- channels ----------------------------------------------------------------------------------


def hook_rules(tmp_path, url: str, timeout: float = 5) -> object:
    return write_rules(
        tmp_path,
        f"""
- name: hook
  theatre: UA
  metric: strikes
  threshold: 2
  channels:
    - {{type: webhook, url: "{url}", timeout: {timeout}, headers: {{X-Token: abc}}}}
    - {{type: jsonl, path: "{tmp_path / "kept.jsonl"}"}}
""",
    )


def test_webhook_posts_the_alert(scenario_store, tmp_path):
    with Webhook() as hook:
        alerts = evaluate_alerts(scenario_store, Settings(), hook_rules(tmp_path, hook.url),
                                 now=NOON_17)  # fmt: skip
    assert alerts[0].deliveries[0].as_dict() == {
        "channel": f"webhook {hook.url}", "ok": True, "detail": "HTTP 200",
    }  # fmt: skip
    headers, body = hook.received[0]
    assert headers["X-Token"] == "abc" and headers["User-Agent"].startswith("Watchfloor/")
    assert (body["rule"], body["theatre"], body["day"], body["value"]) == (
        "hook", "UA", "2025-06-16", 2.0,
    )  # fmt: skip
    assert {e["title"] for e in body["evidence"]} == {"Night attack"}


@pytest.mark.parametrize(
    ("status", "delay", "timeout", "detail"),
    [(500, 0.0, 5, "HTTP 500"), (200, 2.0, 0.3, "ReadTimeout")],
)
def test_webhook_failures_are_recorded_not_raised(
    scenario_store, tmp_path, status, delay, timeout, detail
):
    with Webhook(status, delay) as hook:
        rules = hook_rules(tmp_path, hook.url, timeout)
        alerts = evaluate_alerts(scenario_store, Settings(), rules, now=NOON_17)
    failed, kept = alerts[0].deliveries
    assert not failed.ok and detail in failed.detail and kept.ok
    logged = scenario_store.alert_log()[0].deliveries[0]
    assert logged["ok"] is False and detail in logged["detail"]
    assert console_lines(alerts)[-1].startswith(f"  delivery failed: webhook {hook.url}: ")


def test_unreachable_webhook(scenario_store, tmp_path):
    url = f"http://127.0.0.1:{free_port()}/hook"
    alerts = evaluate_alerts(scenario_store, Settings(), hook_rules(tmp_path, url), now=NOON_17)
    assert alerts[0].deliveries[0].detail.startswith("ConnectError")


def mail_rules(tmp_path, port: int):
    return write_rules(
        tmp_path,
        f"""
- name: mail
  theatre: UA
  metric: killed
  threshold: 10
  min_sources: 2
  channels:
    - {{type: email, host: 127.0.0.1, port: {port}, from: watch@example.org,
       to: [desk@example.org, duty@example.org], timeout: 5}}
""",
    )


def test_email_sends_the_alert_with_its_evidence(scenario_store, tmp_path, smtp_server):
    port, mailbox = smtp_server
    alerts = evaluate_alerts(scenario_store, Settings(), mail_rules(tmp_path, port), now=NOON_17)
    assert alerts[0].deliveries[0].ok, alerts[0].deliveries[0].detail
    envelope = mailbox.envelopes[0]
    assert envelope.mail_from == "watch@example.org"
    assert envelope.rcpt_tos == ["desk@example.org", "duty@example.org"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["Subject"] == (
        "[watchfloor] mail: Ukraine (UA) killed 14 on 2025-06-16 (threshold 10, 2 outlet(s))"
    )
    text = mail.get_body(("plain",)).get_content()
    assert "      At least 14 died in the capital." in text
    attachment = next(mail.iter_attachments())
    assert attachment.get_filename() == "alert.json"
    assert json.loads(attachment.get_content())["outlets"] == ["Digest", "Wire"]


def test_email_failure_is_recorded(scenario_store, tmp_path):
    rules = mail_rules(tmp_path, free_port())
    alerts = evaluate_alerts(scenario_store, Settings(), rules, now=NOON_17)
    assert alerts[0].deliveries[0].detail.startswith("ConnectionRefusedError")
    assert scenario_store.alert_log()[0].deliveries[0]["ok"] is False


# -- the demo ----------------------------------------------------------------------------------


def test_example_rules_fire_on_the_demo_attack(demo_store):
    evening = datetime.fromisoformat("2025-06-17T20:00:00+00:00")
    alerts = evaluate_alerts(demo_store, Settings(), EXAMPLE, dry_run=True, now=evening)
    strikes = next(a for a in alerts if a.rule.name == "ukraine-strikes")
    assert strikes.theatre == "UA" and strikes.day.isoformat() in ("2025-06-16", "2025-06-17")
    assert strikes.value >= 3 and len(strikes.outlets) >= 2
    # Each outlet's first report comes before anyone's second: the evidence shows them all.
    assert {e.outlet for e in strikes.evidence} == set(strikes.outlets)
    assert all(e.url.startswith("https://") and e.sentence for e in strikes.evidence)
    assert demo_store.alert_log() == []
