"""A random donor population around the hospital, inserted in bulk, for matching at scale."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from storage.broadcast_tables import DonorAlert
from storage.domain.blood import Sex
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind
from storage.domain.grid import grid_cell
from storage.donor_index import first_possible_day
from tests.storage.broadcast_world import NOW, place_km

GROUPS = ("O+", "O+", "O+", "B+", "B+", "B+", "A+", "A+", "AB+", "O-", "B-", "A-", "AB-",
          "B", "O", "unknown", "hh+", "hh-")
AVAILABILITY = ("any_time", "any_time", "daytime", "weekends", "emergencies", "not_now")


def _history(rng: random.Random) -> list[Donation]:
    kinds = (DonationKind.WHOLE_BLOOD, DonationKind.WHOLE_BLOOD, DonationKind.APHERESIS)
    return [Donation(NOW.date() - timedelta(days=rng.randint(1, 400)), rng.choice(kinds))
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))]


def _deferrals(rng: random.Random) -> list[Deferral]:
    if rng.random() > 0.1:
        return []
    kind = rng.choice(list(DeferralKind))
    return [Deferral(kind, NOW.date() - timedelta(days=rng.randint(0, 500)),
                     ongoing=rng.random() < 0.2 and kind is not DeferralKind.ILLNESS_TODAY)]


def _donor(rng: random.Random, person_id: int, centres: list[tuple[float, float]],
           spread_km: float) -> dict[str, Any]:
    north, east = rng.choice(centres) if rng.random() < 0.5 else (
        rng.uniform(-spread_km, spread_km), rng.uniform(-spread_km, spread_km))
    place = place_km(north, east)
    alerted = NOW - timedelta(days=rng.randint(0, 60)) if rng.random() < 0.5 else None
    paused = NOW + timedelta(days=rng.randint(-20, 20)) if rng.random() < 0.08 else None
    return {"person_id": person_id, "blood_group": rng.choice(GROUPS),
            "sex": rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE, Sex.OTHER]).value,
            "date_of_birth": date(rng.randint(1955, 2010), rng.randint(1, 12), rng.randint(1, 28)),
            "dob_is_estimate": False, "weight_ok": rng.random() < 0.98,
            "latitude": place.latitude, "longitude": place.longitude, "district": "Lucknow",
            "state": "Uttar Pradesh", "place_label": "Lucknow", "grid_cell":
            grid_cell(place.latitude, place.longitude), "availability": rng.choice(AVAILABILITY),
            "consent_registry": True, "consent_alerts": rng.random() < 0.92,
            "consent_share_phone": True, "consents_recorded_at": NOW, "consent_wording": "v1",
            "paused_until": paused, "last_alerted_at": alerted, "language": "en",
            "created_at": NOW, "updated_at": NOW, "ignored_in_row": 0}


def populate(session: Session, *, count: int, seed: int, first_id: int = 1,
             spread_km: float = 60.0) -> list[int]:
    """Insert `count` random donors up to `spread_km` north, south, east or west of the
    hospital, half of them on shared PIN-code centres; return their person ids."""
    rng = random.Random(seed)
    near = spread_km * 5 / 6
    centres = [(rng.uniform(-near, near), rng.uniform(-near, near))
               for _ in range(max(count // 10, 1))]
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "person", "address", "donor", "donation", "deferral", "donor_alert")}
    ids = list(range(first_id, first_id + count))
    for pid in ids:
        phone = f"+9198{pid:08d}"
        rows["person"].append({"id": pid, "name": "Donor", "phone": phone, "created_at": NOW,
                               "updated_at": NOW})
        rows["address"].append({"key": f"telegram:{pid}", "channel": "telegram",
                                "user_id": str(pid), "person_id": pid, "created_at": NOW,
                                "unreachable_at": NOW if rng.random() < 0.05 else None})
        donor = _donor(rng, pid, centres, spread_km)
        history, deferrals = _history(rng), _deferrals(rng)
        signed_up = NOW.date() - timedelta(days=rng.randint(0, 300))
        donor["eligible_from"] = donor["apheresis_from"] = None
        if rng.random() < 0.9:  # the others were stored before the columns existed
            for column, kind in (("eligible_from", DonationKind.WHOLE_BLOOD),
                                 ("apheresis_from", DonationKind.APHERESIS)):
                donor[column] = first_possible_day(
                    sex=Sex(donor["sex"]), date_of_birth=donor["date_of_birth"],
                    history=[d for d in history if d.on <= signed_up],
                    deferrals=deferrals, kind=kind, today=signed_up)
        rows["donor"].append(donor)
        rows["donation"] += [{"person_id": pid, "donated_on": d.on, "kind": d.kind.value,
                              "source": "declared", "recorded_at": NOW}
                             for d in history if d.on <= signed_up]
        rows["deferral"] += [{"person_id": pid, "kind": d.kind.value, "since": d.since,
                              "ongoing": d.ongoing} for d in deferrals]
    for name, values in rows.items():
        if values:
            table = SQLModel.metadata.tables[name]
            session.connection().execute(insert(table), values)
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

