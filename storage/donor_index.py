"""Keep a donor's search columns current: grid cell and the first days they may give.

`eligible_from` and `apheresis_from` let the nearby search drop donors who cannot give yet
inside SQL. They are lower bounds: before that day the donor is certainly not eligible, so
the exact check (`check_eligibility`) still runs on the few candidates left. A bound never
goes stale by itself; it changes only with the donor's history or deferrals, and both of
those refresh it (profile saves, confirmed donations). `NEVER` marks a donor who cannot give
until something about them changes (too old, an ongoing deferral).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from storage.domain.blood import Sex
from storage.domain.eligibility import (
    DEFAULT_RULES,
    Deferral,
    DeferralKind,
    Donation,
    DonationKind,
    EligibilityRules,
    check_eligibility,
)
from storage.domain.grid import grid_cell
from storage.tables import DeferralRow, DonationRow, Donor

NEVER = date.max
"""Stored as the first eligible day of a donor who cannot give until their data changes."""
_LOOK_BACK = timedelta(days=1)


def first_possible_day(*, sex: Sex, date_of_birth: date, history: Sequence[Donation],
                       deferrals: Sequence[Deferral], kind: DonationKind, today: date,
                       rules: EligibilityRules = DEFAULT_RULES) -> date:
    """Return a day before which (from `today` on) the donor certainly may not give `kind`."""
    found = check_eligibility(sex=sex, date_of_birth=date_of_birth, history=history,
                              deferrals=deferrals, needed_on=today, kind=kind, rules=rules)
    return NEVER if found.next_date is None else found.next_date


def history_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[Donation]]:
    """Return each person's donations, declared and confirmed, in one query."""
    found: dict[int, list[Donation]] = {pid: [] for pid in person_ids}
    rows = session.exec(
        select(col(DonationRow.person_id), col(DonationRow.donated_on), col(DonationRow.kind))
        .where(col(DonationRow.person_id).in_(list(person_ids))))
    for person_id, on, kind in rows:
        if person_id is not None:
            found[person_id].append(Donation(on, DonationKind(kind)))
    return found


def deferrals_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[Deferral]]:
    """Return each person's declared deferrals, in one query."""
    found: dict[int, list[Deferral]] = {pid: [] for pid in person_ids}
    rows = session.exec(select(DeferralRow).where(col(DeferralRow.person_id).in_(
        list(person_ids))).order_by(col(DeferralRow.id)))
    for row in rows:
        found[row.person_id].append(Deferral(DeferralKind(row.kind), row.since, row.ongoing))
    return found


def refresh_donor_index(session: Session, person_id: int, now: datetime) -> None:
    """Recompute the donor's grid cell and first eligible days from what is stored now."""
    session.flush()
    donor = session.get(Donor, person_id)
    if donor is None:
        return
    history = history_of(session, [person_id])[person_id]
    # From the day before (any time zone), or from the latest donation, so it is counted.
    today = max([now.date() - _LOOK_BACK, *(d.on for d in history)])
    deferrals = deferrals_of(session, [person_id])[person_id]
    sex = Sex(donor.sex)
    donor.grid_cell = grid_cell(donor.latitude, donor.longitude)
    donor.eligible_from, donor.apheresis_from = (
        first_possible_day(sex=sex, date_of_birth=donor.date_of_birth, history=history,
                           deferrals=deferrals, kind=kind, today=today)
        for kind in (DonationKind.WHOLE_BLOOD, DonationKind.APHERESIS))
    session.add(donor)
    session.flush()
