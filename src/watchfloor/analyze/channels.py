"""Where alerts go: the console, a JSON Lines file, a webhook, e-mail.

A channel never raises: a failed delivery is returned (and logged with the alert) so one broken
webhook does not stop the other channels or the ingest that triggered the alert.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class Message:
    subject: str  # one line
    text: str  # the alert for people: figures, then evidence
    payload: dict[str, Any]  # the alert as data


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: str  # the channel as described ("webhook https://...")
    ok: bool
    detail: str  # what happened; the error when it failed

    def as_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "ok": self.ok, "detail": self.detail}


def _failed(channel: str, exc: BaseException) -> Delivery:
    return Delivery(channel, False, f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True, slots=True)
class ConsoleChannel:
    """The command that evaluated the rules prints the alert."""

    def describe(self) -> str:
        return "console"

    def send(self, message: Message, user_agent: str) -> Delivery:
        return Delivery(self.describe(), True, "printed by the command")


@dataclass(frozen=True, slots=True)
class JsonlChannel:
    path: Path

    def describe(self) -> str:
        return f"jsonl {self.path}"

    def send(self, message: Message, user_agent: str) -> Delivery:
        line = json.dumps(message.payload, ensure_ascii=False, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        except OSError as exc:
            return _failed(self.describe(), exc)
        return Delivery(self.describe(), True, "appended")


@dataclass(frozen=True, slots=True)
class WebhookChannel:
    url: str
    timeout: float = 10.0  # seconds, for connecting and for each read
    headers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return f"webhook {self.url}"

    def send(self, message: Message, user_agent: str) -> Delivery:
        headers = {"User-Agent": user_agent, **dict(self.headers)}
        try:
            response = httpx.post(
                self.url, json=message.payload, headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            return _failed(self.describe(), exc)
        if not response.is_success:
            return Delivery(self.describe(), False, f"HTTP {response.status_code}")
        return Delivery(self.describe(), True, f"HTTP {response.status_code}")


@dataclass(frozen=True, slots=True)
class EmailChannel:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None  # the environment variable holding the password
    timeout: float = 10.0

    def describe(self) -> str:
        return f"email {','.join(self.recipients)} via {self.host}:{self.port}"

    def send(self, message: Message, user_agent: str) -> Delivery:
        email = EmailMessage()
        email["Subject"] = message.subject
        email["From"] = self.sender
        email["To"] = ", ".join(self.recipients)
        email["X-Mailer"] = user_agent
        email.set_content(message.text)
        email.add_attachment(
            json.dumps(message.payload, ensure_ascii=False, indent=2).encode("utf-8"),
            maintype="application",
            subtype="json",
            filename="alert.json",
        )
        password = None
        if self.username:
            password = os.environ.get(self.password_env or "")
            if password is None:
                detail = f"environment variable {self.password_env} (the password) is not set"
                return Delivery(self.describe(), False, detail)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, password)
                refused = smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            return _failed(self.describe(), exc)
        if refused:
            return Delivery(self.describe(), False, f"refused: {', '.join(sorted(refused))}")
        return Delivery(self.describe(), True, "sent")


Channel = ConsoleChannel | JsonlChannel | WebhookChannel | EmailChannel
