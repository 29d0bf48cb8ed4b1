"""A random donor population around the hospital, inserted in bulk, for matching at scale."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import Session

from bench.india import Spot
from bench.population import insert_donors
from storage.broadcast_tables import DonorAlert
from tests.storage.broadcast_world import NOW, place_km

GROUPS = ("O+", "O+", "O+", "B+", "B+", "B+", "A+", "A+", "AB+", "O-", "B-", "A-", "AB-",
          "B", "O", "unknown", "hh+", "hh-")


def populate(session: Session, *, count: int, seed: int, first_id: int = 1,
             spread_km: float = 60.0) -> list[int]:
    """Insert `count` random donors up to `spread_km` north, south, east or west of the
    hospital, half of them on shared PIN-code centres; return their person ids."""
    rng = random.Random(seed)
    near = spread_km * 5 / 6
    centres = [(rng.uniform(-near, near), rng.uniform(-near, near))
               for _ in range(max(count // 10, 1))]

    def spot(rng: random.Random) -> Spot:
        north, east = rng.choice(centres) if rng.random() < 0.5 else (
            rng.uniform(-spread_km, spread_km), rng.uniform(-spread_km, spread_km))
        place = place_km(north, east)
        return Spot(place.latitude, place.longitude, "Lucknow", "Uttar Pradesh")

    ids = list(range(first_id, first_id + count))
    insert_donors(session.connection(), ids=ids, rng=rng, now=NOW, spot=spot,
                  group=lambda rng: rng.choice(GROUPS))
    return ids


def alert_some(session: Session, ids: list[int], request_ids: list[int], *, seed: int) -> None:
    """Record past alerts for a random fifth of the donors, some of them this week."""
    rng = random.Random(seed)
    values = [{"request_id": request_id, "person_id": pid, "wave_number": 1,
               "address_key": f"telegram:{pid}", "response": "none",
               "created_at": NOW - timedelta(days=rng.uniform(0, 10))}
              for pid in rng.sample(ids, len(ids) // 5) for request_id in
              rng.sample(request_ids, rng.randint(1, len(request_ids)))]
    session.connection().execute(insert(DonorAlert), values)
