"""Grid cells and search boxes: no point within the radius is ever left outside."""

from __future__ import annotations

import math
import random

from storage.domain.grid import bounding_box, cells_covering, grid_cell
from storage.domain.places import EARTH_RADIUS_KM, haversine_km


def destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """Return the point `km` away from (lat, lon) along `bearing` (radians), on the sphere."""
    phi, lam, angle = math.radians(lat), math.radians(lon), km / EARTH_RADIUS_KM
    phi2 = math.asin(math.sin(phi) * math.cos(angle)
                     + math.cos(phi) * math.sin(angle) * math.cos(bearing))
    lam2 = lam + math.atan2(math.sin(bearing) * math.sin(angle) * math.cos(phi),
                            math.cos(angle) - math.sin(phi) * math.sin(phi2))
    return math.degrees(phi2), math.degrees(lam2)


def test_every_point_within_the_radius_lies_in_the_box_and_its_cells() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        lat, lon = rng.uniform(8, 35), rng.uniform(68, 97)
        radius = rng.choice((1.0, 5.0, 25.0, 50.0))
        box = bounding_box(lat, lon, radius)
        point = destination(lat, lon, rng.uniform(0, 2 * math.pi), radius * rng.random())
        assert haversine_km(lat, lon, *point) <= radius + 1e-9
        assert box.min_lat <= point[0] <= box.max_lat
        assert box.min_lon <= point[1] <= box.max_lon
        assert grid_cell(*point) in cells_covering(box)


def test_a_box_is_barely_larger_than_its_circle() -> None:
    box = bounding_box(26.85, 80.95, 25.0)
    assert haversine_km(26.85, 80.95, box.max_lat, 80.95) < 25.01
    assert haversine_km(26.85, 80.95, 26.85, box.max_lon) < 25.1


def test_a_five_km_search_reads_at_most_six_cells_and_fifty_km_about_130() -> None:
    assert len(cells_covering(bounding_box(26.85, 80.95, 5.0))) <= 6
    assert len(cells_covering(bounding_box(26.85, 80.95, 50.0))) <= 144
