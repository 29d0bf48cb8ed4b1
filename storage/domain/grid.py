"""Cut the map into grid cells so a nearby search reads a few index ranges, not every donor."""

from __future__ import annotations

import math
from dataclasses import dataclass

from storage.domain.places import EARTH_RADIUS_KM

CELL_DEGREES = 0.1
"""Ours: a cell is 0.1° square (about 11 km), so a 5 km wave reads at most 6 cells and a
50 km wave about 130; migration 0004 copies this number and `grid_cell` to fill old rows."""
_COLUMNS = 10_000  # more cells than a row of 360° / CELL_DEGREES holds
_MARGIN = 1e-9  # degrees added to each side of a box, against rounding


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle that holds every point within a radius of its centre."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def grid_cell(latitude: float, longitude: float) -> int:
    """Return the number of the grid cell that holds a point."""
    row = math.floor((latitude + 90.0) / CELL_DEGREES)
    column = math.floor((longitude + 180.0) / CELL_DEGREES)
    return row * _COLUMNS + column


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Box:
    """Return the smallest box holding every point within `radius_km` (great-circle) of a point.

    Exact on the sphere: Δlat = r/R and Δlon = asin(sin(r/R) / cos(lat)); near a pole the box
    spans every longitude. The date line is not handled (not needed in India).
    """
    angle = radius_km / EARTH_RADIUS_KM
    d_lat = math.degrees(angle) + _MARGIN
    ratio = math.sin(angle) / max(math.cos(math.radians(latitude)), 1e-12)
    d_lon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio)) + _MARGIN
    return Box(max(latitude - d_lat, -90.0), min(latitude + d_lat, 90.0),
               max(longitude - d_lon, -180.0), min(longitude + d_lon, 180.0))


def cells_covering(box: Box) -> list[int]:
    """Return every grid cell that overlaps `box`."""
    low, high = grid_cell(box.min_lat, box.min_lon), grid_cell(box.max_lat, box.max_lon)
    rows = range(low // _COLUMNS, high // _COLUMNS + 1)
    columns = range(low % _COLUMNS, high % _COLUMNS + 1)
    return [row * _COLUMNS + column for row in rows for column in columns]
