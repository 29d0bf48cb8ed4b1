"""Find the donors to alert for a request: an indexed query, nearest first, never a full scan.

How the query stays fast at a million donors:
1. Index `ix_donor_nearby` (grid_cell, blood_group, latitude): the database seeks each
   (cell, group) pair of the search box's grid cells and reads a latitude range inside it,
   so it touches only donors of a compatible group in a few square kilometres.
2. Cheap filters run in SQL on those rows: consent, weight, pause, availability, the first
   eligible day stored per donor (`storage.donor_index`), not already alerted for this
   request, the weekly alert budget, a reachable address, not blocked.
3. The search grows in rings, from radius/8: once `limit` donors are found within a ring,
   nobody outside it can be nearer, so a dense city never reads its whole 50 km box. Each
   next ring is sized from the density the last one showed, so a sparse area takes two.
4. Exact distance and the exact eligibility check run in Python on the few rows left.
The statement is built once per donation kind; every value is a bound parameter.
Quiet hours are not applied here: a wave of a non-critical request is postponed instead.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.broadcast_tables import DonorAlert
from storage.domain.blood import Sex
from storage.domain.broadcast import DEFAULT_BROADCAST_RULES, BroadcastRules
from storage.domain.eligibility import Deferral, Donation, DonationKind, check_eligibility
from storage.domain.grid import bounding_box, cells_covering
from storage.domain.places import haversine_km
from storage.domain.records import Availability
from storage.donor_index import deferrals_of, history_of
from storage.match_criteria import Candidate, Criteria, Match, addresses_of, criteria_for, rank_key
from storage.tables import AddressRow, BlockedPhone, Donor, Person

FIRST_RING = 1 / 8
"""The first ring, as a fraction of the wave's radius (ours)."""
MIN_RING_KM = 1.0
"""No ring is smaller than this (ours): it would rarely hold anyone."""
RING_GROWTH = 1.25
"""Margin on the density estimate that sizes the next ring (ours); rings at least double."""
CHECK_CHUNK = 50
"""Candidates whose history is loaded at once for the exact eligibility check."""

Ranked = tuple[float, Candidate]


