"""Polite and safe HTTP fetching for network sources.

Safety: only http and https; every host is resolved and refused when any of its addresses is
private, loopback, link-local, multicast, reserved or unspecified (unless allowed), and the
connection goes to the address that was checked, so a second DNS answer cannot point it
elsewhere (DNS rebinding). Redirects are followed here, one checked hop at a time; the response
size is capped while it streams, and so is the time.

Politeness: an honest User-Agent, robots.txt obeyed (cached per host, Crawl-delay honoured),
a minimum interval between requests to one host, conditional GET, and retries with exponential
backoff on connection errors, 429 and 5xx, waiting what the server's Retry-After asks.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import Any, NamedTuple, NoReturn
from urllib.parse import urljoin

import httpx
from protego import Protego
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from watchfloor.errors import WatchfloorError

PROJECT_URL = "https://github.com/watchfloor/watchfloor"
ROBOTS_AGENT = "Watchfloor"  # the product token robots.txt rules name


def _version() -> str:
    try:
        return metadata.version("watchfloor")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "dev"


USER_AGENT = f"{ROBOTS_AGENT}/{_version()} (+{PROJECT_URL})"

REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TTL = 24 * 3600.0  # seconds a host's robots.txt is trusted
ROBOTS_RETRY = 600.0  # seconds before an unreachable robots.txt is asked for again
ROBOTS_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY = 60.0  # a larger Crawl-delay would stall a whole pass on one host

# What each kind of request asks for, and what it accepts.
ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
    "any": "application/rss+xml, application/atom+xml, text/html;q=0.9, "
    "application/xml;q=0.8, */*;q=0.1",
    "robots": "text/plain, */*;q=0.1",
}
EXPECTED = {"feed": "a feed (XML or JSON)", "page": "an HTML page", "any": "a feed or a page"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";")[0].strip().lower()


def is_feed_type(mtype: str) -> bool:
    return any(word in mtype for word in ("xml", "json", "rss", "atom")) or mtype == "text/plain"


def is_page_type(mtype: str) -> bool:
    return mtype in ("text/html", "application/xhtml+xml")


def content_type_ok(kind: str, mtype: str) -> bool:
    """Whether a response of media type ``mtype`` can be what a ``kind`` request wants; a
    missing Content-Type is left to the parser to judge."""
    if not mtype or kind == "robots":
        return True
    if kind == "feed":
        return is_feed_type(mtype)
    if kind == "page":
        return is_page_type(mtype)
    return is_feed_type(mtype) or is_page_type(mtype)


def decode_body(body: bytes, charset: str | None) -> str:
    """Text of a response: the declared charset, else a <meta> charset, else UTF-8; cp1252
    decodes whatever is left, so a wrong guess costs accents, never the article."""
    candidates = [charset]
    sniffed = _META_CHARSET.search(body[:4096])
    if sniffed:
        candidates.append(sniffed[1].decode("ascii", "ignore"))
    candidates.append("utf-8-sig")
    for encoding in candidates:
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def refused_address(address: str) -> str | None:
    """Why a connection to ``address`` is refused ("loopback", "private", ...), or None."""
    ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # e.g. 100.64.0.0/10, shared carrier address space
        return "not public"
    return None


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order of preference."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class FetchError(WatchfloorError):
    """A request that failed. ``reason`` is the short reject reason ("HTTP 404", "timeout",
    "oversized response", ...); ``transient`` says a later poll may succeed."""

    def __init__(
        self,
        url: str,
        reason: str,
        detail: str = "",
        *,
        transient: bool = False,
        status: int | None = None,
        body: bytes = b"",
    ) -> None:
        super().__init__(f"{url}: {reason}" + (f" ({detail})" if detail else ""))
        self.url = url
        self.reason = reason
        self.detail = detail
        self.transient = transient
        self.status = status
        self.body = body

    @property
    def raw_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class RetryableError(FetchError):
    """A failure retried at once: after ``retry_after`` seconds, or after the backoff."""

    def __init__(
        self,
        url: str,
        reason: str,
        detail: str = "",
        *,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(url, reason, detail, transient=True, status=status)
        self.retry_after = retry_after


class FetchCancelled(Exception):
    """The stop event was set while waiting or reading: the request was abandoned."""


# Settings field each option is read from (the same name where there is no fetch_ prefix).
_SETTING_OF = {
    "user_agent": "user_agent",
    "connect_timeout": "fetch_connect_timeout",
    "read_timeout": "fetch_read_timeout",
    "total_timeout": "fetch_total_timeout",
    "max_bytes": "fetch_max_bytes",
    "host_interval": "fetch_host_interval",
    "max_redirects": "fetch_max_redirects",
    "attempts": "fetch_attempts",
    "backoff": "fetch_backoff",
    "max_retry_after": "fetch_max_retry_after",
    "allow_private": "allow_private",
    "private_hosts": "fetch_private_hosts",
}


@dataclass(frozen=True, slots=True)
class FetchOptions:
    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0  # seconds to connect (TLS included)
    read_timeout: float = 30.0  # seconds without data before giving up
    total_timeout: float = 60.0  # seconds for a whole response, redirects included
    max_bytes: int = 10 * 1024 * 1024  # decoded body size at which a download is aborted
    host_interval: float = 1.0  # minimum seconds between two requests to one host
    max_redirects: int = 5
    attempts: int = 3  # tries per request when it fails transiently
    backoff: float = 1.0  # first retry after this many seconds, doubling each time
    max_retry_after: float = 120.0  # longest Retry-After waited; longer skips the host
    allow_private: bool = False  # fetch private, loopback, link-local... addresses too
    # Hosts (as written in URLs) that may resolve to private addresses, e.g. an intranet.
    private_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> FetchOptions:
        """Options from ``settings`` (defaults for settings it does not have) and overrides."""
        values: dict[str, Any] = {}
        for option in fields(cls):
            value = getattr(settings, _SETTING_OF[option.name], None)
            if value is not None and value != "":
                values[option.name] = value
        values.update({k: v for k, v in overrides.items() if v is not None})
        hosts = values.get("private_hosts", frozenset())
        if isinstance(hosts, str):
            hosts = hosts.split(",")
        values["private_hosts"] = frozenset(h.strip().lower() for h in hosts if h.strip())
        return cls(**values)


@dataclass(slots=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int  # 200-299, or 304 when the conditional GET found nothing new
    content_type: str  # media type without parameters, "" when the server sent none
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def raw_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def text(self) -> str:
        return decode_body(self.body, self.charset)


class _Redirect(NamedTuple):
    location: str  # absolute


class _Target(NamedTuple):
    url: httpx.URL
    host: str  # lower-case host name, the key for pacing and Retry-After
    addresses: list[str]


class Fetcher:
    """One HTTP client for a run: robots.txt rules, per-host pacing and Retry-After holds
    live as long as it does. ``stop`` abandons waits and downloads when set; ``resolve``,
    ``clock`` and ``sleep`` are replaceable so tests need neither DNS nor real waiting;
    ``verify`` is httpx's (an SSL context trusting another CA, for example)."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        stop: threading.Event | None = None,
        resolve: Callable[[str, int], list[str]] = resolve_host,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.options = options or FetchOptions()
        self._stop = stop
        self._resolve = resolve
        self._clock = clock
        self._sleep_for = sleep or (stop.wait if stop else time.sleep)
        o = self.options
        self._client = httpx.Client(
            timeout=httpx.Timeout(
                connect=o.connect_timeout,
                read=o.read_timeout,
                write=o.read_timeout,
                pool=o.connect_timeout,
            ),
            headers={"User-Agent": o.user_agent},
            verify=verify,
            follow_redirects=False,  # each hop is checked here
            trust_env=False,  # no proxy from the environment: we connect to checked addresses
            # No kept-alive connections: one is pinned to an address checked for one host name,
            # and must not carry another host's request.
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self._last_request: dict[str, float] = {}
        self._not_before: dict[str, float] = {}  # host -> clock time its Retry-After ends
        self._crawl_delay: dict[str, float] = {}
        # origin -> (rules, None when there are none, or the error fetching them; expiry)
        self._robots: dict[str, tuple[Protego | FetchError | None, float]] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        kind: str = "any",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url`` as a ``kind`` ("feed", "page" or "any"), conditionally when validators
        are given. Raises FetchError (with the reject reason) or FetchCancelled."""
        headers = {"Accept": ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.options.attempts)),
            wait=self._retry_wait,
            retry=retry_if_exception_type(RetryableError),
            sleep=self._sleep,
            reraise=True,
        )
        return retrying(self._follow, url, kind, headers)

    # -- one request, hop by hop --------------------------------------------------------

    def _follow(
        self, url: str, kind: str, headers: dict[str, str], max_bytes: int | None = None
    ) -> FetchResult:
        deadline = time.monotonic() + self.options.total_timeout
        current = url
        for _hop in range(self.options.max_redirects + 1):
            if time.monotonic() > deadline:
                self._too_slow(current)
            target = self._target(current)
            if kind != "robots":
                self._obey_robots(current, target)
            outcome = self._connect_and_read(current, target, kind, headers, deadline, max_bytes)
            if isinstance(outcome, FetchResult):
                return outcome
            current = outcome.location
        raise FetchError(url, "too many redirects", f"more than {self.options.max_redirects}")

    def _target(self, url: str) -> _Target:
        try:
            parts = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(url, "invalid URL", str(exc)) from exc
        if parts.scheme not in ("http", "https"):
            scheme = parts.scheme or "no scheme"
            raise FetchError(url, "unsupported URL scheme", f"{scheme}: only http and https")
        host = parts.raw_host.decode("ascii").lower()
        if not host:
            raise FetchError(url, "invalid URL", "no host")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = self._resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(url, "DNS lookup failed", f"{host}: {exc}", transient=True) from exc
        if not addresses:
            raise FetchError(url, "DNS lookup failed", f"{host}: no address", transient=True)
        if not (self.options.allow_private or host in self.options.private_hosts):
            for address in addresses:
                why = refused_address(address)
                if why:
                    raise FetchError(
                        url,
                        "refused address",
                        f"{host} resolves to {address} ({why}); "
                        "pass --allow-private to fetch private addresses",
                    )
        return _Target(parts, host, addresses)

    def _connect_and_read(
        self,
        url: str,
        target: _Target,
        kind: str,
        headers: dict[str, str],
        deadline: float,
        max_bytes: int | None,
    ) -> FetchResult | _Redirect:
        self._wait_turn(url, target.host)
        parts = target.url
        # The connection goes to the checked address; the Host header and TLS (SNI and the
        # certificate check) still name the host.
        hop_headers = {**headers, "Host": parts.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if parts.scheme == "https" else {}
        refused: httpx.TransportError | None = None
        for address in target.addresses:
            try:
                with self._client.stream(
                    "GET", parts.copy_with(host=address), headers=hop_headers, extensions=extensions
                ) as response:
                    return self._read(url, target.host, response, kind, deadline, max_bytes)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                bad_certificate = _certificate_error(exc)
                if bad_certificate:
                    raise FetchError(
                        url, "TLS certificate rejected", bad_certificate, transient=True
                    ) from exc
                refused = exc  # try the next address, as a resolver's client would
            except httpx.TimeoutException as exc:
                raise FetchError(
                    url,
                    "timeout",
                    f"no data for {self.options.read_timeout} s",
                    transient=True,
                ) from exc
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                raise RetryableError(url, "connection failed", _describe(exc)) from exc
            except httpx.DecodingError as exc:
                raise FetchError(url, "undecodable response", _describe(exc)) from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, "request failed", _describe(exc), transient=True) from exc
        raise RetryableError(url, "connection failed", _describe(refused))

    def _read(
        self,
        url: str,
        host: str,
        response: httpx.Response,
        kind: str,
        deadline: float,
        max_bytes: int | None,
    ) -> FetchResult | _Redirect:
        status = response.status_code
        if status in REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(url, "redirect without a Location", f"HTTP {status}")
            return _Redirect(urljoin(url, location.strip()))
        if status == 429 or status >= 500:
            self._server_busy(url, host, response)
        if status != 304 and not 200 <= status < 300:
            raise FetchError(url, f"HTTP {status}", response.reason_phrase, status=status)
        mtype = media_type(response.headers.get("Content-Type"))
        if status != 304 and not content_type_ok(kind, mtype):
            raise FetchError(
                url, "wrong content type", f"{mtype} where {EXPECTED[kind]} was expected"
            )
        cap = max_bytes or self.options.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, "oversized response", f"Content-Length {declared} > {cap}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(url, "oversized response", f"more than {cap} bytes")
            if time.monotonic() > deadline:
                self._too_slow(url)
            if self._stop is not None and self._stop.is_set():
                raise FetchCancelled(url)
            chunks.append(chunk)
        return FetchResult(
            url=url,
            status=status,
            content_type=mtype,
            charset=response.charset_encoding,
            body=b"".join(chunks),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _too_slow(self, url: str) -> NoReturn:
        limit = self.options.total_timeout
        raise FetchError(url, "timeout", f"took longer than {limit} s in all", transient=True)

    # -- politeness -----------------------------------------------------------------------

    def _server_busy(self, url: str, host: str, response: httpx.Response) -> NoReturn:
        status = response.status_code
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None and wait > self.options.max_retry_after:
            # Waiting that long would stall the pass; leave the host alone until then.
            self._not_before[host] = self._clock() + wait
            raise FetchError(
                url,
                f"HTTP {status}",
                f"the server asks to wait {wait:.0f} s, more than the "
                f"{self.options.max_retry_after:.0f} s we wait; {host} is skipped until then",
                transient=True,
                status=status,
            )
        raise RetryableError(
            url, f"HTTP {status}", response.reason_phrase, retry_after=wait, status=status
        )

    def _retry_wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableError) and error.retry_after is not None:
            return error.retry_after
        backoff = self.options.backoff * 2 ** (state.attempt_number - 1)
        return min(backoff, self.options.max_retry_after)

    def _sleep(self, seconds: float) -> None:
        self._sleep_for(seconds)
        if self._stop is not None and self._stop.is_set():
            raise FetchCancelled(f"stopped while waiting {seconds:.1f} s")

    def _wait_turn(self, url: str, host: str) -> None:
        """Space requests to one host by the configured interval (or its Crawl-delay)."""
        now = self._clock()
        hold = self._not_before.get(host, 0.0) - now
        if hold > 0:
            raise FetchError(
                url,
                "host asked us to wait",
                f"{host}: Retry-After ends in {hold:.0f} s",
                transient=True,
            )
        interval = max(self.options.host_interval, self._crawl_delay.get(host, 0.0))
        last = self._last_request.get(host)
        if last is not None and last + interval > now:
            self._sleep(last + interval - now)
        self._last_request[host] = self._clock()

    def _obey_robots(self, url: str, target: _Target) -> None:
        parts = target.url
        origin = f"{parts.scheme}://{parts.netloc.decode('ascii')}"
        rules, expires = self._robots.get(origin, (None, 0.0))
        if expires <= self._clock():
            rules, expires = self._load_robots(origin, target.host)
            self._robots[origin] = (rules, expires)
        if isinstance(rules, FetchError):
            # RFC 9309: when robots.txt cannot be read, assume everything is disallowed.
            raise FetchError(
                url, rules.reason, f"robots.txt: {rules.detail}", transient=rules.transient
            )
        if rules is not None and not rules.can_fetch(str(parts), ROBOTS_AGENT):
            raise FetchError(url, "disallowed by robots.txt", f"{origin}/robots.txt")

    def _load_robots(self, origin: str, host: str) -> tuple[Protego | FetchError | None, float]:
        robots_url = f"{origin}/robots.txt"
        try:
            result = self._follow(
                robots_url, "robots", {"Accept": ACCEPT["robots"]}, ROBOTS_MAX_BYTES
            )
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None, self._clock() + ROBOTS_TTL  # no robots.txt: no rules
            return exc, self._clock() + ROBOTS_RETRY
        rules = Protego.parse(result.text())
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._crawl_delay[host] = min(float(delay), MAX_CRAWL_DELAY)
        return rules, self._clock() + ROBOTS_TTL


def _certificate_error(exc: BaseException) -> str | None:
    """The verification failure behind a connection error, if that is what it was."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or str(cause)
        cause = cause.__cause__ or cause.__context__
    return None


def _describe(exc: BaseException | None) -> str:
    return (str(exc) or type(exc).__name__) if exc else "no address to connect to"
