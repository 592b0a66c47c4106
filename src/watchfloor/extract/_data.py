"""Reading the small TOML tables that extraction ships in ``watchfloor/data``."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

from watchfloor.errors import CatalogError

PACKAGED_DATA = "watchfloor.data"


def read_toml(path: str | None, packaged_name: str) -> tuple[dict[str, Any], str]:
    """The parsed file and the name to use in error messages.

    ``path`` empty or None means the copy shipped with the package.
    """
    if path:
        where = str(path)
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogError(f"{where}: cannot read the file ({exc.strerror})") from exc
    else:
        resource = files(PACKAGED_DATA).joinpath(packaged_name)
        where = f"packaged {packaged_name}"
        raw = resource.read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw), where
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{where}: not valid TOML ({exc}); fix the syntax") from exc


def string_list(value: Any, where: str, field: str) -> list[str]:
    """``value`` checked to be a non-empty list of non-empty strings."""
    if not isinstance(value, list) or not value:
        raise CatalogError(f"{where}: {field} must be a non-empty list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise CatalogError(f"{where}: {field} has an empty or non-string item {item!r}")
    return [item.strip() for item in value]