def find_matches(session: Session, *, request_code: str, radius_km: float, limit: int,
                 now: datetime, tz: tzinfo,
                 rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> list[Match]:
    """Return up to `limit` donors to alert within `radius_km`, nearest and least alerted first.

    Raise LookupError for an unknown request code.
    """
    criteria = criteria_for(session, request_code, tz)
    if limit <= 0:
        return []
    eligible: dict[int, bool] = {}
    ring = min(radius_km, max(radius_km * FIRST_RING, MIN_RING_KM))
    while True:
        near = sorted(((distance, donor) for donor in _candidates(session, criteria, ring, now,
                                                                  rules)
                       if (distance := haversine_km(criteria.latitude, criteria.longitude,
                                                    donor.latitude, donor.longitude)) <= ring),
                      key=lambda pair: rank_key(pair[0], pair[1].last_alerted_at,
                                                pair[1].person_id))
        found = _first_eligible(session, criteria, near, limit, eligible)
        if len(found) >= limit or ring >= radius_km:
            break
        grow = RING_GROWTH * math.sqrt(limit / max(len(found), 1))
        ring = min(radius_km, ring * max(2.0, grow))
    keys = addresses_of(session, [donor.person_id for _, donor in found])
    return [Match(donor.person_id, keys[donor.person_id], donor.language, distance,
                  donor.last_alerted_at, donor.blood_group) for distance, donor in found]


def _candidates(session: Session, criteria: Criteria, radius_km: float, now: datetime,
                rules: BroadcastRules) -> list[Candidate]:
    """Run the indexed query for the box around the hospital that holds `radius_km`."""
    box = bounding_box(criteria.latitude, criteria.longitude, radius_km)
    params = {
        "cells": cells_covering(box), "groups": sorted(criteria.groups),
        "min_lat": box.min_lat, "max_lat": box.max_lat, "min_lon": box.min_lon,
        "max_lon": box.max_lon, "now": now, "not_now": Availability.NOT_NOW.value,
        "needed_on": criteria.needed_on, "request_id": criteria.request_id,
        "week_start": now - timedelta(days=rules.budget_days),
        "per_week": rules.max_alerts_per_week,
    }
    statement = _candidate_statement(criteria.kind is DonationKind.APHERESIS)
    session.flush()
    return [Candidate._make(row) for row in session.connection().execute(statement, params)]


@cache
def _candidate_statement(apheresis: bool) -> Select[*tuple[Any, ...]]:
    """Build the nearby-donor query once per donation kind, with named parameters."""
    donor_id = col(Donor.person_id)
    recent = (select(func.count()).select_from(DonorAlert)
              .where(col(DonorAlert.person_id) == donor_id,
                     col(DonorAlert.created_at) > bindparam("week_start")).scalar_subquery())
    alerted_here = exists().where(col(DonorAlert.request_id) == bindparam("request_id"),
                                  col(DonorAlert.person_id) == donor_id)
    reachable = exists().where(col(AddressRow.person_id) == donor_id,
                               col(AddressRow.unreachable_at).is_(None))
    blocked = exists().where(or_(col(BlockedPhone.phone) == col(Person.phone),
                                 col(BlockedPhone.phone) == col(Person.verified_phone)))
    first_day = col(Donor.apheresis_from if apheresis else Donor.eligible_from)
    paused = col(Donor.paused_until)
    return (
        select_columns(*(col(column) for column in (
            Donor.person_id, Donor.latitude, Donor.longitude, Donor.blood_group, Donor.sex,
            Donor.date_of_birth, Donor.language, Donor.last_alerted_at)))
        .join(Person, col(Person.id) == donor_id)
        .where(col(Donor.grid_cell).in_(bindparam("cells", expanding=True)),
               col(Donor.blood_group).in_(bindparam("groups", expanding=True)),
               col(Donor.latitude).between(bindparam("min_lat"), bindparam("max_lat")),
               col(Donor.longitude).between(bindparam("min_lon"), bindparam("max_lon")),
               col(Donor.consent_alerts), col(Donor.consent_registry), col(Donor.weight_ok),
               or_(paused.is_(None), paused <= bindparam("now")),
               col(Donor.availability) != bindparam("not_now"),
               or_(first_day.is_(None), first_day <= bindparam("needed_on")),
               ~alerted_here, recent < bindparam("per_week"), reachable, ~blocked)
    )


def _first_eligible(session: Session, criteria: Criteria, near: list[Ranked], limit: int,
                    eligible: dict[int, bool]) -> list[Ranked]:
    """Walk the ranked candidates, checking eligibility in chunks, until `limit` pass."""
    found: list[Ranked] = []
    for start in range(0, len(near), CHECK_CHUNK):
        chunk = near[start:start + CHECK_CHUNK]
        unknown = [donor.person_id for _, donor in chunk if donor.person_id not in eligible]
        if unknown:
            history, deferrals = history_of(session, unknown), deferrals_of(session, unknown)
            for _, donor in chunk:
                if donor.person_id in history:
                    eligible[donor.person_id] = is_eligible(
                        donor, history[donor.person_id], deferrals[donor.person_id], criteria)
        found += [pair for pair in chunk if eligible[pair[1].person_id]]
        if len(found) >= limit:
            return found[:limit]
    return found


def is_eligible(donor: Candidate, history: list[Donation], deferrals: list[Deferral],
                criteria: Criteria) -> bool:
    """Tell whether the donor may give what the request needs on its required-by day."""
    return check_eligibility(sex=Sex(donor.sex), date_of_birth=donor.date_of_birth,
                             history=history, deferrals=deferrals,
                             needed_on=criteria.needed_on, kind=criteria.kind).eligible
