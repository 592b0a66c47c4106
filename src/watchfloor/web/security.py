"""What keeps the app safe to expose: security headers on every response and bearer-token
checks for the API (the cap on request bodies is FastAPI's own, set in app.py).

The pages escape every article-derived string (Jinja2 autoescaping); the Content-Security-Policy
is the second line: scripts only from this origin, no inline script, no plugins, no framing, so
markup that slipped through escaping still cannot run.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchfloor.config import Settings
from watchfloor.web.deps import settings as current_settings

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # Plotly sets style attributes and adds <style> elements from its (local) script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_bearer = HTTPBearer(auto_error=False, description="The `api_token` setting.")


def _check_token(configured: str, given: HTTPAuthorizationCredentials | None, what: str) -> None:
    if not configured:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{what} are disabled: no API token is configured (set the api_token setting, "
            "e.g. WATCHFLOOR_API_TOKEN, and send it as 'Authorization: Bearer <token>')",
        )
    if given is None or not hmac.compare_digest(
        given.credentials.encode("utf-8"), configured.encode("utf-8")
    ):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"{what} need the API token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


SettingsDep = Annotated[Settings, Depends(current_settings)]
TokenDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def require_write_token(settings: SettingsDep, given: TokenDep) -> None:
    """Writes always need the configured token; without one configured they are refused."""
    _check_token(settings.api_token, given, "API writes")


def require_read_token(settings: SettingsDep, given: TokenDep) -> None:
    """For API reads when ``api_read_token_required`` is on (app.py adds it then only, so
    the OpenAPI schema says whether reads need the token)."""
    _check_token(settings.api_token, given, "API reads")
