"""Country shapes for the events map: Natural Earth 1:110m (public domain) as the npm package
``world-atlas`` ships them (TopoJSON), drawn as SVG paths on the server.

The Makefile unpacks ``countries-110m.json`` into the virtualenv (``<venv>/share/world-atlas``);
it is not part of the repository. Without it the map page says so and lists the events anyway.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

ATLAS_PACKAGE = "world-atlas@2.0.2"
ATLAS_FILE = Path(sys.prefix) / "share" / "world-atlas" / "countries-110m.json"
# Pixels per degree of the equirectangular projection, and the latitudes shown: Antarctica
# (below 60 S) holds no theatre and would take a third of the height.
SCALE = 2.5
NORTH, SOUTH = 84.0, -60.0
WIDTH = round(360 * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)


@dataclass(frozen=True, slots=True)
class Country:
    code: str | None  # ISO 3166 alpha-2; None for shapes without one (Kosovo, N. Cyprus)
    name: str
    path: str  # SVG path data in map pixels
    centre: tuple[float, float]  # (lon, lat) of the middle of its largest ring, for markers


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map pixels of a point (equirectangular)."""
    return (lon + 180.0) * SCALE, (NORTH - lat) * SCALE


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Arcs as (lon, lat) points: TopoJSON stores them quantised and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One closed ring from its arcs; a negative index (~i) means arc i reversed. Consecutive
    arcs share their joining point, so it is taken once."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrapped(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring crossing the antimeridian (Russia's Chukotka, Fiji) as continuous longitudes,
    drawn twice: once as it runs past 180 degrees and once shifted a turn back, so that each
    side of the map shows its part (the SVG viewport clips the rest)."""
    points = [ring[0]]
    for lon, lat in ring[1:]:
        previous = points[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        points.append((lon, lat))
    lons = [lon for lon, _ in points]
    if max(lons) > 180:
        return [points, [(lon - 360, lat) for lon, lat in points]]
    if min(lons) < -180:
        return [points, [(lon + 360, lat) for lon, lat in points]]
    return [points]


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
    )


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        pixels = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pixels) + "Z")
    return "".join(parts)


def _alpha_2(numeric: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_2 if country else None


def parse_countries(topology: dict) -> list[Country]:
    """The countries of a world-atlas topology, Antarctica left out."""
    arcs = _decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == "010" or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        drawn = [_unwrapped(_ring(ring, arcs)) for polygon in polygons for ring in polygon]
        largest = max((copies[0] for copies in drawn), key=_area)
        lons, lats = [p[0] for p in largest], [p[1] for p in largest]
        middle = (min(lons) + max(lons)) / 2
        centre = ((middle + 180) % 360 - 180, (min(lats) + max(lats)) / 2)
        rings = [ring for copies in drawn for ring in copies]
        name = geometry.get("properties", {}).get("name", "")
        countries.append(Country(_alpha_2(geometry.get("id")), name, _path(rings), centre))
    return countries


@cache
def _load(path: Path, mtime: float) -> tuple[Country, ...]:
    return tuple(parse_countries(json.loads(path.read_text(encoding="utf-8"))))


def world_countries(path: Path | None = None) -> list[Country] | None:
    """The country shapes (from ``ATLAS_FILE`` unless ``path`` is given), None when the atlas is
    not installed or cannot be read."""
    path = path or ATLAS_FILE
    try:
        return list(_load(path, path.stat().st_mtime))
    except (OSError, ValueError, KeyError, TypeError):
        return None
