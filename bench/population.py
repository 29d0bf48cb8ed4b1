"""Random donors inserted in bulk through the columns SqlServices writes, and cached files of them.

The tests insert a few thousand around one hospital; the benchmarks a million across India
(`bench.india`), kept in `bench/.data/` so that later runs reuse them.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert
from sqlmodel import SQLModel

import storage.tables  # noqa: F401 - registers every table
from bench.india import Geography, Spot, india_pins
from bot.demo_donors import ABO_PERCENT, RH_NEGATIVE_PERCENT
from storage.db import make_engine, upgrade_schema
from storage.domain.blood import Sex
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind
from storage.domain.grid import grid_cell
from storage.donor_index import first_possible_day

log = logging.getLogger(__name__)

POPULATION_NOW = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
"""When the benchmark population was 'collected': histories and alerts end here."""
DATA = Path(__file__).resolve().parent / ".data"
FORMAT = 1
"""Bump when the generator changes, so cached files of the old kind are not reused."""
QUICK_DONORS = 1_000
"""The population of the benchmarks' quick (smoke) runs."""
CHUNK = 20_000
AVAILABILITY = ("any_time", "any_time", "daytime", "weekends", "emergencies", "not_now")
TABLES = ("person", "address", "donor", "donation", "deferral")

Rows = dict[str, list[dict[str, Any]]]
PickSpot = Callable[[random.Random], Spot]
PickGroup = Callable[[random.Random], str]


def indian_group(rng: random.Random) -> str:
    """Draw a blood group as often as it occurs among Indian donors (bot.demo_donors)."""
    abo = rng.choices(list(ABO_PERCENT), weights=list(ABO_PERCENT.values()))[0]
    return abo.value + ("-" if rng.random() * 100 < RH_NEGATIVE_PERCENT else "+")


def _history(rng: random.Random, today: date) -> list[Donation]:
    kinds = (DonationKind.WHOLE_BLOOD, DonationKind.WHOLE_BLOOD, DonationKind.APHERESIS)
    return [Donation(today - timedelta(days=rng.randint(1, 400)), rng.choice(kinds))
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))]


def _deferrals(rng: random.Random, today: date) -> list[Deferral]:
    if rng.random() > 0.1:
        return []
    kind = rng.choice(list(DeferralKind))
    return [Deferral(kind, today - timedelta(days=rng.randint(0, 500)),
                     ongoing=rng.random() < 0.2 and kind is not DeferralKind.ILLNESS_TODAY)]


def add_donor(rows: Rows, rng: random.Random, pid: int, *, spot: Spot, group: str,
              now: datetime) -> None:
    """Append one donor's person, address, donor, donation and deferral rows to `rows`."""
    alerted = now - timedelta(days=rng.randint(0, 60)) if rng.random() < 0.5 else None
    paused = now + timedelta(days=rng.randint(-20, 20)) if rng.random() < 0.08 else None
    rows["person"].append({"id": pid, "name": "Donor", "phone": f"+9198{pid:08d}",
                           "created_at": now, "updated_at": now})
    rows["address"].append({"key": f"telegram:{pid}", "channel": "telegram",
                            "user_id": str(pid), "person_id": pid, "created_at": now,
                            "unreachable_at": now if rng.random() < 0.05 else None})
    label = f"{spot.pincode}, {spot.district}" if spot.pincode else spot.district
    donor: dict[str, Any] = {
        "person_id": pid, "blood_group": group,
        "sex": rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE, Sex.OTHER]).value,
        "date_of_birth": date(rng.randint(1955, 2010), rng.randint(1, 12), rng.randint(1, 28)),
        "dob_is_estimate": False, "weight_ok": rng.random() < 0.98,
        "latitude": spot.latitude, "longitude": spot.longitude, "district": spot.district,
        "state": spot.state, "pincode": spot.pincode, "place_label": label,
        "grid_cell": grid_cell(spot.latitude, spot.longitude),
        "availability": rng.choice(AVAILABILITY), "consent_registry": True,
        "consent_alerts": rng.random() < 0.92, "consent_share_phone": True,
        "consents_recorded_at": now, "consent_wording": "v1", "paused_until": paused,
        "last_alerted_at": alerted, "language": "en", "created_at": now, "updated_at": now,
        "ignored_in_row": 0, "eligible_from": None, "apheresis_from": None}
    history, deferrals = _history(rng, now.date()), _deferrals(rng, now.date())
    signed_up = now.date() - timedelta(days=rng.randint(0, 300))
    declared = [d for d in history if d.on <= signed_up]
    if rng.random() < 0.9:  # the others were stored before the columns existed
        for column, kind in (("eligible_from", DonationKind.WHOLE_BLOOD),
                             ("apheresis_from", DonationKind.APHERESIS)):
            donor[column] = first_possible_day(
                sex=Sex(donor["sex"]), date_of_birth=donor["date_of_birth"], history=declared,
                deferrals=deferrals, kind=kind, today=signed_up)
    rows["donor"].append(donor)
    rows["donation"] += [{"person_id": pid, "donated_on": d.on, "kind": d.kind.value,
                          "source": "declared", "recorded_at": now} for d in declared]
    rows["deferral"] += [{"person_id": pid, "kind": d.kind.value, "since": d.since,
                          "ongoing": d.ongoing} for d in deferrals]


def insert_donors(connection: Connection, *, ids: Sequence[int], rng: random.Random,
                  now: datetime, spot: PickSpot, group: PickGroup) -> None:
    """Insert one random donor per id with executemany, table by table."""
    rows: Rows = {name: [] for name in TABLES}
    for pid in ids:
        add_donor(rows, rng, pid, spot=spot(rng), group=group(rng), now=now)
    for name in TABLES:
        if rows[name]:
            connection.execute(insert(SQLModel.metadata.tables[name]), rows[name])


@cache
def india() -> Geography:
    """Return the map of India's PIN codes and cities, built once per process."""
    return Geography(india_pins())


def database_path(count: int, seed: int, directory: Path = DATA) -> Path:
    """Return where the population of `count` donors made from `seed` is kept."""
    return directory / f"india-{count}-seed{seed}-v{FORMAT}.sqlite"


def donor_database(count: int, *, seed: int = 7, directory: Path = DATA) -> Path:
    """Return a migrated SQLite file holding `count` donors across India; build it if missing.

    A file is complete or absent: it is built under another name and renamed at the end.
    """
    path = database_path(count, seed, directory)
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in directory.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    geography = india()
    engine = make_engine(f"sqlite:///{partial}")
    upgrade_schema(engine)
    rng = random.Random(seed)
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA synchronous=OFF")  # a crash loses only this unfinished file
        for first in range(1, count + 1, CHUNK):
            with connection.begin():
                insert_donors(connection, ids=range(first, min(first + CHUNK, count + 1)),
                              rng=rng, now=POPULATION_NOW, spot=geography.spot,
                              group=indian_group)
            log.info("inserted %d of %d donors", min(first + CHUNK - 1, count), count)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    partial.rename(path)
    log.info("built %s in %.0f s", path.name, time.perf_counter() - started)
    return path
