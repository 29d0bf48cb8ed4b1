"""The naive reference for `find_matches`: read every donor and filter in Python.

Only for tests and benchmarks: it must give exactly what the indexed query gives, and it
uses none of the shortcuts (grid cells, stored first eligible days, rings).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, tzinfo

from sqlmodel import Session, col, select

from storage.broadcast_tables import DonorAlert
from storage.domain.broadcast import DEFAULT_BROADCAST_RULES, BroadcastRules
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind
from storage.domain.places import haversine_km
from storage.domain.records import Availability
from storage.match_criteria import Candidate, Match, criteria_for, rank_key
from storage.matching import is_eligible
from storage.tables import AddressRow, BlockedPhone, DeferralRow, DonationRow, Donor, Person


def naive_scan(session: Session, *, request_code: str, radius_km: float, limit: int,
               now: datetime, tz: tzinfo,
               rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> list[Match]:
    """Return what `find_matches` returns, by loading every donor and checking each one."""
    criteria = criteria_for(session, request_code, tz)
    blocked = set(session.exec(select(BlockedPhone.phone)))
    phones = {p.id: {p.phone, p.verified_phone} for p in session.exec(select(Person))}
    addresses: dict[int, list[AddressRow]] = defaultdict(list)
    for address in session.exec(select(AddressRow).where(
            col(AddressRow.unreachable_at).is_(None), col(AddressRow.person_id).is_not(None))):
        addresses[address.person_id or 0].append(address)
    recent: dict[int, int] = defaultdict(int)
    alerted_here: set[int] = set()
    for alert in session.exec(select(DonorAlert)):
        recent[alert.person_id] += alert.created_at > now - timedelta(days=rules.budget_days)
        if alert.request_id == criteria.request_id:
            alerted_here.add(alert.person_id)
    donors = list(session.exec(select(Donor)))
    history: dict[int, list[Donation]] = defaultdict(list)
    for donation in session.exec(select(DonationRow)):
        if donation.person_id is not None:
            history[donation.person_id].append(
                Donation(donation.donated_on, DonationKind(donation.kind)))
    deferrals: dict[int, list[Deferral]] = defaultdict(list)
    for row in session.exec(select(DeferralRow).order_by(col(DeferralRow.id))):
        deferrals[row.person_id].append(
            Deferral(DeferralKind(row.kind), row.since, row.ongoing))
    ranked: list[tuple[float, Donor]] = []
    for donor in donors:
        distance = haversine_km(criteria.latitude, criteria.longitude, donor.latitude,
                                donor.longitude)
        if (distance > radius_km or donor.blood_group not in criteria.groups
                or not (donor.consent_alerts and donor.consent_registry and donor.weight_ok)
                or (donor.paused_until is not None and donor.paused_until > now)
                or donor.availability == Availability.NOT_NOW.value
                or donor.person_id in alerted_here
                or recent[donor.person_id] >= rules.max_alerts_per_week
                or not addresses[donor.person_id]
                or phones[donor.person_id] & blocked):
            continue
        candidate = Candidate(donor.person_id, donor.latitude, donor.longitude,
                              donor.blood_group, donor.sex, donor.date_of_birth,
                              donor.language, donor.last_alerted_at)
        if is_eligible(candidate, history[donor.person_id], deferrals[donor.person_id],
                       criteria):
            ranked.append((distance, donor))
    ranked.sort(key=lambda pair: rank_key(pair[0], pair[1].last_alerted_at, pair[1].person_id))
    return [Match(donor.person_id, _keys(addresses[donor.person_id]), donor.language, distance,
                  donor.last_alerted_at, donor.blood_group)
            for distance, donor in ranked[:max(limit, 0)]]


def _keys(rows: list[AddressRow]) -> tuple[str, ...]:
    """Order address keys as `addresses_of` does: most recently active first, then by key."""
    def order(row: AddressRow) -> tuple[bool, float, str]:
        seen = row.last_inbound_at
        return (seen is None, -seen.timestamp() if seen else 0.0, row.key)
    return tuple(row.key for row in sorted(rows, key=order))
